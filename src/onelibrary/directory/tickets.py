"""Escalation tickets: a question from one member (or the central office) to another,
with a thread, a deadline per category, and the daily escalation to the central office
(docs/directory.md, "Tickets"; the refusals are TICKET-1 to TICKET-9).

`open_ticket` is the one way to open a ticket: the desk, the directory pages and other
parts (the governance monitors) call it. Every refusal happens before anything is
written. A patron concerned is read only through `patrons.access` (audited), and only a
patron of one of the two parties may be named (TICKET-5).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.core.refusals import Refusal
from onelibrary.directory.models import Ticket, TicketCategory, TicketMessage
from onelibrary.members.access import NotFound, Staff, scope_of
from onelibrary.members.models import Library, SharingGroup
from onelibrary.patrons import access as patron_access
from onelibrary.patrons.models import Patron, PatronAudit
from onelibrary.transit.access import access_crate
from onelibrary.transit.models import Crate

log = logging.getLogger(__name__)

MAX_MESSAGE = 10_000
Status = Ticket.Status
TICKETS = Ticket.objects.select_related("category", "from_library", "to_library", "opened_by")


class TicketRefused(Refusal):
    """A ticket refused; nothing was written."""


@dataclass(frozen=True)
class Concerning:
    """What a ticket may be about, as the opener typed it (each optional)."""

    item_barcode: str = ""
    patron_card: str = ""
    crate_label: str = ""
    link: str = ""


# --- who is a party -----------------------------------------------------------------------


def parties(ticket: Ticket) -> set[int | None]:
    """The libraries the ticket is between; None stands for the central office."""
    return {ticket.from_library_id, ticket.to_library_id}


def may_see(staff: Staff, ticket: Ticket) -> bool:
    scope = scope_of(staff)
    return scope.central or bool(scope.libraries & {p for p in parties(ticket) if p})


def visible_tickets(staff: Staff) -> QuerySet[Ticket]:
    """The tickets a party to which `staff` works for; all of them for the central office."""
    scope = scope_of(staff)
    if scope.central:
        return TICKETS.all()
    mine = scope.libraries
    return TICKETS.filter(Q(from_library__in=mine) | Q(to_library__in=mine))


def access_ticket(staff: Staff, pk: int) -> Ticket:
    """Ticket `pk` if `staff`'s library is a party (or they are the central office);
    otherwise NotFound, worded as for a ticket that does not exist."""
    ticket = TICKETS.filter(pk=pk).first()
    if ticket is None or not may_see(staff, ticket):
        raise NotFound("unknown_ticket", f"There is no ticket #{pk}.")
    return ticket


def ticket_patron(staff: Staff, ticket: Ticket) -> patron_access.PatronView | None:
    """The ticket's patron as `staff` may see them, read through patrons.access: audited."""
    if ticket.patron_id is None:
        return None
    try:
        return patron_access.access_patron_by_id(
            staff, ticket.patron_id, context=f"ticket {ticket.pk}"
        )
    except patron_access.PatronError:
        return None


# --- opening ------------------------------------------------------------------------------


def _acting_library(staff: Staff, acting_for: Library | None) -> Library | None:
    """The party opening: the library staff act for, or None for the central office."""
    scope = scope_of(staff)
    if not scope.is_staff:
        raise TicketRefused(
            "not_staff",
            "Tickets are between member libraries' staff. Ask your library admin for a staff role.",
            decision="TICKET-3",
        )
    if acting_for is not None:
        if not scope.acts_for(acting_for.pk):
            raise TicketRefused(
                "not_your_library",
                f"You do not work for {acting_for.name}, so you cannot open a ticket for it.",
                decision="TICKET-3",
            )
        return None if scope.central and acting_for.pk not in scope.libraries else acting_for
    if scope.central:
        return None
    mine = sorted(scope.libraries)
    if len(mine) > 1:
        raise TicketRefused(
            "library_needed",
            "You work for more than one library: say which one this ticket is from.",
            decision="TICKET-3",
        )
    return Library.objects.get(pk=mine[0])


def _category(code: str) -> TicketCategory:
    category = TicketCategory.objects.filter(code=code.strip(), is_active=True).first()
    if category is None:
        names = ", ".join(
            TicketCategory.objects.filter(is_active=True).values_list("code", flat=True)
        )
        raise TicketRefused(
            "no_category",
            f"Choose what the ticket is about (one of: {names}).",
            decision="TICKET-1",
        )
    return category


