"""Escalation tickets: opening (TICKET-1..7, nothing written when refused), the thread
(TICKET-8, TICKET-9), deadlines per category and the daily escalation (TICKET-10)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from onelibrary.directory import tickets
from onelibrary.directory.models import Ticket, TicketCategory, TicketMessage
from onelibrary.members.models import Library
from onelibrary.patrons.models import PatronAudit
from tests.conftest import make_staff

NOW = timezone.now().replace(microsecond=0)


def written() -> tuple[int, int, int]:
    return Ticket.objects.count(), TicketMessage.objects.count(), PatronAudit.objects.count()


def ask_riverton(world, **extra):
    fields = {
        "category": "damaged",
        "subject": "Water damage",
        "message": "Dune came back wet. Can you check it?",
        "to_library": world.riverton,
        "now": NOW,
    }
    return tickets.open_ticket(world.desk_pine, **{**fields, **extra})


def refused(world, decision: str, user=None, **extra) -> tickets.TicketRefused:
    before = written()
    fields = {
        "category": "damaged",
        "subject": "Water damage",
        "message": "Dune came back wet.",
        "to_library": world.riverton,
        **extra,
    }
    with pytest.raises(tickets.TicketRefused) as error:
        tickets.open_ticket(user or world.desk_pine, **fields)
    assert error.value.decision == decision
    assert written() == before  # nothing written, no patron read kept
    return error.value


def test_a_ticket_has_a_deadline_from_its_category(world):
    ticket = ask_riverton(world, concerning=tickets.Concerning(item_barcode="31000000000011"))
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.from_library == world.pine and ticket.to_library == world.riverton
    assert ticket.respond_by == NOW + dt.timedelta(days=5)  # "damaged": 5 days, as data
    assert ticket.item == world.dune_riv
    assert list(ticket.messages.values_list("body", flat=True)) == [
        "Dune came back wet. Can you check it?"
    ]
    TicketCategory.objects.filter(code="damaged").update(response_days=2)
    later = ask_riverton(world)
    assert later.respond_by == NOW + dt.timedelta(days=2)


def test_ticket_1_no_category_is_refused(world):
    error = refused(world, "TICKET-1", category="")
    assert "Choose what the ticket is about" in error.message and "damaged" in error.message
    TicketCategory.objects.filter(code="damaged").update(is_active=False)
    refused(world, "TICKET-1")


def test_ticket_2_an_empty_message_is_refused(world):
    error = refused(world, "TICKET-2", message="   \n ")
    assert "Write a message" in error.message


def test_ticket_3_only_staff_open_tickets_for_their_own_library(world):
    from django.contrib.auth.models import User

    nobody = User.objects.create_user("nobody", password="x" * 12)
    refused(world, "TICKET-3", user=nobody)
    refused(world, "TICKET-3", acting_for=world.elk)  # desk.pine does not work for Elk
    make_staff("two.hats", "desk", world.elk)
    two = User.objects.get(username="two.hats")
    from onelibrary.members.models import StaffRole

    StaffRole.objects.create(user=two, library=world.pine, role="desk")
    error = refused(world, "TICKET-3", user=two)
    assert "more than one library" in error.message


def test_ticket_4_a_ticket_goes_to_another_party(world):
    refused(world, "TICKET-4", to_library=world.pine)  # its own library
    refused(world, "TICKET-4", user=world.central, to_library=None)
    Library.objects.filter(pk=world.elk.pk).update(status=Library.Status.LEFT)
    world.elk.refresh_from_db()
    refused(world, "TICKET-4", to_library=world.elk)


def test_ticket_5_a_patron_is_read_through_patron_access_and_must_be_a_party_s(world):
    refused(world, "TICKET-5", concerning=tickets.Concerning(patron_card="29999999999999"))
    # Elk's patron is none of Pine Creek's or Riverton's business.
    from onelibrary.patrons.models import Patron

    Patron.objects.create(
        card="29000000000033",
        first_name="Cy",
        last_name="Elkins",
        home_library=world.elk,
        expires_on=world.ada.expires_on,
    )
    error = refused(world, "TICKET-5", concerning=tickets.Concerning(patron_card="29000000000033"))
    assert "not a party" in error.message
    # Ada is Riverton's: allowed, and the read is audited.
    ticket = ask_riverton(world, concerning=tickets.Concerning(patron_card=world.ada.card))
    assert ticket.patron == world.ada
    audit = PatronAudit.objects.get(patron=world.ada)
    assert audit.staff == world.desk_pine and audit.detail["context"] == "opening a ticket"


def test_ticket_6_an_unknown_item_is_refused(world):
    refused(world, "TICKET-6", concerning=tickets.Concerning(item_barcode="39999999999999"))


def test_ticket_7_a_crate_that_is_not_theirs_is_refused(world):
    from onelibrary.transit.models import Crate

    crate = Crate.objects.create(
        label="C-RIV-ELK",
        origin=world.riv_main,
        destination=world.elk_main,
        opened_by=world.central,
    )
    refused(world, "TICKET-7", concerning=tickets.Concerning(crate_label=crate.label))
    ticket = tickets.open_ticket(
        world.desk_riv,
        category="courier",
        subject="",
        message="Crate C-RIV-ELK came back empty.",
        to_library=world.elk,
        concerning=tickets.Concerning(crate_label="c-riv-elk"),
    )
    assert ticket.crate == crate and ticket.subject == "Crate C-RIV-ELK came back empty."


def test_ticket_8_an_answer_from_the_side_asked_marks_it_answered(world):
    ticket = ask_riverton(world)
    tickets.reply(world.desk_riv, ticket, "Checked: it was already damp when lent.", now=NOW)
    assert ticket.status == Ticket.Status.ANSWERED
    later = NOW + dt.timedelta(days=1)
    tickets.reply(world.desk_pine, ticket, "Then who pays?", now=later)
    assert ticket.status == Ticket.Status.OPEN  # the asker wrote again: a new deadline
    assert ticket.respond_by == later + dt.timedelta(days=5)
    assert [m.library for m in ticket.messages.all()] == [world.pine, world.riverton, world.pine]


def test_ticket_9_a_closed_ticket_takes_no_more_messages(world):
    ticket = ask_riverton(world)
    tickets.reply(world.desk_riv, ticket, "Replaced it.", close=True, now=NOW)
    assert ticket.status == Ticket.Status.CLOSED and ticket.closed_at == NOW
    before = written()
    with pytest.raises(tickets.TicketRefused) as error:
        tickets.reply(world.desk_pine, ticket, "One more thing")
    assert error.value.decision == "TICKET-9" and written() == before


def test_ticket_10_past_its_deadline_it_goes_to_the_central_office_once(
    world, django_capture_on_commit_callbacks
):
    world.group.contact_email = "office@bigsky.example"
    world.group.save()
    world.riverton.contact_email = "help@riverton.example"
    world.riverton.save()
    late = ask_riverton(world)
    on_time = ask_riverton(world, category="policy")  # 7 days
    answered = ask_riverton(world)
    tickets.reply(world.desk_riv, answered, "Done.", now=NOW)

    assert tickets.escalate_overdue(NOW + dt.timedelta(days=4)) == []
    with django_capture_on_commit_callbacks(execute=True):  # the email goes once committed
        done = tickets.escalate_overdue(NOW + dt.timedelta(days=5, minutes=1))
    assert [t.pk for t in done] == [late.pk]
    late.refresh_from_db()
    assert late.status == Ticket.Status.ESCALATED and late.escalated_at is not None
    assert late.messages.filter(kind=TicketMessage.Kind.ESCALATED).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["office@bigsky.example", "help@riverton.example"]
    assert f"Ticket {late.pk} escalated" in mail.outbox[0].subject

    # Idempotent: a second run (the command) escalates nothing again, sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("escalate_tickets")
        assert tickets.escalate_overdue(NOW + dt.timedelta(days=6)) == []
    assert len(mail.outbox) == 1
    assert late.messages.filter(kind=TicketMessage.Kind.ESCALATED).count() == 1
    on_time.refresh_from_db()
    answered.refresh_from_db()
    assert on_time.status == Ticket.Status.OPEN and answered.status == Ticket.Status.ANSWERED


def test_the_central_office_answers_an_escalated_ticket(world):
    ticket = ask_riverton(world)
    tickets.escalate_overdue(NOW + dt.timedelta(days=6))
    ticket.refresh_from_db()
    tickets.reply(world.central, ticket, "Riverton will replace it.")
    assert ticket.status == Ticket.Status.ANSWERED
    assert ticket.messages.last().library is None  # written for the central office


def test_other_apps_open_a_ticket_with_a_link(world):
    ticket = tickets.open_ticket(
        world.central,
        category="policy",
        subject="Copies kept from holds",
        message="Twelve copies are not holdable without a reason.",
        to_library=world.pine,
        concerning=tickets.Concerning(link="/policy/differences/"),
    )
    assert ticket.from_library is None and ticket.link == "/policy/differences/"
