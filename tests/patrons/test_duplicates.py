"""Possible duplicates of a new registration, as a specification (patrons/duplicates.py)."""

from __future__ import annotations

import datetime as dt

from onelibrary.patrons.duplicates import Person, as_seen, plain, possible_duplicates

BORN = dt.date(1980, 5, 17)
ADA = Person(
    1,
    "Ada",
    "Lindqvist",
    BORN,
    email="ada@example.org",
    address="12 Larch Street",
    postcode="59801",
)


def reasons(new: Person, *existing: Person) -> list[tuple[int, tuple[str, ...]]]:
    return [(m.pk, m.reasons) for m in possible_duplicates(new, existing or (ADA,))]


def test_it_finds_the_same_name_and_birth_date_whatever_the_case_and_accents():
    assert reasons(Person(None, "ADA", "Lindqvíst", BORN)) == [(1, ("same_name_and_birth_date",))]


def test_it_finds_the_same_address_written_differently():
    new = Person(None, "Bo", "Berg", None, address="12 larch st.", postcode="59 801")
    assert reasons(new) == [(1, ("same_address",))]


def test_it_finds_the_same_email():
    assert reasons(Person(None, "X", "Y", email=" ADA@example.org")) == [(1, ("same_email",))]


def test_it_finds_a_similar_name_and_a_name_in_the_other_order():
    assert reasons(Person(None, "Ada", "Lindquist")) == [(1, ("similar_name",))]
    assert reasons(Person(None, "Lindqvist", "Ada")) == [(1, ("similar_name",))]


def test_it_finds_the_same_name_with_another_birth_date_as_similar():
    assert reasons(Person(None, "Ada", "Lindqvist", dt.date(2001, 1, 1))) == [
        (1, ("similar_name",))
    ]


def test_it_ignores_different_people():
    assert (
        reasons(Person(None, "Ben", "Okafor", BORN, address="3 Elm Road", postcode="59802")) == []
    )
    assert reasons(Person(None, "Ada", "Lindgren")) == []


def test_it_does_not_match_a_record_to_itself_or_on_empty_addresses():
    assert reasons(Person(1, "Ada", "Lindqvist", BORN)) == []
    other = Person(2, "Cy", "Moss", address="", postcode="59801")
    assert reasons(Person(None, "Di", "Ness", address="", postcode="59801"), other) == []


def test_it_lists_the_strongest_matches_first():
    same_address = Person(2, "Bo", "Berg", address="12 Larch Street", postcode="59801")
    similar = Person(3, "Ada", "Lindquist")
    new = Person(None, "Ada", "Lindqvist", BORN, address="12 Larch St", postcode="59801")
    assert [pk for pk, _ in reasons(new, similar, same_address, ADA)] == [1, 2, 3]


def test_it_compares_names_without_punctuation_or_accents():
    assert plain("Zoë  O'Neil-Smith") == "zoe o neil smith"


EVERYTHING = frozenset({"identity", "contact", "address", "birth_date"})
NAME_ONLY = frozenset({"identity"})


def seen(new: Person, groups: frozenset[str]) -> list[tuple[str, ...] | None]:
    return [
        None if told is None else told.reasons
        for told in (as_seen(m, groups) for m in possible_duplicates(new, [ADA]))
    ]


def test_it_tells_a_same_name_as_similar_to_whom_the_birth_date_is_hidden():
    right = seen(Person(None, "Ada", "Lindqvist", BORN), NAME_ONLY)
    wrong = seen(Person(None, "Ada", "Lindqvist", dt.date(1981, 1, 1)), NAME_ONLY)
    assert right == wrong == [("similar_name",)]
    assert seen(Person(None, "Ada", "Lindqvist", BORN), EVERYTHING) == [
        ("same_name_and_birth_date",)
    ]


def test_it_tells_nobody_a_match_on_fields_they_may_not_see():
    by_email = Person(None, "Zed", "Quist", email="ada@example.org")
    by_address = Person(None, "Zed", "Quist", address="12 Larch St", postcode="59801")
    assert seen(by_email, NAME_ONLY) == [None] and seen(by_address, NAME_ONLY) == [None]
    assert seen(by_email, EVERYTHING) == [("same_email",)]
    assert seen(by_address, EVERYTHING) == [("same_address",)]
    both = Person(None, "Ada", "Lindquist", email="ada@example.org")
    assert seen(both, NAME_ONLY) == [("similar_name",)]
