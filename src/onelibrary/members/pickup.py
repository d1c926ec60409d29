"""Where a hold may be picked up: an open branch of a member whose status allows pickup.

Which statuses allow it is the lifecycle table's answer (members/lifecycle.py, MEMBER-1 …
5): an applicant or onboarding member is not yet serving the group's patrons, and a
leaving one is winding down; none of their branches is offered or accepted as a pickup
branch (holds refuses one with HOLD-18, docs/holds/holds.md).
"""

from __future__ import annotations

from django.db.models import QuerySet

from onelibrary.members import lifecycle
from onelibrary.members.models import Branch


def pickup_branches() -> QuerySet[Branch]:
    """Open branches of members that take pickups, with their library, unordered."""
    return Branch.objects.filter(
        is_active=True, library__status__in=lifecycle.PICKUP_STATUSES
    ).select_related("library")


def may_be_pickup(branch: Branch) -> bool:
    return branch.is_active and lifecycle.may_be_pickup(branch.library.status)
