"""What the report form fills in from where it was opened (HELP-8).

The "Report a problem" links pass what the page knew as query parameters: the page's
path, a refused scan's decision id, message and time, the branch, an error's status, or
the id of a kept refused scan. They only ever become text in the form, which the person
can change; none of them is trusted for anything. A scan id is read only when the
person may see that scan, a branch only when it is one they may report for, a page only
when it is a path on this site.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from onelibrary.helpdesk.access import branches_for, visible_scan
from onelibrary.members.access import Staff
from onelibrary.members.desk import SESSION_BRANCH

DECISION = re.compile(r"[A-Z]{2,12}-\d{1,3}")
ERRORS = {
    "403": "The page said I am not allowed to do that (403).",
    "404": "The page said it could not be found (404).",
    "500": "The page said: “Something went wrong on our side” (500).",
}
CLOCK = re.compile(r"\d{1,2}:\d{2}(:\d{2})?")
SCREENS = {"checkin": "desk:checkin", "checkout": "desk:checkout"}


def _local_path(value: str) -> str:
    """A path on this site, or nothing: `//elsewhere` and `https://…` are not pages here."""
    value = value.strip()[:500]
    return value if value.startswith("/") and not value.startswith("//") else ""


def _referring_page(request: HttpRequest) -> str:
    """The page a link was followed from, if it is on this site (the 500 page has no
    request to say where it was; the browser's Referer does)."""
    referer = urlsplit(request.META.get("HTTP_REFERER", ""))
    if referer.netloc != request.get_host():
        return ""
    return _local_path(referer.path + (f"?{referer.query}" if referer.query else ""))


def _when(at: Any) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S")


def initial(request: HttpRequest, staff: Staff) -> dict[str, Any]:
    query = request.GET
    found: dict[str, Any] = {}
    branches = branches_for(staff)
    if page := _local_path(query.get("page", "")):
        found["context_page"] = page
    if DECISION.fullmatch(decision := query.get("decision", "").strip()):
        found["context_decision"] = decision
    if message := query.get("message", "").strip()[:2000]:
        found["context_message"] = message
        found["message_seen"] = message
    if at := query.get("at", "").strip()[:100]:
        # A desk's scan line says only the time of day: it was today.
        found["context_at"] = f"{timezone.localdate():%Y-%m-%d} {at}" if CLOCK.fullmatch(at) else at
    if (error := query.get("error", "")) in ERRORS:
        said = f" It said: “{message}”" if message else ""
        found["context_message"] = ERRORS[error] + said
        found["context_at"] = found.get("context_at") or _when(timezone.now())
        found.setdefault("context_page", _referring_page(request))
    scan_id = query.get("scan", "")
    scan = visible_scan(staff, int(scan_id)) if scan_id.isdigit() else None
    if scan is not None:
        found.update(
            context_scan=scan.pk,
            context_message=scan.message,
            message_seen=scan.message,
            context_at=_when(scan.at),
            context_page=reverse(SCREENS[scan.screen]) if scan.screen in SCREENS else "",
            # A patron's card number stays out: technical staff see every report.
            doing=f"Scanning {scan.barcode or 'a library card'} at the {scan.screen} screen.",
        )
        if scan.branch is not None and branches.filter(pk=scan.branch.pk).exists():
            found["branch"] = scan.branch.pk
    if "branch" not in found:
        code = query.get("branch", "").strip()
        chosen = branches.filter(code=code).first() if code else None
        chosen = chosen or branches.filter(pk=request.session.get(SESSION_BRANCH) or 0).first()
        if chosen is None and len(only := list(branches[:2])) == 1:
            chosen = only[0]
        if chosen is not None:
            found["branch"] = chosen.pk
    if found.get("context_message") or found.get("context_decision"):
        found.setdefault("context_at", _when(timezone.now()))
    return found
