"""Reading holds: queue positions, a patron's holds, a branch's pick list, hold shelf and
list to clear, a title's holds, and a hold's routing explanation. Nothing here writes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from onelibrary.catalog.models import Item, Title
from onelibrary.holds import expecting, inputs, routing
from onelibrary.holds.models import OPEN_STATES, Hold, HoldEvent
from onelibrary.members.models import Branch
from onelibrary.patrons.models import Patron
from onelibrary.policy.models import GroupPolicy
from onelibrary.policy.resolve import NoRuleError

S = Hold.State
_COPY_ID = re.compile(r"\b([Cc]opy) (\d+)\b")
RELATED = (
    "patron__home_library",
    "pickup_branch__library",
    "title",
    "item",
    "assigned_item__owning_library",
    "assigned_item__current_branch",
    "assigned_item__home_branch",
)


def holds() -> QuerySet[Hold]:
    return Hold.objects.select_related(*RELATED)


def is_open(hold_id: int) -> bool:
    """Is hold `hold_id` still open (a copy travelling for it is not lent: CHECKOUT-12)?"""
    return Hold.objects.filter(pk=hold_id, state__in=OPEN_STATES).exists()


# --- queue position ------------------------------------------------------------------


@dataclass(frozen=True)
class QueuePosition:
    position: int | None  # 1 = next; None when the hold is not waiting
    waiting: int  # unsuspended holds waiting on the title
    approximate: bool  # local priority may let a newer hold go first
    suspended: bool = False

    @property
    def sentence(self) -> str:
        if self.suspended:
            return "It is suspended, so it keeps its place but is not filled."
        if self.position is None:
            return ""
        text = f"Number {self.position} of {self.waiting} waiting."
        if self.approximate:
            text += (
                " The position is approximate: a new copy fills its own library's patrons'"
                " holds first, so some holds may be filled before this one."
            )
        return text


def local_priority_applies(title_id: int, today: dt.date) -> bool:
    """A copy of the title is still inside its owner's local-priority window."""
    return title_id in local_priority_titles({title_id}, today)


def local_priority_titles(title_ids: set[int], today: dt.date) -> set[int]:
    """The titles of `title_ids` with a copy still inside its owner's local-priority window."""
    windows = inputs.local_windows()
    longest = max(windows.values(), default=0)
    if not longest or not title_ids:
        return set()
    since = today - dt.timedelta(days=longest + 1)
    # A copy's window starts on its acquisition date, or the day it was added (Item.acquired).
    recent = (
        Item.objects.filter(title_id__in=title_ids)
        .exclude(status__in=inputs.GONE)
        .filter(
            Q(acquired_on__gte=since)
            | Q(
                acquired_on__isnull=True,
                created_at__gte=timezone.make_aware(dt.datetime.combine(since, dt.time.min)),
            )
        )
        .values_list("title_id", "owning_library__code", "acquired_on", "created_at")
    )
    return {
        title_id
        for title_id, owner, acquired_on, created in recent
        if (today - (acquired_on or timezone.localtime(created).date())).days
        < windows.get(owner, 0)
    }


def queue_position(hold: Hold, today: dt.date | None = None) -> QueuePosition:
    """Position among the title's unsuspended waiting holds, oldest first."""
    today = today or inputs.local_date()
    waiting = Hold.objects.filter(title_id=hold.title_id, state=S.WAITING).filter(
        inputs.not_suspended(today)
    )
    count = waiting.count()
    if hold.state != S.WAITING:
        return QueuePosition(None, count, False)
    if hold.suspended_until is not None and hold.suspended_until >= today:
        return QueuePosition(None, count, False, suspended=True)
    ahead = waiting.filter(
        Q(placed_at__lt=hold.placed_at) | Q(placed_at=hold.placed_at, pk__lt=hold.pk)
    ).count()
    return QueuePosition(ahead + 1, count, local_priority_applies(hold.title_id, today))


def queue_positions(found: list[Hold], today: dt.date) -> dict[int, QueuePosition]:
    """`queue_position` for many holds in a fixed number of queries (My account, the API)."""
    titles = {h.title_id for h in found}
    waiting: dict[int, list[tuple[dt.datetime, int]]] = {}
    for title_id, placed_at, pk in (
        Hold.objects.filter(title_id__in=titles, state=S.WAITING)
        .filter(inputs.not_suspended(today))
        .values_list("title_id", "placed_at", "pk")
    ):
        waiting.setdefault(title_id, []).append((placed_at, pk))
    waiting_titles = {h.title_id for h in found if h.state == S.WAITING}
    approximate = local_priority_titles(waiting_titles, today)
    answer = {}
    for hold in found:
        queue = waiting.get(hold.title_id, [])
        if hold.state != S.WAITING:
            answer[hold.pk] = QueuePosition(None, len(queue), False)
        elif hold.suspended_until is not None and hold.suspended_until >= today:
            answer[hold.pk] = QueuePosition(None, len(queue), False, suspended=True)
        else:
            ahead = sum(1 for key in queue if key < (hold.placed_at, hold.pk))
            answer[hold.pk] = QueuePosition(ahead + 1, len(queue), hold.title_id in approximate)
    return answer


