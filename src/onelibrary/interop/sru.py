"""SRU 1.2 and 2.0 at /sru: explain and searchRetrieve, MARCXML and Dublin Core.

The version a client asks for decides the response's namespace (1.1 and 1.2: the SRW
namespace; 2.0: OASIS searchRetrieve). With no version, a request with an `operation`
is answered as 1.2 (1.x clients always send one), any other as 2.0. Problems are SRU
diagnostics in the response, HTTP 200, as both versions want. docs/interop.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from lxml import etree

from onelibrary.catalog.models import Title
from onelibrary.interop.cql import CqlSyntaxError, parse
from onelibrary.interop.metadata import DC_NS, bibliographic_record, dublin_core, marcxml
from onelibrary.interop.sruquery import Unanswerable, answer
from onelibrary.members.models import SharingGroup

SRW_NS = "http://www.loc.gov/zing/srw/"
SRW_DIAG_NS = "http://www.loc.gov/zing/srw/diagnostic/"
SRU2_NS = "http://docs.oasis-open.org/ns/search-ws/sruResponse"
SRU2_DIAG_NS = "http://docs.oasis-open.org/ns/search-ws/diagnostic"
ZEEREX_NS = "http://explain.z3950.org/dtd/2.0/"
SRW_DC_NS = "info:srw/schema/1/dc-schema"
DIAGNOSTIC = "info:srw/diagnostic/1/{}"
MARCXML = "info:srw/schema/1/marcxml-v1.1"
DC = "info:srw/schema/1/dc-v1.1"
# recordSchema as a client may name it -> the schema's identifier.
SCHEMAS = {
    "marcxml": MARCXML,
    "marc21": MARCXML,
    "marc": MARCXML,
    MARCXML: MARCXML,
    "info:srw/schema/1/marcxml-v1.2": MARCXML,
    "dc": DC,
    DC: DC,
}
CONTEXT_SETS = {
    "cql": "info:srw/cql-context-set/1/cql-v1.2",
    "dc": "info:srw/cql-context-set/1/dc-v1.1",
    "bath": "http://zing.z3950.org/cql/bath/2.0/",
}
# The indexes explain names; unprefixed title, author, subject, isbn and any work too.
EXPLAINED_INDEXES = (
    ("cql", "serverChoice"),
    ("cql", "anywhere"),
    ("dc", "title"),
    ("dc", "creator"),
    ("dc", "subject"),
    ("bath", "isbn"),
)
DEFAULT_RECORDS = 10
MAX_RECORDS = 100
VERSIONS = ("1.1", "1.2", "2.0")


class Diagnostic(Exception):
    def __init__(self, number: int, message: str, details: str = ""):
        super().__init__(message)
        self.number = number
        self.message = message
        self.details = details


@dataclass(frozen=True)
class Dialect:
    """One SRU version's names: its namespace, diagnostics namespace, echoed version."""

    version: str
    ns: str
    diag_ns: str

    @property
    def v2(self) -> bool:
        return self.version == "2.0"

    def el(self, parent: etree._Element | None, name: str, text: object = None) -> etree._Element:
        tag = f"{{{self.ns}}}{name}"
        if parent is None:
            element = etree.Element(tag, nsmap={"srw" if not self.v2 else "sru": self.ns})
        else:
            element = etree.SubElement(parent, tag)
        if text is not None:
            element.text = str(text)
        return element


def _dialect(request: HttpRequest) -> Dialect:
    version = request.GET.get("version", "")
    if not version:
        version = "1.2" if "operation" in request.GET else "2.0"
    if version == "2.0":
        return Dialect("2.0", SRU2_NS, SRU2_DIAG_NS)
    return Dialect(version if version in VERSIONS else "1.2", SRW_NS, SRW_DIAG_NS)


@require_GET
def endpoint(request: HttpRequest) -> HttpResponse:
    dialect = _dialect(request)
    operation = request.GET.get("operation", "")
    if not operation:
        operation = "searchRetrieve" if "query" in request.GET else "explain"
    try:
        if request.GET.get("version", dialect.version) not in VERSIONS:
            raise Diagnostic(5, "Use version 1.1, 1.2 or 2.0.", "2.0")
        if operation == "searchRetrieve":
            root = search_retrieve(request, dialect)
        elif operation == "explain":
            root = explain(request, dialect)
        else:
            raise Diagnostic(4, f"The operation {operation!r} is not supported.", operation)
    except Diagnostic as problem:
        name = "searchRetrieveResponse" if operation == "searchRetrieve" else "explainResponse"
        root = dialect.el(None, name)
        dialect.el(root, "version", dialect.version)
        if operation == "searchRetrieve":
            dialect.el(root, "numberOfRecords", 0)
        _diagnostics(root, dialect, problem)
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def _diagnostics(root: etree._Element, dialect: Dialect, problem: Diagnostic) -> None:
    holder = dialect.el(root, "diagnostics")
    diagnostic = etree.SubElement(
        holder, f"{{{dialect.diag_ns}}}diagnostic", nsmap={"diag": dialect.diag_ns}
    )
    etree.SubElement(diagnostic, f"{{{dialect.diag_ns}}}uri").text = DIAGNOSTIC.format(
        problem.number
    )
    if problem.details:
        etree.SubElement(diagnostic, f"{{{dialect.diag_ns}}}details").text = problem.details
    etree.SubElement(diagnostic, f"{{{dialect.diag_ns}}}message").text = problem.message


def _positive(request: HttpRequest, name: str, default: int) -> int:
    text = request.GET.get(name, "")
    if not text:
        return default
    if not text.isdigit():
        raise Diagnostic(6, f"{name} must be a whole number.", name)
    return int(text)


