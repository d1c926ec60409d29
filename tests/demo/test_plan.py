"""The demo group as plain data (demo/generator.py, places.py, collection.py, people.py).

No database: these check the shape the issue asks for, at both sizes, and that a seed
always gives the same group.
"""

from __future__ import annotations

import datetime as dt
import random
from statistics import mean

import pytest

from onelibrary.demo.checkdigits import isbn13_valid, luhn_valid
from onelibrary.demo.generator import SIZES, build_plan
from onelibrary.demo.places import MAP_BOX, distance_km, holidays, plan_libraries
from onelibrary.members.models import code_validator

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def small():
    return build_plan(1, "small", today=TODAY)


@pytest.fixture(scope="module")
def large_libraries():
    size = SIZES["large"]
    return plan_libraries(
        random.Random(7), members=size.members, branches=size.branches, today=TODAY
    )


def fingerprint(plan):
    """What must not change between two runs with one seed."""
    return (
        [lib.code for lib in plan.libraries],
        [
            (b.code, b.latitude, b.longitude, b.open_days)
            for lib in plan.libraries
            for b in lib.branches
        ],
        [(t.title, t.author, t.isbn) for t in plan.titles],
        [(i.barcode, i.title_index, i.home_branch, i.status) for i in plan.items],
        [(p.card, p.last_name, p.preferred_branch) for p in plan.patrons],
        [s.username for s in plan.staff],
    )


def test_it_plans_about_12_members_and_18_branches_when_small(small):
    assert 10 <= len(small.libraries) <= 14
    assert 15 <= small.branch_count <= 21
    assert 2_500 <= len(small.titles) <= 3_500
    assert len(small.patrons) == 2_000


def test_it_plans_about_80_members_and_110_branches_when_large(large_libraries):
    assert 70 <= len(large_libraries) <= 90
    assert 100 <= sum(len(lib.branches) for lib in large_libraries) <= 120
    assert SIZES["large"].titles == 20_000
    assert SIZES["large"].patrons == 20_000


def test_it_keeps_every_branch_inside_the_map(small, large_libraries):
    for lib in [*small.libraries, *large_libraries]:
        for b in lib.branches:
            assert MAP_BOX.contains(float(b.latitude), float(b.longitude)), b


def test_it_spreads_branches_over_a_real_sized_map(large_libraries):
    points = [
        (float(b.latitude), float(b.longitude)) for lib in large_libraries for b in lib.branches
    ]
    west_east = distance_km((47.0, min(p[1] for p in points)), (47.0, max(p[1] for p in points)))
    south_north = distance_km((min(p[0] for p in points), -110), (max(p[0] for p in points), -110))
    assert west_east > 600
    assert south_north > 300


def test_it_spans_member_sizes_from_one_room_to_city(small, large_libraries):
    for libraries in (small.libraries, large_libraries):
        classes = {lib.size_class for lib in libraries}
        assert classes == {"one_room", "small", "medium", "large", "city"}


def test_it_clusters_a_city_systems_branches_in_its_city(large_libraries):
    cities = [lib for lib in large_libraries if lib.size_class == "city"]
    assert len(cities) >= 3
    for city in cities:
        assert len(city.branches) >= 3
        main = city.branches[0]
        for b in city.branches[1:]:
            assert b.town == main.town
            here = (float(b.latitude), float(b.longitude))
            assert distance_km(here, (float(main.latitude), float(main.longitude))) < 15


def test_it_gives_every_one_room_library_a_single_branch_open_two_to_four_days(large_libraries):
    one_room = [lib for lib in large_libraries if lib.size_class == "one_room"]
    assert len(one_room) >= 10
    for lib in one_room:
        assert len(lib.branches) == 1
        assert 2 <= lib.branches[0].open_days.count("1") <= 4


def test_it_makes_codes_unique_and_valid(large_libraries):
    library_codes = [lib.code for lib in large_libraries]
    branch_codes = [b.code for lib in large_libraries for b in lib.branches]
    assert len(set(library_codes)) == len(library_codes)
    assert len(set(branch_codes)) == len(branch_codes)
    for code in library_codes + branch_codes:
        code_validator(code)  # raises ValidationError for a code the models refuse


def test_it_has_one_onboarding_and_one_applicant_member(small):
    statuses = [lib.status for lib in small.libraries]
    assert statuses.count("onboarding") == 1
    assert statuses.count("applicant") == 1
    assert statuses.count("active") == len(statuses) - 2


def test_it_closes_branches_on_holidays_in_the_coming_year(small):
    for lib in small.libraries:
        for b in lib.branches:
            days = [day for day, _ in b.closed_dates]
            assert len(days) >= 5
            assert len(set(days)) == len(days)
            assert all(TODAY <= day < TODAY + dt.timedelta(days=366) for day in days)


