"""Governance actions: the only code that changes governance's rows and a member's status.

Each checks who asks, runs in one transaction and refuses with a `GovernanceError` (a
`Refusal`) that says what to do, changing nothing. docs/governance.md.
"""

from __future__ import annotations

import datetime as dt

from auditlog.models import LogEntry
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from onelibrary.circulation import holds_desk
from onelibrary.core.refusals import Refusal
from onelibrary.core.states import CENTRAL_OFFICE
from onelibrary.governance import reconcile
from onelibrary.governance.models import (
    MODULE_DUE_DAYS,
    SETUP_STEPS,
    Comment,
    Decision,
    Onboarding,
    OnboardingTask,
    PolicyChange,
    Requirement,
    RequirementMet,
    StatusChange,
    TrainingModule,
    TrainingRecord,
    TrainingSuggestion,
    Vote,
)
from onelibrary.holds import actions as holds
from onelibrary.holds.models import Hold
from onelibrary.members import lifecycle
from onelibrary.members.access import (
    admin_library_ids,
    is_central_office,
    is_staff_member,
    staff_library_ids,
)
from onelibrary.members.models import Branch, Library
from onelibrary.patrons import actions as patrons


class GovernanceError(Refusal):
    """A refused governance action: `message` says what is wrong and what to do."""


def _central_office(staff: User, doing: str) -> None:
    if not is_central_office(staff):
        raise GovernanceError(
            "central_office_only", f"Only the central office may {doing}. Ask it to."
        )


# --- decisions: proposal → comments from every member → vote → record -------------------


@transaction.atomic
def propose(
    staff: User,
    *,
    title: str,
    body: str,
    text: str,
    links: str = "",
    decided_on: dt.date | None = None,
) -> Decision:
    """A proposal any staff member may make; the central office may record a decision
    already taken (its date given) straight away."""
    if not is_staff_member(staff):
        raise GovernanceError("staff_only", "Only staff of member libraries propose decisions.")
    if not title.strip() or not text.strip():
        raise GovernanceError("empty", "Give the decision a title and its text.")
    if body not in Decision.Body.values:
        raise GovernanceError(
            "bad_body", "Choose who decides: the board, the central office or a vote."
        )
    state = Decision.State.PROPOSED
    if decided_on is not None:
        _central_office(staff, "record a decision already taken")
        state = Decision.State.DECIDED
    return Decision.objects.create(
        title=title.strip(),
        body=body,
        text=text.strip(),
        links=links.strip(),
        proposed_by=staff,
        state=state,
        decided_on=decided_on,
    )


def _library_of(staff: User, library: Library | None) -> Library | None:
    """The member a staff member speaks for: the one named (theirs), or their only one."""
    mine = staff_library_ids(staff)
    if library is not None:
        if library.pk not in mine and not is_central_office(staff):
            raise GovernanceError("not_your_library", f"You do not act for {library.name}.")
        return library
    if len(mine) == 1:
        return Library.objects.get(pk=next(iter(mine)))
    return None


@transaction.atomic
def comment(
    staff: User, decision: Decision, text: str, *, library: Library | None = None
) -> Comment:
    if not is_staff_member(staff):
        raise GovernanceError("staff_only", "Only staff of member libraries comment on proposals.")
    if decision.state not in (Decision.State.PROPOSED, Decision.State.VOTING):
        raise GovernanceError("closed", "This decision is recorded: it takes no more comments.")
    if not text.strip():
        raise GovernanceError("empty", "Write the comment first.")
    return Comment.objects.create(
        decision=decision, library=_library_of(staff, library), author=staff, text=text.strip()
    )


@transaction.atomic
def open_vote(staff: User, decision: Decision) -> None:
    _central_office(staff, "open a vote")
    if decision.state != Decision.State.PROPOSED:
        raise GovernanceError("not_proposed", "Only a proposal open for comments goes to the vote.")
    Decision.objects.filter(pk=decision.pk).update(
        state=Decision.State.VOTING, body=Decision.Body.VOTE
    )
    decision.refresh_from_db()


@transaction.atomic
def vote(staff: User, decision: Decision, choice: str, *, library: Library | None = None) -> Vote:
    """One vote per member library, cast by its library admin (or the central office for
    it); a second vote of the same member replaces its first until the vote closes."""
    if decision.state != Decision.State.VOTING:
        raise GovernanceError("no_vote", "This decision is not open for the vote.")
    if choice not in Vote.Choice.values:
        raise GovernanceError("bad_choice", "Vote yes, no or abstain.")
    member = _library_of(staff, library)
    if member is None:
        raise GovernanceError("which_member", "Say which member library you vote for.")
    if not is_central_office(staff) and member.pk not in admin_library_ids(staff):
        raise GovernanceError(
            "admin_only", f"{member.name}'s vote is cast by its library admin. Ask them."
        )
    if member.status not in (lifecycle.ACTIVE, lifecycle.LEAVING, lifecycle.ONBOARDING):
        raise GovernanceError("not_member", f"{member.name} is not a voting member.")
    found, _ = Vote.objects.update_or_create(
        decision=decision,
        library=member,
        defaults={"choice": choice, "by": staff, "at": timezone.now()},
    )
    return found


