"""GET /policy/differences/: every member's effective settings against the group default."""

from __future__ import annotations

import re

from django.contrib.auth.models import User

URL = "/policy/differences/"


def test_it_shows_the_summary_and_marks_what_differs_in_words(world, rules, client):
    client.force_login(world.desk_riv)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 of 3 members lend DVDs for 14 days; 1 lends them for 7 days." in html
    assert "All 3 members lend books for 21 days." in html
    assert "2 of 3 members are fine-free for all items; 1 charges $0.25 a day, up to $5.00." in html
    assert re.search(r"<mark>7 days</mark><br>\s*<small[^>]*>differs; group: 14 days</small>", html)
    assert "<mark>$0.25 a day, up to $5.00</mark>" in html
    assert html.count("<mark>") == 3 + 1  # PINE: DVD loan, DVD fines, book fines; and the legend


def test_it_can_show_only_the_members_that_differ(world, rules, client):
    client.force_login(world.central)
    html = client.get(URL, {"show": "differences"}).content.decode()
    assert "Pine Creek Library" in html
    assert "Elk Valley Library" not in html


def test_it_is_for_staff_only(world, rules, client):
    assert client.get(URL).status_code == 302  # to the login page
    client.force_login(User.objects.create_user("visitor"))
    assert client.get(URL).status_code == 403


def test_it_says_when_the_group_default_is_missing(world, rules, client):
    rules["default"].delete()
    client.force_login(world.desk_riv)
    response = client.get(URL)
    assert response.status_code == 200
    assert "The group default rule must set every setting." in response.content.decode()
