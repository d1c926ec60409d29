"""Patrons over the JSON API: look up, change and register shared patron records.

Every answer comes from `patrons.access`, so it holds only the fields the group's table lets
the caller see (the others are absent) and is audited; every change goes through the
actions, with the same field permissions and ID check as the pages (docs/patrons.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Path, Router, Schema, Status
from pydantic import ConfigDict

from onelibrary.apiauth import (
    BARCODE_PATTERN,
    ERROR_RESPONSES,
    TEXT_PATTERN,
    ErrorOut,
    StaffApiRequest,
    staff_of,
)
from onelibrary.members.models import Library
from onelibrary.patrons import access, actions
from onelibrary.patrons.access import PatronError, PatronView
from onelibrary.patrons.fields import EDITABLE_FIELDS
from onelibrary.patrons.forms import PatronForm
from onelibrary.patrons.models import Patron, PatronAudit

router = Router(tags=["patrons"])

API = PatronAudit.Via.API
CardPath = Annotated[str, Path(max_length=40, pattern=BARCODE_PATTERN)]


def _text(max_length: int, description: str = "") -> Any:
    return Field(None, max_length=max_length, pattern=TEXT_PATTERN, description=description)


class PatronOut(Schema):
    """A patron record as the caller may see it: fields the table hides are left out."""

    id: int
    card: str
    home_library: str = Field(description="The home library's code.")
    relation: str = Field(description="'home' when you work for the home library, else 'other'.")
    editable: list[str] = Field(description="The fields you may change.")
    id_check_required: bool = Field(description="A change must say how the ID was checked.")
    first_name: str
    last_name: str
    expires_on: dt.date
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    town: str | None = None
    postcode: str | None = None
    birth_date: dt.date | None = None
    category: str | None = None
    preferred_branch: str | None = Field(None, description="A branch code.")
    keep_loan_history: bool | None = None
    block_reason: str | None = None
    notes: str | None = None


class Fields(Schema):
    model_config = ConfigDict(extra="forbid")

    first_name: str | None = _text(100)
    last_name: str | None = _text(100)
    expires_on: dt.date | None = None
    email: str | None = _text(254)
    phone: str | None = _text(40)
    address: str | None = _text(300)
    town: str | None = _text(100)
    postcode: str | None = _text(16)
    birth_date: dt.date | None = None
    category: Patron.Category | None = None
    preferred_branch: str | None = _text(32, "A branch code; null for none.")
    keep_loan_history: bool | None = None


class PatronPatch(Fields):
    block_reason: str | None = _text(300)
    notes: str | None = _text(2000)
    id_checked: bool = Field(False, description="Staff of another library: you checked the ID.")
    id_method: str = Field(
        "", max_length=32, description="How: " + ", ".join(k for k, _ in actions.ID_METHODS)
    )


class RegisterIn(Fields):
    library: str | None = _text(
        32, "The registering library's code; needed when you work for more than one."
    )
    card: str | None = _text(32, "A new card's number; left out, the next number is issued.")
    confirm_new: bool = Field(
        False, description="Register although possible duplicates were answered (409)."
    )


def patron_out(view: PatronView) -> PatronOut:
    return PatronOut(
        id=view.pk,
        card=view.card,
        home_library=view.home_library.code,
        relation=view.rights.relation,
        editable=list(view.editable_fields),
        id_check_required=view.rights.needs_id_check,
        **view.as_json(),
    )


def refused(error: PatronError) -> Status[ErrorOut]:
    return Status(
        error.status, ErrorOut(code=error.code, message=error.message, detail=error.detail)
    )


def checked(values: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    """The values as the pages' form cleans them; PatronError listing every problem."""
    data = {k: ("" if v is None else v) for k, v in values.items()}
    form = PatronForm(data, allowed=allowed)
    if form.is_valid():
        return {k: form.cleaned_data[k] for k in allowed}
    problems = [(name, str(msg)) for name, errors in form.errors.items() for msg in errors]
    raise PatronError(
        "invalid_input",
        "The request is not valid: " + "; ".join(f"{n}: {m}" for n, m in problems),
        detail=[{"loc": ["body", n], "msg": m, "type": "value_error"} for n, m in problems],
    )


