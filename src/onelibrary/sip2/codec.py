"""SIP2 frames: read a request, write a response (pure; no sockets, no database).

A frame is a two-digit command, its fixed-width fields, then identified fields
(`AA12345|`), optionally `AY<sequence>AZ<checksum>`, and a carriage return. Why this and
not pysip2's codec: docs/decisions.md ("SIP2: our own small codec").

Reading is strict where a wrong guess would act on the wrong thing (the checksum, the
command, the fixed fields' lengths, required fields) and lenient where self-check
machines are known to differ (a blank date, a checksum without its leading zeros, a
line feed after the carriage return, fields in any order, unknown fields).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import timezone

# The fixed fields of each request the server reads, in order, with their widths; and the
# identified fields without which the request cannot be acted on (SIP-3).
REQUESTS: dict[str, tuple[tuple[tuple[str, int], ...], frozenset[str]]] = {
    "93": ((("uid_algorithm", 1), ("pwd_algorithm", 1)), frozenset({"CN", "CO"})),
    "99": ((("status", 1), ("print_width", 3), ("version", 4)), frozenset()),
    "97": ((), frozenset()),
    "23": ((("language", 3), ("date", 18)), frozenset({"AA"})),
    "63": ((("language", 3), ("date", 18), ("summary", 10)), frozenset({"AA"})),
    "17": ((("date", 18),), frozenset({"AB"})),
    "11": (
        (("renewal_policy", 1), ("no_block", 1), ("date", 18), ("nb_due_date", 18)),
        frozenset({"AA", "AB"}),
    ),
    "09": ((("no_block", 1), ("date", 18), ("return_date", 18)), frozenset({"AB"})),
    "29": (
        (("third_party", 1), ("no_block", 1), ("date", 18), ("nb_due_date", 18)),
        frozenset({"AA"}),
    ),
    "65": ((("date", 18),), frozenset({"AA"})),
    "37": (
        (("date", 18), ("fee_type", 2), ("payment_type", 2), ("currency", 3)),
        frozenset({"AA", "BV"}),
    ),
    "35": ((("date", 18),), frozenset({"AA"})),
}

# A SIP2 date: YYYYMMDD, four time-zone characters, HHMMSS. Blank is allowed (a machine
# sends 18 spaces for "no date", e.g. the no-block due date of an online checkout).
DATE = re.compile(r"[0-9]{8}[A-Z ]{4}[0-9]{6}| {18}")
FLAG_FIELDS = {"renewal_policy", "no_block", "third_party"}
TRAILER = re.compile(r"(?:AY([0-9]))?AZ([0-9A-Fa-f]{1,4})$")
MAX_FRAME = 4096  # bytes without a carriage return before the connection is closed (SIP-4)


class Unreadable(Exception):
    """The frame cannot be acted on (SIP-3); `reason` says why, for the log."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class BadChecksum(Unreadable):
    """The checksum does not match (SIP-2): the machine is asked to send it again."""


@dataclass(frozen=True)
class Request:
    command: str
    fixed: dict[str, str]
    fields: dict[str, list[str]] = field(default_factory=dict)
    sequence: str | None = None  # the AY digit, echoed in the response
    checksummed: bool = False
    raw: bytes = b""  # the frame as read, to recognise a retransmission

    def get(self, field_id: str, default: str = "") -> str:
        values = self.fields.get(field_id)
        return values[0] if values else default


def checksum(data: bytes) -> str:
    """Four hex digits: the two's complement of the low 16 bits of the bytes' sum."""
    return f"{(-sum(data)) & 0xFFFF:04X}"


def decode(frame: bytes, *, encoding: str = "utf-8") -> Request:
    """One request from one frame (its carriage return already removed)."""
    frame = frame.lstrip(b"\n").rstrip(b"\n")  # CR LF machines: the LF is noise (SIP-5)
    try:
        text = frame.decode(encoding)
    except UnicodeDecodeError as error:
        raise Unreadable(f"not {encoding} text") from error
    if any(ord(c) < 32 for c in text):
        raise Unreadable("control characters in the message")
    sequence, checksummed = None, False
    trailer = TRAILER.search(text)
    if trailer:
        start = trailer.start(2)  # the checksum covers everything up to and with "AZ"
        given = int(trailer.group(2), 16)
        if (sum(frame[: len(text[:start].encode(encoding))]) + given) & 0xFFFF:
            raise BadChecksum("checksum mismatch")
        sequence, checksummed = trailer.group(1), True
        text = text[: trailer.start()]
    command = text[:2]
    if command not in REQUESTS:
        raise Unreadable(f"unknown command {command!r}")
    layout, required = REQUESTS[command]
    fixed: dict[str, str] = {}
    at = 2
    for name, width in layout:
        value = text[at : at + width]
        if len(value) != width:
            raise Unreadable(f"fixed field {name} is short")
        _check_fixed(name, value)
        fixed[name] = value
        at += width
    fields = _identified(text[at:])
    missing = sorted(required - fields.keys())
    if missing:
        raise Unreadable(f"missing field {', '.join(missing)}")
    return Request(command, fixed, fields, sequence, checksummed, frame)


def _check_fixed(name: str, value: str) -> None:
    if "date" in name and not DATE.fullmatch(value):
        raise Unreadable(f"{name} is not a SIP2 date: {value!r}")
    if name in FLAG_FIELDS and value not in "YN ":
        raise Unreadable(f"{name} is not Y or N: {value!r}")
    if name in ("print_width", "language") and not value.isdigit():
        raise Unreadable(f"{name} is not digits: {value!r}")


def _identified(text: str) -> dict[str, list[str]]:
    """Identified fields, each two characters and its value up to `|`. A last field
    without its `|` is accepted: several machines leave it off before the trailer."""
    fields: dict[str, list[str]] = {}
    for piece in text.split("|"):
        if not piece:
            continue
        if len(piece) < 2 or not piece[:2].isalpha() or not piece[:2].isupper():
            raise Unreadable(f"not a field: {piece[:10]!r}")
        fields.setdefault(piece[:2], []).append(piece[2:])
    return fields


def sip_date(moment: dt.datetime | None = None) -> str:
    """Now (or `moment`) as a SIP2 date in local time (a blank time zone)."""
    return timezone.localtime(moment).strftime("%Y%m%d    %H%M%S")


def clean(value: object, limit: int = 255) -> str:
    """A field value that cannot break the frame: no `|`, no control characters."""
    text = str(value).replace("|", "/")
    return "".join(c if ord(c) >= 32 else " " for c in text)[:limit]


def encode(
    command: str,
    fixed: list[str],
    fields: list[tuple[str, str | None]],
    *,
    sequence: str | None = None,
    checksummed: bool = False,
    encoding: str = "utf-8",
) -> bytes:
    """A response frame: fields whose value is None are left out; with a checksum when
    the request had one, and its sequence digit echoed (SIP-2)."""
    body = command + "".join(fixed)
    body += "".join(f"{fid}{clean(value)}|" for fid, value in fields if value is not None)
    if not checksummed:
        return body.encode(encoding, "replace") + b"\r"
    if sequence is not None:
        body += f"AY{sequence}"
    data = (body + "AZ").encode(encoding, "replace")
    return data + checksum(data).encode("ascii") + b"\r"


def resend_request() -> bytes:
    """96: please send your last message again. A checksum, never a sequence number."""
    return encode("96", [], [], checksummed=True)
