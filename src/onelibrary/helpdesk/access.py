"""Who sees which problem report (HELP-5): the one way help desk pages find a report.

A member's staff (desk or library admin) see their own library's reports; technical
staff (`members.access.is_technical_staff`: the "Technical staff" group and the central
office) see and triage all of them. Roles are read only through `members.access`. A
report out of scope answers 404, like one that does not exist.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from onelibrary.circulation.models import UnprocessedScan
from onelibrary.helpdesk.models import Report
from onelibrary.members.access import NotFound, Staff, is_technical_staff, scope_of
from onelibrary.members.models import Branch

REPORTS = Report.objects.select_related("filed_by", "library", "branch", "assignee")


def may_report(staff: Staff) -> bool:
    return scope_of(staff).is_staff or is_technical_staff(staff)


def require_reporter(staff: Staff) -> None:
    if not may_report(staff):
        raise PermissionDenied(
            "The help desk is for the staff of member libraries. If you work for one, ask "
            "your library admin to give your account a staff role."
        )


def branches_for(staff: Staff) -> QuerySet[Branch]:
    """The branches a report may be filed for (HELP-4): the libraries the account works
    for; every branch for technical staff."""
    branches = Branch.objects.select_related("library").order_by("library__name", "name")
    if is_technical_staff(staff):
        return branches
    return branches.filter(library_id__in=scope_of(staff).libraries)


def visible_reports(staff: Staff) -> QuerySet[Report]:
    """HELP-5: technical staff see every report; a member's staff their library's."""
    if is_technical_staff(staff):
        return REPORTS.all()
    libraries = scope_of(staff).libraries
    return REPORTS.filter(library_id__in=libraries) if libraries else REPORTS.none()


def access_report(staff: Staff, pk: int) -> Report:
    report = visible_reports(staff).filter(pk=pk).first()
    if report is None:
        raise NotFound(
            "unknown_report",
            f"There is no problem report {pk} among your library's reports. Check the link.",
        )
    return report


def visible_scan(staff: Staff, pk: int) -> UnprocessedScan | None:
    """A refused scan to fill a report from (HELP-8), if the account may see it: staff of
    the scan's branch's library, or technical staff. Otherwise None: nothing is filled in,
    and nothing says whether the scan exists."""
    scan = UnprocessedScan.objects.select_related("branch").filter(pk=pk).first()
    if scan is None:
        return None
    library = scan.branch.library_id if scan.branch else None
    if is_technical_staff(staff) or scope_of(staff).acts_for(library):
        return scan
    return None
