"""Org units → member libraries and branches, with open days, closed dates and addresses.

Evergreen's tree is consortium → systems → branches (→ sub-libraries, bookmobiles). A
system becomes a member library; every unit below it becomes one of its branches.
"""

from __future__ import annotations

from onelibrary.evergreen.dump import fail
from onelibrary.evergreen.mapping import ROOT, code, days_between, open_days, size_class, timestamp
from onelibrary.evergreen.run import Kind, Run
from onelibrary.members.models import Branch, ClosedDate, Library, SharingGroup

ADDRESS_ORDER = ("holds_address", "mailing_address", "ill_address", "billing_address")


def load_places(run: Run) -> None:
    dump = run.dump
    units = dump.by_id("actor.org_unit")
    if SharingGroup.current() is None:
        # The root unit is Evergreen seed data, not in the dump: its usual name.
        SharingGroup.objects.create(name="Evergreen consortium", code="CONS")
    system_of: dict[str, str] = {}
    for uid, row in units.items():
        at, seen = row, set()
        while at["parent_ou"] not in (ROOT, None) and at["parent_ou"] in units:
            seen.add(at["id"])
            at = units[at["parent_ou"] or ""]
            if at["id"] in seen:
                raise fail(row, dump.path("actor.org_unit"), "the org unit tree has a loop")
        if at["parent_ou"] == ROOT:
            system_of[uid] = at["id"] or ""
        else:
            run.skip(f"actor.org_unit id {uid}: its parent {at['parent_ou']} is not in the dump")
    branch_counts = {s: sum(1 for u in system_of if system_of[u] == s != u) for s in system_of}
    _load_libraries(run, units, [u for u in system_of if system_of[u] == u], branch_counts)
    _load_branches(run, units, {u: s for u, s in system_of.items() if u != s})
    _load_closed_dates(run)


def _load_libraries(run: Run, units: dict, systems: list[str], counts: dict[str, int]) -> None:
    created = 0
    for uid in systems:
        row = units[uid]
        pk = run.keys.get(Kind.LIBRARY, uid)
        if pk is None:
            wanted = code(row["shortname"] or f"EG{uid}")
            if Library.objects.filter(code=wanted).exists():
                raise fail(
                    row,
                    run.dump.path("actor.org_unit"),
                    f"a member library with code {wanted} is already here and did not come "
                    "from Evergreen; rename one of them first",
                )
            library = Library.objects.create(
                code=wanted,
                name=(row["name"] or wanted).strip()[:200],
                size_class=size_class(counts[uid]),
                contact_email=(row["email"] or "")[:254],
                contact_phone=(row["phone"] or "")[:40],
            )
            run.keys.remember(Kind.LIBRARY, [(uid, library.pk)])
            created += 1
        else:
            library = Library.objects.get(pk=pk)
        if _address(run, row) is not None:
            run.skip(
                f"actor.org_address of org unit {uid} ({library.code}): a member library has "
                "no address of ours; its branches keep theirs"
            )
        run.libraries[uid] = library
        run.places[uid] = "library"
    run.count("members", created=created, mapped=len(systems))


def _address(run: Run, unit: dict) -> dict | None:
    addresses = run.dump.by_id("actor.org_address")
    for column in ADDRESS_ORDER:
        if (found := addresses.get(unit[column] or "")) is not None:
            return found.values
    return None


def _load_branches(run: Run, units: dict, system_of: dict[str, str]) -> None:
    hours = run.dump.by_id("actor.hours_of_operation")
    created = 0
    for uid, system in system_of.items():
        row = units[uid]
        pk = run.keys.get(Kind.BRANCH, uid)
        if uid not in hours:
            run.skip(f"actor.org_unit id {uid}: no opening hours; open Monday to Saturday")
        if pk is not None:
            run.branches[uid] = Branch.objects.select_related("library").get(pk=pk)
            run.places[uid] = "branch"
            continue
        wanted = code(row["shortname"] or f"EG{uid}")
        if Branch.objects.filter(code=wanted).exists():
            raise fail(
                row,
                run.dump.path("actor.org_unit"),
                f"a branch with code {wanted} is already here and did not come from Evergreen; "
                "rename one of them first",
            )
        address = _address(run, row) or {}
        street = ", ".join(filter(None, [address.get("street1"), address.get("street2")]))
        branch = Branch.objects.create(
            library=run.libraries[system],
            code=wanted,
            name=(row["name"] or wanted).strip()[:200],
            address=street[:300],
            town=(address.get("city") or "")[:100],
            postcode=(address.get("post_code") or "")[:16],
            latitude=address.get("latitude"),
            longitude=address.get("longitude"),
            open_days=open_days(hours[uid].values) if uid in hours else "1111110",
        )
        run.keys.remember(Kind.BRANCH, [(uid, branch.pk)])
        run.branches[uid] = branch
        run.places[uid] = "branch"
        created += 1
    for uid in hours:
        if uid in run.libraries:
            run.skip(f"actor.hours_of_operation id {uid}: hours of a library system, not a branch")
    if hours:
        run.skip(
            f"actor.hours_of_operation: opening and closing times ({len(hours)} rows) have no "
            "place; each branch keeps the weekdays it opens (Branch.open_days)"
        )
    run.count("branches", created=created, mapped=len(system_of))


def _load_closed_dates(run: Run) -> None:
    have = set(ClosedDate.objects.values_list("branch_id", "date"))
    new: list[ClosedDate] = []
    not_branches: dict[str, int] = {}
    for row in run.dump.rows("actor.org_unit_closed"):
        where = f"actor.org_unit_closed id {row['id']}"
        branch = run.branches.get(row["org_unit"] or "")
        if branch is None:
            not_branches[row["org_unit"] or ""] = not_branches.get(row["org_unit"] or "", 0) + 1
            continue
        start, end = timestamp(row["close_start"]), timestamp(row["close_end"])
        if start is None or end is None or end < start:
            run.skip(f"{where}: no usable start and end, so not carried over")
            continue
        if row["full_day"] not in ("1", "t"):
            run.skip(f"{where}: closed part of a day; ours close whole days, so not carried over")
            continue
        for day in days_between(start, end):
            if (branch.pk, day) not in have:
                have.add((branch.pk, day))
                new.append(ClosedDate(branch=branch, date=day, reason=(row["reason"] or "")[:200]))
    ClosedDate.objects.bulk_create(new)
    for uid, count in sorted(not_branches.items()):
        run.skip(
            f"actor.org_unit_closed: {count} closing(s) of org unit {uid}, which is not a branch; "
            "a closed date of ours belongs to a branch (each branch has its own rows)"
        )
    run.count("closed_dates", created=len(new), mapped=len(new))
