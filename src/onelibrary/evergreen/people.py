"""Patrons (minimal records), their open holds and their open loans."""

from __future__ import annotations

from collections import Counter

from django.utils import timezone

from onelibrary.catalog.models import Item
from onelibrary.circulation.models import Loan
from onelibrary.evergreen.dump import EvergreenImportError
from onelibrary.evergreen.mapping import Skip, category, interval_days, is_true, money, timestamp
from onelibrary.evergreen.run import Kind, Run
from onelibrary.holds.models import OPEN_STATES, Hold
from onelibrary.patrons.models import Patron

CARD_PREFIX = "EG"  # Evergreen cards are not in the dump: see docs/migration.md


def card_for(evergreen_id: str) -> str:
    return f"{CARD_PREFIX}{int(evergreen_id):08d}"


def load_patrons(run: Run) -> None:
    profiles = {r["id"] or "": r["name"] or "" for r in run.dump.rows("permission.grp_tree")}
    new: list[tuple[str, Patron]] = []
    live = 0
    said: set[str] = set()
    for row in run.dump.rows("actor.usr"):
        eid = row["id"] or ""
        where = f"actor.usr id {eid}"
        if is_true(row["deleted"]):
            run.skip(f"{where}: deleted in Evergreen, not carried over")
            continue
        branch = run.branches.get(row["home_ou"] or "")
        library = run.library_of(row["home_ou"])
        if library is None:
            run.skip(f"{where}: home org unit {row['home_ou']} did not come over")
            continue
        live += 1
        kind, skip = category(row["profile"], is_true(row["juvenile"]), profiles)
        if skip and skip not in said:
            said.add(skip)
            run.skip(skip)
        if run.keys.get(Kind.PATRON, eid) is not None:
            continue
        expires = timestamp(row["expire_date"])
        created = timestamp(row.values.get("create_date"))
        blocks = [
            text
            for column, text, when in (
                ("barred", "Barred in Evergreen", True),
                ("active", "Inactive in Evergreen", False),
            )
            if column in row.values and is_true(row[column]) == when
        ]
        patron = Patron(
            card=card_for(eid),
            first_name="Evergreen",
            last_name=f"patron {eid}",
            home_library=library,
            registered_at=library,
            preferred_branch=branch,
            category=kind,
            expires_on=expires.date() if expires else timezone.localdate(),
            block_reason="; ".join(blocks),
        )
        if created is not None:
            patron.created_at = created
        new.append((eid, patron))
    _check_cards(run, [p.card for _, p in new])
    Patron.objects.bulk_create([p for _, p in new], batch_size=500)
    pks = dict(Patron.objects.filter(card__in=[p.card for _, p in new]).values_list("card", "pk"))
    run.keys.remember(Kind.PATRON, [(eid, pks[p.card]) for eid, p in new])
    run.count("patrons", created=len(new), mapped=live)


def _check_cards(run: Run, cards: list[str]) -> None:
    clash = Patron.objects.filter(card__in=cards).values_list("card", flat=True).first()
    if clash:
        raise EvergreenImportError(
            f"{run.dump.path('actor.usr')}: card {clash} is already a patron's here and did "
            "not come from Evergreen. Nothing was imported."
        )


def load_holds(run: Run) -> None:
    volumes = run.dump.by_id("asset.call_number")
    items = dict(Item.objects.filter(pk__in=_ids(run, Kind.ITEM)).values_list("pk", "title_id"))
    taken: set[tuple[int | None, int]] = set(
        Hold.objects.filter(state__in=OPEN_STATES).values_list("patron_id", "title_id")
    )
    new: list[tuple[str, Hold]] = []
    live = 0
    for row in run.dump.rows("action.hold_request"):
        eid = row["id"] or ""
        if row["fulfillment_time"] is not None or row["cancel_time"] is not None:
            continue  # closed in Evergreen: only open holds come over
        if run.keys.get(Kind.HOLD, eid) is not None:
            live += 1
            continue
        hold_or_skip = _hold(run, row, volumes, items)
        if isinstance(hold_or_skip, Skip):
            run.skip(hold_or_skip)
            continue
        hold = hold_or_skip
        if (hold.patron_id, hold.title_id) in taken:
            run.skip(
                f"action.hold_request id {eid}: the patron already has an open hold on this "
                "title, and ours allow one"
            )
            continue
        taken.add((hold.patron_id, hold.title_id))
        live += 1
        new.append((eid, hold))
    Hold.objects.bulk_create([h for _, h in new], batch_size=500)
    run.keys.remember(Kind.HOLD, [(eid, h.pk) for eid, h in new])
    run.count("holds", created=len(new), mapped=live)


