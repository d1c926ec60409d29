"""Who a staff account is and where it acts: the one reader of staff roles.

Every permission question in OneLibrary starts here: the django-rules predicates, the
desk's `role_at`, the patron field permissions, and the `access_*` functions of each app
(`holds.access`, `catalog.access`, `transit.access`, `patrons.access`) that find a hold,
an item, a crate or a patron and refuse staff it is none of their business to.

Roles come from `members.kept`, kept in memory behind the members token. Each question
reads the token (one indexed row) unless it runs inside `versions.held()`, which reads
it once for the whole block: a page that has just changed a role and asks again sees the
change, because nothing here holds the token longer than one question.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from onelibrary.core.refusals import Refusal
from onelibrary.members import kept
from onelibrary.members.models import Branch, StaffRole

Staff = User | AnonymousUser
Role = StaffRole.Role
RANK = (Role.CENTRAL_OFFICE, Role.LIBRARY_ADMIN, Role.DESK)  # strongest first


class AccessError(Exception):
    """A scoped id refused: `message` says what is wrong and what to do. Nothing changed."""

    status = 404

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class NotFound(AccessError, Http404):
    """No such id, or one this staff member may not see: both answer alike, 404."""


class NotAllowed(AccessError, PermissionDenied):
    """The thing is public (a copy in the catalog) but not this staff member's to change."""

    status = 403


@dataclass(frozen=True)
class Scope:
    """One account's staff roles: the group-wide one, and one set per library.

    A director or board role is not a staff role: it is kept apart in `board`, so that
    it never reaches a desk, patron or item page (they ask `roles` and `central`); only
    the insights pages ask `board`."""

    central: bool
    roles: frozenset[tuple[int, str]]  # (library id, role) for desk staff and library admins
    board: frozenset[int] = frozenset()  # libraries whose director or board this account is

    @property
    def libraries(self) -> frozenset[int]:
        return frozenset(library for library, _ in self.roles)

    @property
    def is_staff(self) -> bool:
        return self.central or bool(self.roles)

    def acts_for(self, library_id: int | None) -> bool:
        return self.central or (library_id is not None and library_id in self.libraries)

    def acts_for_any(self, library_ids: set[int | None]) -> bool:
        return self.central or bool(self.libraries & library_ids)

    def admin_of(self) -> frozenset[int]:
        return frozenset(library for library, role in self.roles if role == Role.LIBRARY_ADMIN)

    def role_at(self, library_id: int) -> str | None:
        """The strongest role that reaches this library, or None."""
        if self.central:
            return Role.CENTRAL_OFFICE
        here = {role for library, role in self.roles if library == library_id}
        return next((role for role in RANK if role in here), None)


NOBODY = Scope(central=False, roles=frozenset())


def scope_of(user: Staff) -> Scope:
    """The account's roles, from the kept copy. A superuser is the central office."""
    if not user.is_authenticated:
        return NOBODY
    pairs = kept.roles_of(user.pk)
    return Scope(
        central=user.is_superuser or any(role == Role.CENTRAL_OFFICE for _, role in pairs),
        roles=frozenset(
            (lib, role) for lib, role in pairs if lib is not None and role != Role.BOARD
        ),
        board=frozenset(lib for lib, role in pairs if lib is not None and role == Role.BOARD),
    )


def insights_library_ids(user: Staff) -> frozenset[int] | None:
    """The libraries whose own insights the account may read: None for all (the central
    office); its libraries for staff; its library for a director or board account."""
    scope = scope_of(user)
    return None if scope.central else scope.libraries | scope.board


def sees_group_insights(user: Staff) -> bool:
    """Whether the account may read the group-wide figures (every member's row): the
    central office and member staff; a board account sees its own library's only."""
    return scope_of(user).is_staff


def is_central_office(user: Staff) -> bool:
    return scope_of(user).central


def staff_library_ids(user: Staff) -> set[int]:
    """The libraries this account works for (desk staff or library admin)."""
    return set(scope_of(user).libraries)


def admin_library_ids(user: Staff) -> set[int]:
    """The libraries this account is library admin of (not the central office's 'all')."""
    return set(scope_of(user).admin_of())


def is_staff_member(user: Staff) -> bool:
    return scope_of(user).is_staff


def can_act_for_library(user: Staff, library_id: int) -> bool:
    return scope_of(user).acts_for(library_id)


def may_manage_library(user: Staff, library_id: int) -> bool:
    """The central office, or a library admin of this library."""
    scope = scope_of(user)
    return scope.central or library_id in scope.admin_of()


def role_at(user: Staff, library_id: int) -> str | None:
    """The strongest role the account has at this library; None when it has none."""
    return scope_of(user).role_at(library_id)


def role_pairs(user: Staff) -> list[tuple[str, int | None]]:
    """Every (role, library id) the account holds; the central office has no library."""
    scope = scope_of(user)
    found: list[tuple[str, int | None]] = (
        [(Role.CENTRAL_OFFICE.value, None)] if scope.central else []
    )
    return found + sorted((role, library) for library, role in scope.roles)


def staff_accounts(library_ids: set[int] | None = None) -> QuerySet[User]:
    """Active accounts with a role at any of these libraries (None: any staff role at all,
    the central office's included), by user name: the staff a training page lists."""
    found = User.objects.filter(is_active=True, staff_roles__isnull=False)
    if library_ids is not None:
        found = found.filter(staff_roles__library__in=library_ids)
    return found.distinct().order_by("username")


def role_at_branch(staff: Staff, branch: Branch, *, decision: str = "") -> str:
    """The staff member's role at this branch's library; refuses staff of other libraries.

    `decision` is the decision-table id the caller's refusal carries (CHECKOUT-15 at the
    desk); other parts refuse without one."""
    role = role_at(staff, branch.library_id)
    if role is not None:
        return role
    raise Refusal(
        "not_your_branch",
        f"You do not work for {branch.library.name}, so you cannot work its desk at "
        f"{branch.name}. Choose one of your own library's branches.",
        decision=decision,
    )


# --- technical staff (the help desk's triage: docs/helpdesk.md) ----------------------------

# The Django group whose members triage the help desk's problem reports. It is not a
# StaffRole: technical staff may work for no library (a county IT person, a contractor),
# and a desk role or library admin may be technical staff as well. The helpdesk's data
# migration creates the group; the central office adds people to it in the admin.
TECHNICAL_STAFF = "Technical staff"


def is_technical_staff(user: Staff, scope: Scope | None = None) -> bool:
    """Technical staff see and triage every problem report: members of the group, and the
    central office (who passes every check). `scope`: the user's, if already read."""
    if not user.is_authenticated:
        return False
    scope = scope or scope_of(user)
    return scope.central or user.groups.filter(name=TECHNICAL_STAFF).exists()


def technical_staff() -> list[User]:
    """Everyone who triages problem reports, by username: the group's members, superusers
    and the central office's accounts (active ones only)."""
    central = StaffRole.objects.filter(role=Role.CENTRAL_OFFICE).values("user_id")
    return list(
        User.objects.filter(is_active=True)
        .filter(
            models.Q(groups__name=TECHNICAL_STAFF)
            | models.Q(is_superuser=True)
            | models.Q(pk__in=central)
        )
        .distinct()
        .order_by("username")
    )
