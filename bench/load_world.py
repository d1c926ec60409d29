"""The data a load run works on, built and chosen in-process through Django (bench/load.py).

The group is the demo generator's (docs/demo.md): its libraries, branches, opening days,
circulation rules, courier routes, titles, copies, patrons and desk staff, without the
MARC sample files so the figures do not depend on `shared/` being there. A desk is one
branch's desk staff with an API token of its own; it scans only copies that shelve at
its branch, to patrons of its library in good standing, so every scan it sends should
succeed: a refusal is counted as an error. Desks at one branch share its copies out
between them, so two desks never scan the same copy.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from onelibrary.patrons.models import Patron

SIZES = {
    # name: (demo size, generated titles, patrons); None keeps the demo size's own.
    "tiny": ("small", 300, 300),
    "small": ("small", None, None),
    "large": ("large", None, None),
}
PIN = "4321"
ITEMS_PER_DESK = 300
PATRONS_PER_DESK = 40


@dataclass(frozen=True)
class Desk:
    name: str
    branch: str  # branch code
    token: str
    items: tuple[str, ...]  # barcodes on its shelf
    cards: tuple[str, ...]  # patrons it lends to


@dataclass(frozen=True)
class PatronLogin:
    card: str
    pin: str
    pickup: str  # branch code


def build(size: str, seed: int) -> str:
    """Migrate an empty database and load the demo group. Returns a one-line summary."""
    from django.core.management import call_command

    from onelibrary.demo.generator import build_plan, load_plan

    demo_size, titles, patrons = SIZES[size]
    call_command("migrate", verbosity=0)
    plan = build_plan(seed, demo_size, titles=titles, patrons=patrons)
    summary = load_plan(plan, with_marc=False)
    return (
        f"{summary.libraries} libraries, {summary.branches} branches, {summary.titles:,} "
        f"titles, {summary.items:,} copies, {summary.patrons:,} patrons"
    )


def _good_standing() -> QuerySet[Patron]:
    from django.db.models import Exists, OuterRef

    from onelibrary.circulation.models import Charge
    from onelibrary.patrons.models import Patron

    owes = Charge.objects.filter(patron=OuterRef("pk"), settled_at__isnull=True)
    return Patron.objects.filter(
        merged_into=None,
        erased_at=None,
        block_reason="",
        expires_on__gte=dt.date.today() + dt.timedelta(days=30),
    ).exclude(Exists(owes))


def desks(count: int, seed: int) -> list[Desk]:
    """`count` desks over the branches that have copies on their shelves, largest first.

    Read afresh from the database for each run, so copies a previous run left on loan,
    on a hold shelf or in transit are not offered again.
    """
    from django.contrib.auth.models import User
    from django.db.models import Count, F, Q

    from onelibrary.catalog.models import Item
    from onelibrary.holds.models import Hold
    from onelibrary.members import tokens
    from onelibrary.members.models import Branch, StaffRole

    rng = random.Random(seed)
    shelved = Q(home_items__status=Item.Status.AVAILABLE) & Q(home_items__current_branch=F("pk"))
    branches = list(
        Branch.objects.select_related("library")
        .annotate(on_shelf=Count("home_items", filter=shelved))
        .filter(on_shelf__gt=0)
        .order_by("-on_shelf", "code")
    )
    staff = {
        role.library_id: role.user
        for role in StaffRole.objects.filter(role=StaffRole.Role.DESK).select_related("user")
    }
    branches = [b for b in branches if b.library_id in staff]
    if not branches:
        raise SystemExit("No branch has desk staff and copies on its shelf: build the group first.")
    chosen = [branches[k % len(branches)] for k in range(count)]
    claimed = Hold.objects.filter(state__in=("routed", "in_transit", "on_shelf")).values(
        "assigned_item_id"
    )
    standing = _good_standing()
    anyone = list(standing.order_by("pk").values_list("card", flat=True)[:2000])
    out = []
    for k, branch in enumerate(chosen):
        sharing = [n for n, b in enumerate(chosen) if b.pk == branch.pk]
        share, of = sharing.index(k), len(sharing)
        barcodes = list(
            Item.objects.filter(
                home_branch=branch, current_branch=branch, status=Item.Status.AVAILABLE
            )
            .exclude(pk__in=claimed)
            .order_by("barcode")
            .values_list("barcode", flat=True)
        )[share::of][:ITEMS_PER_DESK]
        library_cards = list(
            standing.filter(home_library_id=branch.library_id)
            .order_by("card")
            .values_list("card", flat=True)
        )
        library_sharing = [n for n, b in enumerate(chosen) if b.library_id == branch.library_id]
        cards = library_cards[library_sharing.index(k) :: len(library_sharing)][:PATRONS_PER_DESK]
        if len(cards) < 5:  # a one-room library with few patrons: lend to visitors too
            cards += rng.sample(anyone, min(len(anyone), PATRONS_PER_DESK))
        user: User = staff[branch.library_id]
        key = tokens.issue_token(user, name=f"load desk {k}").key
        out.append(Desk(f"desk {k}", branch.code, key, tuple(barcodes), tuple(cards)))
    return out


def patrons(count: int, avoid: set[str]) -> list[PatronLogin]:
    """`count` patrons in good standing who are not any desk's, each given the PIN."""
    from django.contrib.auth.hashers import make_password

    from onelibrary.account.models import PatronPin

    chosen = []
    for patron in _good_standing().select_related("home_library").order_by("-pk")[: count * 4]:
        if patron.card in avoid:
            continue
        branch = patron.preferred_branch or patron.home_library.branches.order_by("code").first()
        if branch is None:
            continue
        chosen.append((patron, branch.code))
        if len(chosen) == count:
            break
    pin_hash = make_password(PIN)  # one hash for all: each costs the hasher's full work
    for patron, _ in chosen:
        PatronPin.objects.update_or_create(
            patron=patron, defaults={"pin_hash": pin_hash, "set_by": PatronPin.SetBy.DEMO}
        )
    return [PatronLogin(patron.card, PIN, code) for patron, code in chosen]


def search_terms(desks: list[Desk], seed: int, count: int = 300) -> list[str]:
    """What patrons type: half single words from the catalog's titles, half whole titles
    of copies the desks lend, so that holds meet the desks' checkins (a copy taken for a
    hold at checkin, CHECKIN-17 and -18) and the checks see hold shelves and transits."""
    from onelibrary.catalog.models import Item, Title

    rng = random.Random(seed)
    every = max(1, Title.objects.count() // count)
    titles = list(Title.objects.order_by("pk").values_list("title", flat=True)[::every][:count])
    words = sorted({w.lower() for t in titles for w in re.findall(r"[A-Za-z]{4,}", t)})
    lent = [barcode for desk in desks for barcode in desk.items[:10]]
    lent_titles = sorted(
        set(Item.objects.filter(barcode__in=lent).values_list("title__title", flat=True))
    )
    terms = rng.sample(words, min(len(words), count // 2))
    terms += rng.sample(lent_titles, min(len(lent_titles), count // 2))
    return terms or ["library"]
