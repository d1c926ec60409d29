"""Emails about damage reports, through the configured backend (quietmail when no mail
server is set up: docs/operations.md).

Who is told: the library's contact address (`Library.contact_email`) for each member
concerned, the group's (`SharingGroup.contact_email`) for the central office, and the staff
concerned — whoever reported, answered or wrote in the thread. Nothing here reads staff
roles. Sent after the action's transaction, so a refused action sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.mail import send_mail
from django.urls import reverse

from onelibrary.ledger.book import money
from onelibrary.ledger.report_models import DamageReport, Decision, DisputeMessage
from onelibrary.members.models import Library, SharingGroup


def report_url(report: DamageReport) -> str:
    return reverse("ledger:report", kwargs={"pk": report.pk})


def central_address() -> str:
    group = SharingGroup.current()
    return group.contact_email if group is not None else ""


def staff_concerned(report: DamageReport) -> set[str]:
    users = [report.created_by, report.answered_by]
    users += [m.author for m in report.messages.select_related("author")]
    return {u.email for u in users if u is not None and u.email}


def contacts(libraries: Iterable[Library | None], *, central: bool = False) -> set[str]:
    found = {lib.contact_email for lib in libraries if lib is not None and lib.contact_email}
    if central and (address := central_address()):
        found.add(address)
    return found


def send(subject: str, body: str, addresses: set[str]) -> int:
    """One message to everyone concerned; the number of addresses it went to."""
    if not addresses:
        return 0
    send_mail(subject, body, None, sorted(addresses))
    return len(addresses)


def _about(report: DamageReport) -> str:
    return (
        f"Copy {report.item.barcode} ({report.item.title.title}), owned by "
        f"{report.owner.name}: {report.get_where_display().lower()}.\n"
        f"Claimed: {money(report.amount)} from "
        f"{report.payer.name if report.payer else 'the group'}.\n"
        f"Note: {report.note}\n\nThe report, its photos and its thread: {report_url(report)}\n"
    )


def told(report: DamageReport) -> int:
    """The party that must answer learns of a new report, and by when."""
    who = report.responder.name if report.responder else "The central office"
    body = (
        f"{who} is asked to accept or dispute damage report #{report.pk} by "
        f"{report.respond_by:%d %b %Y}. Without an answer by then it is accepted.\n\n"
        + _about(report)
    )
    return send(
        f"Damage report #{report.pk}: accept or dispute by {report.respond_by:%d %b %Y}",
        body,
        contacts([report.responder], central=report.responder is None) | staff_concerned(report),
    )


def answered(report: DamageReport) -> int:
    return send(
        f"Damage report #{report.pk} accepted",
        f"Report #{report.pk} was accepted and its entries are booked.\n\n" + _about(report),
        contacts([report.owner, report.payer]) | staff_concerned(report),
    )


def disputed(report: DamageReport, message: DisputeMessage) -> int:
    return send(
        f"Damage report #{report.pk} disputed",
        f"{message.library.name if message.library else 'The central office'} disputes "
        f"report #{report.pk}: {message.body}\n\nTalk it over in the thread by "
        f"{report.respond_by:%d %b %Y}; after that the central office decides.\n\n"
        + _about(report),
        contacts([report.owner, report.payer, report.reporter_library]) | staff_concerned(report),
    )


def new_message(report: DamageReport, message: DisputeMessage) -> int:
    return send(
        f"Damage report #{report.pk}: a new message",
        f"{message.body}\n\n" + _about(report),
        staff_concerned(report) - {message.author.email},
    )


def escalated(report: DamageReport) -> int:
    assert report.decide_by is not None
    return send(
        f"Damage report #{report.pk} is with the central office",
        f"The dispute's deadline passed: the central office decides by "
        f"{report.decide_by:%d %b %Y}.\n\n" + _about(report),
        contacts([report.owner, report.payer], central=True) | staff_concerned(report),
    )


def decided(report: DamageReport, decision: Decision) -> int:
    return send(
        f"Damage report #{report.pk} decided",
        f"The central office decided: {decision.get_outcome_display()}"
        + (f", {money(decision.amount)}" if decision.amount else "")
        + f". Reason: {decision.reason}\n\n"
        + _about(report),
        contacts([report.owner, report.payer]) | staff_concerned(report),
    )