def _hold(run: Run, row, volumes, items: dict[int, int]) -> Hold | Skip:
    where = f"action.hold_request id {row['id']}"
    kind, target = row["hold_type"], row["target"]
    item_id = None
    if kind == "T":
        title_id = run.keys.get(Kind.TITLE, target)
    elif kind == "V":
        title_id = run.keys.get(
            Kind.TITLE, (volumes.get(target or "") or {"record": None})["record"]
        )
    elif kind == "C":
        item_id = run.keys.get(Kind.ITEM, target)
        title_id = items.get(item_id or 0)
    else:
        names = {"M": "metarecord", "P": "part", "I": "issuance", "F": "force", "R": "recall"}
        return Skip(
            f"{where}: a {names.get(kind or '', kind)} hold (type {kind}); ours hold a title "
            "or one copy"
        )
    if title_id is None:
        return Skip(f"{where}: its target {kind} {target} did not come over")
    patron_id = run.keys.get(Kind.PATRON, row["usr"])
    if patron_id is None:
        return Skip(f"{where}: its patron {row['usr']} did not come over")
    pickup = run.branches.get(row["pickup_lib"] or "")
    if pickup is None:
        return Skip(f"{where}: pickup org unit {row['pickup_lib']} is not a branch")
    suspended = None
    if is_true(row["frozen"]):
        thaw = timestamp(row["thaw_date"])
        if thaw is None:
            return Skip(f"{where}: suspended with no end; ours are suspended until a date")
        suspended = thaw.date()
    if row["capture_time"] is not None:
        return Skip(f"{where}: captured in Evergreen; the hold shelf does not come over")
    placed = timestamp(row["request_time"]) or timezone.now()
    return Hold(
        patron_id=patron_id,
        title_id=title_id,
        item_id=item_id,
        pickup_branch=pickup,
        placed_at=placed,
        suspended_until=suspended,
        state=Hold.State.WAITING,
    )


def _ids(run: Run, kind: str) -> list[int]:
    return [pk for (k, _), pk in run.keys.known.items() if k == kind]


LOAN_STATES = {"LOST": Loan.State.LOST, "CLAIMSRETURNED": Loan.State.CLAIMS_RETURNED}
ITEM_FOR_LOAN = {
    Loan.State.ACTIVE: Item.Status.CHECKED_OUT,
    Loan.State.LOST: Item.Status.LOST,
    Loan.State.CLAIMS_RETURNED: Item.Status.MISSING,
}


def load_loans(run: Run) -> None:
    statuses = dict(Item.objects.filter(pk__in=_ids(run, Kind.ITEM)).values_list("pk", "status"))
    new: list[tuple[str, Loan]] = []
    live = 0
    others: Counter[str] = Counter()
    for row in run.dump.rows("action.circulation"):
        eid = row["id"] or ""
        where = f"action.circulation id {eid}"
        if row["checkin_time"] is not None:
            continue  # returned: loan history does not come over
        came_over = run.keys.get(Kind.ITEM, row["target_copy"]) is not None
        if came_over and row["stop_fines"] and row["stop_fines"] not in LOAN_STATES:
            others[row["stop_fines"] or ""] += 1
        if run.keys.get(Kind.LOAN, eid) is not None:
            live += 1
            continue
        item_id = run.keys.get(Kind.ITEM, row["target_copy"])
        patron_id = run.keys.get(Kind.PATRON, row["usr"])
        branch = run.branches.get(row["circ_lib"] or "")
        due = timestamp(row["due_date"])
        missing = [
            f"{what} {row[column]}"
            for what, column, found in (
                ("copy", "target_copy", item_id),
                ("patron", "usr", patron_id),
                ("circ_lib", "circ_lib", branch),
                ("due date", "due_date", due),
            )
            if found is None
        ]
        if item_id is None or patron_id is None or branch is None or due is None:
            run.skip(f"{where}: its {', '.join(missing)} did not come over")
            continue
        state = LOAN_STATES.get(row["stop_fines"] or "", Loan.State.ACTIVE)
        if statuses.get(item_id) != ITEM_FOR_LOAN[state]:
            run.skip(
                f"{where}: a {state} loan of a copy whose status is {statuses.get(item_id)}; "
                "not carried over"
            )
            continue
        live += 1
        new.append(
            (
                eid,
                Loan(
                    item_id=item_id,
                    patron_id=patron_id,
                    state=state,
                    checkout_branch=branch,
                    checked_out_at=timestamp(row["xact_start"]) or timezone.now(),
                    due_date=timezone.localtime(due).date(),
                    rule=loan_rule(row),
                ),
            )
        )
    Loan.objects.bulk_create([loan for _, loan in new], batch_size=500)
    run.keys.remember(Kind.LOAN, [(eid, loan.pk) for eid, loan in new])
    for reason, count in sorted(others.items()):
        run.skip(
            f"action.circulation: {count} loans whose fines stopped ({reason}) stay open; "
            "the reason has no place"
        )
    run.count("loans", created=len(new), mapped=live)


def loan_rule(row) -> dict[str, dict[str, object]]:
    """The loan's own terms, in the shape of a resolved rule (`policy.resolve`): Evergreen
    copies them onto each circulation, so they govern its renewals and fines here."""
    why = f"carried over from Evergreen circulation {row['id']}"
    per_day = money(row["recurring_fine"]) if interval_days(row["fine_interval"]) == 1 else None
    values: dict[str, object] = {
        "loan_days": interval_days(row["duration"]),
        "renewals_allowed": int(row["renewal_remaining"] or 0),
        "fine_per_day": None if per_day is None else str(per_day),
        "fine_cap": None if money(row["max_fine"]) is None else str(money(row["max_fine"])),
    }
    return {
        name: {"value": value, "rule_id": None, "rule": "Evergreen", "why": why}
        for name, value in values.items()
    }
