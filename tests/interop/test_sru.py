"""SRU at /sru: explain, searchRetrieve with CQL, both versions, and the diagnostics."""

from __future__ import annotations

import pytest
from lxml import etree

from onelibrary.catalog.models import Title
from onelibrary.catalog.search import search_titles
from tests.interop.schemas import MARC, validate

SRW = "http://www.loc.gov/zing/srw/"
SRU2 = "http://docs.oasis-open.org/ns/search-ws/sruResponse"
NS = {
    "srw": SRW,
    "sru": SRU2,
    "diag": "http://www.loc.gov/zing/srw/diagnostic/",
    "diag2": "http://docs.oasis-open.org/ns/search-ws/diagnostic",
    "m": MARC,
    "dc": "http://purl.org/dc/elements/1.1/",
    "zr": "http://explain.z3950.org/dtd/2.0/",
}


def sru(client, **params):
    response = client.get("/sru", params)
    assert response.status_code == 200
    return etree.fromstring(response.content)


def search(client, query: str, **params):
    return sru(client, operation="searchRetrieve", version="1.2", query=query, **params)


def hits(root) -> int:
    return int(root.findtext("srw:numberOfRecords", namespaces=NS))


def titles(root) -> list[str]:
    return root.xpath(
        "//m:record/m:datafield[@tag='245']/m:subfield[@code='a']/text()", namespaces=NS
    )


def diagnostic(root, ns: str = "diag") -> str:
    return root.findtext(f".//{ns}:diagnostic/{ns}:uri", namespaces=NS)


def test_explain_names_the_indexes_and_schemas(catalog, anonymous):
    root = sru(anonymous)  # no parameters at all: explain, in 2.0
    assert root.tag == f"{{{SRU2}}}explainResponse"
    explain = root.find(".//zr:explain", NS)
    indexes = explain.xpath("zr:indexInfo/zr:index/zr:title/text()", namespaces=NS)
    assert {"dc.title", "dc.creator", "dc.subject", "bath.isbn", "cql.serverChoice"} <= set(indexes)
    schemas = explain.xpath("zr:schemaInfo/zr:schema/@name", namespaces=NS)
    assert schemas == ["marcxml", "dc"]
    old = sru(anonymous, operation="explain", version="1.2")
    assert old.tag == f"{{{SRW}}}explainResponse"
    assert old.findtext("srw:version", namespaces=NS) == "1.2"


def test_each_index_finds_what_the_catalog_search_finds(catalog, anonymous):
    for query, field, words in [
        ("title=dune", "title", "dune"),
        ("dc.creator=herbert", "author", "herbert"),
        ('subject="science fiction"', "subject", "science fiction"),
        ("bath.isbn=0441013597", "isbn", "0441013597"),
        ("cql.serverChoice=rivers", "keyword", "rivers"),
        ("any=montana", "keyword", "montana"),
        ('"writer 3"', "keyword", "writer 3"),
    ]:
        root = search(anonymous, query, maximumRecords="100")
        catalog_page = search_titles(words, field=field, per_page=100)
        expected = [h.title for h in catalog_page.hits]
        assert hits(root) == catalog_page.total == len(expected) > 0, query
        assert titles(root) == expected, query


def test_booleans_combine_the_catalogs_answers(catalog, anonymous):
    rivers = hits(search(anonymous, "subject=rivers"))
    writer_3 = hits(search(anonymous, 'author="writer 3"'))
    both = search(anonymous, 'subject=rivers and author="writer 3"', maximumRecords="50")
    either = search(anonymous, 'subject=rivers or author="writer 3"', maximumRecords="50")
    without = search(anonymous, 'subject=rivers not author="writer 3"', maximumRecords="50")
    assert hits(both) + hits(without) == rivers
    assert hits(either) == rivers + writer_3 - hits(both)
    # Title n: odd n has Rivers, n % 7 == 3 is by Writer 3: 3, 17 (odd), 10, 24 (even).
    assert sorted(titles(both)) == ["Harvest title 17", "Harvest title 3"]
    grouped = search(anonymous, 'title=dune or (subject=mountains and author="writer 3")')
    assert sorted(titles(grouped)) == ["Dune", "Harvest title 10", "Harvest title 24"]
    assert hits(search(anonymous, 'title any "dune nothing"')) == 1


