"""Every read of a patron record by staff: who may see which fields, and the audit row.

`access_patron(staff, card)` (or `access_patron_by_id`) finds the record, works out the
staff member's rights from the field-permission table, writes one `PatronAudit` view row,
and returns a `PatronView` holding only the fields those rights show. Pages, the API, the
admin and the desk all come through here (docs/patrons.md, 'Access').
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser, User

from onelibrary.catalog.models import Item
from onelibrary.members import access as members_access
from onelibrary.members.models import Branch, Library
from onelibrary.patrons import cards
from onelibrary.patrons.fields import (
    CENTRAL_OFFICE,
    FIELD_LABELS,
    GROUPS,
    HOME,
    LIBRARY_ADMIN,
    OTHER,
    Grant,
    Table,
    grant_for,
)
from onelibrary.patrons.models import FieldPermission, Patron, PatronAudit, PatronSettings

Staff = User | AnonymousUser

STATUS = {
    "empty": 422,
    "item_as_patron_card": 422,
    "invalid_input": 422,
    "invalid_card": 422,
    "library_needed": 422,
    "unknown_patron": 404,
    "unknown_library": 404,
    "not_staff": 403,
    "not_permitted": 403,
    "not_your_library": 403,
    "id_check_required": 403,
}


class PatronError(Exception):
    """A refusal: `message` says what is wrong and what to do. Nothing was changed."""

    def __init__(self, code: str, message: str, *, detail: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.detail = detail or []

    @property
    def status(self) -> int:
        return STATUS.get(self.code, 409)


@dataclass(frozen=True)
class Rights:
    """One staff member's standing towards one patron."""

    pairs: frozenset[tuple[str, str]]  # (role, relation)
    grant: Grant
    library_id: int | None  # the library they act for; None: the central office
    needs_id_check: bool

    @property
    def relation(self) -> str:
        return HOME if any(relation == HOME for _, relation in self.pairs) else OTHER


@dataclass(frozen=True)
class PatronView:
    """A patron as one staff member may see them: `values` holds only permitted fields."""

    pk: int
    card: str
    home_library: Library
    rights: Rights
    values: Mapping[str, Any] = field(repr=False)

    @property
    def first_name(self) -> str:
        return self.values["first_name"]

    @property
    def last_name(self) -> str:
        return self.values["last_name"]

    @property
    def expires_on(self) -> dt.date:
        return self.values["expires_on"]

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def shows(self, name: str) -> bool:
        return name in self.values

    def may_edit(self, name: str) -> bool:
        return name in self.rights.grant.editable_fields

    @property
    def editable_fields(self) -> tuple[str, ...]:
        return self.rights.grant.editable_fields

    @property
    def sections(self) -> list[dict[str, Any]]:
        """The visible groups with their labelled values, for the record page."""
        found = []
        for group, (label, names) in GROUPS.items():
            rows = [(FIELD_LABELS[n], display(n, self.values[n])) for n in names if self.shows(n)]
            if rows:
                editable = group in self.rights.grant.edit_groups
                found.append({"group": group, "label": label, "rows": rows, "editable": editable})
        return found

    def as_json(self) -> dict[str, Any]:
        return {name: json_value(name, value) for name, value in self.values.items()}


