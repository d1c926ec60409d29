"""The directory page: members, branches, contacts per function, hours, courier days and
key policies; the public sees public contacts only, staff see every contact."""

from __future__ import annotations

from django.test import Client

from onelibrary.members.models import Library
from tests.web.conftest import client_for


def test_it_lists_members_branches_hours_courier_days_and_policies(listed):
    html = Client().get("/directory/").content.decode()
    for name in ("Riverton City Library", "Pine Creek Library", "Elk Valley Library"):
        assert name in html
    for branch in ("RIV-MAIN", "RIV-EAST", "PINE", "ELK"):
        assert f'id="branch-{branch}"' in html
    assert "Mon–Fri 9–8, Sat 10–5" in html
    assert "<dt>Courier calls</dt><dd>Mon, Wed, Fri</dd>" in html  # RIV-MAIN's stop days
    assert "<dt>Courier calls</dt><dd>no route</dd>" in html  # ELK has no stop
    assert "Tue, Thu, Sat" in html  # Pine Creek's open days
    assert "Loans of 21 days, 2 renewals" in html
    assert "fines 0.25 a day" in html  # Pine Creek's own rule
    assert "about " in html and "to other members" in html  # courier days from coordinates


def test_the_public_sees_only_public_contacts(listed):
    html = Client().get("/directory/").content.decode()
    assert "Mara Quill" in html and "ill@riverton.example" in html
    assert "Sol Byte" not in html and "406-555-0199" not in html
    assert "staff only" not in html


def test_staff_of_any_member_see_staff_only_contacts(listed):
    html = client_for(listed.desk_riv).get("/directory/").content.decode()
    assert "Sol Byte" in html and "406-555-0199" in html  # Pine Creek's IT, seen by Riverton
    assert "staff only" in html


def test_a_member_that_left_is_not_listed(listed):
    Library.objects.filter(pk=listed.elk.pk).update(status=Library.Status.LEFT)
    html = Client().get("/directory/").content.decode()
    assert "Elk Valley Library" not in html and 'id="branch-ELK"' not in html


def test_the_map_data_has_a_marker_per_located_branch(listed):
    response = Client().get("/directory/")
    markers = response.context["markers"]
    assert {m["code"] for m in markers} == {"RIV-MAIN", "RIV-EAST", "PINE", "ELK"}
    pine = next(m for m in markers if m["code"] == "PINE")
    assert (pine["lat"], pine["lon"]) == (47.5, -111.3)
    assert 'id="branch-markers"' in response.content.decode()


def test_the_page_works_with_no_rules_set(world):
    html = Client().get("/directory/").content.decode()
    assert "The loan rules are not set yet." in html
