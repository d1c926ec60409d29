"""Governance pages: membership, the leaving reconciliation, decisions, the policy history,
training and the compliance monitors. Staff only; the actions check who may change what.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from onelibrary.core.refusals import Refusal
from onelibrary.governance import actions, history, monitors, reconcile
from onelibrary.governance.models import (
    Decision,
    OnboardingTask,
    Requirement,
    RequirementMet,
    StatusChange,
    TrainingModule,
    TrainingRecord,
    TrainingSuggestion,
    Vote,
)
from onelibrary.holds.models import Hold
from onelibrary.members import lifecycle
from onelibrary.members.access import (
    is_central_office,
    is_staff_member,
    staff_accounts,
    staff_library_ids,
)
from onelibrary.members.models import Branch, Library
from onelibrary.members.pickup import pickup_branches
from onelibrary.policy.models import CirculationRule


def _staff(request: HttpRequest) -> None:
    if not is_staff_member(request.user):
        raise PermissionDenied("The governance pages are for the staff of member libraries.")


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required
    return request.user


def _pk(request: HttpRequest, name: str) -> int:
    """A row id posted in `name`, or 0 (no row) when it is missing or not a number."""
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else 0


def _do(request: HttpRequest, step: Callable[[], object], done: str) -> None:
    """Run an action; its refusal is shown as it says, and nothing changed."""
    try:
        said = step()
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, said if isinstance(said, str) else done)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _staff(request)
    return render(
        request,
        "governance/index.html",
        {
            "libraries": Library.objects.order_by("status", "name"),
            "table": [
                (s, lifecycle.TABLE[s], lifecycle.decision_for(s)) for s in lifecycle.STATUSES
            ],
            "moves": lifecycle.MOVES,
        },
    )


@login_required
def member(request: HttpRequest, code: str) -> HttpResponse:
    _staff(request)
    library = get_object_or_404(Library, code=code)
    met = {m.requirement_id: m for m in RequirementMet.objects.filter(library=library)}
    onboarding = getattr(library, "onboarding", None)
    steps = [t for t, m in lifecycle.MOVES.items() if library.status in m.before]
    return render(
        request,
        "governance/member.html",
        {
            "library": library,
            "allowed": lifecycle.allowed(library.status),
            "requirements": [(r, met.get(r.pk)) for r in Requirement.objects.filter(in_force=True)],
            "onboarding": onboarding,
            "tasks": list(onboarding.tasks.select_related("module")) if onboarding else [],
            "today": timezone.localdate(),
            "steps": steps,
            "changes": StatusChange.objects.filter(library=library).select_related(
                "decision", "by"
            ),
            "decisions": Decision.objects.filter(state=Decision.State.DECIDED)[:50],
            "mentors": Library.objects.filter(status=lifecycle.ACTIVE).exclude(pk=library.pk),
            "central_office": is_central_office(request.user),
        },
    )


@login_required
@require_POST
def member_step(request: HttpRequest, code: str) -> HttpResponse:
    _staff(request)
    library = get_object_or_404(Library, code=code)
    user = _user(request)
    post = request.POST
    what = post.get("what", "")
    if what == "requirement":
        requirement = get_object_or_404(Requirement, pk=post.get("requirement"))
        _do(
            request,
            lambda: actions.check_requirement(
                user, library, requirement, note=post.get("note", "")
            ),
            "Requirement checked.",
        )
    elif what == "task":
        task = get_object_or_404(OnboardingTask, pk=post.get("task"), onboarding__library=library)
        _do(request, lambda: actions.complete_task(user, task), "Task done.")
    elif what == "mentor":
        chosen = get_object_or_404(Library, pk=post.get("mentor"))
        _do(request, lambda: actions.set_mentor(user, library, chosen), "Mentor chosen.")
    else:
        decision = Decision.objects.filter(pk=_pk(request, "decision")).first()
        mentor = Library.objects.filter(pk=_pk(request, "mentor")).first()
        _do(
            request,
            lambda: actions.change_status(
                user, library, what, decision=decision, mentor=mentor, note=post.get("note", "")
            ),
            f"{library.name}: {what.replace('_', ' ')} done.",
        )
    return redirect("governance:member", code=library.code)


@login_required
def reconciliation(request: HttpRequest, code: str) -> HttpResponse:
    _staff(request)
    library = get_object_or_404(Library, code=code)
    if not (is_central_office(request.user) or library.pk in staff_library_ids(request.user)):
        raise PermissionDenied("A member's reconciliation is for its staff and the central office.")
    found = reconcile.reconcile(library)
    return render(
        request,
        "governance/reconcile.html",
        {
            "library": library,
            "r": found,
            "branches": pickup_branches().order_by("library__name", "name"),
            "members": Library.objects.filter(status__in=lifecycle.PICKUP_STATUSES).order_by(
                "name"
            ),
            "central_office": is_central_office(request.user),
        },
    )


@login_required
@require_POST
def reconcile_step(request: HttpRequest, code: str) -> HttpResponse:
    _staff(request)
    library = get_object_or_404(Library, code=code)
    user = _user(request)
    post = request.POST
    what = post.get("what", "")
    if what == "move_patrons":
        to = get_object_or_404(Library, pk=post.get("to"))
        _do(
            request,
            lambda: f"{actions.move_patrons(user, library, to)} patrons moved to {to.name}.",
            "",
        )
    else:
        hold = get_object_or_404(Hold, pk=post.get("hold"))
        if what == "reroute":
            _do(request, lambda: actions.reroute_hold(user, library, hold), "")
        elif what == "cancel":
            _do(request, lambda: actions.cancel_hold(user, library, hold), "")
        elif what == "pickup":
            branch = get_object_or_404(Branch, pk=post.get("branch"))
            _do(request, lambda: actions.move_pickup(user, library, hold, branch), "")
    return redirect("governance:reconcile", code=library.code)


@login_required
def decisions(request: HttpRequest) -> HttpResponse:
    _staff(request)
    if request.method == "POST":
        post = request.POST
        decided = post.get("decided_on") or None
        _do(
            request,
            lambda: actions.propose(
                _user(request),
                title=post.get("title", ""),
                body=post.get("body", ""),
                text=post.get("text", ""),
                links=post.get("links", ""),
                decided_on=dt.date.fromisoformat(decided) if decided else None,
            ),
            "Decision recorded.",
        )
        return redirect("governance:decisions")
    return render(
        request,
        "governance/decisions.html",
        {
            "decisions": Decision.objects.select_related("proposed_by"),
            "bodies": Decision.Body.choices,
            "central_office": is_central_office(request.user),
        },
    )


@login_required
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    found = get_object_or_404(Decision, pk=pk)
    if request.method == "POST":
        user, post, what = _user(request), request.POST, request.POST.get("what", "")
        library = Library.objects.filter(pk=_pk(request, "library")).first()
        if what == "comment":
            _do(
                request,
                lambda: actions.comment(user, found, post.get("text", ""), library=library),
                "Comment added.",
            )
        elif what == "vote":
            _do(
                request,
                lambda: actions.vote(user, found, post.get("choice", ""), library=library),
                "Vote recorded.",
            )
        elif what == "open_vote":
            _do(request, lambda: actions.open_vote(user, found), "The vote is open.")
        elif what == "close":
            _do(request, lambda: actions.close(user, found), "Outcome recorded.")
        return redirect("governance:decision", pk=found.pk)
    return render(
        request,
        "governance/decision.html",
        {
            "decision": found,
            "comments": found.comments.select_related("library", "author"),
            "votes": found.votes.select_related("library").order_by("library__name"),
            "changes": [c for c in history.recent(500) if c.decision and c.decision.pk == found.pk],
            "my_libraries": Library.objects.filter(pk__in=staff_library_ids(request.user)),
            "central_office": is_central_office(request.user),
            "choices": Vote.Choice.choices,
        },
    )


@login_required
def policy_history(request: HttpRequest) -> HttpResponse:
    _staff(request)
    if request.method == "POST":
        entry = get_object_or_404(LogEntry, pk=request.POST.get("entry"))
        chosen = get_object_or_404(Decision, pk=request.POST.get("decision"))
        _do(
            request,
            lambda: actions.explain_change(_user(request), entry, chosen),
            "Change linked to its decision.",
        )
        return redirect("governance:history")
    return render(
        request,
        "governance/history.html",
        {
            "changes": history.recent(),
            "decisions": Decision.objects.filter(state=Decision.State.DECIDED),
            "central_office": is_central_office(request.user),
        },
    )


@login_required
def why_rule(request: HttpRequest, pk: int) -> HttpResponse:
    """Why is this rule so? Its changes, newest first, each with the decision that made it."""
    _staff(request)
    rule = get_object_or_404(
        CirculationRule.objects.select_related("library", "exempt_reason"), pk=pk
    )
    return render(
        request,
        "governance/why.html",
        {"rule": rule, "changes": history.of_object(CirculationRule, rule.pk)},
    )


@login_required
def training(request: HttpRequest) -> HttpResponse:
    _staff(request)
    if request.method == "POST":
        who = get_object_or_404(User, pk=request.POST.get("user"))
        module = get_object_or_404(TrainingModule, pk=request.POST.get("module"))
        _do(
            request,
            lambda: actions.record_training(_user(request), who, module),
            "Training recorded.",
        )
        return redirect("governance:training")
    everyone = is_central_office(request.user)
    people = staff_accounts(None if everyone else staff_library_ids(request.user))
    records = TrainingRecord.objects.filter(user__in=people).select_related("user", "module")
    suggestions = TrainingSuggestion.objects.filter(user__in=people, closed_at__isnull=True)
    return render(
        request,
        "governance/training.html",
        {
            "modules": TrainingModule.objects.all(),
            "people": people,
            "records": records.order_by("-completed_on"),
            "suggestions": suggestions.select_related("user", "module"),
        },
    )


@login_required
def monitor_page(request: HttpRequest) -> HttpResponse:
    _staff(request)
    findings = monitors.run()
    names = monitors.members_named(findings)
    groups = [
        (name, label, [(f, names.get(f.member, f.member)) for f in findings if f.monitor == name])
        for name, (label, _) in monitors.MONITORS.items()
    ]
    return render(request, "governance/monitors.html", {"groups": groups})
