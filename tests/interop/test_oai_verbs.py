"""OAI-PMH at /oai: every verb and every error, each response valid against the schemas."""

from __future__ import annotations

import pytest

from onelibrary.interop.oai import oai_identifier
from tests.interop.schemas import MARC, OAI, OAI_DC, validate_oai

DC = "http://purl.org/dc/elements/1.1/"
NS = {"o": OAI, "dc": DC, "oai_dc": OAI_DC, "m": MARC}


def ask(client, **params):
    response = client.get("/oai", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    return validate_oai(response.content)


def error_of(root) -> str:
    (error,) = root.findall("o:error", NS)
    return error.get("code")


def test_it_identifies_the_repository(catalog, anonymous):
    root = ask(anonymous, verb="Identify")
    assert root.findtext("o:Identify/o:repositoryName", namespaces=NS) == "Big Sky Partners"
    assert root.findtext("o:Identify/o:baseURL", namespaces=NS) == "http://testserver/oai"
    assert root.findtext("o:Identify/o:deletedRecord", namespaces=NS) == "persistent"
    assert root.findtext("o:Identify/o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    # Dune was dated a day before the numbered titles.
    assert root.findtext("o:Identify/o:earliestDatestamp", namespaces=NS) == "2026-02-28T09:00:00Z"
    assert root.find("o:request", NS).get("verb") == "Identify"


def test_it_lists_both_metadata_formats(catalog, anonymous):
    root = ask(anonymous, verb="ListMetadataFormats")
    prefixes = root.xpath("//o:metadataPrefix/text()", namespaces=NS)
    assert prefixes == ["oai_dc", "marc21"]
    one = ask(anonymous, verb="ListMetadataFormats", identifier=oai_identifier(catalog.dune.pk))
    assert one.xpath("//o:metadataPrefix/text()", namespaces=NS) == ["oai_dc", "marc21"]


def test_it_lists_one_set_per_member_library(catalog, anonymous):
    root = ask(anonymous, verb="ListSets")
    specs = root.xpath("//o:set/o:setSpec/text()", namespaces=NS)
    names = root.xpath("//o:set/o:setName/text()", namespaces=NS)
    assert specs == ["ELK", "PINE", "RIV"]
    assert "Pine Creek Library" in names


def test_get_record_in_dublin_core(catalog, anonymous, settings):
    root = ask(
        anonymous,
        verb="GetRecord",
        identifier=oai_identifier(catalog.dune.pk),
        metadataPrefix="oai_dc",
    )
    header = root.find("o:GetRecord/o:record/o:header", NS)
    assert (
        header.findtext("o:identifier", namespaces=NS) == f"oai:onelibrary.local:{catalog.dune.pk}"
    )
    assert header.findtext("o:datestamp", namespaces=NS) == "2026-02-28T09:00:00Z"
    assert header.xpath("o:setSpec/text()", namespaces=NS) == ["PINE", "RIV"]
    dc = root.find("o:GetRecord/o:record/o:metadata/oai_dc:dc", NS)
    assert dc.findtext("dc:title", namespaces=NS) == "Dune"
    assert dc.findtext("dc:creator", namespaces=NS) == "Herbert, Frank"
    assert dc.xpath("dc:subject/text()", namespaces=NS) == ["Science fiction", "Deserts"]
    assert dc.findtext("dc:date", namespaces=NS) == "1965"
    assert dc.findtext("dc:type", namespaces=NS) == "Text"
    identifiers = dc.xpath("dc:identifier/text()", namespaces=NS)
    assert "urn:isbn:9780441013593" in identifiers
    assert f"http://testserver/catalog/titles/{catalog.dune.pk}/" in identifiers


def test_get_record_in_marcxml(catalog, anonymous):
    root = ask(
        anonymous,
        verb="GetRecord",
        identifier=oai_identifier(catalog.dune.pk),
        metadataPrefix="marc21",
    )
    record = root.find("o:GetRecord/o:record/o:metadata/m:record", NS)
    assert record.xpath("m:datafield[@tag='245']/m:subfield[@code='a']/text()", namespaces=NS) == [
        "Dune"
    ]
    assert record.xpath("m:datafield[@tag='020']/m:subfield/text()", namespaces=NS) == [
        "9780441013593"
    ]


def test_list_identifiers_gives_headers_only(catalog, anonymous):
    root = ask(anonymous, verb="ListIdentifiers", metadataPrefix="oai_dc")
    headers = root.findall("o:ListIdentifiers/o:header", NS)
    assert len(headers) == 26
    assert root.find("o:ListIdentifiers/o:resumptionToken", NS) is None  # one page
    assert headers[0].findtext("o:identifier", namespaces=NS) == oai_identifier(catalog.dune.pk)


def test_list_records_in_a_set(catalog, anonymous):
    root = ask(anonymous, verb="ListRecords", metadataPrefix="marc21", set="PINE")
    identifiers = root.xpath("//o:header/o:identifier/text()", namespaces=NS)
    assert identifiers == [oai_identifier(catalog.dune.pk)]
    assert len(root.findall(".//m:record", NS)) == 1


def test_from_and_until_select_by_datestamp_to_the_second(catalog, anonymous):
    # Title n is dated 09:00:00 + (n - 1) seconds: 5 is 09:00:04, 9 is 09:00:08.
    root = ask(
        anonymous,
        verb="ListIdentifiers",
        metadataPrefix="oai_dc",
        **{"from": "2026-03-01T09:00:04Z", "until": "2026-03-01T09:00:08Z"},
    )
    stamps = root.xpath("//o:header/o:datestamp/text()", namespaces=NS)
    assert stamps == [f"2026-03-01T09:00:0{s}Z" for s in range(4, 9)]
    by_day = ask(anonymous, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2026-02-28")
    assert by_day.xpath("//o:header/o:identifier/text()", namespaces=NS) == [
        oai_identifier(catalog.dune.pk)
    ]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "ListEverything"}, "badVerb"),
        ({"verb": "Identify", "set": "RIV"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-02-30"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2026-03-01",
                "until": "2026-03-01T10:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2026-03-02",
                "until": "2026-03-01",
            },
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "mods"}, "cannotDisseminateFormat"),
        (
            {"verb": "GetRecord", "metadataPrefix": "mods", "identifier": "oai:onelibrary.local:1"},
            "cannotDisseminateFormat",
        ),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:elsewhere.org:1"},
            "idDoesNotExist",
        ),
        (
            {
                "verb": "GetRecord",
                "metadataPrefix": "oai_dc",
                "identifier": "oai:onelibrary.local:999999",
            },
            "idDoesNotExist",
        ),
        (
            {"verb": "ListMetadataFormats", "identifier": "oai:onelibrary.local:abc"},
            "idDoesNotExist",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2030-01-01"},
            "noRecordsMatch",
        ),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "NOPE"}, "noRecordsMatch"),
        ({"verb": "ListRecords", "resumptionToken": "garbled"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "anything"}, "badResumptionToken"),
    ],
)
def test_each_error_has_its_code_and_a_valid_response(catalog, anonymous, params, code):
    root = ask(anonymous, **params)
    assert error_of(root) == code
    assert root.find("o:error", NS).text  # a message saying what is wrong
    if code in ("badVerb", "badArgument"):
        assert root.find("o:request", NS).attrib == {}  # not echoed: they were not valid


def test_a_repeated_argument_is_a_bad_argument(catalog, anonymous):
    response = anonymous.get("/oai?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=marc21")
    assert error_of(validate_oai(response.content)) == "badArgument"


def test_post_is_answered_like_get(catalog, anonymous):
    response = anonymous.post("/oai", {"verb": "Identify"})
    root = validate_oai(response.content)
    assert root.find("o:Identify", NS) is not None
