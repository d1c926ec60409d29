"""`onelibrary import-evergreen`: the sample consortium, counted from its own files."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from onelibrary.catalog.models import Item, Title
from onelibrary.circulation.models import Loan
from onelibrary.evergreen.models import EvergreenKey
from onelibrary.holds.actions import route_titles
from onelibrary.holds.models import Hold
from onelibrary.members.models import Branch, ClosedDate, Library
from onelibrary.patrons.models import Patron
from onelibrary.policy.models import CirculationRule

from .conftest import rows, tsv

MODELS = (Library, Branch, ClosedDate, Title, Item, Patron, Hold, Loan, CirculationRule)


def run(directory: Path) -> dict:
    out = io.StringIO()
    call_command("import_evergreen", str(directory), "--json", stdout=out)
    return json.loads(out.getvalue())


def expected(d: Path) -> dict[str, int]:
    """The counts the import must print, worked out from the files alone."""
    units = rows(d / "actor.org_unit.sql")
    bibs = {r["id"]: r for r in rows(d / "biblio.record_entry.sql")}
    volumes = {r["id"]: r for r in rows(d / "asset.call_number.sql")}
    copies = rows(d / "asset.copy.sql")
    patrons = {r["id"] for r in tsv(d / "actor.usr.minimal.tsv") if r["deleted"] == "0"}
    live_copies = {
        c["id"]
        for c in copies
        if c["deleted"] == "0"
        and volumes[c["call_number"]]["deleted"] == "0"
        and bibs[volumes[c["call_number"]]["record"]]["deleted"] == "0"
    }
    holds = [
        h
        for h in rows(d / "action.hold_request.sql")
        if h["fulfillment_time"] == h["cancel_time"] == "\\N"
        and h["hold_type"] in ("T", "C", "V")
        and h["usr"] in patrons
        and (h["hold_type"] != "C" or h["target"] in live_copies)
    ]
    return {
        "members": sum(1 for u in units if u["parent_ou"] == "1"),
        "branches": sum(1 for u in units if u["parent_ou"] != "1"),
        "titles": sum(1 for b in bibs.values() if b["deleted"] == "0"),
        "items": len(live_copies),
        "patrons": len(patrons),
        "holds": len(holds),
        "loans": sum(
            1
            for c in rows(d / "action.circulation.sql")
            if c["checkin_time"] == "\\N" and c["target_copy"] in live_copies
        ),
    }


@pytest.mark.django_db(transaction=True)
def test_it_loads_the_sample_consortium_and_a_second_run_changes_nothing(concerto):
    first = run(concerto)

    assert {k: first[k] for k in expected(concerto)} == expected(concerto)
    assert Library.objects.count() == first["members"]
    assert Item.objects.count() == first["items"]
    assert Loan.objects.count() == first["loans"]
    assert any("config.circ_matrix_matchpoint id 3" in line for line in first["unmapped"])
    assert any("action.hold_request" in line and "metarecord" in line for line in first["unmapped"])
    before = {m.__name__: m.objects.count() for m in MODELS}
    keys = EvergreenKey.objects.count()

    second = run(concerto)

    assert {m.__name__: m.objects.count() for m in MODELS} == before
    assert EvergreenKey.objects.count() == keys
    assert set(second["created"].values()) <= {0}
    assert second["unmapped"] == first["unmapped"]
    assert {k: second[k] for k in expected(concerto)} == expected(concerto)


@pytest.mark.django_db(transaction=True)
def test_an_imported_hold_is_routed_to_a_copy_on_the_shelf(concerto):
    report = run(concerto)
    # Evergreen's default rule is seed data, not in the dump: the group sets its own.
    assert any("set the group default rule" in line for line in report["unmapped"])
    CirculationRule.objects.create(
        name="Group default", loan_days=21, renewals_allowed=2, max_items_out=30, holdable=True
    )
    hold = next(
        h
        for h in Hold.objects.filter(item=None).order_by("pk")
        if h.title.items.filter(status=Item.Status.AVAILABLE, holdable=True).exists()
    )

    with transaction.atomic():  # as the routing task runs it
        route_titles([hold.title_id], now=timezone.now())

    hold.refresh_from_db()
    assert hold.state == Hold.State.ROUTED
    assert hold.assigned_item is not None
    assert hold.assigned_item.title_id == hold.title_id


@pytest.mark.django_db
def test_copies_keep_their_place_status_price_and_acquisition_date(concerto):
    run(concerto)
    key = EvergreenKey.objects.get(kind="item", evergreen_id="1")
    item = Item.objects.select_related("home_branch").get(pk=key.object_id)
    # asset.copy 1: circ_lib 4 (RPLS-WEPL), location 102 "Reference", price 24.99,
    # active 2020-10-27 10:26:51-04, status 0.
    assert (item.barcode, item.home_branch.code, item.current_branch_id) == (
        "CONC4000036",
        "RPLS-WEPL",
        item.home_branch_id,
    )
    assert (item.shelf_location, str(item.price), item.status) == (
        "Reference",
        "24.99",
        "available",
    )
    assert item.created_at.isoformat() == "2020-10-27T14:26:51.426709+00:00"
    assert item.acquired_on == dt.date(2020, 10, 27)
    lost = Loan.objects.filter(state=Loan.State.LOST)
    assert lost.exists()
    assert {loan.item.status for loan in lost} == {"lost"}


@pytest.mark.django_db
def test_branches_keep_their_open_days_closed_dates_and_address(concerto):
    run(concerto)
    branch = Branch.objects.get(code="RPLS-WEPL")
    # hours 4: Monday to Saturday open, Sunday 00:00–00:00.
    assert branch.open_days == "1111110"
    assert branch.library.code == "RPLS"
    assert ClosedDate.objects.filter(branch=branch, reason="Veterans Day").exists()
    assert branch.address and branch.town and branch.postcode
    assert Branch.objects.get(code="WAKA-BKM").library.code == "WAKA"  # a sub-library


@pytest.mark.django_db
def test_a_hold_rule_on_a_circulation_modifier_becomes_ours(concerto):
    report = run(concerto)
    rule = CirculationRule.objects.get(item_type="bestseller no hold")
    assert (rule.library, rule.holdable, rule.patron_category) == (None, False, "")
    assert any(line.startswith("config.hold_matrix_matchpoint id 3") for line in report["unmapped"])
