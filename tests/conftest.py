"""The shared test world: a handful of libraries of different sizes, named staff and patrons.

Described in tests/README.md. Build it with the `world` fixture.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client, RequestFactory
from hypothesis import settings as hypothesis_settings

from onelibrary.catalog.models import Item, Title
from onelibrary.members.models import Branch, Library, SharingGroup, StaffRole
from onelibrary.patrons.fields import default_table
from onelibrary.patrons.models import FieldPermission, Patron
from onelibrary.policy.models import CirculationRule
from tests.seeds import reseed

# Speed is measured by the benchmarks, never by a test: no example fails for taking long,
# as one did on a loaded two-core machine (Hypothesis' default deadline is 200 ms).
hypothesis_settings.register_profile("onelibrary", deadline=None)
hypothesis_settings.load_profile("onelibrary")

PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class World:
    group: SharingGroup
    riverton: Library  # a city system with two branches
    pine: Library  # a one-room library
    elk: Library  # a medium library
    riv_main: Branch
    riv_east: Branch
    pine_main: Branch
    elk_main: Branch
    central: User  # central office
    desk_pine: User
    desk_riv: User
    admin_riv: User  # library admin at Riverton
    ada: Patron  # Riverton patron
    ben: Patron  # Pine Creek patron
    dune: Title
    dune_riv: Item
    dune_pine: Item


@pytest.fixture
def shared_data() -> Path:
    path = settings.SHARED_DATA_DIR / "evergreen" / "marc"
    assert path.is_dir(), f"the shared test data is missing at {path}"
    return path


def make_staff(username: str, role: str, library: Library | None) -> User:
    user = User.objects.create_user(username, password=PASSWORD)
    StaffRole.objects.create(user=user, library=library, role=role)
    return user


@pytest.fixture
def world(db) -> World:
    group = SharingGroup.objects.create(name="Big Sky Partners", code="BSP")
    riverton = Library.objects.create(code="RIV", name="Riverton City Library", size_class="city")
    pine = Library.objects.create(code="PINE", name="Pine Creek Library", size_class="one_room")
    elk = Library.objects.create(code="ELK", name="Elk Valley Library", size_class="medium")
    riv_main = Branch.objects.create(
        library=riverton,
        code="RIV-MAIN",
        name="Riverton Main",
        town="Riverton",
        latitude=46.87,
        longitude=-113.99,
        courier_stop="RIV1",
    )
    riv_east = Branch.objects.create(
        library=riverton,
        code="RIV-EAST",
        name="Riverton Eastside",
        town="Riverton",
        latitude=46.88,
        longitude=-113.95,
        courier_stop="RIV2",
        open_days="1111100",
    )
    pine_main = Branch.objects.create(
        library=pine,
        code="PINE",
        name="Pine Creek",
        town="Pine Creek",
        latitude=47.5,
        longitude=-111.3,
        courier_stop="PIN",
        open_days="0101010",
    )
    elk_main = Branch.objects.create(
        library=elk,
        code="ELK",
        name="Elk Valley",
        town="Elk Valley",
        latitude=45.7,
        longitude=-110.5,
        courier_stop="ELK",
    )
    central = make_staff("central", StaffRole.Role.CENTRAL_OFFICE, None)
    desk_pine = make_staff("desk.pine", StaffRole.Role.DESK, pine)
    desk_riv = make_staff("desk.riv", StaffRole.Role.DESK, riverton)
    admin_riv = make_staff("admin.riv", StaffRole.Role.LIBRARY_ADMIN, riverton)
    expiry = dt.date.today() + dt.timedelta(days=365)
    ada = Patron.objects.create(
        card="29000000000017",
        first_name="Ada",
        last_name="Lindqvist",
        home_library=riverton,
        preferred_branch=riv_main,
        expires_on=expiry,
    )
    ben = Patron.objects.create(
        card="29000000000025",
        first_name="Ben",
        last_name="Okafor",
        home_library=pine,
        preferred_branch=pine_main,
        expires_on=expiry,
    )
    dune = Title.objects.create(
        title="Dune",
        author="Herbert, Frank",
        subjects="Science fiction\nDeserts",
        isbns="9780441013593",
        format=Title.Format.BOOK,
        language="eng",
        year=1965,
        title_key="dune|herbert|1965",
    )
    dune_riv = Item.objects.create(
        barcode="31000000000011",
        title=dune,
        owning_library=riverton,
        home_branch=riv_main,
        current_branch=riv_main,
        item_type="book",
        collection="ADULT",
    )
    dune_pine = Item.objects.create(
        barcode="32000000000019",
        title=dune,
        owning_library=pine,
        home_branch=pine_main,
        current_branch=pine_main,
        item_type="book",
        collection="ADULT",
    )
    return World(
        group=group,
        riverton=riverton,
        pine=pine,
        elk=elk,
        riv_main=riv_main,
        riv_east=riv_east,
        pine_main=pine_main,
        elk_main=elk_main,
        central=central,
        desk_pine=desk_pine,
        desk_riv=desk_riv,
        admin_riv=admin_riv,
        ada=ada,
        ben=ben,
        dune=dune,
        dune_riv=dune_riv,
        dune_pine=dune_pine,
    )


@pytest.fixture(autouse=True)
def _logins_carry_a_request(monkeypatch):
    """`Client.login()` calls authenticate() without a request. django-axes, the first
    authentication backend, refuses that: it counts attempts by account and address, and
    the login page always gives it the request. Give the test client's logins one too."""
    login = Client.login

    def with_request(self: Client, **credentials: object) -> bool:
        credentials.setdefault("request", RequestFactory().post("/login/"))
        return login(self, **credentials)

    monkeypatch.setattr(Client, "login", with_request)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing costs ~0.5 s a user; tests make many users and test no hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def field_permissions(db) -> None:
    """The patron field permissions migration 0004 seeds (see `tests/seeds.py`)."""
    for (role, relation, group), (view, edit) in default_table().items():
        FieldPermission.objects.update_or_create(
            role=role,
            relation=relation,
            field_group=group,
            defaults={"can_view": view, "can_edit": edit},
        )


