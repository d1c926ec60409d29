"""Policy differences: each member's effective settings against the group default.

Pure functions over plain data (`resolve.Rule`), no ORM: given the rules, the members
and the situations that occur in the group (item type × patron category, and the
collections a rule names), resolve what every member gives and what the group default
gives, mark what differs, and say it in sentences a board member can read: "7 of 12
members lend DVDs for 7 days; 3 lend them for 14 days; 2 do not lend DVDs to the
group." A member that does not lend to the group is one whose items are not holdable
or are exempt from group holds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from onelibrary.policy.resolve import NoRuleError, ResolvedPolicy, Rule, Situation, resolve

COLUMNS = ("loan", "renewals", "items_out", "fines", "fine_block", "holds")
COLUMN_LABELS = {
    "loan": "Loan period",
    "renewals": "Renewals",
    "items_out": "Items out at once",
    "fines": "Fines",
    "fine_block": "Fines that block borrowing",
    "holds": "Group holds",
}
CSV_HEADERS = {
    "loan": "loan period (days)",
    "renewals": "renewals",
    "items_out": "items out at once",
    "fines": "fines",
    "fine_block": "fines that block borrowing",
    "holds": "group holds",
}
# The settings each column shows: a cell's source names the rules they came from.
COLUMN_SETTINGS = {
    "loan": ("loan_days",),
    "renewals": ("renewals_allowed",),
    "items_out": ("max_items_out",),
    "fines": ("fine_per_day", "fine_cap"),
    "fine_block": ("fine_block_threshold",),
    "holds": ("holdable", "exempt_reason"),
}


@dataclass(frozen=True)
class Member:
    code: str
    name: str


@dataclass(frozen=True)
class Case:
    """One situation to compare members in."""

    item_type: str
    patron_category: str = ""
    collection: str = ""

    def situation(self, library: str) -> Situation:
        return Situation(
            library=library,
            patron_category=self.patron_category,
            item_type=self.item_type,
            collection=self.collection,
        )


@dataclass(frozen=True)
class Cell:
    column: str
    text: str  # as shown on the page
    plain: str  # as written to the CSV
    source: str  # the rules it comes from
    differs: bool = False
    default_text: str = ""  # the group default's text, when this differs

    @property
    def label(self) -> str:
        return COLUMN_LABELS[self.column]


@dataclass(frozen=True)
class Row:
    code: str  # "" for the group default
    name: str
    cells: tuple[Cell, ...]
    lends: bool
    problem: str = ""

    @property
    def differs(self) -> bool:
        return any(cell.differs for cell in self.cells)

    def cell(self, column: str) -> Cell:
        return next(cell for cell in self.cells if cell.column == column)


@dataclass(frozen=True)
class Section:
    """One item type (and collection) for the patron categories that get the same answers."""

    item_type: str
    collection: str
    patron_categories: tuple[str, ...]
    all_categories: bool
    default: Row
    members: tuple[Row, ...]

    @property
    def subject(self) -> str:
        noun = plural(self.item_type)
        return f"{noun} in the {self.collection} collection" if self.collection else noun

    @property
    def title(self) -> str:
        title = self.subject[0].upper() + self.subject[1:]
        if not self.all_categories:
            title += " — " + _patrons(self)
        return title

    @property
    def differing_members(self) -> int:
        return sum(1 for row in self.members if row.differs)


@dataclass(frozen=True)
class Report:
    members: tuple[Member, ...]
    sections: tuple[Section, ...]
    summary: tuple[str, ...]


# --- building it --------------------------------------------------------------------


def cases_for(
    item_types: Iterable[str],
    patron_categories: Iterable[str],
    collections: Mapping[str, Iterable[str]] | None = None,
) -> list[Case]:
    """Every item type × patron category, with the collections given for an item type."""
    categories = sorted(set(patron_categories)) or [""]
    found = []
    for item_type in sorted(set(item_types)) or [""]:
        for collection in sorted(set((collections or {}).get(item_type, ())) | {""}):
            found += [Case(item_type, category, collection) for category in categories]
    return found


def differences(
    rules: Sequence[Rule],
    members: Sequence[Member],
    cases: Sequence[Case],
    *,
    reason_labels: Mapping[str, str] | None = None,
) -> Report:
    labels = reason_labels or {}
    categories = tuple(sorted({case.patron_category for case in cases}))
    by_place: dict[tuple[str, str], list[tuple[str, Row, tuple[Row, ...]]]] = {}
    for case in cases:
        default = _row(rules, case, "", "Group default", labels, None)
        rows = tuple(
            _row(rules, case, member.code, member.name, labels, default) for member in members
        )
        by_place.setdefault((case.item_type, case.collection), []).append(
            (case.patron_category, default, rows)
        )
    sections = []
    for (item_type, collection), answers in by_place.items():
        # Patron categories with the same answers for everyone share one section.
        merged: dict[tuple, list[tuple[str, Row, tuple[Row, ...]]]] = {}
        for answer in answers:
            key = (_key(answer[1]), tuple(_key(row) for row in answer[2]))
            merged.setdefault(key, []).append(answer)
        for same in merged.values():
            section_categories = tuple(category for category, _, _ in same)
            sections.append(
                Section(
                    item_type=item_type,
                    collection=collection,
                    patron_categories=section_categories,
                    all_categories=len(merged) == 1 or set(section_categories) == set(categories),
                    default=same[0][1],
                    members=same[0][2],
                )
            )
    return Report(
        members=tuple(members),
        sections=tuple(sections),
        summary=tuple(summarise(sections)),
    )


def _key(row: Row) -> tuple:
    return (row.problem, tuple((cell.text, cell.differs) for cell in row.cells))


def _row(
    rules: Sequence[Rule],
    case: Case,
    code: str,
    name: str,
    labels: Mapping[str, str],
    default: Row | None,
) -> Row:
    try:
        policy = resolve(list(rules), case.situation(code))
    except NoRuleError as error:
        missing = tuple(Cell(column, "no rule", "", "") for column in COLUMNS)
        return Row(code, name, missing, lends=False, problem=str(error))
    cells = []
    for column in COLUMNS:
        text, plain = _show(column, policy, labels)
        default_text = default.cell(column).text if default and not default.problem else text
        cells.append(
            Cell(
                column=column,
                text=text,
                plain=plain,
                source=_source(column, policy),
                differs=text != default_text,
                default_text=default_text if text != default_text else "",
            )
        )
    lends = bool(policy.values["holdable"]) and not policy.values["exempt_reason"]
    return Row(code, name, tuple(cells), lends=lends)


def _money(value: object) -> str:
    return f"${Decimal(str(value)):.2f}"


def _show(column: str, policy: ResolvedPolicy, labels: Mapping[str, str]) -> tuple[str, str]:
    """A setting as the page shows it, and as the CSV writes it."""
    values = policy.values
    if column == "loan":
        days = policy.count("loan_days")
        return f"{days} day{'s' if days != 1 else ''}", str(days)
    if column == "renewals":
        return str(values["renewals_allowed"]), str(values["renewals_allowed"])
    if column == "items_out":
        return str(values["max_items_out"]), str(values["max_items_out"])
    if column == "fines":
        if not policy.fines_apply:
            return "fine-free", "fine-free"
        cap = values["fine_cap"]
        text = f"{_money(values['fine_per_day'])} a day"
        text += f", up to {_money(cap)}" if cap is not None else ", no cap"
        return text, text
    if column == "fine_block":
        return _money(values["fine_block_threshold"]), f"{values['fine_block_threshold']}"
    reason = str(values["exempt_reason"] or "")
    if reason:
        text = f"exempt: {labels.get(reason, reason)}"
    else:
        text = "holdable" if values["holdable"] else "not holdable"
    return text, text


def _source(column: str, policy: ResolvedPolicy) -> str:
    names: dict[int, str] = {}
    for setting in COLUMN_SETTINGS[column]:
        source = policy.sources.get(setting)
        if source:
            names.setdefault(source.rule_id, f"rule #{source.rule_id} '{source.rule_name}'")
    return ", ".join(names.values())


# --- saying it ----------------------------------------------------------------------


def plural(item_type: str) -> str:
    """'dvd' → 'DVDs', 'book' → 'books', 'music_cd' → 'music CDs',
    'large_print' → 'large print items'."""
    words = item_type.replace("_", " ").replace("-", " ").split()
    if not words:
        return "items with no item type"
    last = words[-1]
    if len(last) <= 4 and last.isalpha() and not set(last.lower()) & set("aeiouy"):
        # An abbreviation (dvd, cd, vhs) rather than a word (map, kit).
        return " ".join([*words[:-1], last.upper() + "s"])
    if len(words) > 1:
        return " ".join(words) + " items"
    return last if last.endswith("s") else last + "s"


def _and(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _verb(plural_form: str, n: int) -> str:
    singular = {"do not": "does not", "are": "is"}.get(plural_form, plural_form + "s")
    return singular if n == 1 else plural_form


# Each column's clause: (verb, what follows with the subject, what follows after the first).
def _clause(column: str, cell: Cell, subject: str) -> tuple[str, str, str]:
    if column == "loan":
        return "lend", f"{subject} for {cell.text}", f"them for {cell.text}"
    if column == "renewals":
        count = int(cell.plain)
        times = "no renewals" if count == 0 else f"{count} renewal{'s' * (count != 1)}"
        return "allow", f"{times} of {subject}", times
    if column == "items_out":
        return "allow", f"{cell.text} items out at once when lending {subject}", cell.text
    if column == "fines":
        if cell.text == "fine-free":
            return "are", f"fine-free for {subject}", "fine-free"
        return "charge", f"{cell.text} for late {subject}", cell.text
    if column == "fine_block":
        owed = f"when more than {cell.text} is owed"
        return "stop", f"lending {subject} {owed}", owed
    return "give", f"{subject}: {cell.text}", cell.text


SUBJECT = "{subject}"  # where a statement names what it is about, filled in last
SUMMARY_COLUMNS = ("loan", "renewals", "items_out", "fines", "fine_block")
Place = tuple[str, str]  # (item type, collection)


def summarise(sections: Sequence[Section]) -> list[str]:
    """The report in sentences: each loan period, and any other setting members disagree on.

    A statement true for every patron category of an item type is said once for the
    item type; one true for several item types is said once for all of them ("all
    items" when it holds everywhere), so the summary stays short when rules are few.
    """
    places: dict[Place, list[Section]] = {}
    for section in sections:
        places.setdefault((section.item_type, section.collection), []).append(section)
    sentences = list(
        dict.fromkeys(s.default.problem for s in sections if s.default.problem)
    )  # a missing group default comes first
    statements: dict[tuple[str, str], list[Place]] = {}
    for column in SUMMARY_COLUMNS:
        for place, same_place in places.items():
            templates = [_template(column, section) for section in same_place]
            if len(same_place) > 1 and templates[0] and len(set(templates)) == 1:
                statements.setdefault(("", templates[0]), []).append(place)
                continue
            for section, template in zip(same_place, templates, strict=True):
                if template:
                    lead = "" if section.all_categories else f"For {_patrons(section)}, "
                    statements.setdefault((lead, template), []).append(place)
    for (lead, template), covered in statements.items():
        sentence = lead + template.replace(SUBJECT, _subjects(covered, list(places)))
        sentences.append(sentence[0].upper() + sentence[1:])
    return sentences


def _patrons(section: Section) -> str:
    return _and([c or "uncategorised" for c in section.patron_categories]) + " patrons"


def _subjects(covered: Sequence[Place], every: Sequence[Place]) -> str:
    if len(every) > 1 and set(covered) == set(every):
        return "all items"
    parts = []
    for collection in dict.fromkeys(c for _, c in covered):
        types = [t for t, c in covered if c == collection]
        all_types = [t for t, c in every if c == collection]
        if collection and len(all_types) > 1 and set(types) == set(all_types):
            parts.append(f"items in the {collection} collection")
            continue
        where = f" in the {collection} collection" if collection else ""
        parts += [plural(item_type) + where for item_type in types]
    return _and(parts)


def _template(column: str, section: Section) -> str | None:
    """What the section says about a column, with SUBJECT for what it is about."""
    rows = [row for row in section.members if not row.problem]
    if section.default.problem or not section.members:
        return None
    if column == "loan":
        return _sentence(column, section, SUBJECT, lenders_only=True)
    if len({row.cell(column).text for row in rows}) > 1:
        return _sentence(column, section, SUBJECT, lenders_only=False)
    return None


def _sentence(column: str, section: Section, subject: str, *, lenders_only: bool) -> str:
    rows = [row for row in section.members if not row.problem]
    total = len(section.members)
    counted = [row for row in rows if row.lends] if lenders_only else rows
    refusing = len(rows) - len(counted)
    groups = Counter(row.cell(column).text for row in counted)
    default_text = section.default.cell(column).text
    by_row = {row.cell(column).text: row.cell(column) for row in counted}
    order = sorted(
        groups,
        key=lambda text: (-groups[text], text != default_text, len(text), text),
    )
    clauses = []
    for index, text in enumerate(order):
        n = groups[text]
        verb, first, later = _clause(column, by_row[text], subject)
        if index == 0:
            who = f"all {total} members" if n == total and total > 1 else f"{n} of {total} members"
            if total == 1:
                who = "the one member"
        else:
            who = str(n)
        clauses.append(f"{who} {_verb(verb, n)} {first if index == 0 else later}")
    if refusing:
        if not clauses:
            clauses.append(f"none of the {total} members lend {subject} to the group")
        else:
            clauses.append(f"{refusing} {_verb('do not', refusing)} lend {subject} to the group")
    problems = len(section.members) - len(rows)
    if problems:
        clauses.append(f"{problems} {'has' if problems == 1 else 'have'} no complete rule")
    return "; ".join(clauses) + "."


# --- CSV ----------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP's CSV injection advice)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_rows(report: Report) -> list[list[str]]:
    header = [
        "item type",
        "collection",
        "patron categories",
        "library code",
        "library",
        *(CSV_HEADERS[column] for column in COLUMNS),
        "lends to the group",
        "differs from the group default in",
    ]
    rows = [header]
    for section in report.sections:
        categories = "all" if section.all_categories else " ".join(section.patron_categories)
        for row in (section.default, *section.members):
            rows.append(
                [
                    section.item_type,
                    section.collection,
                    categories,
                    row.code or "GROUP",
                    row.name,
                    *(cell.plain for cell in row.cells),
                    "yes" if row.lends else "no",
                    "; ".join(COLUMN_LABELS[c.column].lower() for c in row.cells if c.differs),
                ]
            )
    return [[safe_cell(value) for value in row] for row in rows]
