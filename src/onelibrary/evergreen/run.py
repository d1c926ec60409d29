"""What one import knows as it goes: the dump, the keys made so far, and what had no place."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from onelibrary.evergreen.dump import Dump
from onelibrary.evergreen.mapping import Skip
from onelibrary.evergreen.models import EvergreenKey
from onelibrary.members.models import Branch, Library

Kind = EvergreenKey.Kind


class Keys:
    """The mapping table in memory: (kind, Evergreen id) → our pk."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, str], int] = {
            (kind, eid): pk
            for kind, eid, pk in EvergreenKey.objects.values_list(
                "kind", "evergreen_id", "object_id"
            )
        }

    def get(self, kind: str, evergreen_id: str | None) -> int | None:
        return self.known.get((kind, evergreen_id or ""))

    def remember(self, kind: str, pairs: list[tuple[str, int]]) -> None:
        EvergreenKey.objects.bulk_create(
            EvergreenKey(kind=kind, evergreen_id=eid, object_id=pk) for eid, pk in pairs
        )
        self.known.update(((kind, eid), pk) for eid, pk in pairs)


@dataclass
class Run:
    dump: Dump
    keys: Keys
    unmapped: list[str] = field(default_factory=list)
    mapped: Counter[str] = field(default_factory=Counter)  # this dump's rows now mapped
    created: Counter[str] = field(default_factory=Counter)  # ... of which made by this run
    libraries: dict[str, Library] = field(default_factory=dict)  # org unit id → library
    branches: dict[str, Branch] = field(default_factory=dict)  # org unit id → branch
    places: dict[str, str] = field(default_factory=dict)  # org unit id → 'library'/'branch'

    def skip(self, text: Skip | str) -> None:
        self.unmapped.append(str(text))

    def library_of(self, org_unit: str | None) -> Library | None:
        """The member library an org unit is, or whose branch it is."""
        if org_unit in self.libraries:
            return self.libraries[org_unit]
        branch = self.branches.get(org_unit or "")
        return branch.library if branch else None

    def count(self, kind: str, *, created: int, mapped: int) -> None:
        self.created[kind] += created
        self.mapped[kind] += mapped
