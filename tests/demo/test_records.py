"""Check digits and the MARC records of generated titles (demo/checkdigits.py, records.py)."""

from __future__ import annotations

import datetime as dt
import io
import random

from onelibrary.catalog.marc import PROFILE_949, BibRecord
from onelibrary.catalog.marcfile import read_marc
from onelibrary.demo.checkdigits import isbn13_digit, isbn13_valid, luhn_digit, luhn_valid
from onelibrary.demo.collection import barcode, plan_titles
from onelibrary.demo.people import card_number
from onelibrary.demo.records import build_record


def test_it_computes_the_isbn13_check_digit_of_a_known_book():
    assert isbn13_digit("978044101359") == "3"  # Dune, 9780441013593
    assert isbn13_valid("9780441013593")
    assert not isbn13_valid("9780441013594")


def test_it_computes_the_luhn_digit_of_the_textbook_example():
    assert luhn_digit("7992739871") == "3"
    assert luhn_valid("79927398713")
    assert not luhn_valid("79927398714")


def test_it_catches_a_mistyped_barcode_digit():
    good = barcode(1001, 42)
    assert len(good) == 14 and good.startswith("31001")
    typo = good[:6] + str((int(good[6]) + 1) % 10) + good[7:]
    assert luhn_valid(good) and not luhn_valid(typo)
    assert card_number(1001, 42).startswith("21001")


def test_it_writes_marc_records_the_catalog_reads_back_unchanged():
    plans = plan_titles(random.Random(5), 200, this_year=2026)
    data = b"".join(
        build_record(p, f"bsp5-{i:07d}", dt.date(2026, 11, 25)) for i, p in enumerate(plans)
    )
    records = list(read_marc(io.BytesIO(data), PROFILE_949))
    assert len(records) == len(plans)
    for plan, record in zip(plans, records, strict=True):
        assert isinstance(record, BibRecord)
        assert record.title == plan.title
        assert record.format == plan.format
        assert record.year == plan.year
        assert record.language == plan.language
        assert record.isbns == ((plan.isbn,) if plan.isbn else ())
        assert record.publisher == plan.publisher
        assert set(record.subjects) == set(plan.subjects)
