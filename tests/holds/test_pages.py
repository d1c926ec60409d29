"""The staff holds pages: staff only, and each one works without JavaScript."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation import holds_desk
from onelibrary.holds import actions
from onelibrary.holds.models import Hold
from tests.holds.conftest import fresh

ADA = "29000000000017"


def staff_client(user, branch=None) -> Client:
    client = Client()
    client.force_login(user)
    if branch is not None:
        client.post("/desk/", {"branch": branch.pk})
    return client


@pytest.fixture
def riv(hw) -> Client:
    return staff_client(hw.desk_riv, hw.riv_main)


@pytest.mark.parametrize(
    "path", ["/holds/", "/holds/pick/", "/holds/shelf/", "/holds/clear/", f"/holds/patron/{ADA}/"]
)
def test_it_sends_an_anonymous_visitor_to_log_in(hw, client, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("path", ["/holds/", "/holds/pick/", f"/holds/patron/{ADA}/"])
def test_it_refuses_an_account_that_is_not_staff(hw, path):
    client = staff_client(User.objects.create_user("reader", password="x" * 12))
    response = client.get(path)
    assert response.status_code == 403
    assert "does not work for any library" in response.content.decode()


def test_it_asks_for_the_branch_before_showing_a_pick_list(hw):
    client = staff_client(hw.central)
    response = client.get("/holds/pick/")
    assert response.status_code == 302 and response["Location"].startswith("/desk/?next=")


def test_it_finds_a_patrons_holds_by_card(hw, riv):
    response = riv.get("/holds/", {"card": ADA})
    assert response.status_code == 302 and response["Location"] == f"/holds/patron/{ADA}/"
    response = riv.get("/holds/", {"card": "nobody"})
    assert "No patron has the card nobody" in response.content.decode()


def test_it_shows_the_place_hold_form_on_the_title_page_to_staff_only(hw, riv, client):
    page = riv.get(f"/catalog/titles/{hw.dune.pk}/").content.decode()
    assert "Place a hold" in page and 'name="card"' in page
    assert "The patron&#x27;s preferred branch" in page
    public = client.get(f"/catalog/titles/{hw.dune.pk}/").content.decode()
    assert "Place a hold" not in public and "No holds on this title." in public


def test_it_places_a_hold_from_the_form_for_the_patrons_preferred_branch(hw, riv):
    response = riv.post(f"/holds/place/{hw.dune.pk}/", {"card": ADA, "pickup": "", "item": ""})
    assert response.status_code == 302 and response["Location"] == f"/holds/patron/{ADA}/"
    hold = Hold.objects.get()
    assert hold.pickup_branch == hw.riv_main and hold.state == Hold.State.ROUTED
    page = riv.get(response["Location"]).content.decode()
    assert "Hold placed for Ada Lindqvist on Dune" in page
    assert "Copy to be pulled" in page


def test_it_shows_a_refusal_on_the_form_and_keeps_nothing(hw, riv):
    riv.post(f"/holds/place/{hw.dune.pk}/", {"card": ADA, "pickup": hw.pine_main.pk})
    response = riv.post(
        f"/holds/place/{hw.dune.pk}/", {"card": ADA, "pickup": hw.pine_main.pk, "item": ""}
    )
    assert response.status_code == 200
    assert "Ada already has a hold on Dune" in response.content.decode()  # desk: the name
    assert Hold.objects.count() == 1


def test_it_places_a_hold_on_one_copy_from_the_form(hw, riv):
    riv.post(
        f"/holds/place/{hw.dune.pk}/",
        {"card": ADA, "pickup": hw.riv_east.pk, "item": "32000000000019"},
    )
    hold = Hold.objects.get()
    assert hold.item == hw.dune_pine and hold.pickup_branch == hw.riv_east


def test_it_suspends_resumes_changes_pickup_and_cancels_from_the_patron_page(hw, riv):
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune).hold
    until = (timezone.localdate() + dt.timedelta(days=4)).isoformat()
    riv.post(f"/holds/{hold.pk}/suspend/", {"until": until})
    assert fresh(hold).suspended_until.isoformat() == until
    page = riv.get(f"/holds/patron/{ADA}/").content.decode()
    assert "suspended until" in page and "Resume" in page
    riv.post(f"/holds/{hold.pk}/resume/")
    assert fresh(hold).suspended_until is None
    riv.post(f"/holds/{hold.pk}/pickup/", {"pickup": hw.elk_main.pk})
    assert fresh(hold).pickup_branch == hw.elk_main
    response = riv.post(f"/holds/{hold.pk}/cancel/", follow=True)
    assert fresh(hold).state == Hold.State.CANCELLED
    assert "The hold is cancelled" in response.content.decode()


def test_it_shows_the_queue_position_and_says_when_it_is_approximate(hw, riv):
    Item.objects.update(status=Item.Status.CHECKED_OUT)
    actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune)
    page = riv.get(f"/holds/patron/{ADA}/").content.decode()
    assert "Number 1 of 1 waiting." in page and "approximate" not in page


def test_it_prints_the_pick_list_and_takes_pulled_copies_and_missing_ones(hw):
    pine = staff_client(hw.desk_pine)
    actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, item=hw.dune_pine)
    page = pine.get("/holds/pick/").content.decode()
    assert "32000000000019" in page and "Print the list" in page and "holds.css" in page
    response = pine.post("/holds/pick/pulled/", {"barcode": "32000000000019"}, follow=True)
    assert "SEND TO RIVERTON MAIN (RIV-MAIN) FOR HOLD" in response.content.decode()
    assert "Open a crate for Riverton Main (RIV-MAIN)" in response.content.decode()
    response = pine.post("/holds/pick/pulled/", {"barcode": "32000000000019"}, follow=True)
    assert "is not on this branch" in response.content.decode()


def test_it_marks_a_copy_missing_from_the_pick_list(hw, riv):
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_east, title=hw.dune).hold
    response = riv.post(f"/holds/pick/{hold.pk}/missing/", follow=True)
    assert "marked missing" in response.content.decode()
    assert fresh(hw.dune_riv).status == Item.Status.MISSING


def test_it_shows_the_hold_shelf_and_the_list_to_clear(hw, riv):
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, item=hw.dune_riv).hold
    holds_desk.pull_copy(hw.desk_riv, hw.riv_main, hw.dune_riv)
    page = riv.get("/holds/shelf/").content.decode()
    assert "Lindqvist, Ada" in page and "31000000000011" in page
    holds_desk.cancel_hold(hw.desk_riv, hold)
    page = riv.get("/holds/clear/").content.decode()
    assert "SHELVE" in page and "Cancelled" in page
    riv.post(f"/holds/clear/{hold.pk}/")
    assert "Nothing to clear" in riv.get("/holds/clear/").content.decode()


def test_the_names_on_the_hold_shelf_and_to_clear_lists_are_audited_views(hw, riv):
    from onelibrary.patrons.models import PatronAudit

    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, item=hw.dune_riv).hold
    holds_desk.pull_copy(hw.desk_riv, hw.riv_main, hw.dune_riv)
    last = PatronAudit.objects.order_by("pk").last()
    assert "Lindqvist, Ada" in riv.get("/holds/shelf/").content.decode()
    audit = PatronAudit.objects.get(pk__gt=last.pk if last else 0)  # one view, one row
    assert (audit.patron, audit.staff, audit.action) == (hw.ada, hw.desk_riv, "view")
    assert audit.detail == {"purpose": "view", "context": "hold shelf"}
    assert {"first_name", "last_name"} <= set(audit.fields)

    holds_desk.cancel_hold(hw.desk_riv, hold)
    seen = PatronAudit.objects.count()
    assert "was for Lindqvist, Ada" in riv.get("/holds/clear/").content.decode()
    assert PatronAudit.objects.count() == seen + 1
    assert PatronAudit.objects.latest("pk").detail["context"] == "to clear"


def test_it_explains_a_holds_routing(hw, riv):
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_east, title=hw.dune).hold
    page = riv.get(f"/holds/{hold.pk}/explain/").content.decode()
    assert "Why this copy? Dune" in page
    assert "31000000000011" in page and "— chosen" in page
    assert "Courier days" in page and "RIV-MAIN" in page


def test_it_explains_what_routing_would_do_now_for_a_waiting_hold(hw, riv):
    Item.objects.update(status=Item.Status.CHECKED_OUT)
    hold = actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune).hold
    page = riv.get(f"/holds/{hold.pk}/explain/").content.decode()
    assert "If routing ran now" in page and "not available" in page