def search_retrieve(request: HttpRequest, dialect: Dialect) -> etree._Element:
    query = request.GET.get("query", "")
    if not query:
        raise Diagnostic(7, "searchRetrieve needs a query.", "query")
    start = _positive(request, "startRecord", 1)
    if start < 1:
        raise Diagnostic(6, "startRecord counts from 1.", "startRecord")
    maximum = min(_positive(request, "maximumRecords", DEFAULT_RECORDS), MAX_RECORDS)
    schema_name = request.GET.get("recordSchema", "marcxml")
    schema = SCHEMAS.get(schema_name.lower())
    if schema is None:
        raise Diagnostic(66, f"Use recordSchema marcxml or dc, not {schema_name!r}.", schema_name)
    packing = request.GET.get("recordPacking" if not dialect.v2 else "recordXMLEscaping", "xml")
    if packing not in ("xml", "string"):
        raise Diagnostic(
            71, f"Record packing {packing!r} is not supported; use xml or string.", packing
        )
    try:
        ids = answer(parse(query))
    except CqlSyntaxError as error:
        raise Diagnostic(10, f"Query syntax error: {error}", query) from error
    except Unanswerable as problem:
        raise Diagnostic(problem.diagnostic, problem.message, problem.details) from problem
    total = len(ids)
    if total and start > total:
        raise Diagnostic(61, f"startRecord {start} is past the last record ({total}).", str(start))
    root = dialect.el(None, "searchRetrieveResponse")
    dialect.el(root, "version", dialect.version)
    dialect.el(root, "numberOfRecords", total)
    page = ids[start - 1 : start - 1 + maximum]
    if page and maximum:
        records = dialect.el(root, "records")
        titles: QuerySet[Title] = Title.objects.filter(pk__in=page)
        by_id = {t.pk: t for t in titles}
        for position, title_id in enumerate(page, start=start):
            title = by_id.get(title_id)
            if title is None:
                continue  # merged away between the search and this read
            _record(request, records, dialect, title, schema, packing, position)
    if start - 1 + maximum < total:
        dialect.el(root, "nextRecordPosition", start + maximum)
    return root


def _record(
    request: HttpRequest,
    records: etree._Element,
    dialect: Dialect,
    title: Title,
    schema: str,
    packing: str,
    position: int,
) -> None:
    record = dialect.el(records, "record")
    dialect.el(record, "recordSchema", schema)
    dialect.el(record, "recordXMLEscaping" if dialect.v2 else "recordPacking", packing)
    marc = bibliographic_record(title)
    if schema == MARCXML:
        content = marcxml(marc, schema_location=False)
    else:
        url = request.build_absolute_uri(reverse("title_detail", args=[title.pk]))
        content = _srw_dc(dublin_core(title, marc, page_url=url))
    data = dialect.el(record, "recordData")
    if packing == "string":
        data.text = etree.tostring(content, encoding="unicode")
    else:
        data.append(content)
    dialect.el(record, "recordPosition", position)


def _srw_dc(oai_dc: etree._Element) -> etree._Element:
    """The same Dublin Core elements in SRU's own wrapper (srw_dc:dc)."""
    root = etree.Element(f"{{{SRW_DC_NS}}}dc", nsmap={"srw_dc": SRW_DC_NS, "dc": DC_NS})
    for child in oai_dc:
        root.append(child)
    return root


def explain(request: HttpRequest, dialect: Dialect) -> etree._Element:
    root = dialect.el(None, "explainResponse")
    dialect.el(root, "version", dialect.version)
    record = dialect.el(root, "record")
    dialect.el(record, "recordSchema", "http://explain.z3950.org/dtd/2.0/")
    dialect.el(record, "recordXMLEscaping" if dialect.v2 else "recordPacking", "xml")
    data = dialect.el(record, "recordData")
    data.append(_zeerex(request))
    dialect.el(record, "recordPosition", 1)
    return root


def _zeerex(request: HttpRequest) -> etree._Element:
    def z(
        parent: etree._Element, tag: str, text: str | None = None, **attributes: str
    ) -> etree._Element:
        element = etree.SubElement(parent, f"{{{ZEEREX_NS}}}{tag}", **attributes)
        if text is not None:
            element.text = text
        return element

    group = SharingGroup.current()
    root = etree.Element(f"{{{ZEEREX_NS}}}explain", nsmap={None: ZEEREX_NS})
    server = z(root, "serverInfo", protocol="SRU", version="1.2 2.0")
    z(server, "host", request.get_host().rsplit(":", 1)[0])
    z(server, "port", str(request.get_port()))
    z(server, "database", request.path.lstrip("/"))
    info = z(root, "databaseInfo")
    z(info, "title", f"{group.name if group else 'OneLibrary'} catalog", lang="en", primary="true")
    indexes = z(root, "indexInfo")
    for name, identifier in CONTEXT_SETS.items():
        z(indexes, "set", identifier=identifier, name=name)
    for prefix, index in EXPLAINED_INDEXES:
        entry = z(indexes, "index")
        z(entry, "title", f"{prefix}.{index}")
        z(z(entry, "map"), "name", index, set=prefix)
    schemas = z(root, "schemaInfo")
    for name, identifier in (("marcxml", MARCXML), ("dc", DC)):
        schema = z(schemas, "schema", identifier=identifier, name=name)
        z(schema, "title", "MARCXML" if name == "marcxml" else "Dublin Core")
    config = z(root, "configInfo")
    z(config, "default", str(DEFAULT_RECORDS), type="numberOfRecords")
    z(config, "setting", str(MAX_RECORDS), type="maximumRecords")
    return root
