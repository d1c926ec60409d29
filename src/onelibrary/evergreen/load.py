"""`import_evergreen(directory)`: the whole migration, in one transaction.

Each step keys what it makes on the Evergreen id (`EvergreenKey`), so a second run finds
everything there and changes nothing. docs/migration.md says what maps to what.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from onelibrary.evergreen import catalog, dump, people, places, rules
from onelibrary.evergreen.run import Keys, Run

REPORTED = ("members", "branches", "titles", "items", "patrons", "holds", "loans")


def import_evergreen(directory: Path) -> dict[str, object]:
    """Load the dump; returns the counts of its rows now here and what had no place.

    Raises EvergreenImportError (nothing written) for a missing file or a bad dump."""
    found = dump.read(directory)
    with transaction.atomic():
        run = Run(found, Keys())
        places.load_places(run)
        catalog.load_titles(run)
        catalog.load_items(run)
        people.load_patrons(run)
        people.load_holds(run)
        people.load_loans(run)
        rules.load_rules(run)
        rules.load_floating(run)
    report: dict[str, object] = {name: run.mapped[name] for name in REPORTED}
    report["unmapped"] = run.unmapped
    report["created"] = {name: run.created[name] for name in sorted(run.created)}
    return report
