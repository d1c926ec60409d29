"""The staff guide (docs/guide/) stays current: every refusal in the rule tables has a row
in its "When the screen says no" table, and every picture it shows exists."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"
GUIDE = DOCS / "guide"
RULES = [*sorted((DOCS / "circulation").glob("*.md")), *sorted((DOCS / "holds").glob("*.md"))]
RULES.append(DOCS / "transit.md")

# A decision row whose result refuses, or blocks a checkout: the desk shows its id.
ROW = re.compile(r"^\|\s*([A-Z]+-\d+)\s*\|(.*)$")
REFUSES = re.compile(r"\brefused\b|\bblocked[;,]", re.IGNORECASE)


def refusal_ids() -> set[str]:
    found = set()
    for path in RULES:
        for line in path.read_text().splitlines():
            row = ROW.match(line)
            if row and REFUSES.search(row.group(2)):
                found.add(row.group(1))
    return found


def guide_ids() -> set[str]:
    table = (GUIDE / "refusals.md").read_text().splitlines()
    return {row.group(1) for line in table if (row := ROW.match(line))}


def test_every_refusal_in_the_rule_tables_is_in_the_guide():
    ids = refusal_ids()
    assert {"CHECKOUT-8", "MONEY-7", "UNPACK-4", "HOLD-18"} <= ids  # the reading works
    missing = sorted(ids - guide_ids())
    assert not missing, f"add these to docs/guide/refusals.md: {missing}"


def test_the_guide_names_no_code_the_rule_tables_do_not_have():
    known = set()
    for path in RULES:
        known |= {
            row.group(1) for line in path.read_text().splitlines() if (row := ROW.match(line))
        }
    assert guide_ids() - known == set()


def test_every_picture_the_guide_shows_exists():
    for page in GUIDE.glob("*.md"):
        for name in re.findall(r"\]\((img/[^)]+)\)", page.read_text()):
            assert (GUIDE / name).is_file(), f"{page.name} shows {name}: run make guide-shots"
