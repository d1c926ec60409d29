"""Damage reports, disputes, messages and decisions over the JSON API (docs/ledger.md).

The same actions as the pages (`ledger.disputes`) and the same reads (a member's staff
see the reports where their library is a party; the central office all). A report, a
dispute and a message carry photos, so they are sent as multipart/form-data (fields and
`photos` files); the decision is JSON. Errors use apiauth's one body: 404 a report not
among yours, 403 not the responder or not the central office, 409 a refusal (DISPUTE-…),
422 a bad field.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import FileResponse
from ninja import Field, File, Form, Path, Query, Router, Schema, Status, UploadedFile

from onelibrary.apiauth import (
    BARCODE_PATTERN,
    ERROR_RESPONSES,
    TEXT_PATTERN,
    StaffApiRequest,
    staff_of,
)
from onelibrary.catalog.access import access_item
from onelibrary.ledger import disputes
from onelibrary.ledger.models import Entry
from onelibrary.ledger.report_models import DamageReport, Decision, DisputeMessage, Photo
from onelibrary.members.access import NotFound
from onelibrary.members.models import Library

router = Router(tags=["ledger"])
MAX_ID = 2**63 - 1
ReportId = Annotated[int, Path(ge=1, le=MAX_ID)]
PhotoId = Annotated[int, Path(ge=1, le=MAX_ID)]
Photos = File[list[UploadedFile] | None]


class PhotoOut(Schema):
    id: int
    content_type: str
    width: int
    height: int
    size: int
    url: str


class MessageOut(Schema):
    id: int
    library: str | None
    author: str
    body: str
    created_at: dt.datetime
    photos: list[PhotoOut]


class DecisionOut(Schema):
    outcome: str
    debtor: str | None
    creditor: str | None
    amount: str
    reason: str
    decided_by: str
    decided_at: dt.datetime


class ReportOut(Schema):
    id: int
    item: str
    where: str
    case: str
    state: str
    owner: str
    payer: str | None
    responder: str | None
    reporter: str | None
    amount: str
    note: str
    occurred_at: dt.datetime
    created_at: dt.datetime
    respond_by: dt.datetime
    decide_by: dt.datetime | None
    photos: list[PhotoOut]
    messages: list[MessageOut]
    decision: DecisionOut | None
    entries: list[int]


class ReportsQuery(Schema):
    state: str = Field("", max_length=16, description="open, accepted, disputed, escalated …")


class ReportIn(Schema):
    barcode: str = Field(..., min_length=1, max_length=64, pattern=BARCODE_PATTERN)
    where: str = Field(..., max_length=8, description="checkin or arrival")
    note: str = Field(..., max_length=2000, pattern=TEXT_PATTERN)


class MessageIn(Schema):
    body: str = Field(..., max_length=2000, pattern=TEXT_PATTERN)


class DecisionIn(Schema):
    outcome: str = Field(..., max_length=16, description="charge, group_carries, owner_carries")
    debtor: str = Field("", max_length=32, description="member code (charge)")
    creditor: str = Field("", max_length=32, description="member code (charge)")
    amount: str = Field("0", max_length=16, description="decimal string, e.g. 12.50")
    reason: str = Field(..., max_length=500, pattern=TEXT_PATTERN)


def _code(lib: Library | None) -> str | None:
    return lib.code if lib is not None else None


def _photos(report: DamageReport, photos: list[Photo]) -> list[PhotoOut]:
    return [
        PhotoOut(
            id=p.pk,
            content_type=p.content_type,
            width=p.width,
            height=p.height,
            size=p.size,
            url=f"/api/v1/ledger/reports/{report.pk}/photos/{p.pk}",
        )
        for p in photos
    ]


def _message(report: DamageReport, m: DisputeMessage) -> MessageOut:
    return MessageOut(
        id=m.pk,
        library=_code(m.library),
        author=m.author.get_username(),
        body=m.body,
        created_at=m.created_at,
        photos=_photos(report, list(m.photos.all())),
    )


def report_out(report: DamageReport) -> ReportOut:
    decision = Decision.objects.filter(report=report).select_related(
        "debtor", "creditor", "decided_by"
    )
    found = decision.first()
    return ReportOut(
        id=report.pk,
        item=report.item.barcode,
        where=report.where,
        case=report.case,
        state=report.state,
        owner=report.owner.code,
        payer=_code(report.payer),
        responder=_code(report.responder),
        reporter=_code(report.reporter_library),
        amount=str(report.amount),
        note=report.note,
        occurred_at=report.occurred_at,
        created_at=report.created_at,
        respond_by=report.respond_by,
        decide_by=report.decide_by,
        photos=_photos(report, list(report.photos.filter(message__isnull=True))),
        messages=[
            _message(report, m)
            for m in report.messages.select_related("author", "library").prefetch_related("photos")
        ],
        decision=DecisionOut(
            outcome=found.outcome,
            debtor=_code(found.debtor),
            creditor=_code(found.creditor),
            amount=str(found.amount),
            reason=found.reason,
            decided_by=found.decided_by.get_username(),
            decided_at=found.decided_at,
        )
        if found is not None
        else None,
        entries=list(
            Entry.objects.filter(source_kind=disputes.SOURCE, source_id=str(report.pk)).values_list(
                "pk", flat=True
            )
        ),
    )


def _uploads(photos: list[UploadedFile] | None) -> disputes.Uploads:
    return [(f.name or "photo", f) for f in photos or []]


@router.get(
    "/reports",
    response={200: list[ReportOut], **ERROR_RESPONSES},
    summary="Damage reports where your library is a party (all, for the central office)",
    operation_id="onelibrary_ledger_api_reports",
)
def list_reports(request: StaffApiRequest, query: Query[ReportsQuery]) -> list[ReportOut]:
    found = disputes.visible_reports(staff_of(request))
    if query.state:
        found = found.filter(state=query.state)
    return [report_out(r) for r in found[:200]]


@router.post(
    "/reports",
    response={201: ReportOut, **ERROR_RESPONSES},
    summary="Report damage at checkin or on arrival, with photos (multipart)",
    operation_id="onelibrary_ledger_api_report_damage",
)
def create_report(
    request: StaffApiRequest, payload: Form[ReportIn], photos: Photos = None
) -> Status[ReportOut]:
    staff = staff_of(request)
    disputes.visible_reports(staff)  # staff only
    item = access_item(staff, payload.barcode, for_change=False)
    report = disputes.report_damage(
        staff, item, payload.where, note=payload.note, photos=_uploads(photos)
    )
    return Status(201, report_out(report))


@router.get(
    "/reports/{report_id}",
    response={200: ReportOut, **ERROR_RESPONSES},
    summary="One damage report with its photos, thread and decision",
    operation_id="onelibrary_ledger_api_report",
)
def get_report(request: StaffApiRequest, report_id: ReportId) -> ReportOut:
    return report_out(disputes.access_report(staff_of(request), report_id))


@router.post(
    "/reports/{report_id}/accept",
    response={200: ReportOut, **ERROR_RESPONSES},
    summary="Accept a damage report: its entries are booked",
    operation_id="onelibrary_ledger_api_report_accept",
)
def accept_report(request: StaffApiRequest, report_id: ReportId) -> ReportOut:
    staff = staff_of(request)
    return report_out(disputes.accept(staff, disputes.access_report(staff, report_id)))


@router.post(
    "/reports/{report_id}/dispute",
    response={201: MessageOut, **ERROR_RESPONSES},
    summary="Dispute a damage report by its deadline, with photos (multipart)",
    operation_id="onelibrary_ledger_api_report_dispute",
)
def dispute_report(
    request: StaffApiRequest, report_id: ReportId, payload: Form[MessageIn], photos: Photos = None
) -> Status[MessageOut]:
    staff = staff_of(request)
    report = disputes.access_report(staff, report_id)
    message = disputes.dispute(staff, report, body=payload.body, photos=_uploads(photos))
    return Status(201, _message(report, message))


@router.post(
    "/reports/{report_id}/messages",
    response={201: MessageOut, **ERROR_RESPONSES},
    summary="A message in a report's thread, with photos (multipart)",
    operation_id="onelibrary_ledger_api_report_message",
)
def post_message(
    request: StaffApiRequest, report_id: ReportId, payload: Form[MessageIn], photos: Photos = None
) -> Status[MessageOut]:
    staff = staff_of(request)
    report = disputes.access_report(staff, report_id)
    message = disputes.post_message(staff, report, body=payload.body, photos=_uploads(photos))
    return Status(201, _message(report, message))


def _library(code: str) -> Library | None:
    if not code:
        return None
    found = Library.objects.filter(code=code).first()
    if found is None:
        raise NotFound("unknown_library", f"No member library with the code {code!r}.")
    return found


@router.post(
    "/reports/{report_id}/decision",
    response={201: ReportOut, **ERROR_RESPONSES},
    summary="The central office's decision on a dispute, booked at once",
    operation_id="onelibrary_ledger_api_report_decide",
)
def decide_report(
    request: StaffApiRequest, report_id: ReportId, payload: DecisionIn
) -> Status[ReportOut]:
    staff = staff_of(request)
    report = disputes.access_report(staff, report_id)
    disputes.decide(
        staff,
        report,
        outcome=payload.outcome,
        debtor=_library(payload.debtor),
        creditor=_library(payload.creditor),
        amount=payload.amount,
        reason=payload.reason,
    )
    report.refresh_from_db()
    return Status(201, report_out(report))


@router.get(
    "/reports/{report_id}/photos/{photo_id}",
    response={**ERROR_RESPONSES},
    summary="One photo of a damage report (the image itself)",
    operation_id="onelibrary_ledger_api_report_photo",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The photo: image/jpeg, image/png or image/webp",
                "content": {"image/*": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def get_photo(request: StaffApiRequest, report_id: ReportId, photo_id: PhotoId) -> FileResponse:
    report = disputes.access_report(staff_of(request), report_id)
    shown = Photo.objects.filter(report=report, pk=photo_id).first()
    if shown is None:
        raise NotFound("unknown_photo", f"No photo #{photo_id} on report #{report_id}.")
    response = FileResponse(shown.file.open("rb"), content_type=shown.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
