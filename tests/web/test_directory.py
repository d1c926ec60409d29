"""The member directory, a library page and a branch page (members.views)."""

import datetime as dt

from django.test import Client

from onelibrary.members.models import ClosedDate


def test_it_lists_every_member_library(world):
    world.pine.contact_email = "director@pinecreek.example"
    world.pine.save()
    response = Client().get("/libraries/")
    assert response.status_code == 200
    html = response.content.decode()
    for code, name in [("RIV", "Riverton City Library"), ("PINE", "Pine Creek Library")]:
        assert f'href="/libraries/{code}/"' in html and name in html
    assert "One-room library" in html and "City system" in html
    assert "director@pinecreek.example" in html
    riverton_row = html[html.index("Riverton City Library") :]
    assert '<td data-label="Branches">2</td>' in riverton_row


def test_it_shows_a_library_with_its_branches(world):
    html = Client().get("/libraries/RIV/").content.decode()
    assert "Riverton City Library" in html
    assert 'href="/branches/RIV-MAIN/"' in html and 'href="/branches/RIV-EAST/"' in html
    assert "Mon, Tue, Wed, Thu, Fri" in html  # Eastside closes at weekends


def test_it_shows_a_branch(world):
    today = dt.date.today()
    ClosedDate.objects.create(
        branch=world.pine_main, date=today + dt.timedelta(days=3), reason="Snow day"
    )
    ClosedDate.objects.create(
        branch=world.pine_main, date=today - dt.timedelta(days=3), reason="Long past"
    )
    response = Client().get("/branches/PINE/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pine Creek Library" in html and "PIN" in html
    assert "Snow day" in html and "Long past" not in html
    assert "47.50000, -111.30000" in html
    assert "Copies shelved here</dt><dd>1</dd>" in html
    assert '<li class="closed"><span class="day">Mon</span>' in html


def test_it_says_not_found_for_an_unknown_library_or_branch(world):
    assert Client().get("/libraries/NOPE/").status_code == 404
    assert Client().get("/branches/NOPE/").status_code == 404
