"""The Evergreen sample consortium, and counts taken from its files without our reader."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture
def concerto() -> Path:
    path = settings.SHARED_DATA_DIR / "evergreen" / "concerto_enhanced"
    assert path.is_dir(), f"the shared test data is missing at {path}"
    return path


def rows(path: Path) -> list[dict[str, str]]:
    """Every row of every COPY block, split on tabs; enough for ids and flags."""
    found: list[dict[str, str]] = []
    columns: list[str] | None = None
    for line in path.read_text().splitlines():
        if columns is None:
            if line.startswith("COPY "):
                columns = [
                    c.strip() for c in line[line.index("(") + 1 : line.index(")")].split(",")
                ]
        elif line == "\\.":
            columns = None
        else:
            found.append(dict(zip(columns, line.split("\t"), strict=True)))
    return found


def tsv(path: Path) -> list[dict[str, str]]:
    header, *lines = path.read_text().splitlines()
    return [dict(zip(header.split("\t"), line.split("\t"), strict=True)) for line in lines]
