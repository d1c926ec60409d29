"""Every write of the help desk: filing a report, replying, triage (docs/helpdesk.md).

Each action checks first and writes after, in one transaction, so a refusal changes
nothing. Emails go through the configured backend (settings.EMAIL_BACKEND) once the
transaction has committed; a mail server that fails is logged, and the report stands.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from onelibrary.core.refusals import Refusal
from onelibrary.helpdesk.access import branches_for, may_report
from onelibrary.helpdesk.models import Message, Report
from onelibrary.helpdesk.screenshots import Screenshot
from onelibrary.members.access import is_technical_staff, technical_staff
from onelibrary.members.models import Branch

log = logging.getLogger(__name__)
MAX_TEXT = 20_000


class HelpRefused(Refusal):
    """A help desk refusal: nothing was written; the form keeps what was typed."""


@dataclass(frozen=True)
class Context:
    """What OneLibrary knew when the form was opened (HELP-8): text to read, no more."""

    page: str = ""
    decision: str = ""
    message: str = ""
    at: str = ""
    scan: int | None = None


@dataclass(frozen=True)
class Problem:
    """The report as typed, field by field."""

    symptom: str
    branch: Branch
    doing: str = ""
    message_seen: str = ""
    started: str = ""
    tried: str = ""
    device: str = ""
    affects: str = Report.Affects.UNSURE


# --- filing --------------------------------------------------------------------------------


def _check_problem(staff: User, problem: Problem) -> None:
    if not problem.symptom.strip():
        raise HelpRefused(
            "no_symptom",
            "Please say what you saw: the words on the screen, what the printer or scanner "
            "did, what did not happen. Everything else you typed is still here.",
            decision="HELP-1",
        )
    if len(problem.symptom) > MAX_TEXT:
        raise HelpRefused(
            "too_long",
            f"The description is longer than {MAX_TEXT:,} characters: shorten it, or attach "
            "a screenshot instead.",
            decision="HELP-1",
        )
    if not branches_for(staff).filter(pk=problem.branch.pk).exists():
        raise HelpRefused(
            "not_your_branch",
            f"{problem.branch.name} is not one of your library's branches: choose the branch "
            "where it happened from the list.",
            decision="HELP-4",
        )


@transaction.atomic
def file_report(
    staff: User,
    problem: Problem,
    *,
    screenshot: Screenshot | None = None,
    context: Context = Context(),
    site: str = "",
) -> Report:
    """HELP-1, HELP-4, HELP-9: file the report and tell technical staff by email."""
    if not may_report(staff):
        raise PermissionDenied("The help desk is for the staff of member libraries.")
    _check_problem(staff, problem)
    report = Report.objects.create(
        filed_by=staff,
        library=problem.branch.library,
        branch=problem.branch,
        symptom=problem.symptom.strip(),
        doing=problem.doing.strip(),
        message_seen=problem.message_seen.strip(),
        started=problem.started.strip()[:200],
        tried=problem.tried.strip(),
        device=problem.device.strip()[:200],
        affects=problem.affects,
        screenshot=screenshot.name if screenshot else "",
        screenshot_type=screenshot.content_type if screenshot else "",
        context_page=context.page[:500],
        context_decision=context.decision[:40],
        context_message=context.message[:MAX_TEXT],
        context_at=context.at[:100],
        context_scan=context.scan,
    )
    to = [u.email for u in technical_staff() if u.email]
    body = (
        f"{staff.get_full_name() or staff.get_username()} at {report.branch.name} "
        f"({report.library.name}) reported a problem.\n\n"
        f"What they saw:\n{report.symptom}\n\n"
        f"Affects: {report.get_affects_display()}\n"
        + (f"Decision id on screen: {report.context_decision}\n" if report.context_decision else "")
        + (f"\nRead it and answer: {site}{report_path(report)}\n" if site else "")
    )
    _mail(f"Problem report {report.pk}: {report.summary}", body, to, report)
    return report


def report_path(report: Report) -> str:
    return reverse("helpdesk:report_detail", kwargs={"pk": report.pk})


# --- the thread ----------------------------------------------------------------------------


def _mail(subject: str, body: str, to: list[str], report: Report) -> None:
    if not to:
        return

    def send() -> None:
        try:
            send_mail(subject, body, None, to)
        except Exception:  # the report and reply are kept either way; the failure is logged
            log.exception("could not email about problem report %s", report.pk)

    transaction.on_commit(send)


def _recipients_of_reply(author: User, report: Report) -> list[User]:
    """HELP-7: technical staff's replies go to the person who reported it; anyone else's
    to the assignee, or to every technical staff member while nobody is assigned."""
    if is_technical_staff(author) and author != report.filed_by:
        return [report.filed_by]
    if report.assignee is not None:
        return [report.assignee]
    return technical_staff()


# Statuses the reporter's own reply moves back to "being looked at" (HELP-7).
REOPENS = (Report.Status.WAITING, Report.Status.RESOLVED)


@transaction.atomic
def reply(author: User, report: Report, text: str, *, link: str = "") -> Message:
    """HELP-7: add a reply to the thread and email it. `report` comes from
    `access.access_report`, so `author` may see it (HELP-5)."""
    text = text.strip()
    if not text:
        raise HelpRefused(
            "empty_reply",
            "Write a reply before sending: what you found, tried or need.",
            decision="HELP-7",
        )
    if len(text) > MAX_TEXT:
        raise HelpRefused(
            "too_long", f"A reply may be at most {MAX_TEXT:,} characters.", decision="HELP-7"
        )
    to = [u.email for u in _recipients_of_reply(author, report) if u.email and u != author]
    message = Message.objects.create(
        report=report, author=author, kind=Message.Kind.REPLY, body=text, emailed_to="\n".join(to)
    )
    # The reporter answering, or saying it happened again, puts it back before technical staff.
    if report.filed_by == author and report.status in REOPENS:
        note = f"Status: {Report.Status.IN_PROGRESS.label} ({author.get_username()} answered)."
        _change(report, author, note)
        report.status = Report.Status.IN_PROGRESS
        report.save(update_fields=["status"])
    name = author.get_full_name() or author.get_username()
    _mail(
        f"Re: problem report {report.pk}: {report.summary}",
        f"{name} wrote:\n\n{text}\n" + (f"\nThe whole thread: {link}\n" if link else ""),
        to,
        report,
    )
    return message


def _change(report: Report, author: User, note: str) -> None:
    Message.objects.create(report=report, author=author, kind=Message.Kind.CHANGE, body=note)


# What the person who reported it is told happens next, by the report's new status.
NEXT = {
    Report.Status.NEW: "Nobody has looked at it yet; technical staff will.\n",
    Report.Status.IN_PROGRESS: "Technical staff are working on it and will write when they "
    "know more.\n",
    Report.Status.WAITING: "Technical staff need something from you: please read their last "
    "reply and answer it in the thread.\n",
    Report.Status.RESOLVED: "Technical staff think it is fixed. If it happens again, reply in "
    "the thread and it will be looked at again. Thank you for reporting it.\n",
}


@dataclass(frozen=True)
class Triage:
    category: str
    priority: str
    status: str
    assignee: User | None


@transaction.atomic
def triage(staff: User, report: Report, change: Triage, *, link: str = "") -> list[str]:
    """HELP-6: technical staff sort a report. Each change is a line in the thread; the
    answer says what changed (nothing when nothing did)."""
    if not is_technical_staff(staff):
        raise HelpRefused(
            "not_technical_staff",
            "Only technical staff sort reports. You can add a reply with anything new.",
            decision="HELP-6",
        )
    if change.assignee is not None and change.assignee not in technical_staff():
        raise HelpRefused(
            "assignee_not_technical",
            f"{change.assignee.get_username()} is not technical staff: assign the report to "
            "someone in the list.",
            decision="HELP-6",
        )
    said: list[str] = []
    changed: set[str] = set()
    labels = {
        "category": dict(Report.Category.choices),
        "priority": dict(Report.Priority.choices),
        "status": dict(Report.Status.choices),
    }
    for field in ("category", "priority", "status"):
        new = getattr(change, field)
        if new not in labels[field]:
            raise HelpRefused("bad_choice", f"Choose a {field} from the list.", decision="HELP-6")
        if getattr(report, field) != new:
            changed.add(field)
            said.append(f"{field.capitalize()}: {labels[field][new]}")
            setattr(report, field, new)
    if report.assignee_id != (change.assignee.pk if change.assignee else None):
        who = change.assignee.get_username() if change.assignee else "nobody"
        said.append(f"Assigned to {who}")
        report.assignee = change.assignee
    if said:
        report.save(update_fields=["category", "priority", "status", "assignee"])
        _change(report, staff, "; ".join(said) + ".")
        if "status" in changed and report.filed_by != staff and report.filed_by.email:
            _mail(
                f"Problem report {report.pk}: {report.get_status_display()}",
                f"Your report ({report.summary}) is now: {report.get_status_display()}.\n"
                + NEXT[Report.Status(report.status)]
                + (f"\nThe whole thread: {link}\n" if link else ""),
                [report.filed_by.email],
                report,
            )
    return said
