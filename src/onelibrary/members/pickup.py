"""Where a hold may be picked up: an open branch of a member that is ACTIVE.

An applicant or onboarding member is not yet serving the group's patrons, and a leaving
one is winding down (holds.leaving moves its holds away): none of their branches is
offered or accepted as a pickup branch (holds refuses one with HOLD-18, docs/holds/holds.md).
"""

from __future__ import annotations

from django.db.models import QuerySet

from onelibrary.members.models import Branch, Library


def pickup_branches() -> QuerySet[Branch]:
    """Open branches of active members, with their library, unordered."""
    return Branch.objects.filter(
        is_active=True, library__status=Library.Status.ACTIVE
    ).select_related("library")


def may_be_pickup(branch: Branch) -> bool:
    return branch.is_active and branch.library.status == Library.Status.ACTIVE
