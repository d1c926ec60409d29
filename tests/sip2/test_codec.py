"""The SIP2 codec as a specification: no database, no sockets."""

from __future__ import annotations

import pytest

from onelibrary.sip2 import codec

# A checkin and its checksum as the `sip2` package's author worked it out (sip2.py,
# _crc_calc): our sum must agree with someone else's.
THEIRS = "09N20160419    12200820160419    122008APReading Room 1|AO830|AB830$28170815|AC|AY2AZ"


def test_it_computes_the_checksum_others_compute():
    assert codec.checksum(THEIRS.encode()) == "EB80"


def test_it_reads_a_checksummed_checkin():
    request = codec.decode((THEIRS + "EB80").encode())
    assert (request.command, request.sequence, request.checksummed) == ("09", "2", True)
    assert request.fixed["return_date"] == "20160419    122008"
    assert request.get("AB") == "830$28170815" and request.get("AP") == "Reading Room 1"


def test_it_sip_2_refuses_a_wrong_checksum():
    with pytest.raises(codec.BadChecksum):
        codec.decode((THEIRS + "EB81").encode())


def test_it_sip_5_reads_a_blank_no_block_due_date():
    text = "11YN20260329    203000" + " " * 18 + "AOX|AAP1|ABI1|AC|"
    assert codec.decode(text.encode()).fixed["nb_due_date"] == " " * 18


def test_it_sip_5_accepts_a_checksum_without_its_leading_zeros():
    """The `sip2` package formats the checksum with '%X', dropping leading zeros: a long
    enough message has a checksum below 0x1000 and three digits."""
    for length in range(1000):
        body = f"9900802.00ZZ{'z' * length}|AY1AZ"
        value = (-sum(body.encode())) & 0xFFFF
        if value < 0x1000:
            break
    frame = (body + format(value, "X")).encode()
    assert len(format(value, "X")) == 3
    assert codec.decode(frame).command == "99"


def test_it_sip_5_ignores_a_line_feed_and_unknown_fields():
    request = codec.decode(b"\n9300CNme|COpw|ZZwhatever|")
    assert request.get("CN") == "me" and request.get("ZZ") == "whatever"


def test_it_sip_5_reads_a_last_field_without_its_bar():
    assert codec.decode(b"9300CNme|COpw").get("CO") == "pw"


@pytest.mark.parametrize(
    "frame, why",
    [
        (b"9300CNme|", "missing field CO"),
        (b"990080", "fixed field version is short"),
        (b"12nonsense", "unknown command"),
        (b"2300020260101    1200AOX|AAP1|", "is not a SIP2 date"),
        (b"\xff\xfe\x80", "not utf-8"),
        (b"9300CNme|COp\tw|", "control characters"),
        (b"9300CNme|x|", "not a field"),
    ],
)
def test_it_sip_3_says_why_a_message_is_unreadable(frame, why):
    with pytest.raises(codec.Unreadable, match=why):
        codec.decode(frame)


def test_it_writes_a_frame_whose_checksum_verifies():
    frame = codec.encode("94", ["1"], [("AF", "a|b")], sequence="7", checksummed=True)
    assert frame.startswith(b"941AFa/b|AY7AZ") and frame.endswith(b"\r")
    assert (sum(frame[:-5]) + int(frame[-5:-1], 16)) & 0xFFFF == 0


def test_it_leaves_out_empty_fields_and_the_trailer_when_not_asked():
    assert codec.encode("36", ["Y"], [("AO", "RIV"), ("AF", None)]) == b"36YAORIV|\r"
