"""What the `load-demo` and `demo` commands share: loading with progress, and telling
the person at the terminal what they got and how to log in."""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError, OutputWrapper
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from tqdm import tqdm

from onelibrary.account import demo as account_demo
from onelibrary.demo import generator
from onelibrary.members.models import SharingGroup

UNITS = {"MARC files": "B"}


class StageProgress:
    """A tqdm bar per stage on a terminal; one line per stage otherwise."""

    def __init__(self, out: OutputWrapper, *, bars: bool) -> None:
        self.out = out
        self.bars = bars
        self.stage = ""
        self.bar: tqdm | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage = stage
            if self.bars:
                unit = UNITS.get(stage, " rows")
                self.bar = tqdm(total=total, desc=f"  {stage}", unit=unit, unit_scale=unit == "B")
            else:
                self.out.write(f"  {stage} ({total:,}{' bytes' if stage in UNITS else ''})")
        if self.bar is not None:
            self.bar.update(done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def start_afresh_hint() -> str:
    """How to get an empty database, for the database actually in use."""
    if connection.vendor == "sqlite":
        path = Path(settings.DATABASES["default"]["NAME"])
        return (
            f"To start afresh, delete the SQLite file {path} (and its -wal and -shm files), "
            "or set ONELIBRARY_DATA_DIR to another folder, then run this again."
        )
    return "To start afresh, point DATABASE_URL at an empty database, then run this again."


def refuse_if_loaded() -> None:
    group = SharingGroup.current()
    if group is not None:
        raise CommandError(
            f'This database already holds the sharing group "{group}"; the demo loads only '
            f"into a database without one. {start_afresh_hint()}"
        )


def require_migrated() -> None:
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise CommandError(
            "The database is not migrated: run `onelibrary migrate` first "
            "(or `onelibrary demo`, which migrates for you)."
        )


def load(
    out: OutputWrapper,
    *,
    size: str,
    seed: int,
    titles: int | None = None,
    patrons: int | None = None,
    with_marc: bool = True,
) -> generator.DemoSummary:
    """Plan and load the demo group, showing progress, then print a summary."""
    refuse_if_loaded()
    started = time.monotonic()
    out.write(f'Loading the {size} demo group "{generator.GROUP_NAME}" (seed {seed})…')
    plan = generator.build_plan(seed, size, titles=titles, patrons=patrons)
    progress = StageProgress(out, bars=out.isatty())
    try:
        summary = generator.load_plan(plan, with_marc=with_marc, progress=progress)
    except generator.DemoAlreadyLoaded as exc:
        raise CommandError(f"{exc}. {start_afresh_hint()}") from exc
    finally:
        progress.close()
    seconds = time.monotonic() - started
    out.write(f"Loaded in {seconds:.1f} s:")
    out.write(f"  {summary.libraries} member libraries, {summary.branches} branches")
    out.write(f"  {summary.titles:,} titles, {summary.items:,} copies")
    out.write(f"  {summary.patrons:,} patrons, {summary.staff} staff accounts")
    if summary.marc_files:
        out.write("  Evergreen's sample MARC files:")
        for line in summary.marc_files:
            out.write(f"    {line}")
    if summary.marc_note:
        out.write(f"  MARC files: {summary.marc_note}")
    account_demo.give_demo_pins()
    return summary


def print_logins(out: OutputWrapper, url: str | None = None) -> bool:
    """Print where to go and whom to log in as; False when the demo staff are missing."""
    logins = generator.demo_logins()
    if url:
        out.write(f"\nOneLibrary is at {url}")
    if not logins:
        out.write(
            "This database has no demo staff accounts: log in with your own "
            "(`onelibrary createsuperuser` makes one)."
        )
        return False
    out.write(f'Log in with the password "{generator.DEMO_PASSWORD}" as:')
    width = max(len(login.username) for login in logins)
    for login in logins:
        out.write(f"  {login.username:<{width}}  {login.what}")
    out.write("Every library has a desk.<code> and an admin.<code> account (`onelibrary members`).")
    patrons = account_demo.demo_patron_logins()
    if patrons:
        out.write(f"Patrons log in at {url or '/'}account/login/ with card and PIN:")
        for patron in patrons:
            out.write(f"  {patron.card}  PIN {patron.pin}  {patron.what}")
    return True
