"""After a load run: is every loan, hold, transit and item still consistent, and was every
scan the desks sent either processed or kept? Each check is one SQL query over the final
database that counts the rows breaking a rule; it passes at 0 (bench/load.py).

The state checks cover the whole database, the demo group's own loans, holds and
transits included. The scan checks compare what the clients were answered with what
the server wrote since the run started.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

OPEN_LOAN = "l.state <> 'returned'"
OPEN_TRANSIT = "t.state IN ('waiting', 'packed', 'shipped')"

STATE_CHECKS = {
    "no item both on loan and on a hold shelf or in transit": f"""
        SELECT COUNT(*) FROM circulation_loan l JOIN catalog_item i ON i.id = l.item_id
        WHERE {OPEN_LOAN} AND (
            i.status IN ('on_hold_shelf', 'in_transit')
            OR EXISTS (SELECT 1 FROM transit_transit t WHERE t.item_id = i.id AND {OPEN_TRANSIT})
            OR EXISTS (SELECT 1 FROM holds_hold h WHERE h.assigned_item_id = i.id
                       AND h.state IN ('in_transit', 'on_shelf')))""",
    "every active loan's item is checked out": """
        SELECT COUNT(*) FROM circulation_loan l JOIN catalog_item i ON i.id = l.item_id
        WHERE l.state = 'active' AND i.status <> 'checked_out'""",
    "every checked-out item has one open loan": f"""
        SELECT COUNT(*) FROM catalog_item i WHERE i.status = 'checked_out'
        AND (SELECT COUNT(*) FROM circulation_loan l
             WHERE l.item_id = i.id AND {OPEN_LOAN}) <> 1""",
    "every item on a hold shelf has one hold ready there": """
        SELECT COUNT(*) FROM catalog_item i WHERE i.status = 'on_hold_shelf'
        AND (SELECT COUNT(*) FROM holds_hold h WHERE h.assigned_item_id = i.id
             AND h.state = 'on_shelf' AND h.pickup_branch_id = i.current_branch_id) <> 1""",
    "every hold ready for pickup has its copy on that shelf": """
        SELECT COUNT(*) FROM holds_hold h LEFT JOIN catalog_item i ON i.id = h.assigned_item_id
        WHERE h.state = 'on_shelf' AND (i.id IS NULL OR i.status <> 'on_hold_shelf'
            OR i.current_branch_id <> h.pickup_branch_id)""",
    "every hold in transit has its copy travelling to the pickup branch": f"""
        SELECT COUNT(*) FROM holds_hold h WHERE h.state = 'in_transit' AND NOT EXISTS (
            SELECT 1 FROM transit_transit t JOIN catalog_item i ON i.id = t.item_id
            WHERE t.item_id = h.assigned_item_id AND {OPEN_TRANSIT}
            AND t.receiver_id = h.pickup_branch_id AND i.status = 'in_transit')""",
    "every routed hold's copy is on a shelf to pull": """
        SELECT COUNT(*) FROM holds_hold h LEFT JOIN catalog_item i ON i.id = h.assigned_item_id
        WHERE h.state = 'routed' AND (i.id IS NULL OR i.status <> 'available')""",
    "every item in transit has one open transit, and only those": f"""
        SELECT COUNT(*) FROM catalog_item i WHERE
        (SELECT COUNT(*) FROM transit_transit t WHERE t.item_id = i.id AND {OPEN_TRANSIT})
        <> CASE WHEN i.status = 'in_transit' THEN 1 ELSE 0 END""",
    "no closed hold keeps a copy, no open hold lacks one it needs": """
        SELECT COUNT(*) FROM holds_hold h WHERE
        (h.state IN ('routed', 'in_transit', 'on_shelf') AND h.assigned_item_id IS NULL)
        OR (h.state IN ('fulfilled', 'cancelled', 'expired') AND h.closed_at IS NULL)""",
}


@dataclass(frozen=True)
class Check:
    name: str
    found: int  # rows breaking the rule, or the difference between two counts
    detail: str = ""

    @property
    def passed(self) -> bool:
        return self.found == 0


def _count(sql: str, params: list[object] | None = None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return int(cursor.fetchone()[0])


def state_checks() -> list[Check]:
    return [Check(name, _count(sql)) for name, sql in STATE_CHECKS.items()]


def scan_checks(since: dt.datetime, answered: dict[str, dict[str, int]]) -> list[Check]:
    """Every scan answered is written once: a success as its event and loan, a refusal
    as a kept unprocessed scan. `answered[kind]` has the clients' `ok` and `other` counts
    (other: answered with a refusal; a request with no answer is in neither)."""
    from django.db import connection

    since_value = connection.ops.adapt_datetimefield_value(since)
    checks = []
    for kind, loans_sql in (
        ("checkout", "SELECT COUNT(*) FROM circulation_loan WHERE checked_out_at >= %s"),
        ("checkin", "SELECT COUNT(*) FROM circulation_loan WHERE returned_at >= %s"),
    ):
        got = answered.get(kind, {"ok": 0, "other": 0})
        events = _count(
            "SELECT COUNT(*) FROM circulation_event WHERE kind = %s AND at >= %s",
            [kind, since_value],
        )
        loans = _count(loans_sql, [since_value])
        kept = _count(
            "SELECT COUNT(*) FROM circulation_unprocessedscan WHERE screen = %s AND at >= %s",
            [kind, since_value],
        )
        checks.append(
            Check(
                f"every {kind} scan answered is processed or kept",
                abs(events - got["ok"]) + abs(loans - got["ok"]) + abs(kept - got["other"]),
                f"answered {got['ok']} done + {got['other']} refused; "
                f"wrote {events} events, {loans} loans, {kept} kept scans",
            )
        )
    placed = answered.get("hold", {"ok": 0})["ok"]
    holds = _count("SELECT COUNT(*) FROM holds_hold WHERE placed_at >= %s", [since_value])
    checks.append(
        Check(
            "every hold placed is written once",
            abs(holds - placed),
            f"answered {placed}, wrote {holds}",
        )
    )
    return checks
