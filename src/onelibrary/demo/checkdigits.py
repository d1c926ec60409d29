"""Check digits for the numbers the demo makes up: barcodes, cards and ISBN-13s."""

from __future__ import annotations


def luhn_digit(digits: str) -> str:
    """The Luhn (mod 10) check digit that makes `digits + result` pass the Luhn test.

    Library barcodes and cards commonly carry one, so a mistyped scan is caught at the desk.
    """
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    return number.isdigit() and len(number) > 1 and luhn_digit(number[:-1]) == number[-1]


def isbn13_digit(first12: str) -> str:
    """The ISBN-13 check digit: weights 1 and 3 alternating, mod 10."""
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(first12))
    return str((10 - total % 10) % 10)


def isbn13_valid(isbn: str) -> bool:
    return len(isbn) == 13 and isbn.isdigit() and isbn13_digit(isbn[:12]) == isbn[12]
