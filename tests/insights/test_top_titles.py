"""Top titles by a threshold search (insights/ranking.py): its rule on hand-made readings,
and its answers held to adding up every title's loans, on random histories."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest

from onelibrary.catalog.models import Title
from onelibrary.insights import ranking, rollup, series
from onelibrary.insights.models import BuiltDay, TitleDay, TitleMonth
from onelibrary.insights.ranking import Count, Decided, Deepen, Reading, decide

# --- the rule, on readings written by hand ---------------------------------------------


def reading(*lists: tuple[list[tuple[int, int]], int]) -> Reading:
    """A reading of lists, each given as its rows read and how many were asked for."""
    found = Reading.of(len(lists))
    for index, (rows, asked) in enumerate(lists):
        found.record(index, rows, asked)
    return found


def test_it_bounds_a_title_by_the_floors_of_the_lists_it_was_not_seen_in():
    r = reading(([(1, 9), (2, 5)], 2), ([(2, 7), (3, 4)], 2), ([(3, 1)], 5))
    assert r.floors == [5, 4, 0] and r.ended == [False, False, True]
    assert r.threshold == 9
    assert r.bounds() == {1: (9, 13), 2: (12, 12), 3: (5, 10)}


def test_it_answers_once_the_cut_is_above_every_title_not_seen():
    r = reading(([(1, 9), (2, 5)], 2), ([(2, 7), (3, 4)], 2), ([(3, 1)], 5))
    # Title 2 has 12 for sure, title 1 at most 13: it is counted; title 3 at most 10.
    assert decide(r, {}, limit=1, batch=5) == Count([1])
    assert decide(r, {1: 9}, limit=1, batch=5) == Decided({2: 12})


def test_it_deepens_while_a_title_not_seen_could_tie_the_cut():
    # Title 2 has 12; a title not seen could have 5 + 7 = 12 too, and win on its name.
    r = reading(([(1, 9), (2, 5)], 2), ([(2, 7)], 1), ([(3, 1)], 5))
    assert r.threshold == 12
    assert decide(r, {}, limit=1, batch=5) == Count([1, 3])  # each at most 13
    assert decide(r, {1: 9, 3: 1}, limit=1, batch=5) == Deepen()
    # Counted, the second title has 5, and so could one not seen (3 + 2): not decided yet.
    r = reading(([(1, 6), (2, 3)], 2), ([(1, 4), (3, 2)], 2), ([(2, 1)], 5))
    assert decide(r, {}, limit=2, batch=5) == Count([2, 3])  # at most 6 and 5
    assert decide(r, {2: 5, 3: 2}, limit=2, batch=5) == Deepen()


def test_it_deepens_without_counting_while_no_title_is_sure_to_beat_the_unseen():
    r = reading(([(1, 9), (2, 9)], 2), ([(3, 9), (4, 9)], 2))
    assert decide(r, {}, limit=1, batch=5) == Deepen()  # at most 18 each, as the unseen


def test_it_counts_only_the_titles_that_could_reach_the_cut():
    r = reading(([(1, 20), (2, 3)], 2), ([(3, 15), (2, 2)], 2), ([(4, 2)], 1))
    # 2 has 5; 1 at most 22, 3 at most 18, 4 at most 2 + 3 + 2 = 7: only 1 and 3 count.
    assert decide(r, {}, limit=2, batch=1) == Count([1])
    assert decide(r, {1: 20}, limit=2, batch=1) == Count([3])
    assert decide(r, {1: 20, 3: 15}, limit=2, batch=1) == Decided({1: 20, 3: 15})


def test_a_period_read_to_its_end_gives_every_title_with_the_cut_and_its_ties():
    r = reading(([(1, 4), (2, 3), (3, 3)], 5), ([(4, 3)], 5))
    assert decide(r, {}, limit=2, batch=5) == Decided({1: 4, 2: 3, 3: 3, 4: 3})
    assert decide(r, {}, limit=9, batch=5) == Decided({1: 4, 2: 3, 3: 3, 4: 3})
    assert decide(Reading.of(0), {}, limit=3, batch=5) == Decided({})


# --- against adding up every title, in the database -------------------------------------

FIRST, LAST = dt.date(2026, 1, 1), dt.date(2026, 4, 30)


def make_titles(n: int) -> list[Title]:
    """`n` titles whose names repeat (ties by loans and name go by id)."""
    return [
        Title.objects.create(title=f"Title {i % 4}", author=f"Author {i}", title_key=f"t{i}")
        for i in range(n)
    ]


def write_days(rows: dict[tuple[dt.date, int], int]) -> None:
    """The title summaries of the days FIRST to LAST, as if built (read only where built)."""
    TitleDay.objects.all().delete()
    TitleDay.objects.bulk_create(
        TitleDay(day=day, title_id=title, loans=loans) for (day, title), loans in rows.items()
    )
    days = (LAST - FIRST).days + 1
    BuiltDay.objects.all().delete()
    BuiltDay.objects.bulk_create(BuiltDay(day=FIRST + dt.timedelta(days=n)) for n in range(days))
    for month in rollup.months(FIRST, LAST):
        rollup.roll_up(month)


KINDS = ("flat", "skewed", "alike", "changing")  # "changing": the favourites change monthly


def history(rng: random.Random, titles: list[Title], kind: str) -> dict[tuple[dt.date, int], int]:
    """{(day, title): loans} of a random history of the `kind` given."""
    present = rng.uniform(0.3, 0.9)
    rows = {}
    for n in range((LAST - FIRST).days + 1):
        day = FIRST + dt.timedelta(days=n)
        for rank, title in enumerate(titles):
            if rng.random() > present:
                continue
            if kind == "changing":
                rank = (rank - 3 * day.month) % len(titles)
            loans = {
                "flat": 1 + rng.randrange(3),
                "skewed": 1 + int(rng.random() * 30 / (rank + 1)),
                "alike": 1,
                "changing": 1 + int(rng.random() * 12 / (rank + 1)),
            }[kind]
            rows[day, title.pk] = loans
    return rows


def periods(rng: random.Random) -> list[tuple[dt.date, dt.date]]:
    some = FIRST + dt.timedelta(days=rng.randrange(118))
    return [
        (dt.date(2026, 2, 1), dt.date(2026, 3, 31)),  # whole months
        (some, some + dt.timedelta(days=rng.randrange(20, 90))),  # mid-month ends
        (some, some + dt.timedelta(days=rng.randrange(4))),  # a few days
        (some, some),  # one day
        (dt.date(2025, 12, 20), dt.date(2026, 5, 10)),  # past both ends of the history
    ]


def added_up(
    rows: dict[tuple[dt.date, int], int],
    titles: list[Title],
    start: dt.date,
    end: dt.date,
    limit: int,
) -> list[tuple[str, str, int]]:
    """Top titles the plain way: every title's loans in the period, ranked."""
    loans: Counter[int] = Counter()
    for (day, title), n in rows.items():
        if start <= day <= end:
            loans[title] += n
    by_id = {t.pk: t for t in titles}
    ranked = sorted(loans.items(), key=lambda kv: (-kv[1], by_id[kv[0]].title, kv[0]))
    return [(by_id[t].title, by_id[t].author, n) for t, n in ranked[:limit]]


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(6))
def test_top_titles_are_those_of_adding_up_every_title(seed):
    rng = random.Random(seed)
    titles = make_titles(rng.randrange(12, 30))
    deeper = 0
    for kind in KINDS:
        rows = history(rng, titles, kind)
        write_days(rows)
        for start, end in periods(rng):
            for limit in (1, 2, 3, 5, len(titles) + 2):
                got = series.top_titles(start, end, limit)
                assert [(t.title, t.author, t.loans) for t in got] == added_up(
                    rows, titles, start, end, limit
                ), (start, end, limit)
                assert {t.members for t in got} <= {0}  # no loans written: none counted
                deeper += ranking.search(start, end, limit).rows > ranking.FIRST_ROWS * limit
    assert deeper  # some periods needed reading deeper than the first rows


@pytest.mark.django_db
def test_a_title_second_in_every_month_can_be_first_in_the_period():
    titles = make_titles(11)
    x, others = titles[0], titles[1:]
    rows = {}
    for month, group in ((FIRST, others[:5]), (dt.date(2026, 2, 1), others[5:])):
        for title, loans in zip(group, (10, 9, 9, 9, 9), strict=True):
            rows[month, title.pk] = loans
        rows[month, x.pk] = 8
    write_days(rows)
    found = ranking.search(FIRST, dt.date(2026, 2, 28), limit=1)
    assert found.loans == {x.pk: 16}
    assert found.rows > ranking.FIRST_ROWS  # the first four rows of each month could not tell
    assert [(t.author, t.loans) for t in series.top_titles(FIRST, dt.date(2026, 2, 28), 1)] == [
        ("Author 0", 16)
    ]
    assert TitleMonth.objects.filter(day=FIRST).count() == 6
