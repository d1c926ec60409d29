"""Who sees which partnership: the one way outreach pages find a partner, memorandum,
project or indicator by id.

Outreach is staff work of a member library. A member's staff (desk or library admin) see
and work on the partnerships their library is involved in; the central office sees all
(PARTNER-3). Roles come from `members.access`, the one reader of staff roles. An id out
of scope answers 404 like one that does not exist.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from onelibrary.members.access import NotFound, Staff, scope_of
from onelibrary.members.models import Library
from onelibrary.outreach.models import Indicator, Memorandum, Partner, Project


def require_staff(staff: Staff) -> None:
    if not scope_of(staff).is_staff:
        raise PermissionDenied("Outreach is for the staff of member libraries.")


def libraries_for(staff: Staff) -> QuerySet[Library]:
    """The libraries this account may involve in a partnership."""
    scope = scope_of(staff)
    libraries = Library.objects.order_by("name")
    return libraries if scope.central else libraries.filter(id__in=scope.libraries)


def visible_partners(staff: Staff) -> QuerySet[Partner]:
    """PARTNER-3: the central office sees every partner; library staff those their
    library is involved with."""
    scope = scope_of(staff)
    partners = Partner.objects.select_related("kind").order_by("name")
    if scope.central:
        return partners
    if not scope.libraries:
        return partners.none()
    return partners.filter(libraries__in=scope.libraries).distinct()


def _not_found(what: str) -> NotFound:
    return NotFound(
        "not_found",
        f"No such {what} among your library's partnerships. Check the link, or ask the "
        "central office.",
    )


def access_partner(staff: Staff, partner_id: int) -> Partner:
    partner = visible_partners(staff).filter(id=partner_id).first()
    if partner is None:
        raise _not_found("partner")
    return partner


def access_memorandum(staff: Staff, memo_id: int) -> Memorandum:
    memo = (
        Memorandum.objects.select_related("partner")
        .filter(id=memo_id, partner__in=visible_partners(staff))
        .first()
    )
    if memo is None:
        raise _not_found("memorandum")
    return memo


def access_project(staff: Staff, project_id: int) -> Project:
    project = (
        Project.objects.select_related("partner")
        .filter(id=project_id, partner__in=visible_partners(staff))
        .first()
    )
    if project is None:
        raise _not_found("project")
    return project


def access_indicator(staff: Staff, indicator_id: int) -> Indicator:
    indicator = (
        Indicator.objects.select_related("project__partner")
        .filter(id=indicator_id, project__partner__in=visible_partners(staff))
        .first()
    )
    if indicator is None:
        raise _not_found("indicator")
    return indicator