@pytest.fixture(autouse=True)
def _seeded_after_a_flush(request) -> None:
    """A test that commits starts on a flushed database: seed what migrations seed."""
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        request.getfixturevalue("transactional_db")
        reseed()


@pytest.fixture
def rules(world):
    """A group default (21 days, 2 renewals, 30 items, fine-free, $10 blocks, holdable, no
    hold limit) and PINE's override that fines 25 cents a day, capped at $5."""
    default = CirculationRule.objects.create(
        name="Group default",
        loan_days=21,
        renewals_allowed=2,
        max_items_out=30,
        fine_block_threshold=Decimal("10.00"),
        holdable=True,
    )
    pine = CirculationRule.objects.create(
        name="Pine Creek fines",
        library=world.pine,
        fine_per_day=Decimal("0.25"),
        fine_cap=Decimal("5.00"),
    )
    return {"default": default, "pine": pine}


# Debian's Chromium, started as the workplace allows: no sandbox as root, and no
# background connections to a network this machine does not have.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def browser() -> Iterator[object]:
    """Headless Chromium. A missing browser fails the test: it is never skipped."""
    from playwright.sync_api import sync_playwright

    path = os.environ.get("ONELIBRARY_CHROMIUM", "/usr/bin/chromium")
    assert Path(path).exists(), f"no Chromium at {path}: apt-get install chromium"
    # Playwright's sync API runs an event loop in this thread; the live server's
    # database calls from the test itself are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def requests_share_the_test_connection():
    """As Django's test client does: keep the test's database connection open between
    requests made straight to the WSGI app, so each sees the test's transaction."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
