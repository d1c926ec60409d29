"""The demo sharing group: plan it from a seed, then write it to the database.

`build_plan(seed, size)` is pure: the same seed and size always give the same libraries,
branches, coordinates, titles, barcodes, cards and staff. `load_plan(plan)` writes a
plan in one transaction (see `writer.py`) and imports Evergreen's sample MARC files
through the real importer (`marcfiles.py`). `demo_logins()` reads back the accounts the
`demo` command prints.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, replace
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from onelibrary.catalog.models import Title
from onelibrary.demo import accounts, circulation, floating, history, marcfiles, routes, writer
from onelibrary.demo import governance as governance_demo
from onelibrary.demo.collection import ItemPlan, TitlePlan, plan_items, plan_titles
from onelibrary.demo.people import PatronPlan, StaffPlan, plan_patrons, plan_staff
from onelibrary.demo.places import SIZE_CLASSES, LibraryPlan, plan_libraries
from onelibrary.directory import demo as directory_demo
from onelibrary.members.models import Library, SharingGroup, StaffRole
from onelibrary.transit import demo as transit_demo

GROUP_NAME = "Big Sky Partners"
GROUP_CODE = "BSP"
GROUP_EMAIL = "central@bigsky.example.org"
DEMO_PASSWORD = "demo-password"


@dataclass(frozen=True)
class DemoSize:
    name: str
    members: int
    branches: int
    titles: int  # generated titles; the MARC files add about a thousand more
    patrons: int
    copies_scale: float = 1.0


SIZES = {
    "small": DemoSize("small", members=12, branches=18, titles=3_000, patrons=2_000),
    "large": DemoSize("large", members=80, branches=110, titles=20_000, patrons=20_000),
}


@dataclass(frozen=True)
class DemoPlan:
    seed: int
    size: DemoSize
    today: dt.date
    libraries: tuple[LibraryPlan, ...]
    titles: tuple[TitlePlan, ...]
    items: tuple[ItemPlan, ...]
    patrons: tuple[PatronPlan, ...]
    staff: tuple[StaffPlan, ...]

    @property
    def branch_count(self) -> int:
        return sum(len(lib.branches) for lib in self.libraries)


@dataclass(frozen=True)
class DemoSummary:
    libraries: int
    branches: int
    titles: int
    items: int
    patrons: int
    staff: int
    marc_files: tuple[str, ...]  # the files imported, with their owning library
    marc_note: str  # why no MARC file was imported, when none was


def size_named(name: str) -> DemoSize:
    try:
        return SIZES[name]
    except KeyError:
        raise ValueError(f"unknown demo size {name!r}: use one of {', '.join(SIZES)}") from None


def build_plan(
    seed: int,
    size: DemoSize | str = "small",
    *,
    today: dt.date | None = None,
    titles: int | None = None,
    patrons: int | None = None,
) -> DemoPlan:
    """The whole demo group as plain data. `titles` and `patrons` scale a size down.

    Each part draws from its own random stream, so scaling titles down for a quick
    test leaves the libraries, branches and patrons exactly as they are.
    """
    size = size_named(size) if isinstance(size, str) else size
    size = replace(
        size,
        titles=size.titles if titles is None else titles,
        patrons=size.patrons if patrons is None else patrons,
    )
    today = today or dt.date.today()

    def stream(part: str) -> random.Random:
        return random.Random(f"onelibrary-demo:{seed}:{part}")

    libraries = plan_libraries(
        stream("libraries"), members=size.members, branches=size.branches, today=today
    )
    title_plans = plan_titles(stream("titles"), size.titles, this_year=today.year)
    items = plan_items(
        stream("items"),
        libraries,
        title_plans,
        this_year=today.year,
        copies_scale=size.copies_scale,
    )
    return DemoPlan(
        seed=seed,
        size=size,
        today=today,
        libraries=tuple(libraries),
        titles=tuple(title_plans),
        items=tuple(items),
        patrons=tuple(plan_patrons(stream("patrons"), libraries, size.patrons, today=today)),
        staff=tuple(plan_staff(stream("staff"), libraries)),
    )


class DemoAlreadyLoaded(Exception):
    pass


def load_plan(
    plan: DemoPlan,
    *,
    marc_dir: Path | None = None,
    with_marc: bool = True,
    progress: writer.Progress | None = None,
) -> DemoSummary:
    """Write the plan into a database without a sharing group, in one transaction.

    Raises DemoAlreadyLoaded, and changes nothing, when a sharing group exists.
    """
    marc_dir = marc_dir or settings.SHARED_DATA_DIR / "evergreen" / "marc"
    with transaction.atomic():
        if SharingGroup.objects.exists():
            raise DemoAlreadyLoaded(f"this database already holds {SharingGroup.current()}")
        writer.report(progress, "libraries", 0, len(plan.libraries))
        writer.write_group(GROUP_NAME, GROUP_CODE, GROUP_EMAIL)
        libraries, branches = writer.write_places(plan.libraries)
        writer.report(progress, "libraries", len(plan.libraries), len(plan.libraries))
        title_ids = writer.write_titles(
            plan.titles, control_prefix=f"bsp{plan.seed}-", entered=plan.today, progress=progress
        )
        items = writer.write_items(plan.items, title_ids, libraries, branches, progress)
        result = marcfiles.MarcResult((), 0, "skipped")
        if with_marc:
            result = marcfiles.import_samples(
                plan.seed, plan.today, plan.libraries, marc_dir, libraries, branches, progress
            )
        writer.write_patrons(plan.patrons, libraries, branches, progress)
        writer.report(progress, "staff", 0, len(plan.staff))
        writer.write_staff(plan.staff, libraries, DEMO_PASSWORD)
        writer.report(progress, "staff", len(plan.staff), len(plan.staff))
        circulation.write_rules(plan.seed, libraries)
        circulation.write_open_loans(plan.seed, plan.today)
        floating.write_floating(plan.seed, libraries)
        call_command("courier_matrix", verbosity=0, stdout=io.StringIO())
        courier_routes = routes.plan_routes(
            random.Random(f"onelibrary-demo:{plan.seed}:routes"), plan.libraries
        )
        routes.write_routes(courier_routes, branches)
        transit_demo.write_transits(plan.seed, plan.today)
        directory_demo.write_directory(plan.seed)
        accounts.write_accounts(plan.seed, plan.today)
        governance_demo.write_governance(plan.seed, plan.today)
        writer.report(progress, "history", 0, 1)
        history.write_history(plan.seed, plan.today)
        history.write_board_accounts(make_password(DEMO_PASSWORD))
        writer.report(progress, "history", 1, 1)
    return DemoSummary(
        libraries=len(plan.libraries),
        branches=plan.branch_count,
        titles=Title.objects.count(),
        items=items + result.items,
        patrons=len(plan.patrons),
        staff=len(plan.staff),
        marc_files=result.files,
        marc_note=result.note,
    )


@dataclass(frozen=True)
class Login:
    username: str
    what: str


def _size_rank(library: Library) -> int:
    return SIZE_CLASSES.index(library.size_class) if library.size_class in SIZE_CLASSES else 0


def demo_logins() -> list[Login]:
    """The accounts worth trying: the central office, and desk and admin at the largest
    and the smallest active library. Empty when the demo staff are not in the database."""
    roles = {
        (r.library_id, r.role): r.user.username
        for r in StaffRole.objects.select_related("user").order_by("user__username")
    }
    logins = []
    if central := roles.get((None, StaffRole.Role.CENTRAL_OFFICE)):
        logins.append(Login(central, "central office: the whole group, and /admin/"))
    active = list(
        Library.objects.filter(status=Library.Status.ACTIVE).annotate(
            item_count=Count("items", distinct=True), branch_count=Count("branches", distinct=True)
        )
    )
    if not active:
        return logins
    largest = min(active, key=lambda lib: (_size_rank(lib), -lib.item_count, lib.code))
    smallest = max(active, key=lambda lib: (_size_rank(lib), -lib.item_count, lib.code))
    where = f"{largest.name} ({largest.get_size_class_display().lower()}, "
    where += f"{largest.branch_count} branches)"
    for role, what in (
        (StaffRole.Role.DESK, f"desk staff at {where}"),
        (StaffRole.Role.LIBRARY_ADMIN, f"library admin at {largest.name}"),
    ):
        if username := roles.get((largest.pk, role)):
            logins.append(Login(username, what))
    small = f"{smallest.name} ({smallest.get_size_class_display().lower()})"
    if username := roles.get((smallest.pk, StaffRole.Role.DESK)):
        logins.append(Login(username, f"desk staff at {small}"))
    if username := roles.get((smallest.pk, StaffRole.Role.BOARD)):
        logins.append(Login(username, f"director or board of {small}: /insights/, read-only"))
    return logins
