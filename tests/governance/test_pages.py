"""The governance pages: staff only; each step goes through the actions, which refuse any
but the central office (or the member's own staff) and change nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from onelibrary.governance.models import Decision
from onelibrary.members.models import Library
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


PAGES = [
    "/governance/",
    "/governance/members/PINE/",
    "/governance/decisions/",
    "/governance/history/",
    "/governance/training/",
    "/governance/monitors/",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_staff_member_sees_the_pages(world, url):
    assert client_for("desk.pine").get(url).status_code == 200
    assert client_for("central").get(url).status_code == 200


@pytest.mark.parametrize("url", PAGES)
def test_a_patron_or_visitor_does_not(world, url):
    assert Client().get(url).status_code == 302  # to the login page


def test_a_members_reconciliation_is_for_its_staff_and_the_central_office(world):
    Library.objects.filter(pk=world.pine.pk).update(status="leaving")
    assert client_for("desk.pine").get("/governance/members/PINE/reconcile/").status_code == 200
    assert client_for("central").get("/governance/members/PINE/reconcile/").status_code == 200
    assert client_for("desk.riv").get("/governance/members/PINE/reconcile/").status_code == 403


def test_a_step_by_another_than_the_central_office_is_refused_and_changes_nothing(world):
    page = client_for("admin.riv").post(
        "/governance/members/PINE/step/", {"what": "give_notice"}, follow=True
    )
    assert "Only the central office may change a member" in page.content.decode()
    world.pine.refresh_from_db()
    assert world.pine.status == "active"
    page = client_for("central").post(
        "/governance/members/PINE/step/", {"what": "give_notice"}, follow=True
    )
    world.pine.refresh_from_db()
    assert world.pine.status == "leaving"


def test_a_proposal_from_the_page(world):
    client_for("desk.pine").post(
        "/governance/decisions/",
        {"title": "One loan period", "body": "vote", "text": "Please.", "decided_on": "2026-01-01"},
    )
    assert not Decision.objects.exists()  # only the central office records one taken
    client_for("desk.pine").post(
        "/governance/decisions/", {"title": "One loan period", "body": "vote", "text": "Please."}
    )
    assert Decision.objects.get().state == Decision.State.PROPOSED


def test_the_admin_shows_a_members_status_but_the_steps_change_it(world):
    world.central.is_staff = True  # entering the admin needs it (tests/web/conftest.py)
    world.central.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(world.central)
    page = client.get(f"/admin/members/library/{world.pine.pk}/change/").content.decode()
    assert 'name="status"' not in page and "Active" in page


def test_a_library_admin_sees_and_records_the_training_of_their_own_staff_only(world):
    from onelibrary.governance import actions
    from onelibrary.governance.actions import GovernanceError
    from onelibrary.governance.models import TrainingModule, TrainingRecord

    module = TrainingModule.objects.create(code="holds", title="Holds")
    page = client_for("admin.riv").get("/governance/training/").content.decode()
    assert "desk.riv" in page and "desk.pine" not in page
    actions.record_training(world.admin_riv, world.desk_riv, module)
    with pytest.raises(GovernanceError):
        actions.record_training(world.admin_riv, world.desk_pine, module)
    assert list(TrainingRecord.objects.values_list("user__username", flat=True)) == ["desk.riv"]


def test_an_onboarding_members_page_shows_its_tasks_and_a_vote_its_ballot(world, board_decision):
    from onelibrary.governance import actions

    Library.objects.filter(pk=world.elk.pk).update(status="applicant")
    actions.change_status(world.central, world.elk, "accept", decision=board_decision)
    page = client_for("central").get("/governance/members/ELK/").content.decode()
    assert "Courier stop and schedule confirmed" in page and "Mentor" in page
    proposal = actions.propose(world.central, title="Fines", body="vote", text="Fine all.")
    actions.open_vote(world.central, proposal)
    page = client_for("admin.riv").get(f"/governance/decisions/{proposal.pk}/").content.decode()
    assert 'name="choice"' in page
    client_for("admin.riv").post(
        f"/governance/decisions/{proposal.pk}/", {"what": "vote", "choice": "yes"}
    )
    assert proposal.votes.get().library == world.riverton
