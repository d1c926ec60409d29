"""The directory page (members, branches, contacts, hours, courier days, key policies, and
the map) and the printable pamphlet (docs/directory.md)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from onelibrary.directory import listing, mapsvg
from onelibrary.directory.pages import refused
from onelibrary.members.models import SharingGroup


def directory(request: HttpRequest) -> HttpResponse:
    found = listing.directory_for(listing.audience_of(request.user), today=timezone.localdate())
    return render(
        request,
        "directory/directory.html",
        {
            "directory": found,
            "markers": found.markers(),
            "tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
        },
    )


def _pamphlet_audience(request: HttpRequest) -> str | None:
    """The public pamphlet for anyone; the staff one (every contact) for staff only."""
    wanted = request.GET.get("for", listing.PUBLIC)
    if wanted == listing.STAFF and listing.audience_of(request.user) != listing.STAFF:
        return None
    return listing.STAFF if wanted == listing.STAFF else listing.PUBLIC


def pamphlet_html(request: HttpRequest) -> str | HttpResponse:
    audience = _pamphlet_audience(request)
    if audience is None:
        return refused(
            request,
            "The staff pamphlet lists contacts for staff only: log in with a staff account, "
            "or print the public pamphlet.",
        )
    found = listing.directory_for(audience, today=timezone.localdate())
    points = [
        mapsvg.Point(b.code, b.latitude, b.longitude)
        for b in found.branches
        if b.latitude is not None and b.longitude is not None
    ]
    return render_to_string(
        "directory/pamphlet.html",
        {
            "directory": found,
            "group": SharingGroup.current(),
            "map_svg": mapsvg.branch_map(points),
            "printed_on": timezone.localdate(),
        },
        request=request,
    )


def pamphlet(request: HttpRequest) -> HttpResponse:
    """The pamphlet as a PDF (WeasyPrint): members, branches, hours, contacts, key
    policies and a map of the branches."""
    html = pamphlet_html(request)
    if isinstance(html, HttpResponse):
        return html
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="directory.pdf"'
    return response


def pamphlet_preview(request: HttpRequest) -> HttpResponse:
    html = pamphlet_html(request)
    return html if isinstance(html, HttpResponse) else HttpResponse(html)
