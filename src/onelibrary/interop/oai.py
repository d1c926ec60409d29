"""The OAI-PMH 2.0 provider at /oai: the six verbs, their errors, and the XML.

docs/interop.md says what is harvested and how. Requests are read by `_arguments`
(every verb's required, optional and exclusive arguments, as the protocol's section 3
lists them); the records come from harvest.py, a page at a time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from onelibrary.interop import harvest
from onelibrary.interop.harvest import BadToken, Cursor, Entry, Selection
from onelibrary.interop.metadata import (
    XSI_LOCATION,
    XSI_NS,
    bibliographic_record,
    dublin_core,
    marcxml,
)
from onelibrary.members.models import Library, SharingGroup

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
FORMATS = {
    "oai_dc": (
        "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
        "http://www.openarchives.org/OAI/2.0/oai_dc/",
    ),
    "marc21": (
        "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd",
        "http://www.loc.gov/MARC21/slim",
    ),
}
LISTS = ("ListIdentifiers", "ListRecords")
# verb -> (required, optional); resumptionToken is exclusive where it is allowed.
ARGUMENTS: dict[str, tuple[set[str], set[str]]] = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class OaiError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def namespace() -> str:
    return settings.OAI_NAMESPACE


def oai_identifier(title_id: int) -> str:
    return f"oai:{namespace()}:{title_id}"


def title_id_of(identifier: str) -> int:
    prefix = f"oai:{namespace()}:"
    local = identifier[len(prefix) :] if identifier.startswith(prefix) else ""
    if not local.isdigit():
        raise OaiError("idDoesNotExist", f"{identifier!r} is not an identifier of this repository.")
    return int(local)


def datestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_date(name: str, text: str) -> tuple[dt.datetime, str]:
    """A from/until value at day or second granularity, UTC; and which granularity."""
    if DAY.match(text):
        form, granularity = "%Y-%m-%d", "day"
    elif SECOND.match(text):
        form, granularity = "%Y-%m-%dT%H:%M:%SZ", "second"
    else:
        raise OaiError(
            "badArgument", f"{name}={text!r}: use YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ (UTC)."
        )
    try:
        moment = dt.datetime.strptime(text, form).replace(tzinfo=dt.UTC)
    except ValueError as error:
        raise OaiError("badArgument", f"{name}={text!r} is not a date.") from error
    return moment, granularity


@csrf_exempt
@require_http_methods(["GET", "POST"])
def endpoint(request: HttpRequest) -> HttpResponse:
    query = request.POST if request.method == "POST" else request.GET
    root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(XSI_LOCATION, f"{OAI_NS} {OAI_SCHEMA}")
    etree.SubElement(root, f"{{{OAI_NS}}}responseDate").text = datestamp(timezone.now())
    request_element = etree.SubElement(root, f"{{{OAI_NS}}}request")
    request_element.text = request.build_absolute_uri(request.path)
    verb = query.get("verb", "")
    arguments: dict[str, str] = {}
    echo = True
    try:
        arguments = _arguments(query)
        VERBS[verb](request, root, arguments)
    except OaiError as error:
        for child in list(root)[2:]:
            root.remove(child)
        etree.SubElement(root, f"{{{OAI_NS}}}error", code=error.code).text = error.message
        # The arguments are not echoed when they were not valid (section 3.2).
        echo = error.code not in ("badVerb", "badArgument")
    if echo:
        for name, value in [("verb", verb), *sorted(arguments.items())]:
            request_element.set(name, value)
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def _arguments(query) -> dict[str, str]:
    verb = query.get("verb", "")
    if len(query.getlist("verb")) != 1 or verb not in ARGUMENTS:
        raise OaiError(
            "badVerb", f"{verb!r} is not an OAI-PMH verb." if verb else "The verb is missing."
        )
    required, optional = ARGUMENTS[verb]
    names = set(query.keys()) - {"verb"}
    for name in names:
        if len(query.getlist(name)) > 1:
            raise OaiError("badArgument", f"{name} is given more than once.")
    unknown = names - required - optional
    if unknown:
        raise OaiError("badArgument", f"{verb} does not take {', '.join(sorted(unknown))}.")
    arguments = {name: query[name] for name in names}
    if "resumptionToken" in arguments:
        if len(arguments) > 1:
            raise OaiError("badArgument", "resumptionToken cannot be given with other arguments.")
        return arguments
    missing = required - names
    if missing:
        raise OaiError("badArgument", f"{verb} needs {', '.join(sorted(missing))}.")
    return arguments


def _sub(
    parent: etree._Element, name: str, text: str | None = None, **attributes: str
) -> etree._Element:
    element = etree.SubElement(parent, f"{{{OAI_NS}}}{name}", **attributes)
    if text is not None:
        element.text = text
    return element


def identify(request: HttpRequest, root: etree._Element, arguments: dict[str, str]) -> None:
    group = SharingGroup.current()
    body = _sub(root, "Identify")
    _sub(body, "repositoryName", group.name if group else "OneLibrary")
    _sub(body, "baseURL", request.build_absolute_uri(request.path))
    _sub(body, "protocolVersion", "2.0")
    _sub(body, "adminEmail", (group.contact_email if group else "") or settings.OAI_ADMIN_EMAIL)
    earliest = harvest.earliest_datestamp() or timezone.now()
    _sub(body, "earliestDatestamp", datestamp(earliest))
    _sub(body, "deletedRecord", "persistent")
    _sub(body, "granularity", "YYYY-MM-DDThh:mm:ssZ")


def list_metadata_formats(
    request: HttpRequest, root: etree._Element, arguments: dict[str, str]
) -> None:
    if "identifier" in arguments and harvest.read_one(title_id_of(arguments["identifier"])) is None:
        raise OaiError("idDoesNotExist", f"There is no record {arguments['identifier']!r}.")
    body = _sub(root, "ListMetadataFormats")
    for prefix, (schema, space) in FORMATS.items():
        element = _sub(body, "metadataFormat")
        _sub(element, "metadataPrefix", prefix)
        _sub(element, "schema", schema)
        _sub(element, "metadataNamespace", space)


def list_sets(request: HttpRequest, root: etree._Element, arguments: dict[str, str]) -> None:
    if "resumptionToken" in arguments:
        # All sets fit on one page: we never hand out a token for ListSets.
        raise OaiError(
            "badResumptionToken", "ListSets has a single page; ask again without a token."
        )
    body = _sub(root, "ListSets")
    for code, name in Library.objects.order_by("code").values_list("code", "name"):
        element = _sub(body, "set")
        _sub(element, "setSpec", code)
        _sub(element, "setName", name)


def get_record(request: HttpRequest, root: etree._Element, arguments: dict[str, str]) -> None:
    prefix = _prefix(arguments["metadataPrefix"])
    entry = harvest.read_one(title_id_of(arguments["identifier"]))
    if entry is None:
        raise OaiError("idDoesNotExist", f"There is no record {arguments['identifier']!r}.")
    _record(request, _sub(root, "GetRecord"), entry, prefix)


def list_records(request: HttpRequest, root: etree._Element, arguments: dict[str, str]) -> None:
    _list(request, root, arguments, verb="ListRecords")


def list_identifiers(request: HttpRequest, root: etree._Element, arguments: dict[str, str]) -> None:
    _list(request, root, arguments, verb="ListIdentifiers")


def _prefix(prefix: str) -> str:
    if prefix not in FORMATS:
        raise OaiError(
            "cannotDisseminateFormat",
            f"{prefix!r} is not offered; use one of {', '.join(FORMATS)}.",
        )
    return prefix


def _selection(arguments: dict[str, str]) -> Selection:
    prefix = _prefix(arguments["metadataPrefix"])
    since = until = None
    granularities = set()
    if "from" in arguments:
        since, granularity = parse_date("from", arguments["from"])
        granularities.add(granularity)
    if "until" in arguments:
        until, granularity = parse_date("until", arguments["until"])
        granularities.add(granularity)
        if granularity == "day":
            until += dt.timedelta(days=1, seconds=-1)  # the whole day, to its last second
    if len(granularities) > 1:
        raise OaiError("badArgument", "from and until must have the same granularity.")
    if since and until and since > until:
        raise OaiError("badArgument", "from is later than until.")
    return Selection(prefix=prefix, set_spec=arguments.get("set", ""), since=since, until=until)


def _list(
    request: HttpRequest, root: etree._Element, arguments: dict[str, str], *, verb: str
) -> None:
    cursor: Cursor | None = None
    if "resumptionToken" in arguments:
        try:
            selection, cursor = harvest.read_token(arguments["resumptionToken"])
        except BadToken as error:
            raise OaiError("badResumptionToken", str(error)) from error
    else:
        selection = _selection(arguments)
    page = harvest.read_page(selection, cursor, with_records=verb == "ListRecords")
    if not page.entries:
        if cursor is not None:
            raise OaiError(
                "badResumptionToken", "The harvest this token continues has no more records."
            )
        raise OaiError("noRecordsMatch", "No record matches these arguments.")
    body = _sub(root, verb)
    for entry in page.entries:
        if verb == "ListRecords":
            _record(request, body, entry, selection.prefix)
        else:
            _header(body, entry)
    if page.next_cursor is not None:
        now = timezone.now()
        _sub(
            body,
            "resumptionToken",
            harvest.make_token(selection, page.next_cursor),
            expirationDate=datestamp(harvest.token_expiry(now)),
            cursor=str(cursor.sent if cursor else 0),
        )
    elif cursor is not None:
        # The last page of a resumed list: an empty token says the list is complete.
        _sub(body, "resumptionToken", "", cursor=str(cursor.sent))


def _header(parent: etree._Element, entry: Entry) -> None:
    header = _sub(parent, "header", **({"status": "deleted"} if entry.deleted else {}))
    _sub(header, "identifier", oai_identifier(entry.title_id))
    _sub(header, "datestamp", datestamp(entry.datestamp))
    for code in entry.sets:
        _sub(header, "setSpec", code)


def _record(request: HttpRequest, parent: etree._Element, entry: Entry, prefix: str) -> None:
    element = _sub(parent, "record")
    _header(element, entry)
    if entry.deleted or entry.title is None:
        return
    record = bibliographic_record(entry.title)
    metadata = _sub(element, "metadata")
    if prefix == "marc21":
        metadata.append(marcxml(record))
    else:
        url = request.build_absolute_uri(reverse("title_detail", args=[entry.title_id]))
        metadata.append(dublin_core(entry.title, record, page_url=url))


VERBS: dict[str, Callable[[HttpRequest, etree._Element, dict[str, str]], None]] = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}
