"""What a new PIN must be (account/pins.py)."""

from __future__ import annotations

from onelibrary.account.pins import pin_problems


def test_it_accepts_four_digits_typed_twice():
    assert pin_problems("2468", "2468", card="29000000000017") == {}


def test_it_says_a_pin_is_too_short():
    assert "at least 4" in pin_problems("123", "123")["new_pin"]


def test_it_says_a_pin_is_too_long():
    assert "at most 64" in pin_problems("a" * 60 + "bcdef", "a" * 60 + "bcdef")["new_pin"]


def test_it_refuses_one_repeated_character():
    assert "repeat" in pin_problems("1111", "1111")["new_pin"]


def test_it_refuses_part_of_the_card_number():
    assert "card number" in pin_problems("0017", "0017", card="29000000000017")["new_pin"]


def test_it_refuses_control_characters():
    assert "letters" in pin_problems("12\x0034", "12\x0034")["new_pin"]


def test_it_says_when_the_two_do_not_match():
    problems = pin_problems("2468", "2486")
    assert set(problems) == {"again"}
    assert "not the same" in problems["again"]
