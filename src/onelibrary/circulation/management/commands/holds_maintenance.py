"""onelibrary holds-maintenance: the holds background work, once (for cron and tests).

The same work huey runs every hour (circulation/tasks.py): expire holds not picked up in
time, re-route holds whose copy was not pulled by the deadline, route waiting holds a
copy on a shelf can now fill. The desk's command, since expiry moves copies.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from onelibrary.circulation.tasks import run_maintenance


class Command(BaseCommand):
    help = "Expire uncollected holds and re-route holds whose copy was not pulled in time."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(str(run_maintenance()))
