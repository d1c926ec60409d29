"""The patron record's field groups and the field-permission decision, as plain Python.

The permission table (`FieldPermission`) says, per role and per relation to the patron
(a staff member of the patron's home library, or of another member), which groups of
fields may be viewed and edited. `grant_for` turns the rows that apply to one staff member
into the fields they may see and change. No ORM here: tested like a specification.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import models


class Relation(models.TextChoices):
    HOME = "home", "At the patron's home library"
    OTHER = "other", "At another member library"


HOME, OTHER = "home", "other"
DESK, LIBRARY_ADMIN, CENTRAL_OFFICE = "desk", "library_admin", "central_office"
ROLES = (DESK, LIBRARY_ADMIN, CENTRAL_OFFICE)

# group -> (label, fields). Order is the order of the record page and the table editor.
GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "identity": ("Name and card expiry", ("first_name", "last_name", "expires_on")),
    "contact": ("Contact details", ("email", "phone")),
    "address": ("Address", ("address", "town", "postcode")),
    "birth_date": ("Birth date", ("birth_date",)),
    "category": ("Category", ("category",)),
    "account": ("Preferred branch and loan history", ("preferred_branch", "keep_loan_history")),
    "blocks": ("Blocks", ("block_reason",)),
    "notes": ("Notes", ("notes",)),
}
GROUP_CHOICES = [(group, label) for group, (label, _) in GROUPS.items()]
GROUP_OF = {field: group for group, (_, names) in GROUPS.items() for field in names}
EDITABLE_FIELDS = tuple(GROUP_OF)

# Everyone who serves the patron sees who they are: a patron registered anywhere is served
# everywhere. The identity group's view is therefore always granted.
ALWAYS_VIEWABLE_GROUPS = frozenset({"identity"})
ALWAYS_VISIBLE_FIELDS = ("card", "home_library")

FIELD_LABELS = {
    "card": "Card",
    "home_library": "Home library",
    "first_name": "First name",
    "last_name": "Last name",
    "expires_on": "Card expires",
    "email": "Email",
    "phone": "Phone",
    "address": "Street address",
    "town": "Town",
    "postcode": "Postcode",
    "birth_date": "Birth date",
    "category": "Category",
    "preferred_branch": "Preferred branch",
    "keep_loan_history": "Keep loan history",
    "block_reason": "Block",
    "notes": "Notes",
}

# The (role, relation) pairs that can occur: the central office acts for every library,
# so every patron is 'home' to it.
ROLE_RELATIONS = (
    (DESK, HOME),
    (DESK, OTHER),
    (LIBRARY_ADMIN, HOME),
    (LIBRARY_ADMIN, OTHER),
    (CENTRAL_OFFICE, HOME),
)

ALL = frozenset(GROUPS)
AWAY_VIEW = frozenset({"identity", "contact", "address", "category", "account", "blocks"})
AWAY_EDIT = frozenset({"identity", "contact", "address", "account"})

# (role, relation) -> (groups viewable, groups editable); seeded by migration 0004.
DEFAULTS: dict[tuple[str, str], tuple[frozenset[str], frozenset[str]]] = {
    (CENTRAL_OFFICE, HOME): (ALL, ALL),
    (LIBRARY_ADMIN, HOME): (ALL, ALL),
    (DESK, HOME): (ALL, ALL - {"blocks"}),
    (LIBRARY_ADMIN, OTHER): (AWAY_VIEW, AWAY_EDIT),
    (DESK, OTHER): (AWAY_VIEW, AWAY_EDIT),
}

Table = Mapping[tuple[str, str, str], tuple[bool, bool]]  # (role, relation, group) -> rights


@dataclass(frozen=True)
class Grant:
    """What one staff member may do with one patron's record."""

    view_groups: frozenset[str]
    edit_groups: frozenset[str]

    @property
    def visible_fields(self) -> tuple[str, ...]:
        shown = [f for f in EDITABLE_FIELDS if GROUP_OF[f] in self.view_groups]
        return ALWAYS_VISIBLE_FIELDS + tuple(shown)

    @property
    def editable_fields(self) -> tuple[str, ...]:
        return tuple(f for f in EDITABLE_FIELDS if GROUP_OF[f] in self.edit_groups)

    @property
    def sees_everything(self) -> bool:
        return self.view_groups == ALL


def grant_for(pairs: Iterable[tuple[str, str]], table: Table) -> Grant:
    """The union of the table's rows for the staff member's (role, relation) pairs.

    Editing a group implies viewing it; the identity group is always viewable.
    """
    view: set[str] = set(ALWAYS_VIEWABLE_GROUPS)
    edit: set[str] = set()
    for role, relation in pairs:
        for group in GROUPS:
            can_view, can_edit = table.get((role, relation, group), (False, False))
            if can_view or can_edit:
                view.add(group)
            if can_edit:
                edit.add(group)
    return Grant(frozenset(view), frozenset(edit))


def default_table() -> dict[tuple[str, str, str], tuple[bool, bool]]:
    return {
        (role, relation, group): (group in view or group in edit, group in edit)
        for (role, relation), (view, edit) in DEFAULTS.items()
        for group in GROUPS
    }


def area_key(value: str) -> str:
    """A postcode or town as compared: no spaces, no case ('59 801' == '59801')."""
    return re.sub(r"\s+", "", value).casefold()
