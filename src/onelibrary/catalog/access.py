"""Staff finding one copy by barcode or id: any staff member may look, only the owning
library's staff (and the central office) may change it (docs/architecture.md,
'Permissions'). The roles come from `members.access`."""

from __future__ import annotations

from onelibrary.catalog.models import Item
from onelibrary.members.access import NotAllowed, NotFound, Scope, Staff, scope_of


def may_change_item(scope: Scope, item: Item) -> bool:
    return scope.acts_for(item.owning_library_id)


def change_refused(item: Item) -> str:
    return (
        f"Copy {item.barcode} belongs to {item.owning_library.name}. Only its staff, "
        "or the central office, can edit it."
    )


def access_item(staff: Staff, barcode_or_id: str | int, *, for_change: bool) -> Item:
    """The copy with this barcode (a str) or id (an int), as `staff` may use it.

    Copies are public, so a copy that exists is never hidden: staff who may not change
    it are told whose it is (403, `NotAllowed`). No such copy: `NotFound` (404).
    """
    items = Item.objects.select_related("title", "owning_library", "home_branch", "current_branch")
    if isinstance(barcode_or_id, int):
        item = items.filter(pk=barcode_or_id).first()
        missing = f"There is no item #{barcode_or_id}."
    else:
        item = items.filter(barcode=barcode_or_id.strip()).first()
        missing = (
            f"No item in the group has the barcode {barcode_or_id.strip()}. Check it for a "
            "typing error; if the barcode is right, set the item aside for cataloguing."
        )
    if item is None:
        raise NotFound("unknown_item", missing)
    scope = scope_of(staff)
    if not scope.is_staff:
        raise NotAllowed("not_staff", "Items are looked up by library staff; sign in as staff.")
    if for_change and not may_change_item(scope, item):
        raise NotAllowed("not_your_item", change_refused(item))
    return item