# --- a patron's holds, a title's holds ------------------------------------------------


def patron_holds(patron: Patron, *, include_closed: bool = False) -> list[dict[str, Any]]:
    """The patron's holds, oldest first, each with its queue position and when it is
    expected on the hold shelf (`holds.expecting`): a fixed number of queries."""
    found = holds().filter(patron=patron)
    if not include_closed:
        found = found.filter(state__in=OPEN_STATES)
    rows = list(found.order_by("placed_at", "pk"))
    today = inputs.local_date()
    positions = queue_positions(rows, today)
    expected = expecting.expectations(rows)
    return [
        {"hold": hold, "queue": positions[hold.pk], "expected": expected.get(hold.pk)}
        for hold in rows
    ]


@dataclass(frozen=True)
class TitleHolds:
    waiting: int
    on_the_way: int  # routed or in transit
    on_shelf: int
    approximate: bool

    @property
    def total(self) -> int:
        return self.waiting + self.on_the_way + self.on_shelf

    @property
    def sentence(self) -> str:
        if not self.total:
            return "No holds on this title."
        parts = [f"{self.waiting} waiting"] if self.waiting else []
        if self.on_the_way:
            parts.append(f"{self.on_the_way} with a copy on its way")
        if self.on_shelf:
            parts.append(f"{self.on_shelf} ready for pickup")
        noun = "hold" if self.total == 1 else "holds"
        return f"{self.total} {noun} on this title: {', '.join(parts)}."


