"""The group's card numbers: 14 digits, the group prefix, a sequence and a Luhn digit.

`29000` + `00000042` + check digit. The leading 2 marks a patron card (item barcodes start
with 3), the next four digits are the group's institution code, so a card says nothing about
a home library that may change. The Luhn (mod 10) check digit catches every single mistyped
digit and every swap of two neighbouring digits except 0↔9 (`09` ↔ `90`). Cards a member
issued before joining keep working: a card is found by its number first, and the scheme is
only asked why when no patron has the number typed (docs/patrons.md, 'Cards').
"""

from __future__ import annotations

CARD_LENGTH = 14


class CardError(ValueError):
    """A typed card number that cannot be right; `message` says what to check."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def luhn_digit(digits: str) -> str:
    """The check digit that makes `digits + result` pass the Luhn test."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def card_number(prefix: str, sequence: int) -> str:
    width = CARD_LENGTH - len(prefix) - 1
    if sequence < 1 or len(str(sequence)) > width:
        raise ValueError(f"sequence {sequence} does not fit {width} digits")
    body = f"{prefix}{sequence:0{width}d}"
    return body + luhn_digit(body)


def sequence_of(prefix: str, card: str) -> int | None:
    """The sequence a card of this group's scheme was issued with; None for other cards."""
    if len(card) != CARD_LENGTH or not card.isdigit() or not card.startswith(prefix):
        return None
    return int(card[len(prefix) : -1])


def normalise(typed: str) -> str:
    return "".join(typed.split()).replace("-", "")


def check_card(typed: str) -> str:
    """The card number as stored, or CardError saying what is wrong with what was typed."""
    card = normalise(typed)
    if not card:
        raise CardError("No card number was given. Scan or type the patron's card.")
    if not card.isdigit():
        raise CardError(
            f"{typed.strip()} is not a card number: a library card has only digits. "
            "Scan the card or type the number under the barcode."
        )
    if len(card) != CARD_LENGTH:
        raise CardError(
            f"{card} has {len(card)} digits; a library card has {CARD_LENGTH}. "
            "Check for a missing or an extra digit."
        )
    if luhn_digit(card[:-1]) != card[-1]:
        raise CardError(
            f"{card} is not a valid card number: its last digit (the check digit) does not "
            "match. A digit was probably mistyped or two neighbouring digits swapped; "
            "scan the card or type it again."
        )
    return card
