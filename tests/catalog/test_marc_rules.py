"""The pure MARC rules of catalog/marc.py: normalising, keys, formats, encodings."""

from __future__ import annotations

from decimal import Decimal

import pymarc
import pytest

from onelibrary.catalog.marc import (
    PROFILE_949,
    fold,
    format_of,
    normalise_isbn,
    normalise_oclc,
    parse_price,
    read_copy,
    title_key,
    trim_isbd,
    without_fields,
)
from onelibrary.catalog.marcfile import chunk_encoding, is_xml


@pytest.mark.parametrize(
    ("raw", "trimmed"),
    [
        ("Friendly fire /", "Friendly fire"),
        ("Lovano, Joe,", "Lovano, Joe"),
        ("Songs of the 60's : piano, vocal, guitar.", "Songs of the 60's : piano, vocal, guitar"),
        ("Reeves, Scott D.", "Reeves, Scott D."),
        ('"И память Каменки..."', '"И память Каменки..."'),
        ("Quest ; Standards /  ", "Quest ; Standards"),
        ("  spaced   out  :", "spaced out"),
        ("", ""),
    ],
)
def test_it_trims_isbd_punctuation_at_the_end_only(raw, trimmed):
    assert trim_isbd(raw) == trimmed


@pytest.mark.parametrize(
    ("raw", "isbn13"),
    [
        ("0863693180", "9780863693182"),
        ("0440487331pbk.", "9780440487333"),
        ("(0373197527pbk.) : $4.25", "9780373197521"),
        ("0-19-505847-X", "9780195058475"),
        ("9781845332136 (hbk.)", "9781845332136"),
        ("5-7260-0136-2", "9785726001364"),
        ("089542262X295", None),
        ("978184533213X", None),
        ("0553101315175", None),
        ("HL00361126 :", None),
        ("", None),
    ],
)
def test_it_normalises_isbns_to_isbn13_or_refuses_them(raw, isbn13):
    assert normalise_isbn(raw) == isbn13


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("(OCoLC)69733027", "69733027"),
        ("(OCoLC)ocm00012345", "12345"),
        ("(OCoLC)ocn214285386", "214285386"),
        ("(OCoLC)on1234567890", "1234567890"),
        ("(ocolc) 0042", "42"),
        ("ocm20612671", "20612671"),
        ("(Sirsi) a353305", None),
        ("(DLC)   2001012345", None),
    ],
)
def test_it_reads_oclc_numbers_with_their_prefixes(raw, number):
    assert normalise_oclc(raw) == number


@pytest.mark.parametrize(
    ("leader", "fixed", "fmt"),
    [
        ("00962nam  2200253 a 4500", "", "book"),
        (
            "00962nam  2200253 a 4500",
            "891108s1989    mnu" + " " * 5 + "d" + " " * 16,
            "large_print",
        ),
        ("00962nas  2200253 a 4500", "", "serial"),
        ("00962njm  2200253 a 4500", "", "music"),
        ("00962nim  2200253 a 4500", "", "sound"),
        ("00962ncm  2200253 a 4500", "", "score"),
        ("00962ngm  2200253 a 4500", "", "video"),
        ("00962nem  2200253 a 4500", "", "map"),
        ("00962nmm  2200253 a 4500", "", "computer"),
        ("00962nom  2200253 a 4500", "", "kit"),
        ("00962npm  2200253 a 4500", "", "other"),
    ],
)
def test_it_takes_the_format_from_leader_06_and_07(leader, fixed, fmt):
    assert format_of(leader, fixed) == fmt


def test_it_folds_case_diacritics_and_punctuation():
    assert fold("Les Misérables!") == "les miserables"
    assert fold("Œuvres complètes: Ørsted") == "oeuvres completes orsted"
    assert fold("Люди с чистой совестью :") == "люди с чистои совестью"


def test_it_keys_a_title_by_title_surname_and_year():
    assert title_key("The Dune", "Herbert, Frank", 1965) == "dune|herbert|1965"
    assert title_key("Dune /", "Herbert, Frank,", 1965) == "dune|herbert|1965"
    assert title_key("Le Petit prince", "Saint-Exupéry, Antoine de", 1943, language="fre") == (
        "petit prince|saint exupery|1943"
    )


