"""onelibrary courier-matrix: expected courier days for every pair of branches.

Courier days read the CourierDays table for pairs the routes do not connect (DAYS-3 in
docs/courier.md); this command fills it from great-circle distance with the estimate of
DAYS-4 (`courier.distance.estimated_days`): 0 for the same branch, 1 between branches of
one library, else 1 + km/250 rounded to the nearest half day. Pairs already in the table
are kept — staff may have corrected them — unless --replace is given. Branches without
coordinates are left out (with no route either, courier days say "no route", DAYS-5).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from onelibrary.courier.distance import estimated_days
from onelibrary.courier.models import CourierDays
from onelibrary.members.models import Branch

BATCH = 5_000


def fill_courier_days(*, replace: bool = False) -> tuple[int, int]:
    """(rows written, pairs without coordinates) for every ordered pair of branches."""
    branches = list(Branch.objects.order_by("pk"))
    existing = set(CourierDays.objects.values_list("origin_id", "destination_id"))
    rows, unknown = [], 0
    for origin in branches:
        for destination in branches:
            if not replace and (origin.pk, destination.pk) in existing:
                continue
            days = estimated_days(origin, destination)
            if days is None:
                unknown += 1
                continue
            rows.append(
                CourierDays(origin=origin, destination=destination, days=Decimal(str(days)))
            )
    with transaction.atomic():
        if replace:
            CourierDays.objects.all().delete()
        CourierDays.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows), unknown


class Command(BaseCommand):
    help = "Fill the courier-days table for every pair of branches from their distance."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Recompute every pair, replacing corrections made by staff.",
        )

    def handle(self, *args: object, replace: bool = False, **options: object) -> None:
        written, unknown = fill_courier_days(replace=replace)
        self.stdout.write(f"{written} branch pairs written.")
        if unknown:
            self.stdout.write(
                f"{unknown} pairs left out: a branch has no latitude and longitude. "
                "Add them on the branch, then run this again."
            )
