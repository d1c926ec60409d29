"""The directory's test world: the shared world plus contacts, hours and a courier route."""

from __future__ import annotations

import pytest

from onelibrary.courier.models import Route, Stop
from onelibrary.directory.models import BranchHours, Contact


@pytest.fixture
def listed(world, rules):
    """Pine Creek's public director and staff-only IT contact, Riverton's public ILL desk at
    Eastside, Riverton Main's hours, and one route calling at Riverton Main and Pine Creek."""
    Contact.objects.create(
        library=world.pine,
        function=Contact.Function.DIRECTOR,
        name="Mara Quill",
        email="director@pine.example",
        public=True,
    )
    Contact.objects.create(
        library=world.pine,
        function=Contact.Function.IT,
        name="Sol Byte",
        phone="406-555-0199",
        public=False,
    )
    Contact.objects.create(
        library=world.riverton,
        branch=world.riv_east,
        function=Contact.Function.ILL,
        email="ill@riverton.example",
        public=True,
    )
    BranchHours.objects.create(branch=world.riv_main, hours="Mon–Fri 9–8, Sat 10–5")
    route = Route.objects.create(code="R1", name="North loop", days="1111100")
    Stop.objects.create(route=route, branch=world.riv_main, position=1, days="1010100")
    Stop.objects.create(route=route, branch=world.pine_main, position=2, days="1010100")
    return world
