"""The branch home (`/desk/`): where staff land after logging in, the day's work counted
with a link each, a button per destination to open a crate, a few queries whatever the
branch's load, one screen on a phone; and the staff links of the header on every page."""

from __future__ import annotations

import datetime as dt
import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from onelibrary.circulation.actions import check_in
from onelibrary.circulation.models import UnprocessedScan
from onelibrary.holds import actions as holds_actions
from onelibrary.patrons.actions import UNTOLD
from onelibrary.patrons.models import Patron, PatronAudit
from onelibrary.transit.models import Crate
from tests.account.conftest import ADA_PIN, give_pin, logged_in
from tests.conftest import PASSWORD
from tests.holds.conftest import make_copy, make_title

pytestmark = pytest.mark.django_db
DAYS2 = dt.timedelta(days=2)

STAFF_LINKS = (
    "Desk",
    "Check out",
    "Check in",
    "Pick list",
    "Hold shelf",
    "Crates",
    "Patrons",
    "Courier",
    "Floating",
    "Policy",
    "Tickets",
    "Governance",
    "Insights",
    "Report a problem",  # the help desk's form, one click from every staff page
)


def at_desk(user, branch) -> Client:
    client = Client()
    client.force_login(user)
    client.post(reverse("desk:home"), {"branch": branch.pk})
    return client


def busy_day(w, copies: int = 1, first: int = 0) -> None:
    """At RIV-MAIN: Ada's hold to pull, `copies` PINE and ELK copies returned here (to send
    home), a refused scan."""
    if not first:
        holds_actions.place_hold(w.desk_riv, w.ada, w.riv_main, title=w.dune)
    for n in range(first, first + copies):
        title = make_title(f"Book {n}")
        for library, branch, prefix in ((w.pine, w.pine_main, "32"), (w.elk, w.elk_main, "33")):
            copy = make_copy(w, title, f"{prefix}00000000{n:04d}", library=library, branch=branch)
            check_in(w.desk_riv, w.riv_main, copy)
    UnprocessedScan.objects.create(
        staff=w.desk_riv, branch=w.riv_main, screen="checkin", code="unknown", message="?"
    )


def count(page: str, ident: str) -> int:
    found = re.search(rf'id="{ident}"><span class="n">(\d+)</span>', page)
    assert found, ident
    return int(found.group(1))


