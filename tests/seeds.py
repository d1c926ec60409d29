"""The rows data migrations seed, written again after a flush.

A test that commits (`transactional_db`, `live_server`) starts on a database the
previous committing test flushed, and a flush takes the seeded rows too: the patron
field permissions, the ticket categories, the partner kinds. Django does not run data
migrations again, so `reseed()` runs their seed functions, each written to be run
twice (get_or_create).
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps

SEEDS = (
    ("onelibrary.patrons.migrations.0004_seed_permissions", "seed"),
    ("onelibrary.directory.migrations.0002_ticket_categories", "seed"),
    ("onelibrary.outreach.migrations.0002_partner_kinds", "load"),
)


def reseed() -> None:
    for module, function in SEEDS:
        getattr(import_module(module), function)(apps, None)
