"""What makes a new PIN acceptable (pure): what is wrong with it, per form field."""

from __future__ import annotations

MIN_LENGTH = 4
MAX_LENGTH = 64


def pin_problems(new: str, again: str, *, card: str = "") -> dict[str, str]:
    """{field: what to fix}; empty when the new PIN may be used. Fields: new_pin, again."""
    problems: dict[str, str] = {}
    if len(new) < MIN_LENGTH:
        problems["new_pin"] = f"Use at least {MIN_LENGTH} characters or digits."
    elif len(new) > MAX_LENGTH:
        problems["new_pin"] = f"Use at most {MAX_LENGTH} characters."
    elif any(ord(c) < 32 or ord(c) == 127 for c in new):
        problems["new_pin"] = "Use letters, digits and punctuation only."
    elif len(set(new)) == 1:
        problems["new_pin"] = "Do not repeat one character: it is the first thing guessed."
    elif card and new in card:
        problems["new_pin"] = "Do not use part of your card number: it is printed on the card."
    if new != again:
        problems["again"] = "The two new PINs are not the same. Type it the same way twice."
    return problems