def test_it_drops_a_leading_article_by_the_nonfiling_count_or_the_language():
    assert title_key("Die Hard", "", 1988, language="eng") == "die hard||1988"
    assert title_key("Die Blechtrommel", "Grass, Günter", 1959, language="ger").startswith(
        "blechtrommel|"
    )
    assert title_key("An evening", "", None, nonfiling=3) == "evening||"
    assert title_key("A", "", None) == "a||"  # a title that is only an article keeps it


def test_it_reads_leader_09_a_as_utf8_and_a_blank_one_by_the_bytes():
    ascii_blank = b"00026nam  2200025   4500" + b"x"
    assert chunk_encoding(b"00026nam a2200025   4500") == "utf-8"
    assert chunk_encoding(ascii_blank) == "utf-8"  # plain ASCII reads the same either way
    assert chunk_encoding(b"00026nam  2200025   4500 " + "Ереван".encode()) == "utf-8"
    assert chunk_encoding(b"00026nam  2200025   4500 K\xe8oln") == "marc-8"
    assert chunk_encoding(b"00026nam  2200025   4500 \x1b(NDUNE") == "marc-8"


def test_it_detects_marcxml_by_its_first_character():
    assert is_xml(b"\xef\xbb\xbf \n <?xml version='1.0'?><collection/>")
    assert is_xml(b"<record>")
    assert not is_xml(b"00962njm  2200253 a 4500")


def test_it_reads_prices():
    assert parse_price("$14.95") == Decimal("14.95")
    assert parse_price("30.00") == Decimal("30.00")
    assert parse_price("1,234.5") == Decimal("1234.5")
    assert parse_price("free") is None
    assert parse_price("12345678") is None


def holdings(*pairs: str) -> pymarc.Field:
    subfields = [pymarc.Subfield(p[0], p[1:]) for p in pairs]
    return pymarc.Field(tag="949", indicators=pymarc.Indicators(" ", " "), subfields=subfields)


def test_it_reads_a_copy_through_the_949_profile():
    field = holdings(
        "a5490", "wLC", "i30007007467409", "rY", "tSOUND", "lHUNT-AUDIO", "mHUNTINGTON",
        "xCOMPDISCS", "p$30.00",
    )  # fmt: skip
    copy = read_copy(field, PROFILE_949)
    assert copy is not None
    assert (copy.barcode, copy.call_number, copy.item_type) == (
        "30007007467409",
        "5490",
        "music_cd",
    )
    assert (copy.location, copy.branch, copy.collection) == (
        "HUNT-AUDIO",
        "HUNTINGTON",
        "COMPDISCS",
    )
    assert copy.price == Decimal("30.00")
    assert copy.holdable


def test_it_marks_a_non_circulating_copy_not_holdable_and_skips_one_without_barcode():
    copy = read_copy(holdings("i123", "rN"), PROFILE_949)
    assert copy is not None and not copy.holdable
    assert read_copy(holdings("a5490", "tSOUND"), PROFILE_949) is None


def test_it_cuts_holdings_out_of_the_record_bytes_like_pymarc_would(shared_data):
    data = (shared_data / "jazz_1k.mrc").read_bytes()
    reader = pymarc.MARCReader(data, force_utf8=True, utf8_handling="surrogateescape")
    compared = 0
    for record in reader:
        chunk = reader.current_chunk
        if not chunk.isascii():
            continue
        cut = pymarc.Record(without_fields(chunk, "949"), force_utf8=True)
        record.remove_fields("949")
        assert cut.leader[9] == "a"
        assert [str(f) for f in cut.fields] == [str(f) for f in record.fields]
        compared += 1
    assert compared > 800


def test_it_maps_a_sources_item_types_and_keeps_unknown_ones():
    assert PROFILE_949.item_type_for("BOOKS") == "book"
    assert PROFILE_949.item_type_for("MusicScore") == "score"
    assert PROFILE_949.item_type_for("STEAC-BOOK") == "steac-book"
