"""Booking: entries are written once, never changed; a correction is a reversal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from onelibrary.ledger import book
from onelibrary.ledger.book import LedgerRefusal
from onelibrary.ledger.models import Entry, Immutable

pytestmark = pytest.mark.django_db


def _post(world, **changes):
    fields = dict(
        kind=Entry.Kind.REPLACEMENT,
        debtor=world.pine,
        creditor=world.riverton,
        amount=Decimal("24.99"),
        source=("circulation.event", 7),
        reason="Dune lost by a Pine Creek patron",
        decision="LEDGER-1",
        item=world.dune_riv,
    )
    return book.post(**{**fields, **changes})


def test_it_books_an_entry_and_says_who_owes_whom(world):
    posted = _post(world)
    assert posted.created
    assert posted.entry.amount == Decimal("24.99")
    assert posted.message.startswith("Pine Creek Library owes Riverton City Library $24.99")


def test_ledger_13_the_same_fact_twice_writes_nothing_and_says_so(world):
    first = _post(world).entry
    again = _post(world, amount=Decimal("30.00"))
    assert not again.created and again.entry.pk == first.pk
    assert "Already booked as entry" in again.message
    assert Entry.objects.count() == 1


def test_ledger_13_a_second_claim_by_hand_is_refused(world):
    book.claim(**_claim(world))
    with pytest.raises(LedgerRefusal) as refused:
        book.claim(**_claim(world))
    assert refused.value.code == "already_claimed" and refused.value.decision == "LEDGER-13"
    assert Entry.objects.count() == 1


def _claim(world):
    return dict(
        kind=Entry.Kind.REPAIR,
        debtor=world.elk,
        creditor=world.pine,
        amount="8.00",
        source=("claim", "dune-spine"),
        reason="Spine broken",
        decision="LEDGER-2",
    )


def test_the_same_fact_may_book_entries_of_different_kinds(world):
    _post(world)
    _post(world, kind=Entry.Kind.PROCESSING_FEE, amount=Decimal("5.00"))
    assert Entry.objects.count() == 2


@pytest.mark.parametrize(
    "amount", ["-5.00", "0", "0.00", "10000.01", "1e9", "12.345", "NaN", "Infinity", "twelve"]
)
def test_ledger_11_a_negative_absurd_or_odd_amount_is_refused(world, amount):
    with pytest.raises(LedgerRefusal) as refused:
        _post(world, amount=amount)
    assert refused.value.decision == "LEDGER-11"
    assert Entry.objects.count() == 0


def test_ledger_11_the_ceiling_itself_is_allowed(world):
    assert _post(world, amount="10000.00").entry.amount == book.CEILING


def test_ledger_16_a_party_cannot_owe_itself_nor_post_a_reversal(world):
    with pytest.raises(LedgerRefusal) as same:
        _post(world, creditor=world.pine)
    with pytest.raises(LedgerRefusal) as group:
        _post(world, debtor=None, creditor=None)
    with pytest.raises(LedgerRefusal) as kind:
        _post(world, kind=Entry.Kind.REVERSAL)
    with pytest.raises(LedgerRefusal) as reason:
        _post(world, reason="  ")
    assert {same.value.decision, group.value.decision, kind.value.decision} == {"LEDGER-16"}
    assert reason.value.code == "reason_required"
    assert Entry.objects.count() == 0


def test_the_group_may_be_a_party(world):
    entry = _post(world, kind=Entry.Kind.TRANSIT_LOSS, debtor=None).entry
    assert entry.debtor is None
    assert book.balances(Entry.objects.all()) == {
        None: Decimal("-24.99"),
        world.riverton.pk: Decimal("24.99"),
    }


def test_ledger_12_a_claim_after_the_deadline_is_refused(world):
    now = timezone.now()
    with pytest.raises(LedgerRefusal) as refused:
        _post(world, occurred_at=now - dt.timedelta(days=91), claim_days=90, now=now)
    assert refused.value.decision == "LEDGER-12" and "90 days to claim" in refused.value.message
    assert Entry.objects.count() == 0
    assert _post(world, occurred_at=now - dt.timedelta(days=90), claim_days=90, now=now).created


def test_an_entry_is_never_saved_again(world):
    entry = _post(world).entry
    entry.amount = Decimal("1.00")
    with pytest.raises(Immutable):
        entry.save()
    fetched = Entry.objects.get(pk=entry.pk)
    with pytest.raises(Immutable):
        fetched.save(update_fields=["reason"])
    assert Entry.objects.get().amount == Decimal("24.99")


def test_an_entry_is_never_deleted(world):
    entry = _post(world).entry
    with pytest.raises(Immutable):
        entry.delete()
    with pytest.raises(Immutable):
        Entry.objects.all().delete()
    with pytest.raises(Immutable):
        Entry.objects.filter(pk=entry.pk).delete()
    assert Entry.objects.count() == 1


def test_entries_are_never_updated_in_bulk(world):
    entry = _post(world).entry
    with pytest.raises(Immutable):
        Entry.objects.filter(pk=entry.pk).update(amount=Decimal("1.00"))
    entry.amount = Decimal("1.00")
    with pytest.raises(Immutable):
        Entry.objects.bulk_update([entry], ["amount"])
    assert Entry.objects.get().amount == Decimal("24.99")


def test_the_database_refuses_a_non_positive_amount_however_written(world):
    from django.db import IntegrityError, transaction

    entry = _post(world).entry
    fields = {f.attname: getattr(entry, f.attname) for f in Entry._meta.concrete_fields}
    fields.update(id=None, amount=Decimal("-1.00"), source_id="other")
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.bulk_create([Entry(**fields)])
    assert Entry.objects.count() == 1


def test_ledger_10_a_reversal_swaps_the_parties_and_cancels_the_balance(world):
    entry = _post(world).entry
    reversal = book.reverse(entry, "Posted against the wrong library", world.central)
    assert (reversal.debtor, reversal.creditor) == (world.riverton, world.pine)
    assert reversal.amount == entry.amount and reversal.reverses == entry
    assert reversal.kind == Entry.Kind.REVERSAL and reversal.created_by == world.central
    assert set(book.balances(Entry.objects.all()).values()) == {Decimal("0.00")}
    assert Entry.objects.get(pk=entry.pk).reversed_by == reversal


def test_ledger_14_a_reversal_needs_a_reason_and_happens_once(world):
    entry = _post(world).entry
    with pytest.raises(LedgerRefusal) as no_reason:
        book.reverse(entry, " ", world.central)
    assert no_reason.value.decision == "LEDGER-14" and Entry.objects.count() == 1
    reversal = book.reverse(entry, "wrong library", world.central)
    with pytest.raises(LedgerRefusal) as twice:
        book.reverse(entry, "again", world.central)
    with pytest.raises(LedgerRefusal) as of_reversal:
        book.reverse(reversal, "undo the undo", world.central)
    assert twice.value.code == "already_reversed"
    assert of_reversal.value.code == "reversal_of_reversal"
    assert Entry.objects.count() == 2


def test_balances_are_what_each_party_is_owed_less_what_it_owes(world):
    _post(world)  # Pine owes Riverton 24.99
    _post(world, debtor=world.riverton, creditor=world.elk, amount="10.00", source=("x", 1))
    _post(world, debtor=world.elk, creditor=world.pine, amount="4.01", source=("x", 2))
    assert book.balances(Entry.objects.all()) == {
        world.pine.pk: Decimal("-20.98"),
        world.riverton.pk: Decimal("14.99"),
        world.elk.pk: Decimal("5.99"),
    }