@router.get(
    "/{card}",
    response={200: PatronOut, **ERROR_RESPONSES},
    exclude_unset=True,
    summary="A patron, as you may see them",
)
def get_patron(request: StaffApiRequest, card: CardPath) -> Any:
    """Fields the group's permission table hides from you are left out. The view is audited."""
    try:
        return patron_out(access.access_patron(staff_of(request), card, via=API))
    except PatronError as error:
        return refused(error)


@router.patch(
    "/{card}",
    response={200: PatronOut, **ERROR_RESPONSES},
    exclude_unset=True,
    summary="Change a patron's fields",
)
def patch_patron(request: StaffApiRequest, card: CardPath, payload: PatronPatch) -> Any:
    """All the fields given, or none: 403 `not_permitted` names fields you may not change,
    403 `id_check_required` when staff of another library give no `id_checked`/`id_method`."""
    staff = staff_of(request)
    given = payload.model_dump(exclude_unset=True, mode="json")
    check = actions.IdCheck(given.pop("id_checked", False), given.pop("id_method", ""))
    try:
        patron = access.find_card(card)
        rights = access.rights_for(staff, patron.home_library_id)
        forbidden = [n for n in given if n not in rights.grant.editable_fields]
        if forbidden:
            raise PatronError(
                "not_permitted",
                f"You may not change {', '.join(forbidden)} on this record. Nothing was saved.",
                detail=[{"field": n} for n in forbidden],
            )
        values = checked(given, tuple(n for n in EDITABLE_FIELDS if n in given))
        actions.update_patron(staff, patron.pk, values, id_check=check, via=API)
        return patron_out(access.access_patron_by_id(staff, patron.pk, via=API))
    except PatronError as error:
        return refused(error)


@router.post(
    "/",
    response={201: PatronOut, **ERROR_RESPONSES},
    exclude_unset=True,
    summary="Register a patron",
)
def register_patron(request: StaffApiRequest, payload: RegisterIn) -> Any:
    """409 `possible_duplicates` lists records that may be this person (as you may see them);
    send again with `confirm_new: true` to register a new record anyway."""
    staff = staff_of(request)
    given = payload.model_dump(exclude_unset=True, mode="json")
    code, card = given.pop("library", None), given.pop("card", None) or ""
    confirm_new = given.pop("confirm_new", False)
    if given.get("expires_on", "") is None:
        del given["expires_on"]  # left to the group's default validity
    try:
        library = _registering_library(staff, code)
        wanted = {"first_name", "last_name", *given}
        values = checked(given, tuple(n for n in actions.REGISTER_FIELDS if n in wanted))
        patron = actions.register_patron(
            staff, values, library=library, card=card, confirm_new=confirm_new, via=API
        )
    except actions.PossibleDuplicates as found:
        by_pk = Patron.objects.select_related("home_library", "preferred_branch").in_bulk(
            [m.pk for m in found.matches]
        )
        views = access.open_patrons(
            staff, [by_pk[m.pk] for m in found.matches], via=API, context="duplicate check"
        )
        reasons = {m.pk: list(m.reasons) for m in found.matches}
        found.detail = [
            {
                "reasons": reasons[v.pk],
                "patron": patron_out(v).model_dump(mode="json", exclude_none=True),
            }
            for v in views
        ]
        return refused(found)
    except PatronError as error:
        return refused(error)
    return Status(201, patron_out(access.access_patron_by_id(staff, patron.pk, via=API)))


def _registering_library(staff: Any, code: str | None) -> Library:
    mine = access.staff_roles(staff)
    if code:
        library = Library.objects.filter(code=code.strip().upper()).first()
        if library is None:
            raise PatronError("unknown_library", f"No member library has the code {code!r}.")
        return library
    libraries = {lib for _, lib in mine if lib is not None}
    if len(libraries) != 1:
        raise PatronError(
            "library_needed",
            "Say which library registers the patron: send `library` with its code.",
        )
    return Library.objects.get(pk=libraries.pop())
