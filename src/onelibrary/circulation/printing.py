"""What the desk prints: a hold slip when a copy is captured for a hold, and the branch's
hold shelf list (the to-send list is transit's own page, `transit:to_send_print`).

Each is a page that prints itself (window.print on load) and, for the slip, the same page
as a PDF (WeasyPrint). The paper — 80 mm or 58 mm receipt roll, A4 or Letter — and what a
slip shows of the patron — a privacy-safe code, or the name — are the pickup library's
settings (`Library.slip_size`, `Library.slip_patron_label`; docs/circulation/desk.md).

A slip names its patron only through `holds.access.hold_patron`, which reads through
`patrons.access` and writes the audit row; the code is made from the hold's patron
without being a record view (four letters and four digits: it tells a shelf worker which
slip is whose, not who they are).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML

from onelibrary.catalog.models import Item
from onelibrary.core.requests import AuthenticatedHttpRequest
from onelibrary.holds import queries
from onelibrary.holds.access import access_hold, hold_patron
from onelibrary.holds.models import Hold
from onelibrary.members.access import NotFound, scope_of
from onelibrary.members.desk import desk_page
from onelibrary.members.models import Branch, Library
from onelibrary.patrons.access import open_patrons
from onelibrary.patrons.models import Patron, PatronAudit

# A hold with its copy in hand: pulled from the shelf, captured at checkin, or arrived.
SLIPPED = (Hold.State.ROUTED, Hold.State.IN_TRANSIT, Hold.State.ON_SHELF)


def slip_url(staff: User, item: Item | None) -> str:
    """The address of the slip for the hold that has this copy in hand, when there is one
    and the staff member works for its pickup branch's library (who may print it; see
    `_slip`). The checkin, the pick list and the crate's unpack scan offer it."""
    if item is None:
        return ""
    hold = (
        Hold.objects.filter(assigned_item=item, state__in=SLIPPED)
        .select_related("pickup_branch")
        .first()
    )
    if hold is None or not scope_of(staff).acts_for(hold.pickup_branch.library_id):
        return ""
    return reverse("desk:hold_slip", kwargs={"pk": hold.pk})


def patron_code(last_name: str, card: str) -> str:
    """The privacy-safe code: the first four letters of the last name, upper case, and the
    last four digits of the card ("LIND-0017"). Short names keep what they have."""
    letters = re.sub(r"[^A-Za-z]", "", last_name).upper()[:4] or "?"
    digits = re.sub(r"\D", "", card)[-4:] or card[-4:]
    return f"{letters}-{digits}"


@dataclass(frozen=True)
class Slip:
    hold: Hold
    who: str  # the name or the code, as the library chose
    shows_name: bool
    size: str


def _slip(request: AuthenticatedHttpRequest, pk: int) -> Slip:
    """The slip of a hold captured for pickup: only staff of the pickup branch's library
    (or the central office) may print it; to others the id does not exist."""
    hold = access_hold(request.user, pk, for_change=False)
    library: Library = hold.pickup_branch.library
    if hold.state not in SLIPPED or not scope_of(request.user).acts_for(library.pk):
        raise NotFound("unknown_hold", f"There is no hold slip for hold #{pk}.")
    if hold.patron is None or hold.assigned_item is None:
        raise NotFound("unknown_hold", f"There is no hold slip for hold #{pk}.")
    if library.slip_patron_label == Library.SlipLabel.NAME:
        view = hold_patron(request.user, hold, via=PatronAudit.Via.DESK, context="hold slip")
        who, named = (view.name, True) if view is not None else ("", False)
    else:
        who, named = patron_code(hold.patron.last_name, hold.patron.card), False
    return Slip(hold, who, named, library.slip_size)


@desk_page(needs_branch=False)
def hold_slip(request: AuthenticatedHttpRequest, branch: Branch | None, pk: int) -> HttpResponse:
    slip = _slip(request, pk)
    return render(request, "printing/hold_slip.html", {"slip": slip, "size": slip.size})


@desk_page(needs_branch=False)
def hold_slip_pdf(
    request: AuthenticatedHttpRequest, branch: Branch | None, pk: int
) -> HttpResponse:
    slip = _slip(request, pk)
    html = render_to_string(
        "printing/hold_slip.html", {"slip": slip, "size": slip.size, "pdf": True}, request
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="hold-{slip.hold.pk}-slip.pdf"'
    return response


@desk_page()
def hold_shelf_print(request: AuthenticatedHttpRequest, branch: Branch) -> HttpResponse:
    """The branch's hold shelf on paper, by patron, with each copy's pick-up-by day."""
    holds = queries.hold_shelf(branch)
    library = branch.library
    if library.slip_patron_label == Library.SlipLabel.NAME:
        patrons = {h.patron_id: h.patron for h in holds if h.patron is not None}
        views = open_patrons(
            request.user,
            list(patrons.values()),
            via=PatronAudit.Via.DESK,
            context="hold shelf list",
        )
        names: dict[int | None, str] = {view.pk: view.name for view in views}
    else:
        names = {}
    rows = [{"hold": h, "who": names.get(h.patron_id) or _code(h.patron)} for h in holds]
    return render(
        request,
        "printing/hold_shelf.html",
        {
            "branch": branch,
            "rows": rows,
            "size": library.slip_size,
            "printed_at": timezone.localtime(),
        },
    )


def _code(patron: Patron | None) -> str:
    return patron_code(patron.last_name, patron.card) if patron is not None else "—"
