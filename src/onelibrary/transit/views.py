"""Transit pages for the desk: crates (pack, ship, receive, unpack, reconcile), the branch's
"to send" and "expected to arrive" lists, items late in transit, an item's travel history.

Plain functions on the desk's branch (`members.desk.desk_page`). They change nothing
themselves: every write goes through `transit.crates`, `transit.receiving` or
`transit.late`. Unpacking and declaring missing ask more than transit, so their pages
are the desk's (`circulation/transit_pages.py`). Scan screens work as plain form posts
and, with JavaScript, as htmx requests answering one result line (desk.js); the result
lines are the kept CrateScans.
A crate, transit or item named in the address is found through `transit.access` or
`catalog.access`: another library's crate or transit is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from onelibrary.catalog.access import access_item
from onelibrary.catalog.models import Item
from onelibrary.core.refusals import Refusal
from onelibrary.core.requests import AuthenticatedHttpRequest, HtmxHttpRequest
from onelibrary.members.desk import desk_page
from onelibrary.members.desk_forms import ItemScanForm
from onelibrary.members.models import Branch
from onelibrary.transit import crates, late, pdf, receiving
from onelibrary.transit.access import access_crate, access_transit
from onelibrary.transit.forms import CrateLabelForm, MissingForm, OpenCrateForm
from onelibrary.transit.models import Crate, CrateScan, Transit, TransitEvent

C = Crate.State
T = Transit.State


def _crate(request: HttpRequest, label: str, *, for_change: bool = True) -> Crate:
    """The crate, if it is this staff member's business (transit.access); else a 404."""
    return access_crate(request.user, label, for_change=for_change)


def _refused(request: HttpRequest, error: Refusal) -> None:
    messages.error(request, error.message)


# --- crates at this branch ------------------------------------------------------------


@desk_page()
def index(request: AuthenticatedHttpRequest, branch: Branch) -> HttpResponse:
    """Crates packed here and crates coming here, and the form to open one."""
    here = Crate.objects.select_related("origin", "destination")
    return render(
        request,
        "transit/index.html",
        {
            "branch": branch,
            "form": OpenCrateForm(origin=branch),
            "packing": here.filter(origin=branch, state__in=(C.OPEN, C.CLOSED)),
            "coming": here.filter(destination=branch, state=C.SHIPPED),
            "unpacking": here.filter(received_branch=branch, state=C.RECEIVED),
        },
    )


@require_POST
@desk_page()
def open_crate(request: AuthenticatedHttpRequest, branch: Branch) -> HttpResponse:
    form = OpenCrateForm(request.POST, origin=branch)
    if not form.is_valid():
        messages.error(request, f"{form.problem()} No crate was opened.")
        return redirect("transit:index")
    try:
        crate = crates.open_crate(
            request.user, branch, destination=form.cleaned_data["destination"], hub=form.hub_code
        )
    except Refusal as error:
        _refused(request, error)
        return redirect("transit:index")
    messages.success(request, f"Crate {crate.label} is open for {crates.where_to(crate)}.")
    return redirect("transit:crate", label=crate.label)


def manifest_context(crate: Crate) -> dict[str, object]:
    return {
        "crate": crate,
        "lines": crates.active_lines(crate),
        "removed": crate.lines.filter(removed_at__isnull=False).select_related("item__title"),
    }


@desk_page()
def crate_detail(request: AuthenticatedHttpRequest, branch: Branch, label: str) -> HttpResponse:
    crate = _crate(request, label, for_change=False)
    packing = crate.origin_id == branch.pk and crate.state in (C.OPEN, C.CLOSED)
    unpacking = crate.received_branch_id == branch.pk
    return render(
        request,
        "transit/crate.html",
        {
            "branch": branch,
            **manifest_context(crate),
            "scans": CrateScan.objects.filter(crate=crate).select_related("staff")[:60],
            "packing": packing,
            "unpacking": unpacking,
            "report": receiving.reconciliation(crate) if unpacking else None,
            "undoable": receiving.last_undoable_scan(crate, branch) if unpacking else None,
            "item_form": ItemScanForm(),
            "events": TransitEvent.objects.filter(crate=crate).select_related("staff", "item")[:40],
        },
    )