def _message(text: str) -> str:
    text = text.strip()
    if not text:
        raise TicketRefused(
            "empty_message",
            "Write a message: say what happened and what you would like the other library to do.",
            decision="TICKET-2",
        )
    if len(text) > MAX_MESSAGE:
        raise TicketRefused(
            "message_too_long",
            f"The message is over {MAX_MESSAGE} characters: shorten it.",
            decision="TICKET-2",
        )
    return text


def _to(from_library: Library | None, to_library: Library | None) -> None:
    if from_library is None and to_library is None:
        raise TicketRefused(
            "no_other_party",
            "The central office opens tickets to a member library: choose which.",
            decision="TICKET-4",
        )
    if from_library is not None and to_library is not None and from_library.pk == to_library.pk:
        raise TicketRefused(
            "own_library",
            f"A ticket goes to another library or the central office, not to "
            f"{from_library.name} itself.",
            decision="TICKET-4",
        )
    if to_library is not None and to_library.status == Library.Status.LEFT:
        raise TicketRefused(
            "library_left",
            f"{to_library.name} has left the group: send the ticket to the central office.",
            decision="TICKET-4",
        )


def _item(barcode: str) -> Item | None:
    if not barcode.strip():
        return None
    item = Item.objects.filter(barcode=barcode.strip()).first()
    if item is None:
        raise TicketRefused(
            "unknown_item",
            f"No item in the group has the barcode {barcode.strip()}. Check it for a typing error.",
            decision="TICKET-6",
        )
    return item


def _crate(staff: Staff, label: str) -> Crate | None:
    if not label.strip():
        return None
    try:
        return access_crate(staff, label, for_change=False)
    except NotFound as error:
        raise TicketRefused("unknown_crate", error.message, decision="TICKET-7") from None


def _patron(
    staff: Staff, card: str, from_library: Library | None, to_library: Library | None
) -> Patron | None:
    """The patron named, read through patrons.access (the audit row is written in the
    caller's transaction, so a refusal after it leaves none)."""
    if not card.strip():
        return None
    try:
        view = patron_access.access_patron(
            staff, card, via=PatronAudit.Via.PAGE, context="opening a ticket"
        )
    except patron_access.PatronError as error:
        raise TicketRefused(error.code, error.message, decision="TICKET-5") from None
    sides = {lib.pk for lib in (from_library, to_library) if lib is not None}
    if sides and view.home_library.pk not in sides:
        raise TicketRefused(
            "patron_not_a_party",
            f"That patron's home library is {view.home_library.name}, which is not a party "
            "to this ticket: a ticket may name only a patron of one of the two libraries. "
            "Open the ticket to their home library instead.",
            decision="TICKET-5",
        )
    return Patron.objects.get(pk=view.pk)


def open_ticket(
    staff: Staff,
    *,
    category: str,
    subject: str,
    message: str,
    to_library: Library | None,
    concerning: Concerning = Concerning(),
    acting_for: Library | None = None,
    now: dt.datetime | None = None,
) -> Ticket:
    """Open a ticket from the library `staff` act for (or the central office) to
    `to_library` (None: the central office). Refused with nothing written: no category
    (TICKET-1), an empty message (TICKET-2), not staff (TICKET-3), no other party
    (TICKET-4), a patron the staff may not see or not a party's (TICKET-5), an unknown
    item (TICKET-6) or a crate that is not theirs (TICKET-7)."""
    now = now or timezone.now()
    kind = _category(category)
    text = _message(message)
    from_library = _acting_library(staff, acting_for)
    _to(from_library, to_library)
    item = _item(concerning.item_barcode)
    crate = _crate(staff, concerning.crate_label)
    subject = subject.strip()[:200] or text.splitlines()[0][:200]
    assert staff.is_authenticated  # _acting_library let in staff only
    with transaction.atomic():
        patron = _patron(staff, concerning.patron_card, from_library, to_library)
        ticket = Ticket.objects.create(
            category=kind,
            subject=subject,
            opened_by=staff,
            from_library=from_library,
            to_library=to_library,
            opened_at=now,
            respond_by=now + kind.response_time,
            item=item,
            patron=patron,
            crate=crate,
            link=concerning.link.strip()[:300],
        )
        TicketMessage.objects.create(
            ticket=ticket, author=staff, library=from_library, body=text, at=now
        )
    return ticket


