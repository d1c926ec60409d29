"""The staff desk pages through Django's test client: plain form posts and htmx requests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation import actions
from onelibrary.circulation.models import Event, Loan, UnprocessedScan
from onelibrary.members.desk import SESSION_BRANCH

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def desk(client, world, rules):
    """Desk staff at Riverton, working at Riverton Main."""
    client.force_login(world.desk_riv)
    client.post(reverse("desk:home"), {"branch": world.riv_main.pk})
    return client


def scan_patron(client, card):
    return client.post(reverse("desk:checkout_patron"), {"card": card}, follow=True)


def scan_item(client, barcode, **extra):
    return client.post(reverse("desk:checkout_item"), {"barcode": barcode, **extra}, follow=True)


def scan_in(client, barcode):
    return client.post(reverse("desk:checkin_item"), {"barcode": barcode}, follow=True)


# --- who may use the desk ----------------------------------------------------------


@pytest.mark.parametrize("name", ["home", "checkout", "checkin", "unprocessed"])
def test_it_sends_anonymous_visitors_to_log_in(client, world, name):
    url = reverse(f"desk:{name}")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")


def test_it_refuses_an_account_without_a_staff_role(client, world):
    client.force_login(User.objects.create_user("reader", password="x"))
    response = client.get(reverse("desk:checkout"))
    assert response.status_code == 403
    assert "The circulation desk is for library staff" in response.text


def test_it_chooses_the_only_branch_of_a_one_branch_library(client, world):
    client.force_login(world.desk_pine)
    response = client.get(reverse("desk:checkout"))
    assert response.status_code == 200
    assert "Working at:" in response.text and "Pine Creek" in response.text
    assert client.session[SESSION_BRANCH] == world.pine_main.pk


def test_it_asks_staff_of_a_library_with_two_branches_to_choose(client, world):
    client.force_login(world.desk_riv)
    response = client.get(reverse("desk:checkout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:home") + "?next=%2Fdesk%2Fcheckout%2F"
    page = client.get(response["Location"]).text
    assert "RIV-MAIN" in page and "RIV-EAST" in page
    assert "PINE" not in page and "ELK" not in page
    chosen = client.post(
        reverse("desk:home"), {"branch": world.riv_east.pk, "next": "/desk/checkout/"}
    )
    assert chosen["Location"] == "/desk/checkout/"
    assert "Riverton Eastside" in client.get("/desk/checkout/").text


def test_it_refuses_a_branch_of_another_library(client, world):
    client.force_login(world.desk_riv)
    response = client.post(reverse("desk:home"), {"branch": world.pine_main.pk})
    assert response.status_code == 403
    assert "you do not work for its library" in response.text
    assert SESSION_BRANCH not in client.session


def test_it_offers_the_central_office_every_branch(client, world):
    client.force_login(world.central)
    page = client.get(reverse("desk:home")).text
    for code in ("RIV-MAIN", "RIV-EAST", "PINE", "ELK"):
        assert code in page
    client.post(reverse("desk:home"), {"branch": world.elk_main.pk})
    assert client.session[SESSION_BRANCH] == world.elk_main.pk


# --- checkout ----------------------------------------------------------------------


def test_it_shows_the_patron_when_their_card_is_scanned(desk, world):
    page = scan_patron(desk, world.ada.card).text
    assert "Ada Lindqvist" in page
    assert "Riverton City Library" in page
    assert "Items out</dt><dd>0" in page
    assert reverse("desk:patron_loans", kwargs={"card": world.ada.card}) in page
    assert "data-scan-field" in page and "autofocus" in page


def test_it_checks_out_a_scanned_item_and_shows_the_due_date(desk, world):
    scan_patron(desk, world.ada.card)
    page = scan_item(desk, world.dune_riv.barcode).text
    loan = Loan.objects.get(item=world.dune_riv, patron=world.ada)
    assert f"DUE {loan.due_date:%a %d %b}".upper() in page
    assert "Dune" in page and "Checked out" in page
    assert "Items out</dt><dd>1" in page


def test_it_answers_an_htmx_scan_with_one_line_and_the_patron_panel(desk, world):
    scan_patron(desk, world.ada.card)
    response = desk.post(
        reverse("desk:checkout_item"), {"barcode": world.dune_pine.barcode}, **HTMX
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<li class="scan-line scan-ok"')
    assert 'id="patron-panel"' in response.text and 'hx-swap-oob="true"' in response.text
    assert "<html" not in response.text
    assert Loan.objects.filter(item=world.dune_pine, patron=world.ada).exists()


def test_it_lists_the_latest_scan_first(desk, world):
    scan_patron(desk, world.ada.card)
    scan_item(desk, world.dune_riv.barcode)
    page = scan_item(desk, "31999999999999").text
    assert page.index("No item in the group has the barcode") < page.index("Checked out")


def test_it_refuses_an_unknown_barcode_and_keeps_the_scan(desk, world):
    scan_patron(desk, world.ada.card)
    page = scan_item(desk, "31999999999999").text
    assert "No item in the group has the barcode 31999999999999" in page
    assert "scan-error" in page
    assert not Loan.objects.exists()
    kept = UnprocessedScan.objects.get()
    assert (kept.screen, kept.barcode, kept.patron_card) == (
        "checkout",
        "31999999999999",
        world.ada.card,
    )
    assert kept.branch == world.riv_main and kept.staff == world.desk_riv


def test_it_says_a_patron_card_scanned_as_an_item_is_a_card(desk, world):
    scan_patron(desk, world.ada.card)
    page = scan_item(desk, world.ben.card).text
    assert f"{world.ben.card} is a patron&#x27;s library card, not an item" in page
    assert not Loan.objects.exists()


def test_it_refuses_an_unknown_patron_card_and_keeps_the_scan(desk, world):
    page = scan_patron(desk, "29999999999999").text
    assert "No patron has the card 29999999999999" in page
    assert 'value="29999999999999"' not in page  # the field is empty for the next scan
    kept = UnprocessedScan.objects.get()
    assert (kept.code, kept.patron_card) == ("unknown_patron", "29999999999999")


def test_it_ignores_an_empty_scan(desk, world):
    scan_patron(desk, world.ada.card)
    response = desk.post(reverse("desk:checkout_item"), {"barcode": "  "}, **HTMX)
    assert response.status_code == 204
    assert not UnprocessedScan.objects.exists()


def test_it_clears_the_patron_when_done(desk, world):
    scan_patron(desk, world.ada.card)
    scan_item(desk, world.dune_riv.barcode)
    page = desk.post(reverse("desk:checkout_done"), follow=True).text
    assert "Ada Lindqvist" not in page
    assert "Patron&#x27;s library card" in page


def test_it_does_not_offer_desk_staff_an_override(desk, world):
    world.ada.expires_on = timezone.localdate() - dt.timedelta(days=1)
    world.ada.save()
    scan_patron(desk, world.ada.card)
    page = scan_item(desk, world.dune_riv.barcode).text
    assert "card expired" in page
    assert "Only a library admin or the central office may override" in page
    assert 'name="override_reason"' not in page
    assert not Loan.objects.exists()


def test_it_lets_a_library_admin_override_a_block_with_a_reason(client, world, rules):
    world.ada.expires_on = timezone.localdate() - dt.timedelta(days=1)
    world.ada.save()
    client.force_login(world.admin_riv)
    client.post(reverse("desk:home"), {"branch": world.riv_main.pk})
    scan_patron(client, world.ada.card)
    refused = client.post(
        reverse("desk:checkout_item"), {"barcode": world.dune_riv.barcode}, **HTMX
    ).text
    assert 'name="override_reason"' in refused
    line = refused.split('name="line" value="')[1].split('"')[0]
    response = client.post(
        reverse("desk:checkout_item"),
        {"barcode": world.dune_riv.barcode, "line": line, "override_reason": "Renewing today"},
        **HTMX,
    )
    assert "block overridden" in response.text
    event = Event.objects.get(kind="checkout")
    assert event.detail["override_reason"] == "Renewing today"
    lines = client.session["desk_checkout_lines"]
    assert len(lines) == 1 and lines[0]["kind"] == "ok"


# --- checkin -----------------------------------------------------------------------


def test_it_says_shelve_for_an_item_returned_home(desk, world):
    actions.check_out(world.desk_riv, world.riv_main, world.ada, world.dune_riv)
    page = scan_in(desk, world.dune_riv.barcode).text
    assert "SHELVE" in page and "scan-shelve" in page
    assert Loan.objects.get().state == Loan.State.RETURNED


def test_it_says_send_to_for_an_item_returned_elsewhere(client, world, rules):
    actions.check_out(world.desk_riv, world.riv_main, world.ada, world.dune_riv)
    client.force_login(world.desk_riv)
    client.post(reverse("desk:home"), {"branch": world.riv_east.pk})
    response = client.post(reverse("desk:checkin_item"), {"barcode": "31000000000011"}, **HTMX)
    assert "SEND TO RIVERTON MAIN (RIV-MAIN)" in response.text
    assert "scan-send" in response.text
    world.dune_riv.refresh_from_db()
    assert world.dune_riv.status == Item.Status.IN_TRANSIT


def test_it_refuses_an_unknown_barcode_at_checkin_and_keeps_the_scan(desk, world):
    page = scan_in(desk, "nonsense").text
    assert "NOT CHECKED IN" in page and "No item in the group has the barcode" in page
    assert UnprocessedScan.objects.get().screen == "checkin"


# --- a patron's loans --------------------------------------------------------------


def test_it_renews_a_loan_from_the_loans_page(desk, world):
    earlier = timezone.now() - dt.timedelta(days=10)
    actions.check_out(world.desk_riv, world.riv_main, world.ada, world.dune_riv, now=earlier)
    loan = Loan.objects.get()
    before = loan.due_date
    url = reverse("desk:patron_loans", kwargs={"card": world.ada.card})
    assert "0 of 2" in desk.get(url).text
    page = desk.post(
        reverse("desk:renew_loans", kwargs={"card": world.ada.card}), {"loan": loan.pk}, follow=True
    ).text
    loan.refresh_from_db()
    assert loan.due_date > before and loan.renewals == 1
    assert "Renewed" in page and f"DUE {loan.due_date:%a %d %b}".upper() in page
    assert "1 of 2" in page


def test_it_renews_all_and_says_which_could_not_be(desk, world):
    actions.check_out(world.desk_riv, world.riv_main, world.ada, world.dune_riv)
    actions.check_out(world.desk_riv, world.riv_main, world.ada, world.dune_pine)
    Loan.objects.filter(item=world.dune_pine).update(renewals=2)
    page = desk.post(reverse("desk:renew_loans", kwargs={"card": world.ada.card}), follow=True).text
    assert Loan.objects.get(item=world.dune_riv).renewals == 1
    assert "Not renewed" in page and "the rule allows 2" in page


def test_it_shows_an_overdue_loan(desk, world):
    actions.check_out(world.desk_riv, world.riv_main, world.ada, world.dune_riv)
    Loan.objects.update(due_date=timezone.localdate() - dt.timedelta(days=3))
    page = desk.get(reverse("desk:patron_loans", kwargs={"card": world.ada.card})).text
    assert "OVERDUE" in page


# --- unprocessed scans -------------------------------------------------------------


def test_it_lists_only_the_libraries_own_unprocessed_scans_and_marks_them_dealt_with(
    desk, client, world
):
    scan_in(desk, "RIV-JUNK")
    mine = UnprocessedScan.objects.get()
    UnprocessedScan.objects.create(
        staff=world.desk_pine,
        branch=world.pine_main,
        screen="checkin",
        code="x",
        message="m",
        barcode="PINE-JUNK",
    )
    page = desk.get(reverse("desk:unprocessed")).text
    assert "RIV-JUNK" in page and "PINE-JUNK" not in page
    desk.post(reverse("desk:resolve_unprocessed", kwargs={"pk": mine.pk}))
    mine.refresh_from_db()
    assert mine.resolved_by == world.desk_riv and mine.resolved_at is not None
    assert "RIV-JUNK" not in desk.get(reverse("desk:unprocessed")).text


def test_it_refuses_to_resolve_another_librarys_scan(desk, world):
    theirs = UnprocessedScan.objects.create(
        staff=world.desk_pine, branch=world.pine_main, screen="checkin", code="x", message="m"
    )
    response = desk.post(reverse("desk:resolve_unprocessed", kwargs={"pk": theirs.pk}))
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.resolved_at is None


# --- issue 13: reloading a refusal, and scans no barcode holds -----------------------


def test_it_redirects_after_a_refused_card_so_a_reload_keeps_no_second_scan(desk, world):
    """Bug 7 (issue 13): the refusal answered the POST with 200, and reloading posted the
    card again. Now the POST redirects; reloading reloads the GET."""
    response = desk.post(reverse("desk:checkout_patron"), {"card": "29999999999999"})
    assert response.status_code == 302 and response["Location"] == reverse("desk:checkout")
    page = desk.get(response["Location"]).text
    assert "No patron has the card 29999999999999" in page
    desk.get(reverse("desk:checkout"))  # the reload
    assert UnprocessedScan.objects.count() == 1


def test_it_redirects_after_a_refused_item_so_a_reload_keeps_no_second_scan(desk, world):
    scan_patron(desk, world.ada.card)
    response = desk.post(reverse("desk:checkout_item"), {"barcode": "31999999999999"})
    assert response.status_code == 302
    desk.get(response["Location"])
    desk.get(response["Location"])
    assert UnprocessedScan.objects.count() == 1


@pytest.mark.parametrize(
    ("scan", "named"),
    [
        ("3100\x00000011", "U+0000 (null)"),
        ("31\x1b[0m0001", "U+001B (escape)"),
        ("31\x07", "U+0007"),
    ],
)
def test_it_names_the_characters_a_barcode_cannot_have(desk, world, scan, named):
    """Bug 8 (issue 13): a control character was "too long to be a barcode"."""
    scan_patron(desk, world.ada.card)
    line = desk.post(reverse("desk:checkout_item"), {"barcode": scan}, **HTMX).text
    assert f"That scan contains characters a barcode cannot have: {named}" in line
    assert "too long" not in line and "Null characters" not in line
    line = desk.post(reverse("desk:checkin_item"), {"barcode": scan}, **HTMX).text
    assert "characters a barcode cannot have" in line
    assert not Loan.objects.exists()


def test_it_names_the_characters_a_library_card_cannot_have(desk, world):
    page = desk.post(reverse("desk:checkout_patron"), {"card": "2900\x00017"}, follow=True).text
    assert "contains characters a library card cannot have: U+0000 (null)" in page
    assert "too long" not in page


def test_it_still_says_a_long_scan_is_too_long(desk, world):
    scan_patron(desk, world.ada.card)
    line = desk.post(reverse("desk:checkout_item"), {"barcode": "3" * 201}, **HTMX).text
    assert "That scan is too long to be a barcode" in line
