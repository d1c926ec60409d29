"""A memorandum of understanding's sections, how complete it is, and the words to avoid.

Pure: plain data in, plain data out, no ORM. The sections are the list in the staff's own
guide (context 004, "Create a memorandum of understanding"), in its order; this tuple is
the one place they are listed — the builder's steps, the completeness count, the PDF and
the signing check all read it (docs/outreach.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    prompt: str  # what to write, in the guide's words where it has them
    required: bool = True


SECTIONS: tuple[Section, ...] = (
    Section(
        "assets_needs",
        "Assets and needs",
        "A summary of the assets and needs identified: what the library brings (space, staff, "
        "publicity, research help) and what the partner brings, and what each side needs.",
    ),
    Section(
        "audiences",
        "Audiences",
        "The target audiences and constituencies: who this collaboration is for.",
    ),
    Section(
        "goals",
        "Goals and shared agreements",
        "The goals, objectives and purpose, and what both sides agree to.",
    ),
    Section(
        "resources",
        "Resources and equipment",
        "The resources and equipment needed, and how each need will be met.",
    ),
    Section(
        "roles",
        "Roles and responsibilities",
        "Who does what, on each side.",
    ),
    Section(
        "milestones",
        "Milestones and timeline",
        "The milestones and the timeline: what happens when.",
    ),
    Section(
        "contacts",
        "Contacts and decision-making",
        "The key contacts, and how decisions are made and approved.",
    ),
    Section(
        "deliverables",
        "Deliverables",
        "What the collaboration is expected to deliver.",
    ),
    Section(
        "termination",
        "Termination",
        "What to do if the collaboration does not work out: how either side ends it.",
    ),
    Section(
        "evaluation",
        "Documentation and evaluation plan",
        "How the programme is documented and evaluated: what success will look like, what "
        "information is gathered for it, and who gathers it.",
    ),
    Section(
        "budget",
        "Budget and funding",
        "The budget, its funding sources, and who is responsible for what. Leave empty "
        "if no money changes hands.",
        required=False,
    ),
    Section(
        "public_awareness",
        "Public awareness",
        "The plan for public awareness and marketing. Leave empty if there is none.",
        required=False,
    ),
)

BY_KEY = {section.key: section for section in SECTIONS}


def section_at(step: int) -> Section:
    """The section of builder step `step` (1-based); IndexError past the last."""
    if step < 1:
        raise IndexError(step)
    return SECTIONS[step - 1]


def is_filled(text: str | None) -> bool:
    return bool((text or "").strip())


@dataclass(frozen=True)
class Completeness:
    filled: tuple[Section, ...]
    missing: tuple[Section, ...]  # required sections still empty (MOU-1)
    optional_empty: tuple[Section, ...]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def required_total(self) -> int:
        return sum(1 for s in SECTIONS if s.required)

    @property
    def required_filled(self) -> int:
        return self.required_total - len(self.missing)

    @property
    def percent(self) -> int:
        return round(100 * self.required_filled / self.required_total)

    def missing_titles(self) -> str:
        return ", ".join(s.title for s in self.missing)


def completeness(texts: Mapping[str, str]) -> Completeness:
    filled = tuple(s for s in SECTIONS if is_filled(texts.get(s.key)))
    missing = tuple(s for s in SECTIONS if s.required and s not in filled)
    optional_empty = tuple(s for s in SECTIONS if not s.required and s not in filled)
    return Completeness(filled=filled, missing=missing, optional_empty=optional_empty)


# MOU-6: the guide warns against these two terms, which "could denote a legal arrangement".
# Any spacing or a hyphen between the words, any case, singular or plural.
TERMS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (
        "partnership agreement",
        re.compile(r"\bpartnership[\s\-]+agreements?\b", re.IGNORECASE),
        "In law a partnership can mean the parties share liability, profits and losses "
        "equally, which a library cannot promise a community group.",
    ),
    (
        "joint venture",
        re.compile(r"\bjoint[\s\-]+ventures?\b", re.IGNORECASE),
        "A joint venture is a business arrangement with legal and financial ties, not an "
        "understanding about working together.",
    ),
)


@dataclass(frozen=True)
class WordingWarning:
    term: str
    where: tuple[str, ...]  # the titles of the sections (or "Title") that use it
    why: str

    @property
    def message(self) -> str:
        places = ", ".join(self.where)
        return (
            f"“{self.term}” appears in: {places}. {self.why} Call it a memorandum of "
            "understanding or a collaboration, and say plainly what each side will do."
        )


def wording_warnings(texts: Mapping[str, str], *, title: str = "") -> list[WordingWarning]:
    """MOU-6: each avoided term, with every place it appears (the title, then sections)."""
    places = [("Title", title)] + [(s.title, texts.get(s.key, "")) for s in SECTIONS]
    found = []
    for term, pattern, why in TERMS:
        where = tuple(name for name, text in places if text and pattern.search(text))
        if where:
            found.append(WordingWarning(term=term, where=where, why=why))
    return found