# --- the thread ---------------------------------------------------------------------------


def _side(staff: Staff, ticket: Ticket) -> Library | None:
    """The party `staff` write for: their library among the parties, else the central
    office (None)."""
    scope = scope_of(staff)
    for library in (ticket.to_library, ticket.from_library):
        if library is not None and library.pk in scope.libraries:
            return library
    return None


def reply(
    staff: Staff,
    ticket: Ticket,
    message: str,
    *,
    close: bool = False,
    now: dt.datetime | None = None,
) -> TicketMessage:
    """Add to the thread. The side asked (or the central office) answering marks it
    answered (TICKET-8); the side that asked writing again reopens it with a new deadline.
    `close` closes it as well. A closed ticket takes no more messages (TICKET-9)."""
    now = now or timezone.now()
    if not may_see(staff, ticket):
        raise NotFound("unknown_ticket", f"There is no ticket #{ticket.pk}.")
    if ticket.is_closed:
        raise TicketRefused(
            "closed",
            "This ticket is closed. Open a new one that refers to it.",
            decision="TICKET-9",
        )
    text = _message(message)
    side = _side(staff, ticket)
    asked = side is None or side.pk == ticket.to_library_id
    if close:
        status = Status.CLOSED
    elif asked:
        status = Status.ANSWERED  # TICKET-8
    else:
        status = Status.OPEN
    assert staff.is_authenticated
    with transaction.atomic():
        posted = TicketMessage.objects.create(
            ticket=ticket, author=staff, library=side, body=text, at=now
        )
        changes: dict[str, object] = {"status": status}
        if status == Status.OPEN and ticket.status != Status.OPEN:
            changes["respond_by"] = now + ticket.category.response_time
        if close:
            changes["closed_at"] = now
            TicketMessage.objects.create(
                ticket=ticket,
                kind=TicketMessage.Kind.CLOSED,
                author=staff,
                library=side,
                body="Closed.",
                at=now,
            )
        Ticket.objects.filter(pk=ticket.pk).update(**changes)
    ticket.refresh_from_db()
    return posted


# --- the daily escalation -----------------------------------------------------------------


def overdue(now: dt.datetime) -> QuerySet[Ticket]:
    return TICKETS.filter(status=Status.OPEN, respond_by__lt=now, escalated_at__isnull=True)


def escalate_overdue(now: dt.datetime | None = None) -> list[Ticket]:
    """Send every open ticket past its deadline to the central office, once (TICKET-10):
    each is claimed by a conditional UPDATE, so a second run, or a second worker at the
    same moment, escalates nothing twice and sends no second email."""
    now = now or timezone.now()
    done = []
    for ticket in overdue(now):
        with transaction.atomic():
            claimed = Ticket.objects.filter(
                pk=ticket.pk, status=Status.OPEN, escalated_at__isnull=True
            ).update(status=Status.ESCALATED, escalated_at=now)
            if not claimed:
                continue
            asked = ticket.to_library.name if ticket.to_library else "the central office"
            due = timezone.localtime(ticket.respond_by)
            TicketMessage.objects.create(
                ticket=ticket,
                kind=TicketMessage.Kind.ESCALATED,
                body=f"No answer from {asked} by {due:%a %d %b %Y}: sent to the central office.",
                at=now,
            )
            transaction.on_commit(partial(_tell_central_office, ticket))
        done.append(ticket)
    return done


def _tell_central_office(ticket: Ticket) -> None:
    group = SharingGroup.current()
    to = [
        address
        for address in (
            group.contact_email if group else "",
            ticket.to_library.contact_email if ticket.to_library else "",
        )
        if address
    ]
    if not to:
        log.warning("ticket %s escalated; no central office email is set", ticket.pk)
        return
    send_mail(
        f"Ticket {ticket.pk} escalated: {ticket.subject}",
        f"Ticket {ticket.pk} ({ticket.category.name}) from "
        f"{ticket.from_library.name if ticket.from_library else 'the central office'} has had "
        f"no answer by its deadline and is now with the central office.\n\n"
        f"Open it in OneLibrary: /tickets/{ticket.pk}/\n",
        settings.DEFAULT_FROM_EMAIL,
        to,
    )