@transaction.atomic
def close(staff: User, decision: Decision, *, decided_on: dt.date | None = None) -> Decision:
    """The central office records the outcome: a vote passes on more yes than no."""
    _central_office(staff, "record a decision")
    if decision.state not in (Decision.State.PROPOSED, Decision.State.VOTING):
        raise GovernanceError("closed", "This decision is recorded already.")
    passed = True
    if decision.state == Decision.State.VOTING:
        choices = list(decision.votes.values_list("choice", flat=True))
        passed = choices.count(Vote.Choice.YES) > choices.count(Vote.Choice.NO)
    Decision.objects.filter(pk=decision.pk).update(
        state=Decision.State.DECIDED if passed else Decision.State.REJECTED,
        decided_on=decided_on or timezone.localdate(),
    )
    decision.refresh_from_db()
    return decision


@transaction.atomic
def explain_change(staff: User, entry: LogEntry, decision: Decision) -> PolicyChange:
    """Link a change of the policy (an auditlog entry) to the decision that made it."""
    _central_office(staff, "link a policy change to its decision")
    if decision.state != Decision.State.DECIDED:
        raise GovernanceError(
            "not_decided", "Link a change to a decision that was taken, not a proposal."
        )
    found, _ = PolicyChange.objects.update_or_create(
        entry=entry,
        defaults={"decision": decision, "linked_by": staff, "linked_at": timezone.now()},
    )
    return found


# --- membership: the steps of MEMBER-6 … 10 ----------------------------------------------


def _decided(decision: Decision | None, move: lifecycle.Move, trigger: str) -> None:
    if not move.needs_decision:
        return
    if decision is None or decision.state != Decision.State.DECIDED:
        raise GovernanceError(
            "needs_decision",
            f"To {trigger.replace('_', ' ')} a member, name the recorded decision that says so "
            "(record it on the decisions page first).",
        )
    if move.board_only and decision.body not in (Decision.Body.BOARD, Decision.Body.VOTE):
        raise GovernanceError(
            "board_only",
            "Removing a member takes a decision of the board or a vote of the members, "
            "not of the central office alone.",
        )


def missing_requirements(library: Library) -> list[Requirement]:
    met = set(
        RequirementMet.objects.filter(library=library).values_list("requirement_id", flat=True)
    )
    return [r for r in Requirement.objects.filter(in_force=True) if r.pk not in met]


def onboarding_left(library: Library) -> list[OnboardingTask]:
    return list(OnboardingTask.objects.filter(onboarding__library=library, done_on__isnull=True))


@transaction.atomic
def change_status(
    staff: User,
    library: Library,
    trigger: str,
    *,
    decision: Decision | None = None,
    mentor: Library | None = None,
    note: str = "",
) -> StatusChange:
    """Take one membership step (members/lifecycle.py MOVES), with what each needs:
    accept — every requirement met and a decision (MEMBER-6); decline — a decision
    (MEMBER-7); activate — every onboarding task done (MEMBER-8); leave — the
    reconciliation clear (MEMBER-9); remove — a decision of the board (MEMBER-10)."""
    _central_office(staff, "change a member's status")
    library = Library.objects.select_for_update().get(pk=library.pk)
    why = lifecycle.move_refusal(trigger, library.status)
    if why:
        raise GovernanceError("bad_step", why)
    move = lifecycle.MOVES[trigger]
    _decided(decision, move, trigger)
    if trigger == "accept":
        missing = missing_requirements(library)
        if missing:
            raise GovernanceError(
                "requirements_not_met",
                f"{library.name} has not met {len(missing)} of the group's requirements "
                f"(first: “{missing[0].text}”). Check them off on its page first.",
            )
    if trigger == "activate":
        left = onboarding_left(library)
        if left:
            raise GovernanceError(
                "onboarding_not_done",
                f"{library.name} has {len(left)} onboarding tasks not done "
                f"(first: “{left[0].title}”, due {left[0].due_on:%d %b %Y}).",
            )
    if trigger == "leave":
        found = reconcile.reconcile(library)
        if not found.cleared:
            raise GovernanceError(
                "not_cleared",
                f"{library.name} cannot leave yet: "
                + "; ".join(found.what_remains())
                + ". Settle them on its reconciliation page first.",
                decision="MEMBER-9",
            )
    before = library.status
    Library.objects.filter(pk=library.pk).update(status=move.after)
    if trigger == "accept":
        _start_onboarding(library, mentor)
    return StatusChange.objects.create(
        library=library,
        before=before,
        after=move.after,
        trigger=trigger,
        decision=decision,
        by=staff,
        note=note.strip(),
    )


def _start_onboarding(library: Library, mentor: Library | None) -> Onboarding:
    start = timezone.localdate()
    onboarding, _ = Onboarding.objects.get_or_create(
        library=library, defaults={"mentor": mentor, "started_on": start}
    )
    for title, days in SETUP_STEPS:
        OnboardingTask.objects.get_or_create(
            onboarding=onboarding, title=title, defaults={"due_on": start + dt.timedelta(days=days)}
        )
    for module in TrainingModule.objects.filter(onboarding=True):
        OnboardingTask.objects.get_or_create(
            onboarding=onboarding,
            module=module,
            defaults={
                "title": f"Training: {module.title}",
                "due_on": start + dt.timedelta(days=MODULE_DUE_DAYS),
            },
        )
    return onboarding


