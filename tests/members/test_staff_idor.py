"""Staff of one library can never act on another library's holds, crates, transits or
copies by changing an id in a page's address or an API call: the id answers 404 (403
for a copy, which the catalog shows anyway) and nothing changes; the staff whose it is
get through. Every page and endpoint that takes an id is listed here, from the URL conf
(the API's routers included): a new one fails `test_every_page_and_endpoint_with_an_id_
is_listed` until it has an attempt below or a reason to be left out."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from onelibrary.catalog.models import Item
from onelibrary.circulation.actions import check_in, check_out
from onelibrary.circulation.lookup import CirculationError
from onelibrary.circulation.models import Event, Loan, UnprocessedScan
from onelibrary.circulation.scans import checkin_scan
from onelibrary.holds import actions as holds_actions
from onelibrary.holds.models import Hold, HoldEvent
from onelibrary.members import tokens
from onelibrary.members.models import Branch, Library
from onelibrary.patrons.models import PatronAudit
from onelibrary.transit import crates
from onelibrary.transit.models import Crate, CrateItem, Transit, TransitEvent
from tests.conftest import World, make_staff
from tests.holds.conftest import A_YEAR_AGO, make_title

pytestmark = pytest.mark.django_db


@dataclass
class Scene:
    """Ada's (RIV) hold for pickup at RIV-MAIN; a crate and a transit from PINE to
    RIV-MAIN; Ada's loan from RIV-MAIN; a refused scan kept at RIV-MAIN. Elk Valley
    has no part in any of them."""

    world: World
    elk: User  # desk staff at Elk Valley: the outsider
    hold: Hold
    loan: Loan
    crate: Crate
    transit: Transit
    item: Item  # a copy owned by Riverton
    scan: UnprocessedScan


def copy(world, title, barcode: str, *, owner: Library, home, at) -> Item:
    return Item.objects.create(
        barcode=barcode,
        title=title,
        owning_library=owner,
        home_branch=home,
        current_branch=at,
        item_type="book",
        collection="ADULT",
        created_at=A_YEAR_AGO,
    )


@pytest.fixture
def scene(hw) -> Scene:
    w = hw
    elk = make_staff("desk.elk", "desk", w.elk)
    hold = holds_actions.place_hold(w.desk_riv, w.ada, w.riv_main, title=w.dune).hold
    travelling = copy(
        w,
        make_title("Piranesi"),
        "31000000000052",
        owner=w.riverton,
        home=w.riv_main,
        at=w.pine_main,
    )
    check_in(w.desk_pine, w.pine_main, travelling)  # goes home: PINE -> RIV-MAIN
    crate = crates.open_crate(w.desk_pine, w.pine_main, destination=w.riv_main)
    assert crates.scan_into_crate(w.desk_pine, w.pine_main, crate, travelling.barcode).ok
    lent = copy(
        w, make_title("Kindred"), "31000000000060", owner=w.riverton, home=w.riv_main, at=w.riv_main
    )
    loan = check_out(w.desk_riv, w.riv_main, w.ada, lent).loan
    with pytest.raises(CirculationError):  # an unknown barcode: refused, and kept
        checkin_scan(w.desk_riv, w.riv_main, "31999999999999")
    return Scene(
        world=w,
        elk=elk,
        hold=hold,
        loan=loan,
        crate=crate,
        transit=Transit.objects.get(item=travelling),
        item=w.dune_riv,
        scan=UnprocessedScan.objects.get(),
    )


def snapshot() -> tuple:
    def rows(model) -> list:
        return list(model.objects.order_by("pk").values())

    return (
        rows(Hold),
        rows(Loan),
        rows(Item),
        rows(Crate),
        rows(CrateItem),
        rows(Transit),
        rows(UnprocessedScan),
        HoldEvent.objects.count(),
        Event.objects.count(),
        TransitEvent.objects.count(),
        PatronAudit.objects.count(),  # a refused id reads no patron
    )


# --- who is asking ------------------------------------------------------------------------


def page_client(user: User, branch) -> Client:
    client = Client()
    client.force_login(user)
    client.post(reverse("desk:home"), {"branch": branch.pk})
    return client


def api_client(user: User) -> Client:
    key = tokens.issue_token(user, name="tests").key
    return Client(headers={"Authorization": f"Bearer {key}"})


def insider(scene: Scene, who: str) -> tuple[User, Branch]:
    w = scene.world
    return {
        "riv": (w.desk_riv, w.riv_main),
        "pine": (w.desk_pine, w.pine_main),
        "riv-admin": (w.admin_riv, w.riv_main),
    }[who]


# --- every page and endpoint that takes an id ---------------------------------------------


@dataclass(frozen=True)
class Attempt:
    route: str  # the URL pattern it covers, as the URL conf spells it
    method: str
    url: Callable[[Scene], str]
    body: dict | Callable[[Scene], dict] | None = None
    refused: int = 404  # what staff of another library get
    owner: str = "riv"  # whose it is: "riv" (desk.riv at RIV-MAIN) or "pine"

    @property
    def api(self) -> bool:
        return self.route.startswith("api/")

    def send(self, client: Client, scene: Scene):
        url = self.url(scene)
        body = (self.body(scene) if callable(self.body) else self.body) or {}
        if self.method == "get":
            return client.get(url)
        if self.api:
            return client.post(url, json.dumps(body), content_type="application/json")
        return client.post(url, body)


SOON = (dt.date.today() + dt.timedelta(days=10)).isoformat()
AT_PINE = {"branch": "PINE"}


def crate_step(step: str) -> Callable[[Scene], str]:
    return lambda s: f"/api/v1/transit/crates/{s.crate.label}/{step}"


COURIER = "the group's courier network: changed by the central office only (tests/courier)"
ATTEMPTS = [
    # A member's own insights (its page, board page, PDF, a table of its own).
    Attempt("insights/<str:code>/", "get", lambda s: "/insights/RIV/"),
    Attempt("insights/<str:code>/board/", "get", lambda s: "/insights/RIV/board/"),
    Attempt("insights/<str:code>/board.pdf", "get", lambda s: "/insights/RIV/board.pdf"),
    Attempt(
        r"insights/^table/(?P<slug>[a-z-]+)\.(?P<fmt>csv|xlsx)$",
        "get",
        lambda s: "/insights/table/trend.csv?member=RIV",
    ),
    # holds: the patron's home library, the pickup branch's, the lending branch's
    Attempt("holds/<int:pk>/cancel/", "post", lambda s: f"/holds/{s.hold.pk}/cancel/"),
    Attempt(
        "holds/<int:pk>/suspend/", "post", lambda s: f"/holds/{s.hold.pk}/suspend/", {"until": SOON}
    ),
    Attempt("holds/<int:pk>/resume/", "post", lambda s: f"/holds/{s.hold.pk}/resume/"),
    Attempt(
        "holds/<int:pk>/pickup/",
        "post",
        lambda s: f"/holds/{s.hold.pk}/pickup/",
        lambda s: {"pickup": s.world.elk_main.pk},
    ),
    Attempt("holds/<int:pk>/explain/", "get", lambda s: f"/holds/{s.hold.pk}/explain/"),
    Attempt("holds/pick/<int:pk>/missing/", "post", lambda s: f"/holds/pick/{s.hold.pk}/missing/"),
    Attempt("holds/clear/<int:pk>/", "post", lambda s: f"/holds/clear/{s.hold.pk}/"),
    Attempt("api/v1/holds/<hold_id>/cancel", "post", lambda s: f"/api/v1/holds/{s.hold.pk}/cancel"),
    Attempt(
        "api/v1/holds/<hold_id>/suspend",
        "post",
        lambda s: f"/api/v1/holds/{s.hold.pk}/suspend",
        {"until": SOON},
    ),
    Attempt("api/v1/holds/<hold_id>/resume", "post", lambda s: f"/api/v1/holds/{s.hold.pk}/resume"),
    Attempt(
        "api/v1/holds/<hold_id>/explanation",
        "get",
        lambda s: f"/api/v1/holds/{s.hold.pk}/explanation",
    ),
    # crates: the libraries at its ends
    *(
        Attempt(f"transit/crates/<str:label>/{step}", method, fn, body, owner="pine")
        for step, method, fn, body in (
            ("", "get", lambda s: f"/transit/crates/{s.crate.label}/", None),
            ("scan/", "post", lambda s: f"/transit/crates/{s.crate.label}/scan/", {"barcode": "1"}),
            (
                "unpack/",
                "post",
                lambda s: f"/transit/crates/{s.crate.label}/unpack/",
                {"barcode": "1"},
            ),
            ("close/", "post", lambda s: f"/transit/crates/{s.crate.label}/close/", None),
            ("reopen/", "post", lambda s: f"/transit/crates/{s.crate.label}/reopen/", None),
            ("ship/", "post", lambda s: f"/transit/crates/{s.crate.label}/ship/", None),
            ("reconcile/", "post", lambda s: f"/transit/crates/{s.crate.label}/reconcile/", None),
            ("undo/", "post", lambda s: f"/transit/crates/{s.crate.label}/undo/", None),
            ("label.pdf", "get", lambda s: f"/transit/crates/{s.crate.label}/label.pdf", None),
            (
                "manifest.pdf",
                "get",
                lambda s: f"/transit/crates/{s.crate.label}/manifest.pdf",
                None,
            ),
        )
    ),
    Attempt(
        "api/v1/transit/crates/<label>",
        "get",
        lambda s: f"/api/v1/transit/crates/{s.crate.label}",
        owner="pine",
    ),
    *(
        Attempt(
            f"api/v1/transit/crates/<label>/{step}",
            "post",
            crate_step(step),
            {**AT_PINE, **({"barcode": "1"} if step in ("scan", "unpack") else {})},
            owner="pine",
        )
        for step in ("scan", "close", "reopen", "ship", "unpack", "reconcile")
    ),
    # transits: sender's, receiver's and receiving branch's libraries
    Attempt(
        "transit/transits/<int:pk>/",
        "get",
        lambda s: f"/transit/transits/{s.transit.pk}/",
        owner="pine",
    ),
    Attempt(
        "transit/late/<int:pk>/missing/",
        "post",
        lambda s: f"/transit/late/{s.transit.pk}/missing/",
        owner="pine",
    ),
    Attempt(
        "api/v1/transit/transits/<transit_id>/missing",
        "post",
        lambda s: f"/api/v1/transit/transits/{s.transit.pk}/missing",
        AT_PINE,
        owner="pine",
    ),
    # items: anyone on the staff may look (copies are public); only the owner changes them
    Attempt(
        "items/<str:barcode>/edit/", "get", lambda s: f"/items/{s.item.barcode}/edit/", refused=403
    ),
    Attempt(
        "transit/items/<str:barcode>/",
        "get",
        lambda s: f"/transit/items/{s.item.barcode}/",
        refused=200,
    ),
    Attempt(
        "api/v1/catalog/items/<barcode>",
        "get",
        lambda s: f"/api/v1/catalog/items/{s.item.barcode}",
        refused=200,
    ),
    Attempt(
        "api/v1/transit/items/<barcode>/transits",
        "get",
        lambda s: f"/api/v1/transit/items/{s.item.barcode}/transits",
        refused=200,
    ),
    # the desk's actions on a copy: its own library's staff (the admin to withdraw or
    # reinstate), the library where it is, or any desk for a copy found (item-desk.md)
    Attempt("items/<str:barcode>/", "get", lambda s: f"/items/{s.item.barcode}/", refused=200),
    Attempt(
        "items/<str:barcode>/<slug:action>/",
        "post",
        lambda s: f"/items/{s.item.barcode}/damaged/",
        {"note": "Torn"},
        refused=403,
    ),
    *(
        Attempt(
            f"api/v1/circulation/items/<barcode>/{action}",
            "post",
            lambda s, action=action: f"/api/v1/circulation/items/{s.item.barcode}/{action}",
            # at Riverton's desk, which Elk's staff do not work (the copy's own scope,
            # and any desk finding a copy: tests/circulation/test_item_desk.py)
            {"branch": "RIV-MAIN", "note": "A note"},
            refused=403,
            owner="riv-admin" if action in ("withdraw", "reinstate") else "riv",
        )
        for action in (
            "found",
            "damaged",
            "back-on-shelf",
            "missing",
            "claims-returned",
            "lost",
            "withdraw",
            "reinstate",
        )
    ),
    # a crate's label scanned as it comes off the van: the scan is kept, as every scan is,
    # but a crate for another library is refused and not received
    Attempt(
        "api/v1/transit/crates/<label>/receive",
        "post",
        lambda s: f"/api/v1/transit/crates/{s.crate.label}/receive",
        {"branch": "ELK"},
        refused=200,
        owner="pine",
    ),
    # circulation: a loan renewed at its own library's desk; a kept scan resolved there
    Attempt(
        "api/v1/circulation/loans/<loan_id>/renewals",
        "post",
        lambda s: f"/api/v1/circulation/loans/{s.loan.pk}/renewals",
        refused=403,
    ),
    # a hold slip: the pickup branch's library (or the central office) only
    Attempt("desk/holds/<int:pk>/slip/", "get", lambda s: f"/desk/holds/{s.hold.pk}/slip/"),
    Attempt("desk/holds/<int:pk>/slip.pdf", "get", lambda s: f"/desk/holds/{s.hold.pk}/slip.pdf"),
    Attempt(
        "desk/unprocessed/<int:pk>/resolve/",
        "post",
        lambda s: f"/desk/unprocessed/{s.scan.pk}/resolve/",
        refused=403,
    ),
]

PATRON = "a patron, by card or record: patrons.access decides and audits (tests/patrons)"
OWN = "the patron's own pages: tests/account/test_no_idor.py"
PUBLIC = "public: titles, libraries and branches are shown to anyone"
MONEY = "a payment or charge: circulation.money's access_payment / access_charge, 404 for others"
MONEY_PAGES = MONEY + " (tests/circulation/test_money_pages.py)"
MONEY_API = MONEY + " (tests/api/test_money_api.py)"
LEDGER = (
    "an entry between members: ledger.access, 404 for a library not a party to it, reversal "
    "the central office's (tests/ledger/test_settlement.py)"
)
REPORTS = (
    "a damage report between members: ledger.evidence access, 404 for a library not a party "
    "to it (tests/ledger/test_report_pages.py, tests/ledger/test_disputes_api.py)"
)
TICKETS = "a ticket: directory.tickets.access_ticket, 404 for others (tests/directory)"
PROCEDURES = "a procedure: the group's, read by every staff member (tests/directory)"
GOVERNANCE = (
    "governance: members, decisions and rules are open to every member's staff (the group "
    "runs on knowing them); each step is refused by governance.actions to any but the central "
    "office or the member's own staff (tests/governance/test_pages.py)"
)
NOT_HERE = {
    **{
        route: GOVERNANCE
        for route in (
            "governance/members/<str:code>/",
            "governance/members/<str:code>/step/",
            "governance/members/<str:code>/reconcile/",
            "governance/members/<str:code>/reconcile/step/",
            "governance/decisions/<int:pk>/",
            "governance/why/rules/<int:pk>/",
        )
    },
    r"insights/^section/(?P<slug>[a-z-]+)/$": "a section of the group's insights page, for "
    "whoever may see the group's figures, never one member's (tests/insights/test_pages.py)",
    "ledger/reports/<int:pk>/": REPORTS,
    "ledger/reports/<int:pk>/accept": REPORTS,
    "ledger/reports/<int:pk>/dispute": REPORTS,
    "ledger/reports/<int:pk>/messages": REPORTS,
    "ledger/reports/<int:pk>/decision": REPORTS,
    "ledger/reports/<int:pk>/photos/<int:photo_id>": REPORTS,
    "api/v1/ledger/reports/<report_id>": REPORTS,
    "api/v1/ledger/reports/<report_id>/accept": REPORTS,
    "api/v1/ledger/reports/<report_id>/dispute": REPORTS,
    "api/v1/ledger/reports/<report_id>/messages": REPORTS,
    "api/v1/ledger/reports/<report_id>/decision": REPORTS,
    "api/v1/ledger/reports/<report_id>/photos/<photo_id>": REPORTS,
    "ledger/entries/<int:pk>/": LEDGER,
    "ledger/entries/<int:pk>/reverse": LEDGER,
    "api/v1/ledger/entries/<entry_id>": LEDGER,
    "api/v1/ledger/entries/<entry_id>/reverse": LEDGER,
    "tickets/<int:pk>/": TICKETS,
    "tickets/<int:pk>/reply/": TICKETS,
    "procedures/<slug:slug>/": PROCEDURES,
    "procedures/<slug:slug>/edit/": PROCEDURES + "; edited by the central office only",
    "procedures/<slug:slug>/v<int:number>/": PROCEDURES,
    "procedures/<slug:slug>/v<int:number>/changes/": PROCEDURES,
    "catalog/titles/<int:pk>/": PUBLIC,
    "libraries/<str:code>/": PUBLIC,
    "branches/<str:code>/": PUBLIC,
    "holds/place/<int:title_id>/": PUBLIC + "; the patron comes by card, through patrons.access",
    "api/v1/holds/branches/<code>/pick-list": PUBLIC + "; a pick list shows no patron",
    "desk/patrons/<str:card>/loans/": PATRON,
    "desk/patrons/<str:card>/loans/renew/": PATRON,
    "holds/patron/<str:card>/": PATRON,
    "api/v1/holds/patrons/<card>": PATRON,
    "api/v1/circulation/patrons/<card>/loans": PATRON,
    "api/v1/patrons/<card>": PATRON,
    "patrons/<int:pk>/": PATRON,
    "patrons/<int:pk>/edit/": PATRON,
    "patrons/<int:pk>/export/": PATRON,
    "patrons/<int:pk>/erase/": PATRON,
    "patrons/<int:pk>/audit/": PATRON,
    "desk/patrons/<str:card>/money/": PATRON,
    "desk/patrons/<str:card>/money/pay/": PATRON,
    "desk/patrons/<str:card>/money/waive/": PATRON,
    "desk/patrons/<str:card>/money/refund/": PATRON,
    "api/v1/circulation/patrons/<card>/charges": PATRON,
    "api/v1/circulation/patrons/<card>/payments": PATRON,
    "desk/receipts/<int:pk>/": MONEY_PAGES,
    "desk/receipts/<int:pk>/receipt.pdf": MONEY_PAGES,
    "api/v1/circulation/payments/<payment_id>": MONEY_API,
    "api/v1/circulation/charges/<charge_id>/waivers": MONEY_API,
    "api/v1/circulation/charges/<charge_id>/refunds": MONEY_API,
    "courier/routes/<str:code>/": COURIER,
    "courier/routes/<str:code>/edit/": COURIER,
    "courier/routes/<str:code>/delete/": COURIER,
    "courier/hubs/<str:code>/edit/": COURIER,
    "courier/hubs/<str:code>/delete/": COURIER,
    "api/v1/courier/routes/<code>": COURIER,
    **{
        route: OWN
        for route in (
            "account/loans/<int:loan_id>/renew/",
            "account/holds/<int:hold_id>/",
            "account/holds/<int:hold_id>/cancel/",
            "account/holds/<int:hold_id>/suspend/",
            "account/holds/<int:hold_id>/resume/",
            "account/holds/<int:hold_id>/pickup/",
            "account/titles/<int:title_id>/hold/",
            "api/v1/account/loans/<loan_id>/renew",
            "api/v1/account/holds/<hold_id>/cancel",
            "api/v1/account/holds/<hold_id>/suspend",
            "api/v1/account/holds/<hold_id>/resume",
            "api/v1/account/holds/<hold_id>/pickup",
        )
    },
}


# Parts whose own tests list and try every page of theirs that takes an id.
ELSEWHERE = {
    "outreach/": "a partnership's pages: outreach.access, 404 for others "
    "(tests/outreach/test_no_idor.py)",
    "helpdesk/": "a problem report: helpdesk.access.access_report, 404 for another library's "
    "staff (tests/helpdesk/test_triage.py)",
}


def routes_of(prefix: str) -> set[str]:
    return {route for route in routes_with_an_id() if route.startswith(prefix)}


def routes_with_an_id() -> set[str]:
    """Every page and API path with a parameter, but the admin's (which asks the
    has_*_permission methods of members/admin.py and its kin)."""

    def walk(patterns, prefix: str = ""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    return {
        route
        for route in walk(get_resolver().url_patterns)
        if "<" in route and not route.startswith("admin/")
    }


def test_every_page_and_endpoint_with_an_id_is_listed():
    attempted = {attempt.route for attempt in ATTEMPTS}
    assert not attempted & set(NOT_HERE)
    listed_here = {r for r in routes_with_an_id() if not r.startswith(tuple(ELSEWHERE))}
    assert listed_here == attempted | set(NOT_HERE)


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=lambda a: f"{a.method} {a.route}")
def test_another_library_s_staff_are_refused_and_nothing_changes(scene, attempt):
    w = scene.world
    client = api_client(scene.elk) if attempt.api else page_client(scene.elk, w.elk_main)
    before = snapshot()
    response = attempt.send(client, scene)
    assert response.status_code == attempt.refused, (attempt.route, response.content[:300])
    text = response.content.decode(errors="replace")
    assert w.ada.card not in text and "Lindqvist" not in text
    if attempt.api and attempt.refused == 404:
        assert response.json()["code"] in ("unknown_hold", "unknown_crate", "unknown_transit")
    if attempt.route.endswith("/receive"):
        assert response.json()["outcome"] == "refused"
    assert snapshot() == before


@pytest.mark.parametrize(
    "attempt", [a for a in ATTEMPTS if a.refused != 200], ids=lambda a: f"{a.method} {a.route}"
)
def test_the_staff_whose_it_is_get_through(scene, attempt):
    user, branch = insider(scene, attempt.owner)
    client = api_client(user) if attempt.api else page_client(user, branch)
    response = attempt.send(client, scene)
    # Past the access check: done, or refused by the thing's state (409, or a page's
    # message after a redirect), never "not found" or "not yours".
    assert response.status_code not in (403, 404), (attempt.route, response.content[:300])


def test_an_id_out_of_scope_answers_like_one_that_does_not_exist(scene):
    api = api_client(scene.elk)
    theirs = api.post(f"/api/v1/holds/{scene.hold.pk}/cancel", content_type="application/json")
    nobody = api.post("/api/v1/holds/999999/cancel", content_type="application/json")
    assert theirs.status_code == nobody.status_code == 404
    assert theirs.json()["message"].replace(str(scene.hold.pk), "N") == nobody.json()[
        "message"
    ].replace("999999", "N")


def test_a_hold_read_that_shows_the_patron_is_audited(scene):
    w = scene.world
    page = page_client(w.desk_riv, w.riv_main).get(f"/holds/{scene.hold.pk}/explain/")
    assert page.status_code == 200 and "Ada Lindqvist" in page.content.decode()
    audit = PatronAudit.objects.get(patron=w.ada, staff=w.desk_riv)
    assert (audit.via, audit.detail["context"]) == ("page", "hold explanation")
    reply = api_client(w.desk_riv).post(
        f"/api/v1/holds/{scene.hold.pk}/resume", content_type="application/json"
    )
    assert reply.status_code == 409  # not suspended; the reply shows no patron, audits none
    assert PatronAudit.objects.filter(patron=w.ada).count() == 1
    reply = api_client(w.desk_riv).post(
        f"/api/v1/holds/{scene.hold.pk}/cancel", content_type="application/json"
    )
    assert reply.json()["patron_card"] == w.ada.card
    audit = PatronAudit.objects.filter(patron=w.ada).latest("pk")
    assert (audit.staff, audit.via, audit.detail["context"]) == (w.desk_riv, "api", "cancel hold")
