"""Catalog actions: the code that changes items (and, later, titles).

An action checks permission, runs in one transaction on a freshly locked row, and is
what the staff pages and the admin call.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from onelibrary.catalog import itemstate
from onelibrary.catalog.access import change_refused
from onelibrary.catalog.models import Item
from onelibrary.members.access import is_central_office, role_at


class _Keep:
    """Marks a field the caller leaves as it is."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep()

# Statuses that the desk's circulation actions set and clear (checkout, transit, hold
# shelf, lost on loan). Editing an item never moves it into or out of them: that would
# leave a loan or a transit pointing at an item that says otherwise.
CIRCULATION_STATUSES: Final = frozenset(
    {
        Item.Status.CHECKED_OUT,
        Item.Status.IN_TRANSIT,
        Item.Status.ON_HOLD_SHELF,
        Item.Status.LOST,
    }
)
EDITABLE_STATUSES: Final = tuple(s for s in Item.Status if s not in CIRCULATION_STATUSES)


def item_edit_denied_message(item: Item) -> str:
    return change_refused(item)


@transaction.atomic
def update_item(
    staff: User | AnonymousUser,
    item: Item,
    *,
    call_number: str | _Keep = KEEP,
    shelf_location: str | _Keep = KEEP,
    collection: str | _Keep = KEEP,
    item_type: str | _Keep = KEEP,
    status: str | _Keep = KEEP,
    holdable: bool | _Keep = KEEP,
    floating: bool | _Keep = KEEP,
    price: Decimal | None | _Keep = KEEP,
) -> Item:
    """Change an item's shelf and policy fields on behalf of `staff`.

    Raises PermissionDenied unless `staff` may change this copy (rules:
    catalog.change_item — its owning library's staff or the central office), and
    ValidationError for a status change into or out of a circulation status.
    """
    # Lock and reload: the caller's instance may be stale or already edited by a form.
    current = Item.objects.select_for_update().select_related("owning_library").get(pk=item.pk)
    if not staff.has_perm("catalog.change_item", current):
        raise PermissionDenied(item_edit_denied_message(current))
    changes = {
        name: value
        for name, value in {
            "call_number": call_number,
            "shelf_location": shelf_location,
            "collection": collection,
            "item_type": item_type,
            "status": status,
            "holdable": holdable,
            "floating": floating,
            "price": price,
        }.items()
        if value is not KEEP and getattr(current, name) != value
    }
    if "status" in changes and (
        current.status in CIRCULATION_STATUSES or changes["status"] in CIRCULATION_STATUSES
    ):
        raise ValidationError(
            {
                "status": (
                    f"'{current.get_status_display()}' is set and cleared at the desk "
                    "(checkout, checkin, transit); it cannot be edited here."
                )
            }
        )
    if not changes:
        return current
    if "status" in changes:
        # The status moves through the item's state table (catalog/itemstate.py); the
        # other fields are the catalogue record's.
        role = "central_office" if is_central_office(staff) else role_for_item(staff, current)
        try:
            itemstate.move(current, itemstate.TRIGGER_FOR[str(changes.pop("status"))], role)
        except itemstate.TransitionError as error:
            raise ValidationError({"status": str(error)}) from error
    for name, value in changes.items():
        setattr(current, name, value)
    current.full_clean(exclude=["title", "owning_library", "home_branch", "current_branch"])
    if changes:
        current.save(update_fields=list(changes))
    return current


def update_item_from_form(staff: User | AnonymousUser, item: Item, data: Mapping[str, Any]) -> Item:
    """`update_item` with every field of the item edit form (the page and the admin)."""
    return update_item(
        staff,
        item,
        call_number=data["call_number"],
        shelf_location=data["shelf_location"],
        collection=data["collection"],
        item_type=data["item_type"],
        status=data["status"],
        holdable=data["holdable"],
        floating=data["floating"],
        price=data["price"],
    )


def role_for_item(staff: User | AnonymousUser, item: Item) -> str:
    """The staff member's role at the copy's owning library (desk when none is found: the
    permission check above has already refused staff of other libraries)."""
    return role_at(staff, item.owning_library_id) or "desk"
