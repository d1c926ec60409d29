"""Catalog actions: the code that changes items (and, later, titles).

An action checks permission, runs in one transaction on a freshly locked row, and is
what the staff pages and the admin call. An edit never changes a copy's status: lost,
damaged, missing, found, withdrawn and the rest are desk actions, each with a note and an
event (`circulation/item_desk.py`, docs/circulation/item-desk.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model

from onelibrary.catalog.access import change_refused
from onelibrary.catalog.models import Item


class _Keep:
    """Marks a field the caller leaves as it is."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep()


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
    holdable: bool | _Keep = KEEP,
    holds_exemption: Model | None | _Keep = KEEP,
    floating: bool | _Keep = KEEP,
    price: Decimal | None | _Keep = KEEP,
) -> Item:
    """Change an item's shelf and policy fields on behalf of `staff`.

    Raises PermissionDenied unless `staff` may change this copy (rules:
    catalog.change_item — its owning library's staff or the central office). The status
    is not among the fields: it changes only through the desk's item actions.
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
            "holdable": holdable,
            "holds_exemption": holds_exemption,
            "floating": floating,
            "price": price,
        }.items()
        if value is not KEEP and getattr(current, name) != value
    }
    if not changes:
        return current
    for name, value in changes.items():
        setattr(current, name, value)
    current.full_clean(exclude=["title", "owning_library", "home_branch", "current_branch"])
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
        holdable=data["holdable"],
        holds_exemption=data.get("holds_exemption"),
        floating=data["floating"],
        price=data["price"],
    )