def test_start_and_maximum_records_page_through(catalog, anonymous):
    first = search(anonymous, "harvest", maximumRecords="10")
    assert hits(first) == 25 and len(titles(first)) == 10
    assert first.findtext("srw:nextRecordPosition", namespaces=NS) == "11"
    last = search(anonymous, "harvest", startRecord="21", maximumRecords="10")
    assert len(titles(last)) == 5 and last.find("srw:nextRecordPosition", NS) is None
    positions = last.xpath("//srw:recordPosition/text()", namespaces=NS)
    assert positions == ["21", "22", "23", "24", "25"]
    every = (
        titles(first)
        + titles(search(anonymous, "harvest", startRecord="11", maximumRecords="10"))
        + titles(last)
    )
    assert len(set(every)) == 25
    none = search(anonymous, "harvest", maximumRecords="0")
    assert hits(none) == 25 and titles(none) == []


def test_records_in_marcxml_and_dublin_core(catalog, anonymous):
    root = search(anonymous, "title=dune", recordSchema="marcxml")
    record = root.find(".//m:record", NS)
    validate(
        etree.fromstring(etree.tostring(record)),
        "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd",
    )
    assert root.findtext(".//srw:recordSchema", namespaces=NS) == "info:srw/schema/1/marcxml-v1.1"
    dc = search(anonymous, "title=dune", recordSchema="dc")
    assert dc.xpath("//dc:title/text()", namespaces=NS) == ["Dune"]
    assert dc.xpath("//dc:creator/text()", namespaces=NS) == ["Herbert, Frank"]
    assert dc.findtext(".//srw:recordSchema", namespaces=NS) == "info:srw/schema/1/dc-v1.1"
    packed = search(anonymous, "title=dune", recordPacking="string")
    assert "<dc:title>" not in packed.findtext(".//srw:recordData", namespaces=NS)
    assert "Dune" in packed.findtext(".//srw:recordData", namespaces=NS)


def test_version_2_answers_in_its_own_namespace(catalog, anonymous):
    root = sru(anonymous, query="title=dune", version="2.0", recordSchema="dc")
    assert root.tag == f"{{{SRU2}}}searchRetrieveResponse"
    assert root.findtext("sru:numberOfRecords", namespaces=NS) == "1"
    assert root.findtext(".//sru:recordXMLEscaping", namespaces=NS) == "xml"
    bad = sru(anonymous, query="title=", version="2.0")
    assert diagnostic(bad, "diag2") == "info:srw/diagnostic/1/10"


@pytest.mark.parametrize(
    ("params", "number"),
    [
        ({"query": "title = (dune"}, 10),
        ({"query": "dune messiah"}, 10),
        ({"query": "publisher=ace"}, 16),
        ({"query": "title > dune"}, 19),
        ({"query": "title =/stem dune"}, 20),
        ({"query": 'title=""'}, 27),
        ({"query": "dune prox sand"}, 37),
        ({"query": "dune and/rel.algorithm=cori sand"}, 46),
        ({"query": "dune", "recordSchema": "mods"}, 66),
        ({"query": "dune", "startRecord": "0"}, 6),
        ({"query": "dune", "maximumRecords": "many"}, 6),
        ({"query": "dune", "startRecord": "5"}, 61),
        ({"query": "dune", "recordPacking": "json"}, 71),
        ({}, 7),
        ({"query": "dune", "version": "3.0"}, 5),
        ({"query": "dune", "operation": "scan"}, 4),
    ],
)
def test_each_problem_is_a_diagnostic(catalog, anonymous, params, number):
    query = {"operation": "searchRetrieve", "version": "1.2", **params}
    root = sru(anonymous, **query)
    assert diagnostic(root) == f"info:srw/diagnostic/1/{number}"
    assert root.findtext(".//diag:message", namespaces=NS)


def test_a_search_costs_a_handful_of_queries(catalog, anonymous, django_assert_max_num_queries):
    # One search clause is the catalog's own queries plus the page's titles.
    with django_assert_max_num_queries(6):
        search(anonymous, "harvest", maximumRecords="5")
    assert Title.objects.count() == 26
