"""My account: every action through the patron's pages, each audited with the patron as
the actor (via "self", no staff), and forms that keep what was typed."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib.auth.hashers import check_password
from django.test import Client
from django.utils import timezone

from onelibrary.account.models import PatronPin
from onelibrary.circulation.models import Event, Loan
from onelibrary.holds.models import Hold, HoldEvent
from onelibrary.patrons.models import Patron, PatronAudit
from tests.account.conftest import ADA_PIN, logged_in

SELF = PatronAudit.Via.SELF


def self_rows(patron, action=PatronAudit.Action.EDIT):
    return PatronAudit.objects.filter(patron=patron, via=SELF, action=action, staff=None)


def test_it_lists_loans_with_due_dates_and_holds_with_queue_positions(accounts, ada):
    page = ada.get("/account/").content.decode()
    due = accounts.ada_loan.due_date
    assert "Dune" in page and f"{due:%a} {due.day} {due:%b %Y}" in page
    assert "Piranesi" in page and "Number 1 of 1 waiting" in page
    assert "Riverton Main" in page
    assert "Okafor" not in page  # nothing of Ben's


def test_it_marks_an_overdue_loan_and_only_that_one(accounts, ada):
    marker = '<strong class="overdue">overdue</strong>'
    assert marker not in ada.get("/account/").content.decode()
    yesterday = timezone.localdate() - dt.timedelta(days=1)  # the page's own "today"
    Loan.objects.filter(pk=accounts.ada_loan.pk).update(due_date=yesterday)
    assert ada.get("/account/").content.decode().count(marker) == 1


def test_each_view_of_my_account_is_an_audit_row_with_the_patron_as_actor(accounts, ada):
    before = self_rows(accounts.world.ada, PatronAudit.Action.VIEW).count()
    ada.get("/account/")
    rows = self_rows(accounts.world.ada, PatronAudit.Action.VIEW)
    assert rows.count() == before + 1
    assert rows.first().detail["context"] == "My account page"


def test_it_renews_a_loan_as_the_patron(accounts, ada):
    response = ada.post(f"/account/loans/{accounts.ada_loan.pk}/renew/", follow=True)
    loan = Loan.objects.get(pk=accounts.ada_loan.pk)
    assert loan.renewals == 1
    assert "is renewed until" in response.content.decode()
    event = Event.objects.get(kind="renew", loan=loan)
    assert event.staff is None and event.detail["by_patron"] is True
    row = self_rows(accounts.world.ada).get()
    assert list(row.changes) == [f"loan {loan.pk} due"]


def test_a_refused_renewal_says_why_and_changes_nothing(accounts, ada):
    Loan.objects.filter(pk=accounts.ada_loan.pk).update(renewals=2)
    response = ada.post(f"/account/loans/{accounts.ada_loan.pk}/renew/", follow=True)
    assert "the rule allows 2" in response.content.decode()
    assert Loan.objects.get(pk=accounts.ada_loan.pk).renewals == 2
    assert not self_rows(accounts.world.ada).exists()


def test_it_cancels_a_hold(accounts, ada):
    response = ada.post(f"/account/holds/{accounts.ada_hold.pk}/cancel/", follow=True)
    assert "The hold is cancelled." in response.content.decode()
    assert Hold.objects.get(pk=accounts.ada_hold.pk).state == Hold.State.CANCELLED
    assert HoldEvent.objects.get(hold=accounts.ada_hold, kind="cancelled").staff is None
    row = self_rows(accounts.world.ada).get()
    assert row.changes == {f"hold {accounts.ada_hold.pk} state": ["waiting", "cancelled"]}


def test_it_suspends_and_resumes_a_hold(accounts, ada):
    until = dt.date.today() + dt.timedelta(days=20)
    url = f"/account/holds/{accounts.ada_hold.pk}"
    response = ada.post(f"{url}/suspend/", {"until": until.isoformat()}, follow=True)
    assert "is suspended until" in response.content.decode()
    assert Hold.objects.get(pk=accounts.ada_hold.pk).suspended_until == until
    ada.post(f"{url}/resume/")
    assert Hold.objects.get(pk=accounts.ada_hold.pk).suspended_until is None
    assert self_rows(accounts.world.ada).count() == 2


def test_a_bad_suspend_date_keeps_what_was_typed_and_changes_nothing(accounts, ada):
    url = f"/account/holds/{accounts.ada_hold.pk}/suspend/"
    response = ada.post(url, {"until": "2020-01-01"})
    text = response.content.decode()
    assert response.status_code == 422
    assert 'value="2020-01-01"' in text and "Choose today or a later date." in text
    response = ada.post(url, {"until": "next tuesday"})
    assert 'value="next tuesday"' in response.content.decode()
    assert Hold.objects.get(pk=accounts.ada_hold.pk).suspended_until is None
    assert not self_rows(accounts.world.ada).exists()


def test_it_changes_the_pickup_branch(accounts, ada):
    url = f"/account/holds/{accounts.ada_hold.pk}/pickup/"
    response = ada.post(url, {"pickup": "ELK"}, follow=True)
    assert "Pickup changed to Elk Valley." in response.content.decode()
    assert Hold.objects.get(pk=accounts.ada_hold.pk).pickup_branch == accounts.world.elk_main
    row = self_rows(accounts.world.ada).get()
    assert row.changes == {f"hold {accounts.ada_hold.pk} pickup": ["RIV-MAIN", "ELK"]}


def test_an_unknown_pickup_branch_says_what_to_fix_and_changes_nothing(accounts, ada):
    url = f"/account/holds/{accounts.ada_hold.pk}/pickup/"
    response = ada.post(url, {"pickup": "NOWHERE"})
    assert response.status_code == 422
    assert "Choose an open branch from the list." in response.content.decode()
    assert Hold.objects.get(pk=accounts.ada_hold.pk).pickup_branch == accounts.world.riv_main


def test_a_closed_branch_is_not_offered_and_is_refused(accounts, ada):
    world = accounts.world
    world.elk_main.is_active = False
    world.elk_main.save()
    page = ada.get(f"/account/holds/{accounts.ada_hold.pk}/").content.decode()
    assert 'value="ELK"' not in page
    response = ada.post(f"/account/holds/{accounts.ada_hold.pk}/pickup/", {"pickup": "ELK"})
    assert response.status_code == 422
    assert Hold.objects.get(pk=accounts.ada_hold.pk).pickup_branch == world.riv_main


def test_it_shows_the_notices_sent(accounts, ada):
    HoldEvent.objects.create(
        hold=accounts.ada_hold,
        kind="notice_sent",
        detail={"to": "ada@example.org", "subject": "Ready for pickup: Piranesi"},
    )
    page = ada.get("/account/").content.decode()
    assert "“Ready for pickup: Piranesi” emailed to ada@example.org" in page


def test_it_opts_in_and_out_of_loan_history(accounts, ada):
    ada_ = accounts.world.ada
    ada.post("/account/history/", {"keep": "on"})
    assert Patron.objects.get(pk=ada_.pk).keep_loan_history is True
    returned = Loan.objects.create(
        item=accounts.world.dune_pine,
        patron=ada_,
        state=Loan.State.RETURNED,
        checkout_branch=accounts.world.riv_main,
        due_date=dt.date.today(),
    )
    assert "What I have borrowed" in ada.get("/account/").content.decode()
    response = ada.post("/account/history/", {}, follow=True)
    assert "1 returned loan forgotten" in response.content.decode()
    assert Patron.objects.get(pk=ada_.pk).keep_loan_history is False
    assert Loan.objects.get(pk=returned.pk).patron is None
    rows = self_rows(ada_).order_by("at", "pk")
    assert [r.changes["keep_loan_history"] for r in rows] == [[False, True], [True, False]]


def test_it_changes_the_pin_with_the_old_one(accounts, ada):
    response = ada.post(
        "/account/pin/", {"old_pin": ADA_PIN, "new_pin": "9753", "again": "9753"}, follow=True
    )
    assert "Your PIN is changed." in response.content.decode()
    assert check_password("9753", PatronPin.objects.get(patron=accounts.world.ada).pin_hash)
    assert ada.get("/account/").status_code == 200  # this session goes on
    assert self_rows(accounts.world.ada).get().fields == ["pin"]
    logged_in(accounts.world.ada.card, "9753")


def test_changing_the_pin_ends_other_sessions(accounts, ada):
    other = logged_in(accounts.world.ada.card, ADA_PIN)
    ada.post("/account/pin/", {"old_pin": ADA_PIN, "new_pin": "9753", "again": "9753"})
    assert other.get("/account/").status_code == 302


def test_a_wrong_old_pin_or_bad_new_pin_changes_nothing_and_says_what_to_fix(accounts, ada):
    before = PatronPin.objects.get(patron=accounts.world.ada).pin_hash
    cases = [
        ({"old_pin": "0000", "new_pin": "9753", "again": "9753"}, "current PIN is not right"),
        ({"old_pin": ADA_PIN, "new_pin": "97", "again": "97"}, "at least 4"),
        ({"old_pin": ADA_PIN, "new_pin": "9753", "again": "9735"}, "not the same"),
        ({"old_pin": ADA_PIN, "new_pin": "", "again": ""}, "This field is required."),
    ]
    for data, expected in cases:
        response = ada.post("/account/pin/", data)
        assert response.status_code == 200
        assert expected in response.content.decode(), expected
    assert PatronPin.objects.get(patron=accounts.world.ada).pin_hash == before
    assert not self_rows(accounts.world.ada).exists()


def test_it_exports_my_data_as_json(accounts, ada):
    ada.get("/account/")
    response = ada.post("/account/export/")
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["patron"]["card"] == accounts.world.ada.card
    assert [loan["title"] for loan in data["loans"]] == ["Dune"]
    assert [hold["title"] for hold in data["holds"]] == ["Piranesi"]
    assert "Okafor" not in response.content.decode()
    assert self_rows(accounts.world.ada, PatronAudit.Action.EXPORT).count() == 1
    assert any(row["library"] == "You, online" for row in data["record_access"])


def test_the_export_is_a_post(ada):
    assert ada.get("/account/export/").status_code == 405


def test_my_account_needs_a_login_and_comes_back(pins):
    response = Client().get("/account/holds/1/")
    assert response["Location"] == "/account/login/?next=%2Faccount%2Fholds%2F1%2F"


def test_the_staff_audit_trail_shows_the_patron_as_actor(accounts, ada):
    ada.post(f"/account/holds/{accounts.ada_hold.pk}/cancel/")
    staff = Client()
    staff.force_login(accounts.world.central)
    page = staff.get(f"/patrons/{accounts.world.ada.pk}/audit/").content.decode()
    assert "The patron" in page and "The patron, online" in page
