"""CSV and XLSX downloads: a cell a spreadsheet would run as a formula is written as
text with a leading quote; numbers stay numbers."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest

from onelibrary.insights import exports
from onelibrary.insights.tables import Table

NASTY = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


def table() -> Table:
    return Table(
        "members",
        "t",
        ("Code", "Name", "Net"),
        [("RIV", name, -12) for name in NASTY] + [("PINE", "Pine Creek", 4)],
        "=takeaway",
    )


@pytest.mark.parametrize("value", NASTY)
def test_it_quotes_text_that_would_run_as_a_formula(value):
    assert exports.safe(value) == "'" + value


def test_it_leaves_plain_text_and_numbers_alone():
    assert exports.safe("Pine Creek") == "Pine Creek"
    assert exports.safe(-12) == -12
    assert exports.safe(None) is None


def test_the_csv_quotes_formulas_but_not_negative_numbers():
    text = exports.to_csv(table()).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["Code", "Name", "Net"]
    assert [r[1] for r in rows[1:-1]] == ["'" + v for v in NASTY]
    assert rows[1][2] == "-12" and rows[-1] == ["PINE", "Pine Creek", "4"]


def test_the_xlsx_writes_formulas_as_quoted_text_and_numbers_as_numbers():
    book = zipfile.ZipFile(io.BytesIO(exports.to_xlsx(table())))
    sheet = book.read("xl/worksheets/sheet1.xml").decode()
    strings = book.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in sheet  # no formula anywhere
    assert "&apos;=HYPERLINK" in strings or "'=HYPERLINK" in strings
    assert "'@SUM(A1)" in strings and "'=takeaway" in strings
    # Net is a number cell (no t="s"), -12 as a value.
    assert re.search(r'<c r="C2"[^>]*><v>-12</v></c>', sheet)
