"""The vendored OAI-PMH, oai_dc and MARCXML schemas (tests/vendor/oai-pmh/README.md),
loaded offline: their web addresses resolve to the files there."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

VENDOR = Path(__file__).resolve().parent.parent / "vendor" / "oai-pmh"
LOCAL = {
    "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd": "OAI-PMH.xsd",
    "http://www.openarchives.org/OAI/2.0/oai_dc.xsd": "oai_dc.xsd",
    "http://dublincore.org/schemas/xmls/simpledc20021212.xsd": "simpledc20021212.xsd",
    "http://www.w3.org/2001/03/xml.xsd": "xml.xsd",
    "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd": "MARC21slim-standin.xsd",
}
OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
MARC = "http://www.loc.gov/MARC21/slim"


class _Offline(etree.Resolver):
    def resolve(self, url, pubid, context):
        if url.startswith(str(VENDOR)):
            return None  # a vendored file: lxml reads it itself
        name = LOCAL.get(url)
        if name is None:
            raise AssertionError(f"a schema asked for {url}, which is not vendored")
        return self.resolve_filename(str(VENDOR / name), context)


@cache
def schema(url: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Offline())
    return etree.XMLSchema(etree.parse(str(VENDOR / LOCAL[url]), parser))


def validate(document: etree._Element, url: str) -> None:
    checker = schema(url)
    if not checker.validate(document):
        raise AssertionError(f"invalid against {url}:\n{checker.error_log}")


def validate_oai(body: bytes) -> etree._Element:
    """The response, checked against OAI-PMH.xsd and each record's metadata against its
    format's schema (OAI-PMH.xsd itself skips the metadata)."""
    root = etree.fromstring(body)
    validate(root, "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
    for metadata in root.iter(f"{{{OAI}}}metadata"):
        (found,) = list(metadata)
        record = etree.fromstring(etree.tostring(found))  # validated as a document of its own
        if record.tag == f"{{{OAI_DC}}}dc":
            validate(record, "http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
        elif record.tag == f"{{{MARC}}}record":
            validate(record, "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd")
        else:
            raise AssertionError(f"unexpected metadata {record.tag}")
    return root