def title_holds(title: Title) -> TitleHolds:
    counts = dict(
        Hold.objects.filter(title=title, state__in=OPEN_STATES)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return TitleHolds(
        waiting=counts.get(S.WAITING, 0),
        on_the_way=counts.get(S.ROUTED, 0) + counts.get(S.IN_TRANSIT, 0),
        on_shelf=counts.get(S.ON_SHELF, 0),
        approximate=local_priority_applies(title.pk, inputs.local_date()),
    )


# --- a branch's lists --------------------------------------------------------------------


def pick_list(branch: Branch) -> list[Hold]:
    """Copies to pull here: routed holds whose copy is on this branch's shelf, in shelf
    order (location, call number)."""
    return list(
        holds()
        .filter(state=S.ROUTED, assigned_item__current_branch=branch)
        .order_by(
            "assigned_item__shelf_location",
            "assigned_item__call_number",
            "assigned_item__barcode",
        )
    )


def pull_overdue(hold: Hold, now: dt.datetime | None = None) -> bool:
    days = GroupPolicy.current().pull_deadline_days
    routed = hold.routed_at
    return routed is not None and routed < (now or timezone.now()) - dt.timedelta(days=days)


def hold_shelf(branch: Branch) -> list[Hold]:
    return list(
        holds()
        .filter(state=S.ON_SHELF, pickup_branch=branch)
        .order_by("patron__last_name", "patron__first_name", "pk")
    )


def arriving(branch: Branch) -> list[Hold]:
    return list(holds().filter(state=S.IN_TRANSIT, pickup_branch=branch).order_by("pk"))


def _left_on_shelf(found: QuerySet[Hold], branch: Branch) -> QuerySet[Hold]:
    cleared = HoldEvent.objects.filter(hold=OuterRef("pk"), kind="shelf_cleared")
    return found.filter(
        state__in=(S.EXPIRED, S.CANCELLED),
        pickup_branch=branch,
        shelf_since__isnull=False,
        assigned_item__isnull=False,
    ).exclude(Exists(cleared))


def to_clear_count(branch: Branch) -> int:
    """How many copies `to_clear` lists, in one count query (the branch home)."""
    return _left_on_shelf(Hold.objects.all(), branch).count()


def pick_list_count(branch: Branch) -> int:
    return Hold.objects.filter(state=S.ROUTED, assigned_item__current_branch=branch).count()


def to_clear(branch: Branch) -> list[dict[str, Any]]:
    """Copies still on this branch's hold shelf whose hold expired or was cancelled there,
    each with what to do: the instruction kept on the closing event."""
    found = _left_on_shelf(holds(), branch).order_by("closed_at", "pk")
    rows = []
    for hold in found:
        closing = hold.events.filter(kind__in=("expired", "cancelled")).first()
        rows.append(
            {
                "hold": hold,
                "why": "Not picked up in time" if hold.state == S.EXPIRED else "Cancelled",
                "instruction": (closing.detail.get("instruction") if closing else "") or "",
            }
        )
    return rows


# --- the explanation ---------------------------------------------------------------------


def explanation_record(
    explanation: routing.Explanation | None,
    *,
    kind: str,
    now: dt.datetime,
    labels: Labels | None = None,
) -> dict[str, object]:
    """The explanation as stored on the hold and its event: plain JSON, with barcodes and
    branch codes so that it reads the same after copies move."""
    if explanation is None:
        return {"kind": kind, "at": now.isoformat(), "chosen_copy_id": None, "candidates": []}
    answer = asdict(explanation)
    mentioned = [int(n) for _, n in _COPY_ID.findall(explanation.reason)]
    labels = labels or Labels.for_copies([c["copy_id"] for c in answer["candidates"]])
    labels.add_copies(mentioned)
    for candidate in answer["candidates"]:
        candidate["barcode"] = labels.barcodes.get(candidate["copy_id"], "")
        candidate["branch_code"] = labels.branches.get(candidate["branch_id"], "")
        if candidate["cost"] is not None:
            candidate["cost"]["total"] = sum(candidate["cost"].values())
    # The routing names copies by id; staff know them by barcode.
    answer["reason"] = _COPY_ID.sub(
        lambda m: f"{m[1]} {labels.barcodes.get(int(m[2]), m[2])}", explanation.reason
    )
    answer.update(kind=kind, at=now.isoformat())
    return answer


@dataclass
class Labels:
    """Barcodes and branch codes for explanations, read once per routing run."""

    barcodes: dict[int, str]
    branches: dict[int, str]

    @classmethod
    def for_copies(cls, copy_ids: list[int]) -> Labels:
        labels = cls({}, dict(Branch.objects.values_list("pk", "code")))
        labels.add_copies(copy_ids)
        return labels

    def add_copies(self, copy_ids: list[int]) -> None:
        missing = [pk for pk in copy_ids if pk not in self.barcodes]
        if missing:
            self.barcodes.update(Item.objects.filter(pk__in=missing).values_list("pk", "barcode"))


def same_explanation(stored: dict[str, object], before: dict[str, object]) -> bool:
    return {k: v for k, v in stored.items() if k != "at"} == {
        k: v for k, v in before.items() if k != "at"
    }


def current_explanation(hold: Hold, now: dt.datetime | None = None) -> dict[str, Any] | None:
    """For a waiting hold, what routing would decide now (a dry run: nothing is saved)."""
    if hold.state != S.WAITING:
        return None
    now = now or timezone.now()
    today = inputs.local_date(now)
    waiting = inputs.waiting_holds([hold.title_id], today)
    if hold.pk not in {h.pk for h in waiting}:
        return None
    try:
        copies = inputs.copies_for([hold.title_id])
    except NoRuleError:
        return None
    network = inputs.network_for(
        {c.branch_id for c in copies}, {h.pickup_branch_id for h in waiting}, today
    )
    result = routing.route(
        [inputs.request_of(h) for h in waiting],
        copies,
        network,
        lending_load=inputs.lending_load(today),
        load_weight=inputs.load_weight(),
        today=today,
    )
    return explanation_record(result.explanations.get(hold.pk), kind="now", now=now)


def explanation_rows(record: dict[str, Any], *, pickup_code: str = "") -> list[dict[str, Any]]:
    """The candidates of a stored explanation, cheapest first, the chosen one marked.

    With the pickup branch's code, each copy that makes a trip also gets the day it was
    to ship (`ships_on`: the routing day plus its pull days, as `inputs.courier_days_for`
    asked the courier) and `courier_query`, the courier page's question for that pair and
    day, which answers with the same courier days and says where they come from."""
    chosen = record.get("chosen_copy_id")
    rows = [{**c, "chosen": c.get("copy_id") == chosen} for c in record.get("candidates", [])]
    at = parse_datetime(str(record.get("at", "")))
    for row in rows:
        cost = row.get("cost")
        if pickup_code and at and cost and row.get("branch_code") not in ("", pickup_code):
            row["ships_on"] = inputs.ship_date(inputs.local_date(at), cost["pull_days"])
            row["courier_query"] = urlencode(
                {"from": row["branch_code"], "to": pickup_code, "on": row["ships_on"].isoformat()}
            )
    return sorted(
        rows,
        key=lambda r: (
            not r["chosen"],
            r["cost"] is None,
            (r["cost"] or {}).get("total", 0.0),
        ),
    )
