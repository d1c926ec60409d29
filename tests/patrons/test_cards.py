"""Card numbers: the group scheme, its check digit, and issuing the next card."""

from __future__ import annotations

import pytest

from onelibrary.patrons import cards
from onelibrary.patrons.actions import issue_card
from onelibrary.patrons.models import Patron, PatronSettings

GOOD = cards.card_number("29000", 42)


def test_it_builds_14_digits_from_prefix_sequence_and_luhn_digit():
    assert GOOD == "29000000000429"
    assert len(GOOD) == cards.CARD_LENGTH
    assert cards.check_card(GOOD) == GOOD
    assert cards.sequence_of("29000", GOOD) == 42


def test_it_accepts_spaces_and_dashes_typed_in_a_card():
    assert cards.check_card(" 2900 0000-0004 29 ") == GOOD


@pytest.mark.parametrize("position", range(cards.CARD_LENGTH))
def test_it_catches_every_mistyped_digit(position):
    for digit in "0123456789":
        if digit == GOOD[position]:
            continue
        typo = GOOD[:position] + digit + GOOD[position + 1 :]
        with pytest.raises(cards.CardError, match="check digit"):
            cards.check_card(typo)


def test_it_catches_swapped_neighbours_except_0_and_9():
    caught = missed = 0
    for sequence in range(1, 400):
        card = cards.card_number("29000", sequence * 7919)
        for i in range(cards.CARD_LENGTH - 1):
            a, b = card[i], card[i + 1]
            if a == b:
                continue
            swapped = card[:i] + b + a + card[i + 2 :]
            try:
                cards.check_card(swapped)
            except cards.CardError:
                caught += 1
            else:
                missed += 1
                assert {a, b} == {"0", "9"}, swapped
    assert caught > 1000


def test_it_says_what_is_wrong_with_a_short_or_lettered_card():
    with pytest.raises(cards.CardError, match="has 13 digits; a library card has 14"):
        cards.check_card(GOOD[:-1])
    with pytest.raises(cards.CardError, match="only digits"):
        cards.check_card("2900O000000429")
    with pytest.raises(cards.CardError, match="No card number"):
        cards.check_card("  ")


def test_it_issues_cards_one_after_another(db):
    first, second = issue_card(), issue_card()
    assert first == cards.card_number("29000", 1)
    assert second == cards.card_number("29000", 2)
    assert PatronSettings.current().next_card_sequence == 3


def test_it_skips_past_cards_already_given_out_another_way(world):
    Patron.objects.create(
        card=cards.card_number("29000", 500),
        first_name="Imported",
        last_name="Card",
        home_library=world.pine,
        expires_on=world.ada.expires_on,
    )
    settings = PatronSettings.current()
    settings.next_card_sequence = 500
    settings.save()
    assert issue_card() == cards.card_number("29000", 501)
    assert issue_card() == cards.card_number("29000", 502)


def test_it_names_a_mistyped_card_at_the_desk_lookup(world):
    from onelibrary.patrons.access import PatronError, find_card

    typo = GOOD[:3] + ("1" if GOOD[3] != "1" else "2") + GOOD[4:]
    with pytest.raises(PatronError) as raised:
        find_card(typo)
    assert raised.value.code == "unknown_patron"
    assert "No patron has the card" in raised.value.message
    assert "check digit" in raised.value.message