def test_staff_land_on_the_branch_home_after_logging_in(hw):
    client = Client()
    response = client.post("/login/", {"username": "desk.pine", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/desk/"
    page = client.get("/desk/").content.decode()
    assert "Today at Pine Creek" in page  # one branch: no need to choose


def test_it_counts_the_day_s_work_each_with_its_link(hw):
    busy_day(hw)
    page = at_desk(hw.desk_riv, hw.riv_main).get("/desk/").content.decode()
    assert count(page, "count-pull") == 1
    assert count(page, "count-send") == 2
    assert count(page, "count-unprocessed") == 1
    for ident in ("count-due", "count-unpack", "count-shelf", "count-clear", "count-late"):
        assert count(page, ident) == 0
    for url in ("/holds/pick/", "/transit/to-send/", "/transit/receive/", "/transit/"):
        assert f'href="{url}"' in page
    assert 'href="/holds/clear/"' in page and 'href="/transit/late/"' in page
    assert 'href="/desk/unprocessed/"' in page


def test_each_destination_has_a_button_that_opens_its_crate(hw):
    busy_day(hw)
    client = at_desk(hw.desk_riv, hw.riv_main)
    page = client.get("/desk/").content.decode()
    assert (
        "<strong>1</strong> for Elk Valley" in page and "<strong>1</strong> for Pine Creek" in page
    )
    assert '<button type="submit">Open a crate for PINE</button>' in page
    assert f'name="destination" value="{hw.pine_main.pk}"' in page
    opened = client.post(reverse("transit:open_crate"), {"destination": hw.pine_main.pk})
    crate = Crate.objects.get()
    assert opened["Location"] == f"/transit/crates/{crate.label}/"
    page = client.get("/desk/").content.decode()
    assert "Open a crate for PINE" not in page and f"put in {crate.label}" in page
    assert "Open a crate for ELK" in page


def test_without_a_branch_it_is_the_branch_chooser(hw):
    client = Client()
    client.force_login(hw.central)  # works for every library: must choose
    page = client.get("/desk/").content.decode()
    assert '<h1 id="choose">Choose the branch you work at</h1>' in page  # the page's heading
    assert "Today at" not in page
    chosen = client.post("/desk/", {"branch": hw.elk_main.pk})
    assert chosen["Location"] == "/desk/"
    assert "Today at Elk Valley" in client.get("/desk/").content.decode()


def test_its_queries_do_not_grow_with_the_branch_s_load(hw, django_assert_max_num_queries):
    busy_day(hw, copies=1)
    client = at_desk(hw.desk_riv, hw.riv_main)
    client.get("/desk/")  # the kept roles and rules are read once per process
    # 20: the header asks once whether the account is technical staff (the help desk link).
    with django_assert_max_num_queries(20) as few:
        client.get("/desk/")
    busy_day(hw, copies=6, first=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/desk/").content.decode()
    assert count(page, "count-send") == 14


def test_staff_see_the_same_staff_links_on_every_page(hw):
    client = at_desk(hw.desk_pine, hw.pine_main)
    for url in (
        "/",
        "/desk/",
        "/desk/checkin/",
        "/transit/",
        "/libraries/",
        "/policy/differences/",
    ):
        header = client.get(url).content.decode().split("</header>")[0]
        links = re.findall(r'<li class="staff-link"><a href="[^"]+"[^>]*>([^<]+)</a>', header)
        assert tuple(links) == STAFF_LINKS, url
    header = client.get("/desk/").content.decode().split("</header>")[0]
    assert '<a href="/desk/" aria-current="page">Desk</a>' in header
    assert '<a href="/" aria-current="page">Catalog</a>' not in header


def test_patrons_and_visitors_see_no_staff_links(hw):
    header = Client().get("/").content.decode().split("</header>")[0]
    assert "staff-link" not in header and "Pick list" not in header
    give_pin(hw.ada, ADA_PIN)
    patron = logged_in(hw.ada.card, ADA_PIN)
    header = patron.get("/").content.decode().split("</header>")[0]
    assert "My account" in header and "staff-link" not in header


@pytest.mark.browser
def test_the_branch_home_fits_a_phone(live_server, transactional_db, hw, page):
    busy_day(hw, copies=2)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("desk.riv")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Riverton Main").click()
    page.get_by_role("heading", name="Today at Riverton Main").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.get_by_role("button", name="Open a crate for PINE").is_visible()
    assert page.get_by_role("link", name="Pick list").is_visible()


def test_the_central_office_sees_the_patrons_waiting_for_its_reviews(hw):
    """Both reviews are the central office's (patrons/office_views.py): its branch home
    counts what waits in each and links to it; desk staff and library admins see neither."""
    hw.ada.registered_at = hw.pine  # the registering rule would move her to Pine Creek
    hw.ada.save()
    zed = Patron.objects.create(
        card="29000000000090",
        first_name="Zed",
        last_name="Quist",
        home_library=hw.pine,
        expires_on=hw.ada.expires_on,
    )
    PatronAudit.objects.create(
        patron=zed,
        staff=hw.desk_pine,
        library=hw.pine,
        action=PatronAudit.Action.REGISTER,
        via=PatronAudit.Via.PAGE,
        detail={UNTOLD: [{"patron": hw.ben.pk, "reasons": ["same_email"]}]},
    )
    page = at_desk(hw.central, hw.elk_main).get("/desk/").content.decode()
    assert "Patrons waiting for review" in page
    assert count(page, "count-review-1") == 1 and count(page, "count-review-2") == 1
    assert 'href="/patrons/home-library/"' in page and 'href="/patrons/duplicates/"' in page
    for staff, branch in ((hw.desk_riv, hw.riv_main), (hw.admin_riv, hw.riv_main)):
        page = at_desk(staff, branch).get("/desk/").content.decode()
        assert "Patrons waiting for review" not in page
        assert "/patrons/home-library/" not in page and "/patrons/duplicates/" not in page


def test_it_counts_crates_on_their_way_and_copies_on_the_hold_shelf(hw):
    holds_actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune)
    check_in(hw.desk_riv, hw.riv_main, hw.dune_riv)  # captured for Ada's hold: hold shelf
    client = at_desk(hw.desk_riv, hw.riv_main)
    client.post(reverse("transit:open_crate"), {"destination": hw.elk_main.pk})
    crate = Crate.objects.get()
    Crate.objects.filter(pk=crate.pk).update(
        state=Crate.State.SHIPPED, destination=hw.riv_main, expected_on=date.today() + DAYS2
    )
    page = client.get("/desk/").content.decode()
    assert count(page, "count-shelf") == 1 and 'href="/holds/shelf/"' in page
    assert count(page, "count-due") == 1  # on its way, due in two days: still counted
    assert "1 crate on its way here, 0 due today" in re.sub(r"<[^>]+>", "", page)


def test_a_copy_pulled_for_the_hold_shelf_here_offers_its_slip(hw):
    """The pick list's last scan links the hold slip, as the checkin's line does."""
    hold = holds_actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune).hold
    assert hold.assigned_item == hw.dune_riv
    client = at_desk(hw.desk_riv, hw.riv_main)
    client.post(reverse("holds:pull"), {"barcode": hw.dune_riv.barcode})
    page = client.get(reverse("holds:pick_list")).content.decode()
    assert "HOLD SHELF" in page
    assert f'href="/desk/holds/{hold.pk}/slip/"' in page
