"""Damage reports and disputes: each decision of docs/ledger.md's DISPUTE table, through
the real desk, crates and ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail

from onelibrary.circulation import item_desk
from onelibrary.ledger import book, disputes, posting
from onelibrary.ledger.book import LedgerRefusal
from onelibrary.ledger.models import DamageReport, Decision, DisputeMessage, Entry, Photo
from onelibrary.members.access import NotAllowed, NotFound

from .damage import DAY, arrived_from_pine, media_root, photo, returned_by_ben  # noqa: F401

pytestmark = pytest.mark.django_db
State = DamageReport.State


def booked(report=None):
    found = Entry.objects.select_related("debtor", "creditor").order_by("pk")
    if report is not None:
        found = found.filter(source_kind="ledger.report", source_id=str(report.pk))
    return [
        (e.kind, e.debtor.code if e.debtor else "GROUP", e.creditor.code, e.amount, e.decision)
        for e in found
    ]


@pytest.fixture
def told(lw):
    lw.riverton.contact_email = "desk@riverton.example"
    lw.riverton.save()
    lw.pine.contact_email = "hello@pinecreek.example"
    lw.pine.save()
    lw.desk_pine.email = "sam@pinecreek.example"
    lw.desk_pine.save()
    return lw


def report_at_checkin(lw, monday, **kw):
    returned_by_ben(lw, monday)
    return disputes.report_damage(
        lw.desk_pine,
        lw.dune_riv,
        "checkin",
        note=kw.get("note", "Water damage: pages swollen"),
        photos=kw.get("photos", [photo()]),
        now=kw.get("now", monday + 8 * DAY),
    )


def test_dispute_1_damage_reported_at_checkin_names_the_borrower_and_tells_the_owner(
    told, usual, monday, media
):
    report = report_at_checkin(told, monday)
    assert (report.owner, report.payer, report.responder) == (
        told.riverton,
        told.pine,
        told.riverton,
    )
    assert report.reporter_library == told.pine and report.state == State.OPEN
    assert report.amount == Decimal("29.99")  # $24.99 and the $5.00 fee, by the policy
    assert report.respond_by == monday + 8 * DAY + 30 * DAY
    assert Photo.objects.get(report=report).width == 40
    assert not Entry.objects.exists()  # nothing is owed until it is accepted
    assert len(mail.outbox) == 1
    assert "desk@riverton.example" in mail.outbox[0].to
    assert "accept or dispute" in mail.outbox[0].subject


def test_dispute_2_damaged_on_arrival_names_the_sender_and_tells_it(told, usual, monday, media):
    arrived_from_pine(told, monday)
    report = disputes.report_damage(
        told.desk_riv,
        told.dune_riv,
        "arrival",
        note="Cover torn in the crate",
        photos=[],
        now=monday + 3 * DAY,
    )
    assert report.case == "damaged_in_transit" and report.fact.startswith("transit:")
    assert (report.owner, report.payer, report.responder) == (told.riverton, told.pine, told.pine)
    assert report.amount == Decimal("24.99")
    assert mail.outbox[-1].to == ["hello@pinecreek.example"]


def test_dispute_3_a_report_after_the_claim_deadline_is_refused(told, usual, monday, media):
    with pytest.raises(LedgerRefusal) as refused:
        report_at_checkin(told, monday, now=monday + 7 * DAY + 91 * DAY)
    assert refused.value.decision == "DISPUTE-3"
    assert "90 days to claim" in refused.value.message
    assert not DamageReport.objects.exists() and not Photo.objects.exists()
    assert not any(media.rglob("*.png")) if media.exists() else True


def test_dispute_4_a_second_report_for_the_same_loss_is_refused(told, usual, monday, media):
    first = report_at_checkin(told, monday)
    with pytest.raises(LedgerRefusal) as refused:
        disputes.report_damage(
            told.desk_riv,
            told.dune_riv,
            "checkin",
            note="Again",
            photos=[photo()],
            now=monday + 9 * DAY,
        )
    assert refused.value.decision == "DISPUTE-4"
    assert f"report #{first.pk}" in refused.value.message
    assert DamageReport.objects.count() == 1 and Photo.objects.count() == 1


def test_dispute_4_a_loss_the_poster_booked_already_is_not_claimed_twice(lw, usual, monday):
    from onelibrary.circulation import actions

    actions.check_out(lw.desk_riv, lw.riv_main, lw.ben, lw.dune_riv, now=monday)
    actions.check_in(lw.desk_riv, lw.riv_main, lw.dune_riv, now=monday + 7 * DAY)
    item_desk.declare_damaged(
        lw.desk_riv, lw.riv_main, lw.dune_riv, note="spine", now=monday + 8 * DAY
    )
    posting.catch_up()
    assert Entry.objects.filter(decision="LEDGER-2").exists()
    with pytest.raises(LedgerRefusal) as refused:
        disputes.report_damage(
            lw.desk_riv, lw.dune_riv, "checkin", note="spine", photos=[], now=monday + 9 * DAY
        )
    assert refused.value.decision == "DISPUTE-4" and "already booked" in refused.value.message


def test_dispute_5_damage_after_the_owners_own_patron_is_nothing_between_members(lw, usual, monday):
    from onelibrary.circulation import actions

    actions.check_out(lw.desk_riv, lw.riv_main, lw.ada, lw.dune_riv, now=monday)
    actions.check_in(lw.desk_riv, lw.riv_main, lw.dune_riv, now=monday + DAY)
    with pytest.raises(LedgerRefusal) as refused:
        disputes.report_damage(lw.desk_riv, lw.dune_riv, "checkin", note="x", photos=[])
    assert refused.value.decision == "DISPUTE-5"
    assert not DamageReport.objects.exists()


def test_dispute_5_no_policy_in_force_nothing_can_be_claimed(lw, monday):
    returned_by_ben(lw, monday)
    with pytest.raises(LedgerRefusal) as refused:
        disputes.report_damage(lw.desk_pine, lw.dune_riv, "checkin", note="x", photos=[])
    assert (
        refused.value.decision == "DISPUTE-5" and "No replacement policy" in refused.value.message
    )


def test_dispute_7_the_owner_accepts_and_the_entries_are_booked(told, usual, monday, media):
    report = report_at_checkin(told, monday)
    disputes.accept(told.desk_riv, report, now=monday + 9 * DAY)
    assert booked(report) == [
        ("replacement", "PINE", "RIV", Decimal("24.99"), "DISPUTE-7"),
        ("processing_fee", "PINE", "RIV", Decimal("5.00"), "DISPUTE-7"),
    ]
    assert DamageReport.objects.get().state == State.ACCEPTED
    assert book.balances(Entry.objects.all())[told.riverton.pk] == Decimal("29.99")
    with pytest.raises(LedgerRefusal) as again:
        disputes.accept(told.desk_riv, report)
    assert again.value.decision == "DISPUTE-7"
    assert Entry.objects.count() == 2


def test_dispute_7_only_the_responder_answers(told, usual, monday, media):
    report = report_at_checkin(told, monday)
    with pytest.raises(NotAllowed):
        disputes.accept(told.desk_pine, report)
    assert not Entry.objects.exists()


def test_dispute_8_the_owner_disputes_with_a_reason_and_photos(told, usual, monday, media):
    report = report_at_checkin(told, monday)
    message = disputes.dispute(
        told.desk_riv,
        report,
        body="It was beyond repair: replace it",
        photos=[photo()],
        now=monday + 10 * DAY,
    )
    report.refresh_from_db()
    assert report.state == State.DISPUTED and report.answered_by == told.desk_riv
    assert message.library == told.riverton and message.photos.count() == 1
    assert not Entry.objects.exists()
    reply = disputes.post_message(
        told.desk_pine,
        report,
        body="The patron says it was wet on checkout",
        photos=[],
        now=monday + 11 * DAY,
    )
    assert reply.library == told.pine
    assert list(report.messages.values_list("library__code", flat=True)) == ["RIV", "PINE"]


def test_dispute_9_a_dispute_after_its_deadline_is_refused(told, usual, monday, media):
    report = report_at_checkin(told, monday)
    with pytest.raises(LedgerRefusal) as refused:
        disputes.dispute(
            told.desk_riv,
            report,
            body="late",
            photos=[photo()],
            now=report.respond_by + dt.timedelta(minutes=1),
        )
    assert refused.value.decision == "DISPUTE-9"
    assert not DisputeMessage.objects.exists() and Photo.objects.count() == 1
    assert DamageReport.objects.get().state == State.OPEN


def test_dispute_10_a_report_nobody_answered_is_accepted_at_its_deadline(
    told, usual, monday, media
):
    report = report_at_checkin(told, monday)
    assert disputes.pass_deadlines(now=report.respond_by - DAY).accepted == 0
    passed = disputes.pass_deadlines(now=report.respond_by + DAY)
    assert passed.accepted == 1
    assert [e[4] for e in booked(report)] == ["DISPUTE-10", "DISPUTE-10"]
    assert disputes.pass_deadlines(now=report.respond_by + 2 * DAY).accepted == 0
    assert Entry.objects.count() == 2


def test_dispute_11_a_dispute_past_its_deadline_goes_to_the_central_office(
    told, usual, monday, media
):
    report = report_at_checkin(told, monday)
    disputes.dispute(told.desk_riv, report, body="no", photos=[], now=monday + 9 * DAY)
    after = report.respond_by + DAY
    assert disputes.pass_deadlines(now=after).escalated == 1
    report.refresh_from_db()
    assert report.state == State.ESCALATED
    assert report.decide_by == after + dt.timedelta(days=disputes.DECISION_DAYS)
    assert disputes.pass_deadlines(now=after + DAY).escalated == 0
    assert not Entry.objects.exists()


def disputed(lw, monday):
    report = report_at_checkin(lw, monday)
    disputes.dispute(lw.desk_riv, report, body="beyond repair", photos=[], now=monday + 9 * DAY)
    report.refresh_from_db()
    return report


def test_dispute_12_the_central_office_decides_who_owes_what(told, usual, monday, media):
    report = disputed(told, monday)
    decision = disputes.decide(
        told.central,
        report,
        outcome="charge",
        debtor=told.pine,
        creditor=told.riverton,
        amount="15.00",
        reason="Repairable: the repair cost, no fee",
    )
    assert decision.outcome == Decision.Outcome.CHARGE
    assert booked(report) == [("replacement", "PINE", "RIV", Decimal("15.00"), "DISPUTE-12")]
    assert DamageReport.objects.get().state == State.DECIDED
    assert "Repairable" in mail.outbox[-1].body


def test_dispute_12_a_write_off_the_group_carries(told, usual, monday, media):
    report = disputed(told, monday)
    disputes.decide(
        told.central, report, outcome="group_carries", amount="24.99", reason="Flood year"
    )
    assert booked(report) == [("write_off", "GROUP", "RIV", Decimal("24.99"), "DISPUTE-12")]


def test_dispute_12_the_owner_carries_it_and_nothing_is_booked(told, usual, monday, media):
    report = disputed(told, monday)
    decision = disputes.decide(told.central, report, outcome="owner_carries", reason="Old copy")
    assert decision.amount == 0 and not Entry.objects.exists()
    assert DamageReport.objects.get().state == State.DECIDED


@pytest.mark.parametrize(
    "who, fields, code",
    [
        ("desk_riv", {"outcome": "charge", "amount": "5.00", "reason": "x"}, "not_central_office"),
        ("central", {"outcome": "charge", "amount": "5.00", "reason": " "}, "reason_required"),
        ("central", {"outcome": "charge", "amount": "-5", "reason": "x"}, "bad_amount"),
        ("central", {"outcome": "charge", "amount": "99999", "reason": "x"}, "too_large"),
        ("central", {"outcome": "maybe", "amount": "5.00", "reason": "x"}, "bad_outcome"),
        (
            "central",
            {"outcome": "charge", "amount": "5.00", "reason": "x", "pine_twice": True},
            "bad_parties",
        ),
    ],
)
def test_dispute_13_a_decision_refused_writes_nothing(
    told, usual, monday, media, who, fields, code
):
    report = disputed(told, monday)
    fields = dict(fields)
    creditor = told.pine if fields.pop("pine_twice", False) else told.riverton
    with pytest.raises((LedgerRefusal, NotAllowed)) as refused:
        disputes.decide(getattr(told, who), report, debtor=told.pine, creditor=creditor, **fields)
    assert refused.value.code == code
    assert not Entry.objects.exists() and not Decision.objects.exists()
    assert DamageReport.objects.get().state == State.DISPUTED


def test_dispute_13_a_second_decision_and_one_on_an_open_report_are_refused(
    told, usual, monday, media
):
    report = disputed(told, monday)
    disputes.decide(told.central, report, outcome="owner_carries", reason="Old copy")
    with pytest.raises(LedgerRefusal) as again:
        disputes.decide(told.central, report, outcome="group_carries", amount="5", reason="y")
    assert again.value.decision == "DISPUTE-13" and Decision.objects.count() == 1
    assert not Entry.objects.exists()


def test_dispute_14_no_message_once_the_report_is_settled_nor_from_a_third_member(
    told, usual, monday, media
):
    from tests.conftest import make_staff

    report = report_at_checkin(told, monday)
    elk = make_staff("desk.elk", "desk", told.elk)
    with pytest.raises(NotFound):
        disputes.post_message(elk, report, body="hello", photos=[])
    disputes.accept(told.desk_riv, report)
    report.refresh_from_db()
    with pytest.raises(LedgerRefusal) as refused:
        disputes.post_message(told.desk_pine, report, body="thanks", photos=[])
    assert refused.value.decision == "DISPUTE-14"
    assert not DisputeMessage.objects.exists()


def test_dispute_15_staff_see_only_reports_where_their_library_is_a_party(
    told, usual, monday, media
):
    from tests.conftest import make_staff

    report = report_at_checkin(told, monday)
    elk = make_staff("desk.elk", "desk", told.elk)
    assert list(disputes.visible_reports(told.desk_riv)) == [report]
    assert list(disputes.visible_reports(told.desk_pine)) == [report]
    assert list(disputes.visible_reports(told.central)) == [report]
    assert list(disputes.visible_reports(elk)) == []
    with pytest.raises(NotFound):
        disputes.access_report(elk, report.pk)


def test_dispute_4_the_poster_does_not_book_damage_a_report_claims(lw, usual, monday, media):
    from onelibrary.circulation import actions

    actions.check_out(lw.desk_riv, lw.riv_main, lw.ben, lw.dune_riv, now=monday)
    actions.check_in(lw.desk_riv, lw.riv_main, lw.dune_riv, now=monday + 7 * DAY)
    report = disputes.report_damage(
        lw.desk_riv, lw.dune_riv, "checkin", note="spine", photos=[], now=monday + 8 * DAY
    )
    item_desk.declare_damaged(
        lw.desk_riv, lw.riv_main, lw.dune_riv, note="spine", now=monday + 8 * DAY
    )
    assert posting.catch_up().booked == 0
    disputes.accept(lw.desk_pine, report)
    posting.catch_up()
    assert [e[4] for e in booked()] == ["DISPUTE-7", "DISPUTE-7"]
