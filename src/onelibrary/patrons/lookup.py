"""Finding what a scan names: an item by its barcode, a patron by their card.

Used by every desk screen (checkout, checkin, holds, crates) and the API. Each refusal is
a `Refusal` that says what was scanned instead and what to do; patron reads go through
`patrons.access`, so they are audited and permissioned.
"""

from __future__ import annotations

from django.contrib.auth.models import User

from onelibrary.catalog.models import Item
from onelibrary.core.refusals import Refusal
from onelibrary.patrons.access import PatronError, PatronView, access_patron, find_card
from onelibrary.patrons.models import Patron


def find_item(barcode: str) -> Item:
    barcode = barcode.strip()
    if not barcode:
        raise Refusal("empty", "No barcode was scanned. Scan the item's barcode.")
    # Barcodes are unique: no ORDER BY, which costs the ORM more to build than it saves.
    found = list(
        Item.objects.select_related("title", "owning_library", "home_branch", "current_branch")
        .defer("title__marc")
        .filter(barcode=barcode)
        .order_by()[:1]
    )
    if found:
        return found[0]
    if Patron.objects.filter(card=barcode).exists():
        raise Refusal(
            "patron_card_as_item",
            f"{barcode} is a patron's library card, not an item. Scan the barcode on the item.",
        )
    raise Refusal(
        "unknown_item",
        f"No item in the group has the barcode {barcode}. Check it for a typing error; if the "
        "barcode is right, set the item aside for cataloguing.",
    )


def find_patron(card: str) -> Patron:
    """The active patron record with this card: merged and erased records are refused,
    a merged card names the card to use, a mistyped card is named as such."""
    try:
        return find_card(card)
    except PatronError as error:
        raise Refusal(error.code, error.message) from error


def served_view(staff: User, card: str, *, via: str = "page", context: str = "") -> PatronView:
    """The patron as `staff` may see them, read through `patrons.access` (audited, and
    refused where the permission table says so), refusals as `Refusal`."""
    try:
        return access_patron(staff, card, via=via, context=context)
    except PatronError as error:
        raise Refusal(error.code, error.message) from error


def served_patron(staff: User, card: str, *, via: str = "page", context: str = "") -> Patron:
    """The patron staff act for outside the checkout desk (holds, rule questions): the
    audited `served_view`, then the model for the action functions."""
    view = served_view(staff, card, via=via, context=context)
    return Patron.objects.select_related("home_library", "preferred_branch").get(pk=view.pk)