def _scan_answer(
    request: HtmxHttpRequest, crate: Crate, result: crates.ScanResult | None
) -> HttpResponse:
    if not request.htmx:
        return redirect("transit:crate", label=crate.label)
    # The manifest changes with the scan: it comes along, swapped in by its id (htmx's
    # out-of-band swap), so the page never says "empty" beside a line that says "added".
    return render(
        request,
        "transit/_crate_scan_answer.html",
        {"scan": result, **manifest_context(crate), "oob": True},
    )


@require_POST
@desk_page()
def pack_scan(request: AuthenticatedHttpRequest, branch: Branch, label: str) -> HttpResponse:
    crate = _crate(request, label)
    barcode = request.POST.get("barcode", "")[:200]
    if not barcode.strip():
        return _scan_answer(request, crate, None)
    result = crates.scan_into_crate(request.user, branch, crate, barcode)
    return _scan_answer(request, crate, result)


def _crate_step(step: str):  # noqa: ANN202 - a view
    actions = {
        "close": (crates.close_crate, "Crate {label} is closed. Print its label and manifest."),
        "reopen": (crates.reopen_crate, "Crate {label} is open again."),
        "ship": (crates.ship_crate, "Crate {label} is shipped: its items are on their way."),
        "reconcile": (receiving.reconcile_crate, "Crate {label} is reconciled."),
    }
    action, done = actions[step]

    @require_POST
    @desk_page()
    def view(request: AuthenticatedHttpRequest, branch: Branch, label: str) -> HttpResponse:
        crate = _crate(request, label)
        try:
            action(request.user, branch, crate)
        except Refusal as error:
            _refused(request, error)
        else:
            messages.success(request, done.format(label=crate.label))
        return redirect("transit:crate", label=crate.label)

    view.__name__ = f"{step}_crate"
    return view


@require_POST
@desk_page()
def undo_unpack(request: AuthenticatedHttpRequest, branch: Branch, label: str) -> HttpResponse:
    """UNPACK-6: the last unpack scan taken back (a wrong scan)."""
    crate = _crate(request, label)
    try:
        messages.success(request, receiving.undo_last_unpack(request.user, branch, crate))
    except Refusal as error:
        _refused(request, error)
    return redirect("transit:crate", label=crate.label)


close_crate = _crate_step("close")
reopen_crate = _crate_step("reopen")
ship_crate = _crate_step("ship")
reconcile_crate = _crate_step("reconcile")


