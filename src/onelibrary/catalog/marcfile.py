"""Reading MARC files — binary MARC21 or MARCXML, MARC-8 or UTF-8 — into plain records.

A record that cannot be read is yielded as a `BadRecord` with its position and reason,
and reading goes on with the next one. The field rules are in `marc.py`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, cast
from xml.sax import SAXException, make_parser
from xml.sax.handler import feature_namespaces
from xml.sax.xmlreader import AttributesNSImpl, IncrementalParser

from pymarc import MARCReader, Record, Subfield
from pymarc import exceptions as marc_errors
from pymarc.marc8 import marc8_to_unicode
from pymarc.marcxml import XmlHandler

from onelibrary.catalog.marc import (
    BOM,
    RECORD_TERMINATOR,
    BadRecord,
    BibRecord,
    HoldingsProfile,
    UnusableRecord,
    to_bib_record,
)

LEADER_LENGTH = 24


def is_xml(head: bytes) -> bool:
    """MARCXML starts with '<' once a BOM and whitespace are skipped; MARC21 with digits."""
    return head.removeprefix(BOM).lstrip().startswith(b"<")


def read_marc(fh: BinaryIO, profile: HoldingsProfile) -> Iterator[BibRecord | BadRecord]:
    """Yield every record of an open file (binary MARC21 or MARCXML), good or bad."""
    head = fh.read(512)
    fh.seek(0)
    if is_xml(head):
        yield from _read_xml(fh, profile)
        return
    if head.startswith(BOM):
        fh.seek(len(BOM))
    yield from _read_binary(fh, profile)


def chunk_encoding(chunk: bytes) -> str:
    """'utf-8' or 'marc-8' for one binary record.

    Leader/09 'a' means UTF-8. Many systems write UTF-8 but leave Leader/09 blank, so a
    blank record whose bytes are valid UTF-8 with non-ASCII in them is read as UTF-8.
    MARC-8 escape sequences are plain ASCII bytes, so a record with ESC is MARC-8.
    Plain ASCII reads the same both ways; we call it UTF-8 because that decoder is fast.
    """
    if chunk[9:10] == b"a":
        return "utf-8"
    if b"\x1b" in chunk:
        return "marc-8"
    if chunk.isascii():
        return "utf-8"
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError:
        return "marc-8"
    return "utf-8"


_READER_PROBLEMS = {
    marc_errors.TruncatedRecord: "record is truncated: the file ends inside it",
    marc_errors.RecordLengthInvalid: "record length in the leader is not a number",
    marc_errors.EndOfRecordNotFound: "record does not end where its leader says",
    marc_errors.RecordLeaderInvalid: "leader is invalid",
    marc_errors.BaseAddressInvalid: "base address in the leader is invalid",
    marc_errors.BaseAddressNotFound: "base address in the leader is invalid",
    marc_errors.RecordDirectoryInvalid: "directory is invalid",
    marc_errors.NoFieldsFound: "record has no fields",
}


def _describe(exc: BaseException | None, chunk: bytes = b"") -> str:
    if isinstance(exc, UnusableRecord):
        return str(exc)
    if chunk and not chunk[:24].isascii():
        return "leader is invalid (it has non-ASCII bytes)"
    for kind, text in _READER_PROBLEMS.items():
        if isinstance(exc, kind):
            return text
    if isinstance(exc, UnicodeDecodeError):
        return f"bytes are neither MARC-8 nor UTF-8 ({exc.reason} at byte {exc.start})"
    if isinstance(exc, ValueError):
        return f"directory is invalid ({exc})"
    return f"unreadable record ({type(exc).__name__}: {exc})"


def _skip_to_next_record(fh: BinaryIO, start: int) -> None:
    """After a record whose length lied, go on after the next record terminator."""
    fh.seek(start + 1)
    while block := fh.read(65536):
        at = block.find(RECORD_TERMINATOR)
        if at >= 0:
            fh.seek(fh.tell() - len(block) + at + 1)
            return


def _new_reader(fh: BinaryIO) -> MARCReader:
    # Every data field is decoded as UTF-8 first, with undecodable bytes kept as
    # surrogates; _settle_encoding() then turns MARC-8 subfields into text. One parse per
    # record, and the slow MARC-8 translation only runs on the subfields that need it.
    return MARCReader(fh, to_unicode=True, force_utf8=True, utf8_handling="surrogateescape")


def _read_binary(fh: BinaryIO, profile: HoldingsProfile) -> Iterator[BibRecord | BadRecord]:
    reader = _new_reader(fh)
    position = 0
    while True:
        start = fh.tell()
        try:
            record = next(reader)
        except StopIteration:
            return
        position += 1
        chunk: bytes = reader.current_chunk or b""
        problem = reader.current_exception
        if isinstance(problem, marc_errors.FatalReaderError):
            yield BadRecord(position, _describe(problem, chunk))
            if isinstance(problem, marc_errors.TruncatedRecord):
                return
            _skip_to_next_record(fh, start)
            reader = _new_reader(fh)  # the old one stops after a fatal error
            continue
        try:
            encoding = chunk_encoding(chunk)
            if record is None:
                record = _decode_again(chunk, problem)
                as_read = False
            elif encoding == "utf-8" and _valid_utf8(chunk):
                as_read = True  # the first reading was right, and the bytes can be kept
            else:
                as_read = not _settle_encoding(record, encoding)
            yield to_bib_record(record, chunk, position, profile, utf8_source=as_read)
        except Exception as exc:  # one bad record must not stop the file
            yield BadRecord(position, _describe(exc, chunk))


def _valid_utf8(chunk: bytes) -> bool:
    if chunk.isascii():
        return True
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _settle_encoding(record: Record, encoding: str) -> bool:
    """Turn the surrogate-escaped bytes of a first UTF-8 reading into the right text.

    True when some text changed, i.e. the record's bytes are not UTF-8 as they stand.
    """
    changed = False
    for field in record.fields:
        if field.control_field:
            continue  # pymarc decodes control fields strictly: they are already right
        for index, (code, value) in enumerate(field.subfields):
            if value.isascii() and (encoding == "utf-8" or "\x1b" not in value):
                continue
            raw = value.encode("utf-8", "surrogateescape")
            if encoding == "marc-8":
                text = marc8_to_unicode(raw, hide_utf8_warnings=True)
            else:  # Leader/09 says UTF-8 but some bytes are not: keep the rest
                text = raw.decode("utf-8", "replace")
            field.subfields[index] = Subfield(code, text)
            changed = True
    return changed


def _decode_again(chunk: bytes, problem: BaseException | None) -> Record:
    """A record the UTF-8 reading refused (its control fields are not UTF-8)."""
    if not isinstance(problem, UnicodeDecodeError) or chunk_encoding(chunk) != "marc-8":
        raise problem or ValueError("unreadable record")
    return Record(chunk, to_unicode=True, force_utf8=False, hide_utf8_warnings=True)


class _Collector(XmlHandler):
    """Collects each record, or the reason it cannot be built, as the parser meets it.

    pymarc raises from inside the SAX callbacks (a leader that is not 24 characters, a
    field without a tag); uncaught, that ends the whole file. Here it breaks only the
    record it is in: the rest of that record is skipped and its reason kept in its place.
    """

    def __init__(self) -> None:
        super().__init__(strict=False)
        self.records: list[Record | str] = []
        self._broken: str | None = None

    def process_record(self, record: Record) -> None:
        self.records.append(record)

    def startElementNS(
        self, name: tuple[str | None, str], qname: str | None, attrs: AttributesNSImpl
    ) -> None:
        if self._broken is not None:
            return
        try:
            super().startElementNS(name, qname, attrs)
        except Exception as exc:  # one bad record must not stop the file
            self._break(_describe(exc))

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:
        element = name[1]
        if self._broken is not None:
            if element == "record":
                self.records.append(self._broken)
                self._broken = None
            return
        if element == "leader" and self._record is not None:
            length = len("".join(self._text))
            if length != LEADER_LENGTH:
                self._break(f"leader is invalid: it has {length} characters, MARC needs 24")
                return
        try:
            super().endElementNS(name, qname)
        except Exception as exc:  # one bad record must not stop the file
            self._break(_describe(exc))

    def _break(self, reason: str) -> None:
        if self._record is None:
            raise ValueError(reason)  # outside any record: the file itself is broken
        self._broken = reason
        self._record = self._field = None
        self._text = []


def _read_xml(fh: BinaryIO, profile: HoldingsProfile) -> Iterator[BibRecord | BadRecord]:
    """Stream MARCXML with an incremental SAX parser: one block in memory at a time."""
    handler = _Collector()
    parser = cast(IncrementalParser, make_parser())  # expat's reader takes blocks
    parser.setFeature(feature_namespaces, 1)
    parser.setContentHandler(handler)
    position = 0
    failure: str | None = None
    for block in wrapped_xml_blocks(fh):
        try:
            parser.feed(block)
        except (SAXException, ValueError, KeyError) as exc:
            failure = f"XML cannot be read from here on ({exc})"
        for record in handler.records:
            position += 1
            if isinstance(record, str):
                yield BadRecord(position, record)
                continue
            try:
                source = record.as_marc()
                yield to_bib_record(record, source, position, profile)
            except Exception as exc:  # one bad record must not stop the file
                yield BadRecord(position, _describe(exc))
        handler.records.clear()
        if failure is not None:
            yield BadRecord(position + 1, failure)
            return
    parser.close()


def wrapped_xml_blocks(fh: BinaryIO) -> Iterator[bytes]:
    """The file in blocks inside one extra root element.

    Some exports (Evergreen's serials_marc21.xml) hold several <record> roots and no
    <collection>; wrapped, every shape is one well-formed document. The XML declaration
    stays first so that its encoding still applies.
    """
    block = fh.read(65536).removeprefix(BOM).lstrip()
    declaration = b""
    if block.startswith(b"<?xml"):
        end = block.find(b"?>") + 2
        declaration, block = block[:end], block[end:]
    yield declaration + b"<marc-file>" + block
    while block := fh.read(65536):
        yield block
    yield b"</marc-file>"