def display(name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return f"{value:%a %d %b %Y}"
    if name == "category":
        return Patron.Category(value).label
    if isinstance(value, Library | Branch):
        return value.name
    return str(value)


def json_value(name: str, value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Library | Branch):
        return value.code
    return value


# --- finding the record ---------------------------------------------------------------


def _patrons() -> Any:
    return Patron.objects.select_related("home_library", "preferred_branch")


def find_card(typed: str) -> Patron:
    """The active record with this card. A mistyped number is named as such."""
    card = typed.strip()
    if not card:
        raise PatronError("empty", "No card was scanned. Scan the patron's library card.")
    plain = cards.normalise(card)
    found = list(
        _patrons().filter(card__in={card, plain}, merged_into=None, erased_at=None).order_by()
    )
    if found:  # cards are unique: at most the card as typed and its normalised form
        return min(found, key=lambda p: p.card != card)
    tombstone = Patron.objects.filter(card=f"merged:{plain}").first()
    if tombstone is not None:
        survivor = survivor_of(tombstone)
        raise PatronError(
            "card_merged",
            f"Card {plain} was merged into the record with card {survivor.card}: "
            "use that card, and give the patron a new one if theirs is lost.",
        )
    if Item.objects.filter(barcode=card).exists():
        raise PatronError(
            "item_as_patron_card",
            f"{card} is an item's barcode, not a library card. Scan the patron's card first.",
        )
    try:
        cards.check_card(card)
    except cards.CardError as error:
        hint = error.message
    else:
        hint = "Check it for a typing error, or register the patron."
    raise PatronError("unknown_patron", f"No patron has the card {card}. {hint}")


def survivor_of(patron: Patron) -> Patron:
    seen = set()
    while patron.merged_into_id is not None and patron.pk not in seen:
        seen.add(patron.pk)
        patron = _patrons().get(pk=patron.merged_into_id)
    return patron


def find_id(pk: int) -> Patron:
    patron = _patrons().filter(pk=pk).first()
    if patron is None or patron.erased_at is not None:
        raise PatronError("unknown_patron", f"There is no patron record #{pk}.")
    if patron.merged_into_id is not None:
        survivor = survivor_of(patron)
        raise PatronError(
            "card_merged",
            f"Record #{pk} was merged into the record with card {survivor.card}.",
            detail=[{"survivor": survivor.pk}],
        )
    return patron


# --- rights ---------------------------------------------------------------------------


def load_table() -> dict[tuple[str, str, str], tuple[bool, bool]]:
    return {
        (row.role, row.relation, row.field_group): (row.can_view, row.can_edit)
        for row in FieldPermission.objects.all()
    }


def staff_roles(staff: Staff) -> list[tuple[str, int | None]]:
    """(role, library id) pairs, from `members.access`; a superuser is the central office."""
    return members_access.role_pairs(staff)


def rights_for(
    staff: Staff,
    home_library_id: int,
    *,
    library: Library | None = None,
    table: Table | None = None,
    settings: PatronSettings | None = None,
) -> Rights:
    """What `staff` may do with a record whose home library is `home_library_id`.

    `library` is the library they say they act for (the desk's); it must be theirs.
    """
    roles = staff_roles(staff)
    if not roles:
        raise PatronError(
            "not_staff",
            "Patron records are for library staff. This account has no staff role: ask "
            "your library admin for one.",
        )
    mine = sorted({lib for _, lib in roles if lib is not None})
    central = any(role == CENTRAL_OFFICE for role, _ in roles)
    if library is not None and library.pk not in mine and not central:
        raise PatronError(
            "not_your_library",
            f"You do not work for {library.name}, so you cannot act for it.",
        )
    pairs = frozenset(
        (role, HOME if role == CENTRAL_OFFICE or lib == home_library_id else OTHER)
        for role, lib in roles
    )
    grant = grant_for(pairs, load_table() if table is None else table)
    if library is not None:
        acting: int | None = library.pk
    elif home_library_id in mine:
        acting = home_library_id
    elif central or not mine:
        acting = None
    else:
        acting = mine[0]
    home = any(relation == HOME for _, relation in pairs)
    settings = settings or PatronSettings.current()
    return Rights(pairs, grant, acting, needs_id_check=settings.require_id_check and not home)


def view_of(patron: Patron, rights: Rights) -> PatronView:
    values = {
        name: getattr(patron, name)
        for name in rights.grant.visible_fields
        if name not in ("card", "home_library")
    }
    return PatronView(patron.pk, patron.card, patron.home_library, rights, values)


# --- the access functions -------------------------------------------------------------


def access_patron(
    staff: Staff,
    card: str,
    *,
    purpose: str = "view",
    via: str = PatronAudit.Via.PAGE,
    library: Library | None = None,
    context: str = "",
) -> PatronView:
    """The record with this card as `staff` may see it; the view is audited.

    purpose 'edit' also refuses staff who may change none of its fields.
    """
    return open_patron(
        staff, find_card(card), purpose=purpose, via=via, library=library, context=context
    )


def access_patron_by_id(
    staff: Staff,
    pk: int,
    *,
    purpose: str = "view",
    via: str = PatronAudit.Via.PAGE,
    library: Library | None = None,
    context: str = "",
) -> PatronView:
    return open_patron(
        staff, find_id(pk), purpose=purpose, via=via, library=library, context=context
    )


def open_patron(
    staff: Staff,
    patron: Patron,
    *,
    purpose: str = "view",
    via: str = PatronAudit.Via.PAGE,
    library: Library | None = None,
    context: str = "",
) -> PatronView:
    """A record already found (e.g. the desk's patron); audited like the others."""
    if purpose not in ("view", "edit"):
        raise ValueError(f"purpose must be 'view' or 'edit', not {purpose!r}")
    if not patron.is_active_record:
        raise PatronError("unknown_patron", "That record was merged or erased.")
    rights = rights_for(staff, patron.home_library_id, library=library)
    if purpose == "edit" and not rights.grant.edit_groups:
        raise PatronError(
            "not_permitted",
            f"You may not change {patron.home_library.name}'s patron records. "
            "Ask that library or the central office.",
        )
    view = view_of(patron, rights)
    record_views(staff, [view], via=via, purpose=purpose, context=context)
    return view


def open_patrons(
    staff: Staff, patrons: Iterable[Patron], *, via: str, context: str
) -> list[PatronView]:
    """Several records shown in a list (search results, duplicates): one row each."""
    table = load_table()
    settings = PatronSettings.current()
    views = [
        view_of(p, rights_for(staff, p.home_library_id, table=table, settings=settings))
        for p in patrons
        if p.is_active_record
    ]
    record_views(staff, views, via=via, purpose="view", context=context)
    return views


def record_views(
    staff: Staff, views: list[PatronView], *, via: str, purpose: str, context: str
) -> None:
    if not views:
        return
    # A view exists only once rights_for has let `staff` in, so they are signed in.
    assert staff.is_authenticated
    detail = {"purpose": purpose, **({"context": context} if context else {})}
    PatronAudit.objects.bulk_create(
        PatronAudit(
            staff=staff,
            library_id=view.rights.library_id,
            patron_id=view.pk,
            action=PatronAudit.Action.VIEW,
            via=via,
            fields=["card", "home_library", *view.values],
            detail=detail,
        )
        for view in views
    )


def may_erase(staff: User, patron: Patron) -> bool:
    """The central office, or a library admin of the patron's home library."""
    rights = rights_for(staff, patron.home_library_id)
    return bool({(CENTRAL_OFFICE, HOME), (LIBRARY_ADMIN, HOME)} & rights.pairs)
