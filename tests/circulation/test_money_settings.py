"""What desk staff may do with money is set per library, by its own admin, in the admin."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onelibrary.members.models import Library
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


def library_form(library: Library, **changes: str) -> dict[str, str]:
    return {
        "name": library.name,
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "desk_waiver_limit": "0.00",
        "slip_patron_label": library.slip_patron_label,
        "slip_size": library.slip_size,
        **changes,
    }


def test_it_money_7_lets_a_library_admin_set_the_desk_waiver_limit(world):
    client = client_for(world.admin_riv, is_staff=True)
    url = f"/admin/members/library/{world.riverton.pk}/change/"
    post = client.post(
        url,
        library_form(world.riverton, desk_waiver_limit="5.00", desk_may_override_fines="on"),
    )
    assert post.status_code == 302, post.content[:500]
    world.riverton.refresh_from_db()
    assert world.riverton.desk_waiver_limit == Decimal("5.00")
    assert world.riverton.desk_may_override_fines is True


def test_it_money_7_keeps_the_limit_out_of_desk_staff_s_hands(world):
    client = client_for(world.desk_riv, is_staff=True)
    url = f"/admin/members/library/{world.riverton.pk}/change/"
    client.post(
        url,
        library_form(world.riverton, desk_waiver_limit="500.00", desk_may_override_fines="on"),
    )
    world.riverton.refresh_from_db()
    assert world.riverton.desk_waiver_limit == Decimal("0.00")
    assert world.riverton.desk_may_override_fines is False


def test_it_refuses_a_negative_limit(world):
    client = client_for(world.admin_riv, is_staff=True)
    url = f"/admin/members/library/{world.riverton.pk}/change/"
    post = client.post(url, library_form(world.riverton, desk_waiver_limit="-1.00"))
    assert post.status_code == 200  # the form again, with the error
    world.riverton.refresh_from_db()
    assert world.riverton.desk_waiver_limit == Decimal("0.00")
