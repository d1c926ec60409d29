"""The membership steps (governance.actions.change_status, MEMBER-6 … 10): each with what
it needs, refused with a message and nothing changed otherwise."""

from __future__ import annotations

import datetime as dt

import pytest

from onelibrary.governance import actions
from onelibrary.governance.actions import GovernanceError
from onelibrary.governance.models import (
    Decision,
    OnboardingTask,
    Requirement,
    StatusChange,
    TrainingModule,
)
from onelibrary.members.models import Library

pytestmark = pytest.mark.django_db
S = Library.Status


def status(library: Library) -> str:
    library.refresh_from_db()
    return library.status


@pytest.fixture
def applicant(world) -> Library:
    Library.objects.filter(pk=world.elk.pk).update(status=S.APPLICANT)
    world.elk.refresh_from_db()
    return world.elk


def test_member_6_accept_needs_every_requirement_and_a_decision(world, applicant, board_decision):
    insured = Requirement.objects.create(text="Board resolution to join", position=1)
    TrainingModule.objects.create(code="holds", title="Holds and the pick list")
    with pytest.raises(GovernanceError) as refused:
        actions.change_status(world.central, applicant, "accept")
    assert refused.value.code == "needs_decision"
    with pytest.raises(GovernanceError) as refused:
        actions.change_status(world.central, applicant, "accept", decision=board_decision)
    assert "Board resolution to join" in refused.value.message
    assert status(applicant) == S.APPLICANT
    actions.check_requirement(world.central, applicant, insured)
    actions.change_status(
        world.central, applicant, "accept", decision=board_decision, mentor=world.riverton
    )
    assert status(applicant) == S.ONBOARDING
    tasks = OnboardingTask.objects.filter(onboarding__library=applicant)
    assert tasks.filter(module__code="holds").exists()  # the training module
    assert tasks.count() > 1  # and the set-up steps, each with a due date
    assert applicant.onboarding.mentor == world.riverton
    change = StatusChange.objects.get(library=applicant)
    assert (change.before, change.after, change.decision) == (
        "applicant",
        "onboarding",
        board_decision,
    )


def test_member_7_a_declined_applicant_leaves(world, applicant, board_decision):
    actions.change_status(world.central, applicant, "decline", decision=board_decision)
    assert status(applicant) == S.LEFT


def test_member_8_activate_needs_every_task_done(world, applicant, board_decision):
    actions.change_status(world.central, applicant, "accept", decision=board_decision)
    with pytest.raises(GovernanceError) as refused:
        actions.change_status(world.central, applicant, "activate")
    assert refused.value.code == "onboarding_not_done"
    for task in OnboardingTask.objects.filter(onboarding__library=applicant):
        actions.complete_task(world.central, task)
    actions.change_status(world.central, applicant, "activate")
    assert status(applicant) == S.ACTIVE


def test_only_the_new_member_its_mentor_or_the_central_office_tick_a_task(
    world, applicant, board_decision
):
    actions.change_status(world.central, applicant, "accept", decision=board_decision)
    task = OnboardingTask.objects.filter(onboarding__library=applicant).first()
    with pytest.raises(GovernanceError):
        actions.complete_task(world.desk_pine, task)
    actions.set_mentor(world.central, applicant, world.riverton)
    actions.complete_task(world.admin_riv, task)  # the mentor's library admin
    task.refresh_from_db()
    assert task.done_on == dt.date.today()


def test_member_10_removal_takes_a_board_decision(world):
    office = actions.propose(
        world.central,
        title="Remove Pine",
        body=Decision.Body.CENTRAL_OFFICE,
        text="The office thinks so.",
        decided_on=dt.date(2026, 11, 1),
    )
    with pytest.raises(GovernanceError) as refused:
        actions.change_status(world.central, world.pine, "remove", decision=office)
    assert refused.value.code == "board_only"
    assert status(world.pine) == S.ACTIVE
    board = actions.propose(
        world.central,
        title="Remove Pine",
        body=Decision.Body.BOARD,
        text="Repeated violations of the procedures.",
        decided_on=dt.date(2026, 11, 2),
    )
    actions.change_status(world.central, world.pine, "remove", decision=board)
    assert status(world.pine) == S.LEFT


def test_only_the_central_office_takes_a_step(world, board_decision):
    with pytest.raises(GovernanceError) as refused:
        actions.change_status(world.admin_riv, world.riverton, "give_notice")
    assert refused.value.code == "central_office_only"
    assert status(world.riverton) == S.ACTIVE


def test_a_step_from_the_wrong_status_is_refused(world):
    with pytest.raises(GovernanceError) as refused:
        actions.change_status(world.central, world.riverton, "activate")
    assert "from onboarding only" in refused.value.message
