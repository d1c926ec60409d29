"""Who a staff account acts for. Every scoped check in OneLibrary starts here."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from onelibrary.core.refusals import Refusal
from onelibrary.members import kept
from onelibrary.members.models import Branch, StaffRole


def is_central_office(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return StaffRole.objects.filter(user=user, role=StaffRole.Role.CENTRAL_OFFICE).exists()


def staff_library_ids(user: User | AnonymousUser) -> set[int]:
    """The libraries this account works for (desk staff or library admin)."""
    if not user.is_authenticated:
        return set()
    return set(
        StaffRole.objects.filter(user=user, library__isnull=False).values_list(
            "library_id", flat=True
        )
    )


def is_staff_member(user: User | AnonymousUser) -> bool:
    return is_central_office(user) or bool(staff_library_ids(user))


def can_act_for_library(user: User | AnonymousUser, library_id: int) -> bool:
    return is_central_office(user) or library_id in staff_library_ids(user)


def role_for_library(user: User | AnonymousUser, library_id: int) -> str | None:
    """The highest role this account has at the library, or None."""
    if not user.is_authenticated:
        return None
    roles = kept.roles_at(user.pk, library_id)
    for role in (StaffRole.Role.CENTRAL_OFFICE, StaffRole.Role.LIBRARY_ADMIN, StaffRole.Role.DESK):
        if role in roles:
            return role
    return StaffRole.Role.CENTRAL_OFFICE if user.is_superuser else None


def role_at(staff: User, branch: Branch, *, decision: str = "") -> str:
    """The staff member's role at this branch's library; refuses staff of other libraries.

    `decision` is the decision-table id the caller's refusal carries (CHECKOUT-15 at the
    desk); other parts refuse without one."""
    role = role_for_library(staff, branch.library_id)
    if role is not None:
        return role
    raise Refusal(
        "not_your_branch",
        f"You do not work for {branch.library.name}, so you cannot work its desk at "
        f"{branch.name}. Choose one of your own library's branches.",
        decision=decision,
    )
