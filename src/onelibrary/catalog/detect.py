"""Which holdings profile a MARC file uses: the tag that carries barcodes.

The file is read once more before the import, without decoding records: the directory
and the barcode subfields only (docs/marc.md, "Which profile").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, cast
from xml.sax import SAXException, make_parser
from xml.sax.handler import ContentHandler, feature_namespaces
from xml.sax.xmlreader import AttributesNSImpl, IncrementalParser

from onelibrary.catalog.holdings import NO_HOLDINGS, PROFILES, HoldingsProfile, looks_like_barcode
from onelibrary.catalog.marc import BOM, RECORD_TERMINATOR
from onelibrary.catalog.marcfile import is_xml, wrapped_xml_blocks


class UnclearHoldings(ValueError):
    """Barcodes in more than one profile's tag: the message says which --profile to give."""


def detect_profile(
    path: Path, given: HoldingsProfile | None, warnings: list[str]
) -> HoldingsProfile:
    """The file's holdings profile: the one whose tag carries barcodes in its records
    (failing any barcode, the one whose tag is there at all, so that its fields without
    a barcode are reported).

    With `given`, that one, and a warning if its tag carries no barcode while another's
    does. None found: titles only (NO_HOLDINGS). Several: UnclearHoldings, since reading
    one would leave the other's copies out or take a local field for copies.
    """
    with path.open("rb") as fh:
        found = count_holdings(fh)
    tags = found.barcoded or found.present
    counts = ", ".join(
        f"{PROFILES[n].tag}{' $' + PROFILES[n].barcode if found.barcoded else ''} "
        f"in {c} record{'s' if c != 1 else ''}"
        for n, c in tags.most_common()
    )
    if given is not None:
        if found.barcoded and given.name not in found.barcoded:
            warnings.append(
                f"{path}: no {given.tag} field has a barcode in ${given.barcode}, but there are "
                f"barcodes in {counts}; was --profile {tags.most_common(1)[0][0]} meant?"
            )
        return given
    if len(tags) > 1:
        choices = " or ".join(f"--profile {n}" for n, _ in tags.most_common())
        what = "barcodes" if found.barcoded else "holdings fields without barcodes"
        raise UnclearHoldings(
            f"Cannot tell which field holds the copies in {path}: {what} in {counts}. "
            f"Say which with {choices} (docs/marc.md lists the profiles)."
        )
    return PROFILES[next(iter(tags))] if tags else NO_HOLDINGS


@dataclass
class HoldingsFound:
    """Per profile name, the records holding its tag: with a barcode, and at all."""

    barcoded: Counter[str] = field(default_factory=Counter)
    present: Counter[str] = field(default_factory=Counter)


def count_holdings(fh: BinaryIO) -> HoldingsFound:
    """Which profiles' tags a file's records hold, and which of them carry a barcode that
    looks like one. Reads the whole file without decoding it; rewinds it after."""
    wanted = {p.tag: p.barcode for p in PROFILES.values()}
    names = {p.tag: p.name for p in PROFILES.values()}
    found = HoldingsFound()
    head = fh.read(512)
    fh.seek(0)
    scan = _xml_holdings(fh, wanted) if is_xml(head) else _binary_holdings(fh, wanted)
    for present, barcoded in scan:
        found.present.update(names[t] for t in present)
        found.barcoded.update(names[t] for t in barcoded)
    fh.seek(0)
    return found


Tags = tuple[set[str], set[str]]  # one record's wanted tags: present, and with a barcode


def _binary_holdings(fh: BinaryIO, wanted: dict[str, str]) -> Iterator[Tags]:
    rest = b""
    while block := fh.read(1 << 20):
        chunks = (rest + block).split(RECORD_TERMINATOR)
        rest = chunks.pop()
        for chunk in chunks:
            yield _chunk_holdings(chunk.removeprefix(BOM).lstrip(b"\r\n "), wanted)
    if rest.strip():
        yield _chunk_holdings(rest, wanted)


def _chunk_holdings(chunk: bytes, wanted: dict[str, str]) -> Tags:
    """The wanted tags of one binary record; a broken record has none."""
    base = int(chunk[12:17]) if chunk[12:17].isdigit() else 0
    directory = chunk[24 : base - 1]
    present: set[str] = set()
    found: set[str] = set()
    for at in range(0, len(directory) - len(directory) % 12, 12):
        tag = directory[at : at + 3].decode("ascii", "replace")
        if tag not in wanted or tag in found:
            continue
        present.add(tag)
        entry = directory[at + 3 : at + 12]
        if not entry.isdigit():
            continue
        start = base + int(entry[4:9])
        data = chunk[start : start + int(entry[:4])]
        for subfield in data.split(b"\x1f")[1:]:
            code, value = subfield[:1].decode("ascii", "replace"), subfield[1:]
            if code == wanted[tag] and looks_like_barcode(value.decode("utf-8", "replace")):
                found.add(tag)
                break
    return present, found


class _HoldingsScan(ContentHandler):
    """Collects, per MARCXML record, the wanted tags whose barcode subfield has one."""

    def __init__(self, wanted: dict[str, str]) -> None:
        super().__init__()
        self.wanted = wanted
        self.records: list[Tags] = []
        self._present: set[str] = set()
        self._current: set[str] = set()
        self._tag = ""
        self._text: list[str] | None = None

    def startElementNS(
        self, name: tuple[str | None, str], qname: str | None, attrs: AttributesNSImpl
    ) -> None:
        element = name[1]
        if element == "record":
            self._present, self._current = set(), set()
        elif element == "datafield":
            self._tag = attrs.get((None, "tag"), "")
            if self._tag in self.wanted:
                self._present.add(self._tag)
        elif element == "subfield" and self._tag in self.wanted:
            code = attrs.get((None, "code"), "")
            self._text = [] if code == self.wanted[self._tag] else None

    def characters(self, content: str) -> None:
        if self._text is not None:
            self._text.append(content)

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:
        element = name[1]
        if element == "subfield" and self._text is not None:
            if looks_like_barcode("".join(self._text)):
                self._current.add(self._tag)
            self._text = None
        elif element == "record":
            self.records.append((self._present, self._current))


def _xml_holdings(fh: BinaryIO, wanted: dict[str, str]) -> Iterator[Tags]:
    handler = _HoldingsScan(wanted)
    parser = cast(IncrementalParser, make_parser())
    parser.setFeature(feature_namespaces, 1)
    parser.setContentHandler(handler)
    for block in wrapped_xml_blocks(fh):
        try:
            parser.feed(block)
        except (SAXException, ValueError, KeyError):
            break  # the import reports where the XML breaks; count what came before
        yield from handler.records
        handler.records.clear()
    yield from handler.records
