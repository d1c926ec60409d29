"""The transit API: a crate's life, scans that are refused but kept, transits by branch,
an item's history, the late list and declaring an item missing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from onelibrary.circulation.actions import check_in
from onelibrary.members import tokens
from onelibrary.transit import crates
from onelibrary.transit.models import CrateScan, Transit, TransitSettings
from tests.holds.conftest import Api

from .conftest import copy_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def pine(tw) -> Api:
    return Api(Client(), tokens.issue_token(tw.desk_pine, name="tests").key)


@pytest.fixture
def riv(tw) -> Api:
    return Api(Client(), tokens.issue_token(tw.desk_riv, name="tests").key)


def waiting_item(tw, barcode="31000000000029", home=None):
    item = copy_of(tw, barcode, at=tw.pine_main, home=home or tw.riv_main)
    check_in(tw.desk_pine, tw.pine_main, item)
    return item


def test_it_runs_a_crate_through_the_api(tw, pine, riv):
    item = waiting_item(tw)
    opened = pine.post("/transit/crates", {"branch": "PINE", "destination": "RIV-MAIN"})
    assert opened.status_code == 201, opened.json()
    label = opened.json()["label"]
    scanned = pine.post(
        f"/transit/crates/{label}/scan", {"branch": "PINE", "barcode": item.barcode}
    )
    assert scanned.json()["outcome"] == "added"
    assert (
        pine.post(f"/transit/crates/{label}/close", {"branch": "PINE"}).json()["state"] == "closed"
    )
    shipped = pine.post(f"/transit/crates/{label}/ship", {"branch": "PINE"}).json()
    assert shipped["state"] == "shipped" and shipped["lines"][0]["item_barcode"] == item.barcode
    got = riv.post(f"/transit/crates/{label}/receive", {"branch": "RIV-MAIN"}).json()
    assert got["outcome"] == "received"
    out = riv.post(
        f"/transit/crates/{label}/unpack", {"branch": "RIV-MAIN", "barcode": item.barcode}
    )
    assert out.json()["outcome"] == "arrived" and out.json()["instruction"] == "SHELVE"
    done = riv.post(f"/transit/crates/{label}/reconcile", {"branch": "RIV-MAIN"}).json()
    assert done["matches"] is True and done["arrived"] == [item.barcode]
    assert riv.get(f"/transit/crates/{label}").json()["state"] == "reconciled"


def test_it_answers_a_refused_scan_with_what_to_do_and_keeps_it(tw, pine):
    item = waiting_item(tw, home=tw.elk_main)
    label = pine.post("/transit/crates", {"branch": "PINE", "destination": "RIV-MAIN"}).json()[
        "label"
    ]
    body = pine.post(f"/transit/crates/{label}/scan", {"branch": "PINE", "barcode": item.barcode})
    assert body.status_code == 200
    assert body.json()["outcome"] == "refused" and "goes to Elk Valley" in body.json()["message"]
    assert CrateScan.objects.filter(outcome="refused", barcode=item.barcode).exists()


def test_it_refuses_another_librarys_staff_and_unknown_crates(tw, pine, riv):
    response = riv.post("/transit/crates", {"branch": "PINE", "destination": "RIV-MAIN"})
    assert response.status_code == 403
    assert pine.get("/transit/crates/CRATE-999999").status_code == 404
    bad = pine.post("/transit/crates", {"branch": "PINE"})
    assert bad.status_code == 409 and bad.json()["code"] == "no_destination"


def test_it_lists_a_branchs_transits_and_an_items_history(tw, pine):
    item = waiting_item(tw)
    out = pine.get("/transit/transits", branch="PINE", direction="out").json()
    assert [t["item_barcode"] for t in out] == [item.barcode]
    assert pine.get("/transit/transits", branch="PINE", direction="in").json() == []
    received = pine.get("/transit/transits", branch="RIV-MAIN", direction="in", state="waiting")
    assert received.json()[0]["reason"] == "return_home"
    history = pine.get(f"/transit/items/{item.barcode}/transits").json()
    assert [(t["sender"], t["receiver"], t["state"]) for t in history] == [
        ("PINE", "RIV-MAIN", "waiting")
    ]
    assert pine.get("/transit/items/nope/transits").status_code == 404
    assert pine.get("/transit/transits", branch="PINE", direction="sideways").status_code == 422


def test_it_lists_late_items_and_declares_one_missing(tw, pine):
    TransitSettings.objects.create(late_after_days=1, missing_after_days=3)
    item = waiting_item(tw)
    crates.ship_loose(tw.desk_pine, tw.pine_main, item, now=timezone.now() - dt.timedelta(days=20))
    rows = pine.get("/transit/late", branch="PINE").json()
    assert rows[0]["transit"]["item_barcode"] == item.barcode and rows[0]["may_declare_missing"]
    transit = Transit.objects.get()
    body = pine.post(f"/transit/transits/{transit.pk}/missing", {"branch": "PINE", "note": "gone"})
    assert body.status_code == 200 and body.json()["state"] == "missing"
    again = pine.post(f"/transit/transits/{transit.pk}/missing", {"branch": "PINE"})
    assert again.status_code == 409