def test_it_finds_thanksgiving_and_christmas():
    found = dict(holidays(dt.date(2026, 1, 2)))
    assert found[dt.date(2026, 11, 26)] == "Thanksgiving"
    assert found[dt.date(2026, 12, 25)] == "Christmas Day"
    assert found[dt.date(2026, 5, 25)] == "Memorial Day"
    assert dt.date(2026, 1, 1) not in found  # already past


def test_it_gives_big_libraries_more_copies_than_small_ones(small):
    per_library = {lib.code: 0 for lib in small.libraries}
    for item in small.items:
        per_library[item.library] += 1
    by_class = {}
    for lib in small.libraries:
        if lib.status != "applicant":
            by_class.setdefault(lib.size_class, []).append(per_library[lib.code])
    averages = [mean(by_class[c]) for c in ("city", "large", "medium", "small", "one_room")]
    assert averages == sorted(averages, reverse=True)
    assert averages[0] > 10 * averages[-1]


def test_it_gives_popular_new_titles_many_copies(small):
    copies = {}
    for item in small.items:
        copies[item.title_index] = copies.get(item.title_index, 0) + 1
    new = [n for i, n in copies.items() if small.titles[i].year >= TODAY.year - 1]
    old = [n for i, n in copies.items() if small.titles[i].year < TODAY.year - 5]
    assert mean(new) > 1.5 * mean(old)
    assert max(copies.values()) >= 15


def test_it_adds_some_realism_to_copies(small):
    statuses = {i.status for i in small.items}
    assert {"available", "checked_out", "in_transit", "missing"} <= statuses
    assert any(i.floating for i in small.items)
    assert any(not i.holdable and i.collection == "REF" for i in small.items)
    for item in small.items:
        if item.status == "in_transit":
            assert item.current_branch != item.home_branch


def test_it_makes_unique_barcodes_and_cards_with_check_digits(small):
    barcodes = [i.barcode for i in small.items]
    cards = [p.card for p in small.patrons]
    assert len(set(barcodes)) == len(barcodes)
    assert len(set(cards)) == len(cards)
    assert all(len(b) == 14 and luhn_valid(b) for b in barcodes)
    assert all(len(c) == 14 and luhn_valid(c) for c in cards)


def test_it_makes_valid_unique_isbns(small):
    isbns = [t.isbn for t in small.titles if t.isbn]
    assert len(isbns) > len(small.titles) / 2
    assert len(set(isbns)) == len(isbns)
    assert all(isbn13_valid(isbn) for isbn in isbns)


def test_it_gives_patrons_a_home_branch_and_some_expired_cards(small):
    branches = {b.code: lib.code for lib in small.libraries for b in lib.branches}
    expired = [p for p in small.patrons if p.expires_on < TODAY]
    assert 0.03 < len(expired) / len(small.patrons) < 0.25
    home = [p for p in small.patrons if branches[p.preferred_branch] == p.home_library]
    assert len(home) > 0.8 * len(small.patrons)
    applicants = {lib.code for lib in small.libraries if lib.status == "applicant"}
    assert not any(p.home_library in applicants for p in small.patrons)


def test_it_plans_central_office_and_two_accounts_per_library(small):
    names = [s.username for s in small.staff]
    assert names[0] == "central"
    for lib in small.libraries:
        assert f"desk.{lib.code.lower()}" in names
        assert f"admin.{lib.code.lower()}" in names
    assert len(names) == 1 + 2 * len(small.libraries)


def test_it_plans_the_same_group_for_the_same_seed(small):
    again = build_plan(1, "small", today=TODAY)
    assert fingerprint(again) == fingerprint(small)


def test_it_plans_another_group_for_another_seed(small):
    other = build_plan(2, "small", today=TODAY, titles=300, patrons=100)
    assert [lib.code for lib in other.libraries] != [lib.code for lib in small.libraries]
    first = other.libraries[0].branches[0]
    assert (first.latitude, first.longitude) != (
        small.libraries[0].branches[0].latitude,
        small.libraries[0].branches[0].longitude,
    )


def test_it_keeps_the_libraries_when_titles_and_patrons_are_scaled_down(small):
    scaled = build_plan(1, "small", today=TODAY, titles=100, patrons=50)
    assert scaled.libraries == small.libraries
    assert len(scaled.titles) == 100
    assert len(scaled.patrons) == 50


def test_it_gives_big_libraries_more_copies_in_the_large_group_too():
    large = build_plan(7, "large", today=TODAY, titles=2_000, patrons=500)
    per_library = {lib.code: 0 for lib in large.libraries}
    for item in large.items:
        per_library[item.library] += 1
    by_class = {}
    for lib in large.libraries:
        if lib.status != "applicant":
            by_class.setdefault(lib.size_class, []).append(per_library[lib.code])
    averages = [mean(by_class[c]) for c in ("city", "large", "medium", "small", "one_room")]
    assert averages == sorted(averages, reverse=True)
    assert len({p.home_library for p in large.patrons}) > 60
