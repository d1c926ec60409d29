"""Every value kept behind a version token declares the tables it reads, and the database
has exactly the triggers those declarations need: each watched table moves its token on
insert, update and delete, and no trigger moves a token for a table nobody declared
(onelibrary/versions.py). Runs on SQLite (sqlite_master) and PostgreSQL
(information_schema.triggers)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.db import connection

import onelibrary
from onelibrary import versions

pytestmark = pytest.mark.django_db

SOURCE = Path(onelibrary.__file__).parent


def import_every_kept_value() -> list[str]:
    """Import each module that makes a `Kept`, so that all of them are declared."""
    modules = sorted(
        ".".join(path.relative_to(SOURCE.parent).with_suffix("").parts)
        for path in SOURCE.rglob("*.py")
        if "migrations" not in path.parts
        and path.name != "versions.py"
        and "Kept(" in path.read_text()
    )
    for module in modules:
        importlib.import_module(module)
    return modules


def test_the_kept_values_are_found():
    assert set(import_every_kept_value()) >= {
        "onelibrary.members.kept",
        "onelibrary.policy.lookup",
        "onelibrary.courier.service",
        "onelibrary.floating.placement",
    }


def test_the_triggers_in_the_database_are_the_ones_the_kept_values_declare():
    import_every_kept_value()
    wanted = versions.declared()
    present = versions.token_triggers()
    assert versions.mismatches(wanted, present) == []
    # Every token table has its triggers, and each table has all three events.
    assert {token for token, _, _ in present} == {
        "courier_courierversion",
        "members_membersversion",
        "policy_rulesversion",
    }
    assert ("courier_courierversion", "courier_route_hubs", "DELETE") in present
    assert ("policy_rulesversion", "floating_floatgroup_libraries", "UPDATE") in present


class Statements:
    """What `create_token_triggers` needs of a schema editor: run SQL on this connection
    (a schema editor cannot open inside the test's transaction on SQLite)."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_it_names_an_undeclared_trigger_and_a_watched_table_without_one():
    import_every_kept_value()
    versions.create_token_triggers(Statements(), "members_membersversion", ["members_library"])
    versions.drop_token_triggers(
        Statements(), "courier_courierversion", ["courier_stop"], function=False
    )
    problems = versions.mismatches(versions.declared(), versions.token_triggers())
    assert len(problems) == 6, problems
    assert (
        "courier_stop is watched for courier_courierversion but no DELETE trigger moves that "
        "token: add it in a migration (versions.create_token_triggers)."
    ) in problems
    assert (
        "members_library moves members_membersversion on UPDATE, but no kept value declares "
        "members_library: add its model to that Kept's watches, or drop the trigger in a "
        "migration."
    ) in problems


def test_a_kept_value_must_name_what_it_reads():
    with pytest.raises(ValueError, match="must name the models it reads"):
        versions.Kept("members_membersversion", watches=[])
