"""Each process keeps the rules in memory; the version token tells it when to read them again."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from onelibrary.catalog.models import Item
from onelibrary.patrons.models import Patron
from onelibrary.policy.lookup import policy_for
from onelibrary.policy.models import CirculationRule, ExemptionReason, GroupPolicy

pytestmark = pytest.mark.django_db


@pytest.fixture
def situation(world, rules):
    item = Item.objects.get(barcode="31000000000011")
    patron = Patron.objects.get(card="29000000000017")
    return item, patron, world.riv_main


def loan_days(situation) -> int:
    return policy_for(*situation).values["loan_days"]


def test_a_second_resolution_reads_only_the_token(situation):
    loan_days(situation)
    with CaptureQueriesContext(connection) as queries:
        assert loan_days(situation) == 21
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) == 1 and "policy_rulesversion" in sql[0], sql


def test_a_bulk_update_is_seen(situation, rules):
    assert loan_days(situation) == 21
    CirculationRule.objects.filter(pk=rules["default"].pk).update(loan_days=14)
    assert loan_days(situation) == 14


def test_a_new_rule_and_a_deleted_rule_are_seen(situation, world, rules):
    assert loan_days(situation) == 21
    riv = CirculationRule.objects.create(name="RIV short", library=world.riverton, loan_days=7)
    assert loan_days(situation) == 7
    riv.delete()
    assert loan_days(situation) == 21


def test_a_rolled_back_change_is_forgotten(situation, rules):
    assert loan_days(situation) == 21
    with pytest.raises(RuntimeError), transaction.atomic():
        CirculationRule.objects.filter(pk=rules["default"].pk).update(loan_days=3)
        assert loan_days(situation) == 3
        raise RuntimeError("undo")
    assert loan_days(situation) == 21


def test_a_change_of_governing_library_is_seen(situation, world, rules):
    item, patron, _ = situation
    assert policy_for(item, patron, world.pine_main).values["fine_per_day"] is None
    GroupPolicy.objects.create(governing_library=GroupPolicy.GoverningLibrary.CHECKOUT)
    assert str(policy_for(item, patron, world.pine_main).values["fine_per_day"]) == "0.25"


def test_a_renamed_exemption_reason_is_seen(situation, rules):
    reason = ExemptionReason.objects.create(code="local", label="Local history")
    CirculationRule.objects.filter(pk=rules["default"].pk).update(exempt_reason=reason)
    assert policy_for(*situation).values["exempt_reason"] == "local"
    ExemptionReason.objects.filter(pk=reason.pk).update(code="reference")
    assert policy_for(*situation).values["exempt_reason"] == "reference"
