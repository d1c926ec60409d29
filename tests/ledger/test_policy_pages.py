"""The replacement policy in plain words, and policies compared on what happened."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from onelibrary.ledger import compare, policies, posting, settlement
from onelibrary.ledger import rules as R
from onelibrary.ledger.models import Entry
from tests.conftest import PASSWORD

from .test_posting import DAY, adopt, ben_loses_dune, shipped_and_lost, terms

pytestmark = pytest.mark.django_db


def test_it_says_each_case_in_plain_words():
    p = R.Policy("Usual", 1, {t.case: t for t in policies.usual_terms()})
    lost = policies.words(p, p.cases[R.LOST_BY_PATRON], "Riverside", "Elk Falls")
    assert lost.startswith(
        "When a patron of Elk Falls loses a book owned by Riverside, Elk Falls owes Riverside "
        "the book's price when it was lost, plus a $5.00 processing fee, whether or not the "
        "patron has paid."
    )
    transit = policies.words(p, p.cases[R.LOST_IN_TRANSIT], "Riverside", "Elk Falls", "Pine")
    assert (
        "lost in transit from Elk Falls to Pine, the group (for the courier) owes Riverside"
        in transit
    )
    found = policies.words(p, p.cases[R.FOUND_AFTER_PAYMENT], "Riverside", "Elk Falls")
    assert found.endswith(
        "Riverside hands back to Elk Falls what it was paid, keeping the processing fee."
    )
    own = R.Terms(R.DAMAGED_IN_TRANSIT, "owner")
    assert "carries the loss" in policies.words(p, own, "Riverside", "Elk Falls")


def test_the_policy_page_shows_every_case(lw, usual):
    client = Client()
    client.login(username="desk.pine", password=PASSWORD)
    page = client.get("/ledger/policy/").content.decode()
    for decision in ("LEDGER-1", "LEDGER-2", "LEDGER-3", "LEDGER-4", "LEDGER-5", "LEDGER-6"):
        assert decision in page
    assert "whether or not the patron has paid" in page


def test_comparing_policies_books_nothing_and_says_the_difference(lw, usual, monday):
    ben_loses_dune(lw, monday)
    shipped_and_lost(lw, monday + DAY)
    strict = adopt(
        terms(R.LOST_IN_TRANSIT, payer="receiver"),
        terms(R.LOST_BY_PATRON, processing_fee=Decimal(0)),
    )
    period = settlement.period("2026-11-01..2026-12-31")
    names = {"RIV": "Riverton", "PINE": "Pine Creek", "ELK": "Elk", None: "The group"}
    rows = {
        r.code: r
        for r in compare.compare(
            [policies.as_rules(usual), policies.as_rules(strict)],
            compare.facts_between(period),
            names,
        )
    }
    assert Entry.objects.count() == 0  # nothing written
    assert rows["PINE"].balances == [Decimal("-29.99"), Decimal("-49.98")]
    assert rows["PINE"].words[1] == "under Test v1, Pine Creek would have owed $19.99 more"
    assert rows[""].balances == [Decimal("-24.99"), Decimal("0.00")]


def test_the_compare_page_lays_policies_side_by_side(lw, usual, monday):
    ben_loses_dune(lw, monday)
    other = adopt(terms(R.LOST_BY_PATRON, processing_fee=Decimal("10.00")))
    client = Client()
    client.login(username="central", password=PASSWORD)
    url = f"/ledger/compare/?period=2026-11&policy={usual.pk}&policy={other.pk}"
    page = client.get(url).content.decode()
    assert "would have owed $5.00 more" in page
    assert Entry.objects.count() == 0
    posting.catch_up()  # the page itself never books a comparison
    assert Entry.objects.count() == 2