@transaction.atomic
def check_requirement(
    staff: User, library: Library, requirement: Requirement, *, note: str = ""
) -> RequirementMet:
    _central_office(staff, "check an applicant's requirements")
    found, _ = RequirementMet.objects.get_or_create(
        library=library, requirement=requirement, defaults={"checked_by": staff, "note": note}
    )
    return found


@transaction.atomic
def set_mentor(staff: User, library: Library, mentor: Library) -> None:
    _central_office(staff, "choose a mentor")
    if mentor.pk == library.pk or mentor.status != lifecycle.ACTIVE:
        raise GovernanceError("bad_mentor", "A mentor is another member that is active.")
    Onboarding.objects.filter(library=library).update(mentor=mentor)


@transaction.atomic
def complete_task(staff: User, task: OnboardingTask) -> None:
    """The new member's own staff, its mentor's admins or the central office tick a task."""
    onboarding = Onboarding.objects.get(pk=task.onboarding_id)  # its mentor as it is now
    mine = staff_library_ids(staff)
    if not (
        is_central_office(staff)
        or onboarding.library_id in mine
        or (onboarding.mentor_id is not None and onboarding.mentor_id in admin_library_ids(staff))
    ):
        raise GovernanceError(
            "not_yours", "Only the new member, its mentor or the central office tick its tasks."
        )
    OnboardingTask.objects.filter(pk=task.pk, done_on__isnull=True).update(
        done_on=timezone.localdate(), done_by=staff
    )


# --- the leaving member's reconciliation: its actions --------------------------------------


def _leaving(library: Library) -> None:
    if library.status != lifecycle.LEAVING:
        raise GovernanceError("not_leaving", f"{library.name} is not leaving the group.")


@transaction.atomic
def reroute_hold(staff: User, library: Library, hold: Hold) -> str:
    """A hold routed to the leaving member's copy gives it up and is routed again (the
    member's copies no longer lend, MEMBER-4)."""
    _central_office(staff, "re-route a leaving member's holds")
    _leaving(library)
    hold = holds.load_hold(hold)
    if hold.state != Hold.State.ROUTED or hold.assigned_item is None:
        raise GovernanceError(
            "not_routed",
            "Only a hold waiting for a copy still on the shelf is re-routed; cancel this one, "
            "or let its copy arrive.",
        )
    now = timezone.now()
    holds.release(
        hold,
        "release",
        CENTRAL_OFFICE,
        now=now,
        staff=staff,
        why=f"{library.name} is leaving the group",
    )
    holds.route_titles([hold.title_id], now=now, staff=staff)
    return "The hold gave up the leaving member's copy and was routed again."


@transaction.atomic
def move_pickup(staff: User, library: Library, hold: Hold, branch: Branch) -> str:
    _central_office(staff, "move a leaving member's holds")
    _leaving(library)
    return holds.change_pickup(staff, hold, branch)


def cancel_hold(staff: User, library: Library, hold: Hold) -> str:
    _central_office(staff, "cancel a leaving member's holds")
    _leaving(library)
    return holds_desk.cancel_hold(staff, hold)


def move_patrons(staff: User, library: Library, to: Library) -> int:
    _central_office(staff, "move a leaving member's patrons")
    _leaving(library)
    if not lifecycle.allowed(to.status).borrowing:
        raise GovernanceError("not_active", f"Move the patrons to an active member, not {to.name}.")
    ids = [p.pk for p in reconcile.reconcile(library).patrons]
    return patrons.move_home(staff, ids, to, reason=f"{library.name} is leaving the group")


# --- training records -------------------------------------------------------------------


@transaction.atomic
def record_training(staff: User, user: User, module: TrainingModule) -> TrainingRecord:
    """The staff member's library admin, or the central office, records a completed module;
    a suggestion of that module for them closes."""
    theirs = staff_library_ids(user)
    if not (is_central_office(staff) or theirs & admin_library_ids(staff) or staff.pk == user.pk):
        raise GovernanceError("not_yours", "Record training for your own library's staff.")
    found, _ = TrainingRecord.objects.get_or_create(
        user=user, module=module, defaults={"recorded_by": staff}
    )
    TrainingSuggestion.objects.filter(user=user, module=module, closed_at__isnull=True).update(
        closed_at=timezone.now()
    )
    return found


def suggest_training(user: User, module: TrainingModule, why: str) -> TrainingSuggestion | None:
    """A monitor's suggestion (no staff: the system); one open at a time per person and
    module, none for a module already completed."""
    if TrainingRecord.objects.filter(user=user, module=module).exists():
        return None
    found = TrainingSuggestion.objects.filter(
        user=user, module=module, closed_at__isnull=True
    ).first()
    if found is not None:
        return None
    return TrainingSuggestion.objects.create(user=user, module=module, why=why[:300])
