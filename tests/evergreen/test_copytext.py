"""Our reader of PostgreSQL's COPY text format (evergreen/copytext.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onelibrary.evergreen.copytext import (
    CopyFormatError,
    escape,
    join_row,
    read_dump,
    read_table,
    read_tsv,
    split_row,
    unescape,
)


def test_it_unescapes_what_postgresql_writes():
    assert unescape("a\\tb\\nc\\\\d") == "a\tb\nc\\d"
    assert unescape("\\N") is None
    assert unescape("\\\\N") == "\\N"  # a backslash and an N, not NULL
    assert unescape("caf\\303\\251 \\x41") == "café A"  # octal and hex bytes, as UTF-8
    assert unescape("\\r\\b\\f\\v\\q") == "\r\b\f\vq"  # an unknown escape is the character


@given(st.lists(st.one_of(st.none(), st.text()), min_size=1, max_size=6))
def test_escaping_then_unescaping_a_row_gives_it_back(values):
    line = join_row(values)
    assert "\n" not in line and "\r" not in line
    assert split_row(line) == values


@given(st.text())
def test_an_escaped_value_never_reads_as_null_or_splits(value):
    assert unescape(escape(value)) == value
    assert "\t" not in escape(value)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "t.sql"
    path.write_text(text)
    return path


def test_it_reads_every_block_of_a_table_and_skips_housekeeping(tmp_path):
    path = write(
        tmp_path,
        "COPY asset.copy (id, barcode) FROM stdin;\n1\tA\\tB\n\\.\n\n\\echo x\n"
        "SELECT SETVAL('s', 1);\nCOPY asset.copy (id, barcode) FROM stdin;\n2\t\\N\n\\.\n",
    )
    table = read_table(path, "asset.copy")
    assert [(r.line, r.values) for r in table.rows] == [
        (2, {"id": "1", "barcode": "A\tB"}),
        (8, {"id": "2", "barcode": None}),
    ]


def test_a_block_without_its_end_marker_is_truncated(tmp_path):
    path = write(tmp_path, "\nCOPY t (a, b) FROM stdin;\n1\t2\n")
    with pytest.raises(CopyFormatError, match=r"t\.sql, line 2: .*never ends.*truncated"):
        read_dump(path)


def test_a_row_with_the_wrong_number_of_columns_names_its_line(tmp_path):
    path = write(tmp_path, "COPY t (a, b) FROM stdin;\n1\t2\n1\t2\t3\n\\.\n")
    with pytest.raises(CopyFormatError, match=r"line 3: 3 columns where t has 2"):
        read_dump(path)


def test_a_missing_file_and_a_missing_table_are_named(tmp_path):
    with pytest.raises(CopyFormatError, match=r"nothere\.sql, line 0: the file is missing"):
        read_dump(tmp_path / "nothere.sql")
    path = write(tmp_path, "COPY t (a) FROM stdin;\n1\n\\.\n")
    with pytest.raises(CopyFormatError, match=r"no 'COPY other"):
        read_table(path, "other")


def test_a_tsv_has_a_header_and_copy_text_rows(tmp_path):
    path = tmp_path / "u.tsv"
    path.write_text("id\thome_ou\n1\t\\N\n2\t4\tx\n")
    with pytest.raises(CopyFormatError, match=r"u\.tsv, line 3: 3 columns where the header has 2"):
        read_tsv(path)
    path.write_text("id\thome_ou\n1\t\\N\n")
    assert read_tsv(path).rows[0].values == {"id": "1", "home_ou": None}
