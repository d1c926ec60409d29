"""Circulation's answer to holds' question `holds.signals.due_back`: when the copies out on
loan are due back (holds.expecting, EXPECT-4 in docs/holds/expected.md). One query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from onelibrary.circulation.models import Loan


def due_dates(sender: object, *, item_ids: Collection[int], **_: Any) -> dict[int, dt.date]:
    """{item id: due date} of the active loans of `item_ids` (a copy claimed returned or
    lost has no date to come back by)."""
    if not item_ids:
        return {}
    return dict(
        Loan.objects.filter(item_id__in=list(item_ids), state=Loan.State.ACTIVE).values_list(
            "item_id", "due_date"
        )
    )
