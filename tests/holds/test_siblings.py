"""Holds and transit are siblings under the desk (docs/architecture.md): neither imports
the other, nor circulation above them, not even lazily inside a function or for types."""

from __future__ import annotations

import ast
from pathlib import Path

import onelibrary

SRC = Path(onelibrary.__file__).parent
# Another change removes it (courier days move to the courier part); until then it reads
# the holds app's courier-days table.
LEAVING = {SRC / "transit" / "courier_link.py"}


def imported(source: str) -> set[str]:
    """Every module an import statement anywhere in `source` names."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def reaching(package: str, others: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{path.relative_to(SRC)}: {name}"
        for path in (SRC / package).rglob("*.py")
        if path not in LEAVING
        for name in imported(path.read_text())
        if any(name == f"onelibrary.{o}" or name.startswith(f"onelibrary.{o}.") for o in others)
    )


def test_holds_imports_neither_transit_nor_circulation():
    assert reaching("holds", ("transit", "circulation")) == []


def test_transit_imports_neither_holds_nor_circulation():
    assert reaching("transit", ("holds", "circulation")) == []


def test_it_sees_imports_inside_functions_and_for_types():
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import onelibrary.transit.models\n"
        "def f():\n    from onelibrary.holds import shelf\n"
    )
    assert imported(source) == {"typing", "onelibrary.transit.models", "onelibrary.holds"}
