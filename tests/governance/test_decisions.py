"""Decisions (proposal → comments from every member → vote → record) and the policy
history: who, when, before and after of each change, and the decision that made it."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.test import Client

from onelibrary.floating.models import FloatRule
from onelibrary.governance import actions, history
from onelibrary.governance.actions import GovernanceError
from onelibrary.governance.models import Decision, PolicyChange, Vote
from onelibrary.policy.models import CirculationRule, GroupPolicy
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_proposal_takes_every_members_comments_and_one_vote_per_member(world):
    proposal = actions.propose(
        world.desk_pine,
        title="DVDs lent for 14 days everywhere",
        body=Decision.Body.VOTE,
        text="Small libraries ask for one loan period.",
    )
    assert proposal.state == Decision.State.PROPOSED
    actions.comment(world.desk_pine, proposal, "Our patrons drive an hour.")
    actions.comment(world.desk_riv, proposal, "Fine by us.")
    assert [c.library for c in proposal.comments.all()] == [world.pine, world.riverton]
    with pytest.raises(GovernanceError):
        actions.vote(world.admin_riv, proposal, "yes")  # not open yet
    with pytest.raises(GovernanceError):
        actions.open_vote(world.desk_riv, proposal)  # the central office opens it
    actions.open_vote(world.central, proposal)
    actions.vote(world.admin_riv, proposal, "no")
    actions.vote(world.admin_riv, proposal, "yes")  # changed its mind: still one vote
    with pytest.raises(GovernanceError) as refused:
        actions.vote(world.desk_pine, proposal, "yes")
    assert refused.value.code == "admin_only"
    actions.vote(world.central, proposal, "yes", library=world.pine)
    assert Vote.objects.filter(decision=proposal).count() == 2
    actions.close(world.central, proposal)
    proposal.refresh_from_db()
    assert proposal.state == Decision.State.DECIDED
    assert proposal.decided_on == dt.date.today()
    with pytest.raises(GovernanceError):
        actions.comment(world.desk_pine, proposal, "Too late.")


def test_a_vote_with_more_no_than_yes_is_rejected(world):
    proposal = actions.propose(world.central, title="Fines", body="vote", text="Fine everyone.")
    actions.open_vote(world.central, proposal)
    actions.vote(world.central, proposal, "no", library=world.pine)
    actions.vote(world.central, proposal, "no", library=world.elk)
    actions.vote(world.central, proposal, "yes", library=world.riverton)
    assert actions.close(world.central, proposal).state == Decision.State.REJECTED


def test_every_change_of_a_rule_is_kept_with_before_after_and_its_decision(world, board_decision):
    with set_actor(world.admin_riv):
        rule = CirculationRule.objects.create(name="DVDs", library=world.riverton, loan_days=7)
        rule.loan_days = 14
        rule.save()
    GroupPolicy.objects.create(hold_shelf_days=5)
    FloatRule.objects.create(library=world.pine, collection="ADULT")
    changes = history.of_object(CirculationRule, rule.pk)
    assert [c.action for c in changes] == ["changed", "created"]
    assert ("loan_days", "7", "14") in changes[0].fields
    assert changes[0].who == "admin.riv"
    whats = {c.what.split(" “")[0] for c in history.recent()}
    assert {"Circulation rule", "Group policy", "Float rule"} <= whats
    entry = changes[0].entry
    with pytest.raises(GovernanceError):
        actions.explain_change(world.admin_riv, entry, board_decision)
    actions.explain_change(world.central, entry, board_decision)
    assert history.of_object(CirculationRule, rule.pk)[0].decision == board_decision


def test_a_change_links_only_to_a_decision_taken(world):
    rule = CirculationRule.objects.create(name="DVDs", loan_days=7)
    proposal = actions.propose(world.central, title="Maybe", body="board", text="Perhaps.")
    entry = LogEntry.objects.get_for_object(rule).get()
    with pytest.raises(GovernanceError) as refused:
        actions.explain_change(world.central, entry, proposal)
    assert refused.value.code == "not_decided"
    assert not PolicyChange.objects.exists()


def test_the_why_page_answers_with_the_decision(world, board_decision):
    rule = CirculationRule.objects.create(name="Reference", library=world.pine, loan_days=1)
    actions.explain_change(
        world.central, LogEntry.objects.get_for_object(rule).get(), board_decision
    )
    client = Client()
    client.login(username="desk.riv", password=PASSWORD)
    page = client.get(f"/governance/why/rules/{rule.pk}/")
    assert page.status_code == 200
    assert "Membership of Elk Valley" in page.content.decode()
    assert f"/governance/decisions/{board_decision.pk}/" in page.content.decode()
