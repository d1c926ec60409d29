"""A title as MARCXML and as simple Dublin Core, for OAI-PMH and SRU alike.

Both start from the title's stored MARC record (`catalog.exporter.title_record`: the
record as first loaded, or one built from the title's fields). Holdings fields are left
out: copies change at every checkout, and they are not the bibliographic record a
harvester keeps; which libraries own copies is said by the OAI sets instead. The Dublin
Core mapping is the table in docs/interop.md.
"""

from __future__ import annotations

from lxml import etree
from pymarc import Record

from onelibrary.catalog.exporter import title_record
from onelibrary.catalog.models import Title

MARC_NS = "http://www.loc.gov/MARC21/slim"
MARC_SCHEMA = "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XSI_LOCATION = f"{{{XSI_NS}}}schemaLocation"
# Holdings fields of every profile a member may load (docs/marc.md): copies, not the title.
HOLDINGS_TAGS = ("852", "949", "952", "999")
# Title.Format -> DCMI Type vocabulary.
DCMI_TYPE: dict[str, str] = {
    Title.Format.BOOK: "Text",
    Title.Format.LARGE_PRINT: "Text",
    Title.Format.SERIAL: "Text",
    Title.Format.SCORE: "Text",
    Title.Format.SOUND: "Sound",
    Title.Format.MUSIC: "Sound",
    Title.Format.VIDEO: "MovingImage",
    Title.Format.MAP: "Image",
    Title.Format.COMPUTER: "Software",
    Title.Format.KIT: "PhysicalObject",
}
CONTRIBUTOR_TAGS = ("700", "710", "711")
# XML 1.0 cannot carry most control characters; a MARC record sometimes does.
_NOT_XML = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def xml_text(value: str) -> str:
    return value.translate(_NOT_XML)


def bibliographic_record(title: Title) -> Record:
    """The title's MARC record without holdings fields."""
    record = title_record(title)
    record.remove_fields(*HOLDINGS_TAGS)
    return record


def marcxml(record: Record, *, schema_location: bool = True) -> etree._Element:
    """One MARC record as a MARCXML `record` element (MARC21slim)."""
    root = etree.Element(f"{{{MARC_NS}}}record", nsmap={None: MARC_NS, "xsi": XSI_NS})
    if schema_location:
        root.set(XSI_LOCATION, f"{MARC_NS} {MARC_SCHEMA}")
    leader = etree.SubElement(root, f"{{{MARC_NS}}}leader")
    leader.text = xml_text(str(record.leader))
    for field in record.fields:
        if field.is_control_field():
            control = etree.SubElement(root, f"{{{MARC_NS}}}controlfield", tag=field.tag)
            control.text = xml_text(field.data or "")
            continue
        indicators = list(field.indicators or ("", ""))
        data = etree.SubElement(
            root,
            f"{{{MARC_NS}}}datafield",
            tag=field.tag,
            ind1=(indicators[0] or " ")[:1],
            ind2=(indicators[1] or " ")[:1],
        )
        for subfield in field.subfields:
            element = etree.SubElement(data, f"{{{MARC_NS}}}subfield", code=subfield.code)
            element.text = xml_text(subfield.value)
    return root


def dublin_core(title: Title, record: Record, *, page_url: str) -> etree._Element:
    """The title as an `oai_dc:dc` element (simple Dublin Core, docs/interop.md)."""
    root = etree.Element(
        f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}
    )
    root.set(XSI_LOCATION, f"{OAI_DC_NS} {OAI_DC_SCHEMA}")

    def add(name: str, value: object) -> None:
        text = xml_text(str(value)).strip() if value is not None else ""
        if text:
            etree.SubElement(root, f"{{{DC_NS}}}{name}").text = text

    add("title", title.title)
    add("creator", title.author)
    for field in record.get_fields(*CONTRIBUTOR_TAGS):
        add("contributor", " ".join(field.get_subfields("a", "b", "d")))
    for subject in title.subject_list:
        add("subject", subject)
    for field in record.get_fields("520"):
        add("description", " ".join(field.get_subfields("a", "b")))
    add("publisher", title.publisher)
    add("date", title.year)
    add("type", DCMI_TYPE.get(title.format, ""))
    add("format", title.get_format_display())
    for isbn in title.isbn_list:
        add("identifier", f"urn:isbn:{isbn}")
    if title.oclc_number:
        add("identifier", f"(OCoLC){title.oclc_number}")
    add("identifier", page_url)
    add("language", title.language)
    return root
