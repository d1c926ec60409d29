"""Evergreen's sample MARC files in the demo: imported through the real importer.

Each file goes to one of the biggest libraries (the jazz recordings, with their copies,
to the largest city system). Titles that arrive without copies get one or two at the
library that loaded them, so every title in the demo can be found on a shelf.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from onelibrary.catalog.importer import import_marc
from onelibrary.catalog.models import Title, TitleSource
from onelibrary.demo.collection import ItemPlan, ItemPlanner, TitlePlan
from onelibrary.demo.places import LibraryPlan
from onelibrary.demo.writer import Progress, report, write_items
from onelibrary.members.models import Branch, Library

# The readable sample files, biggest first; the order decides which library owns them.
SAMPLE_FILES = ("jazz_1k.mrc", "FSL.marc", "oss.marc", "map_data.mrc")

# Copies added to sample titles start high in each library's barcode sequence, so they
# never meet the generated copies' barcodes.
FIRST_SEQUENCE = 90_000_001


@dataclass(frozen=True)
class MarcResult:
    files: tuple[str, ...]  # "jazz_1k.mrc -> QUAV: 905 titles, ...": a line per file
    items: int  # copies created, by the importer and for titles without copies
    note: str  # why some or all files were not imported; empty when all were


def owners(libraries: Sequence[LibraryPlan]) -> list[tuple[str, LibraryPlan]]:
    """Which library loads each sample file: the biggest libraries, in order."""
    ranked = sorted((lib for lib in libraries if lib.weight > 0), key=lambda lib: -lib.weight)
    return [(name, ranked[min(i, len(ranked) - 1)]) for i, name in enumerate(SAMPLE_FILES)]


def title_shape(row: Title) -> TitlePlan:
    """Enough of a loaded title to give it a demo copy: format, author, year, fiction."""
    subjects = tuple(row.subject_list)
    return TitlePlan(
        title=row.title,
        author=row.author,
        subjects=subjects,
        isbn="",
        format=row.format,
        audience="adult",
        fiction=any("fiction" in s.lower() for s in subjects),
        dewey="",
        language=row.language,
        year=row.year or 2000,
        publisher=row.publisher,
        popularity=1.0,
    )


def plan_extra_copies(
    rng: random.Random,
    owner: LibraryPlan,
    titles: Sequence[tuple[int, TitlePlan]],
    *,
    this_year: int,
    first_sequence: int,
) -> list[ItemPlan]:
    """One copy of each title (two of one in five) at the library that loaded it."""
    planner = ItemPlanner(rng, [owner], first_sequence=first_sequence, floating_share=0.0)
    copies = []
    for index, shape in titles:
        for _ in range(2 if rng.random() < 0.2 else 1):
            copies.append(planner.copy(index, shape, today_year=this_year))
    return copies


def import_samples(
    seed: int,
    today: dt.date,
    plans: Sequence[LibraryPlan],
    marc_dir: Path,
    libraries: dict[str, Library],
    branches: dict[str, Branch],
    progress: Progress | None = None,
) -> MarcResult:
    """Import the sample files found in `marc_dir`; say which were missing, if any."""
    if not marc_dir.is_dir():
        return MarcResult((), 0, f"no MARC files at {marc_dir}: generated titles only")
    last_title = Title.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    found = [(marc_dir / name, owner) for name, owner in owners(plans)]
    missing = [path.name for path, _ in found if not path.is_file()]
    found = [(path, owner) for path, owner in found if path.is_file()]
    total = sum(path.stat().st_size for path, _ in found)
    imported, items = [], 0
    by_owner: dict[str, LibraryPlan] = {}
    report(progress, "MARC files", 0, total)
    for path, owner in found:
        summary = import_marc(
            [path],
            library=libraries[owner.code],
            on_progress=lambda n: report(progress, "MARC files", n, total),
        )
        items += summary.items_created
        imported.append(
            f"{path.name} -> {owner.code}: {summary.titles_created} titles, "
            f"{summary.items_created} copies, {len(summary.rejected)} records or copies set aside"
        )
        by_owner[owner.code] = owner

    bare = list(Title.objects.filter(pk__gt=last_title, items__isnull=True).order_by("pk"))
    loaded_by = dict(
        TitleSource.objects.filter(title_id__in=[row.pk for row in bare])
        .order_by("title_id", "pk")
        .values_list("title_id", "library__code")
    )
    rng = random.Random(f"onelibrary-demo:{seed}:marc-copies")
    extra = 0
    for code, owner in sorted(by_owner.items()):
        rows = [row for row in bare if loaded_by.get(row.pk) == code]
        shapes = [(i, title_shape(row)) for i, row in enumerate(rows)]
        copies = plan_extra_copies(
            rng, owner, shapes, this_year=today.year, first_sequence=FIRST_SEQUENCE
        )
        extra += write_items(copies, [row.pk for row in rows], libraries, branches)
    if extra:
        imported.append(f"{extra} demo copies for sample titles that came without any")
    note = f"not found in {marc_dir}: {', '.join(missing)}" if missing else ""
    return MarcResult(tuple(imported), items + extra, note)