@desk_page()
def label_pdf(request: AuthenticatedHttpRequest, branch: Branch, label: str) -> HttpResponse:
    crate = _crate(request, label, for_change=False)
    response = HttpResponse(pdf.label_pdf(crate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{crate.label}-label.pdf"'
    return response


@desk_page()
def manifest_pdf(request: AuthenticatedHttpRequest, branch: Branch, label: str) -> HttpResponse:
    crate = _crate(request, label, for_change=False)
    response = HttpResponse(pdf.manifest_pdf(crate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{crate.label}-manifest.pdf"'
    return response


# --- receiving ---------------------------------------------------------------------------


@desk_page()
def receive(request: AuthenticatedHttpRequest, branch: Branch) -> HttpResponse:
    """Scan a crate's label as it comes off the van."""
    if request.method == "POST":
        form = CrateLabelForm(request.POST)
        if form.is_valid():
            result = receiving.receive_crate_scan(
                request.user,
                branch,
                form.cleaned_data["label"],
            )
            if result.outcome in ("received", "repeat") and result.crate is not None:
                messages.success(request, result.message)
                return redirect("transit:crate", label=result.crate.label)
            messages.error(request, result.message)
        return redirect("transit:receive")
    scans = CrateScan.objects.filter(stage="receive", branch=branch).select_related("crate")
    return render(
        request,
        "transit/receive.html",
        {
            "branch": branch,
            "form": CrateLabelForm(),
            "scans": scans[:20],
            "coming": Crate.objects.filter(destination=branch, state=C.SHIPPED).select_related(
                "origin"
            ),
        },
    )


# --- lists ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SendGroup:
    """One destination on the to-send list: its items, and the open crate they go in."""

    receiver: Branch
    transits: list[Transit]
    open_crate: Crate | None


def to_send_by_destination(branch: Branch) -> list[SendGroup]:
    """Items waiting to leave this branch, grouped by destination (two queries)."""
    transits = (
        Transit.objects.filter(sender=branch, state__in=(T.WAITING, T.PACKED))
        .select_related("item__title", "receiver", "crate", "hold")
        .order_by("receiver__code", "created_at")
    )
    open_crates = {
        c.destination_id: c
        for c in Crate.objects.filter(origin=branch, state=C.OPEN).order_by("opened_at")
    }
    groups: dict[int, list[Transit]] = {}
    for transit in transits:
        groups.setdefault(transit.receiver_id, []).append(transit)
    return [
        SendGroup(rows[0].receiver, rows, open_crates.get(receiver_id))
        for receiver_id, rows in groups.items()
    ]


@desk_page()
def to_send(request: AuthenticatedHttpRequest, branch: Branch) -> HttpResponse:
    """Items waiting to leave this branch, by destination, with the crate each is in and,
    where none is open, a button that opens one."""
    groups = to_send_by_destination(branch)
    count = sum(len(group.transits) for group in groups)
    return render(
        request, "transit/to_send.html", {"branch": branch, "groups": groups, "count": count}
    )


@desk_page()
def to_send_print(request: AuthenticatedHttpRequest, branch: Branch) -> HttpResponse:
    """The to-send list on paper: one section per destination, sized as the library sets."""
    groups = to_send_by_destination(branch)
    return render(
        request,
        "transit/to_send_print.html",
        {
            "branch": branch,
            "groups": groups,
            "size": branch.library.slip_size,
            "printed_at": timezone.localtime(),
        },
    )


@desk_page()
def expected(request: AuthenticatedHttpRequest, branch: Branch) -> HttpResponse:
    """Items on their way here (shipped), soonest first, with the crate each travels in."""
    transits = (
        Transit.objects.filter(receiver=branch, state=T.SHIPPED)
        .select_related("item__title", "sender", "crate", "hold")
        .order_by("expected_on", "pk")
    )
    waiting = Transit.objects.filter(receiver=branch, state__in=(T.WAITING, T.PACKED)).count()
    return render(
        request,
        "transit/expected.html",
        {
            "branch": branch,
            "transits": transits,
            "waiting": waiting,
            "today": timezone.localdate(),
        },
    )


@desk_page()
def late_list(request: AuthenticatedHttpRequest, branch: Branch) -> HttpResponse:
    return render(
        request,
        "transit/late.html",
        {
            "branch": branch,
            "rows": late.late_transits(branch, timezone.localdate()),
            "form": MissingForm(),
        },
    )


# --- history -------------------------------------------------------------------------------


@desk_page()
def item_history(request: AuthenticatedHttpRequest, branch: Branch, barcode: str) -> HttpResponse:
    item = access_item(request.user, barcode, for_change=False)
    transits = (
        Transit.objects.filter(item=item)
        .select_related("sender", "receiver", "received_branch", "crate", "hold")
        .order_by("-created_at", "-pk")
    )
    return render(
        request, "transit/item_history.html", {"branch": branch, "item": item, "transits": transits}
    )


@desk_page()
def find_item_history(request: AuthenticatedHttpRequest, branch: Branch) -> HttpResponse:
    barcode = request.GET.get("barcode", "").strip()[:64]
    if barcode and Item.objects.filter(barcode=barcode).exists():
        return redirect("transit:item", barcode=barcode)
    if barcode:
        messages.error(request, f"No item in the group has the barcode {barcode}.")
    return redirect("transit:to_send")


@desk_page()
def transit_detail(request: AuthenticatedHttpRequest, branch: Branch, pk: int) -> HttpResponse:
    transit = access_transit(request.user, pk, for_change=False)
    events = TransitEvent.objects.filter(Q(transit=transit)).select_related("staff", "branch")
    return render(
        request,
        "transit/transit.html",
        {"branch": branch, "transit": transit, "events": events},
    )
