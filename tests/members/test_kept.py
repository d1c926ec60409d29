"""Staff roles and closed dates are kept in memory per process (members/kept.py); the
members token, moved by triggers, says when to read them again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from onelibrary.circulation.lookup import role_at
from onelibrary.members import access, kept
from onelibrary.members.models import ClosedDate, StaffRole
from onelibrary.policy.lookup import policy_for
from onelibrary.versions import held

pytestmark = pytest.mark.django_db

NEW_YEAR = dt.date(2027, 1, 1)


def test_a_second_question_reads_only_the_token(world):
    kept.roles_of(world.desk_riv.pk)
    with CaptureQueriesContext(connection) as queries:
        assert role_at(world.desk_riv, world.riv_main) == "desk"
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) == 1 and "members_membersversion" in sql[0], sql


def test_roles_reach_their_own_library_and_the_central_office_everywhere(world):
    assert access.role_at(world.desk_riv, world.pine.pk) is None
    assert access.role_at(world.central, world.pine.pk) == "central_office"
    assert access.role_at(world.admin_riv, world.riverton.pk) == "library_admin"
    assert kept.roles_of(world.central.pk) == {(None, "central_office")}


def test_a_new_role_a_bulk_update_and_a_deletion_are_seen(world):
    assert access.role_at(world.desk_pine, world.elk.pk) is None
    role = StaffRole.objects.create(user=world.desk_pine, library=world.elk, role="desk")
    assert access.role_at(world.desk_pine, world.elk.pk) == "desk"
    StaffRole.objects.filter(pk=role.pk).update(role="library_admin")
    assert access.role_at(world.desk_pine, world.elk.pk) == "library_admin"
    role.delete()
    assert access.role_at(world.desk_pine, world.elk.pk) is None


def test_a_rolled_back_role_is_forgotten(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        StaffRole.objects.create(user=world.desk_pine, library=world.elk, role="desk")
        assert role_at(world.desk_pine, world.elk_main) == "desk"
        raise RuntimeError("undo")
    assert access.role_at(world.desk_pine, world.elk.pk) is None


def test_closed_dates_added_and_removed_are_seen(world):
    day = dt.date.today() + dt.timedelta(days=9)
    assert day not in kept.closed_dates(world.elk_main.pk, dt.date.today())
    closed = ClosedDate.objects.create(branch=world.elk_main, date=day, reason="Flood")
    assert day in kept.closed_dates(world.elk_main.pk, dt.date.today())
    assert day not in kept.closed_dates(world.pine_main.pk, dt.date.today())
    closed.delete()
    assert day not in kept.closed_dates(world.elk_main.pk, dt.date.today())


def test_closed_dates_cover_the_start_year_and_after(world):
    ClosedDate.objects.create(branch=world.elk_main, date=NEW_YEAR, reason="New Year")
    ClosedDate.objects.create(branch=world.elk_main, date=dt.date(2025, 12, 25))
    assert NEW_YEAR in kept.closed_dates(world.elk_main.pk, dt.date(2026, 12, 20))
    assert dt.date(2025, 12, 25) in kept.closed_dates(world.elk_main.pk, dt.date(2025, 12, 1))


def test_inside_held_every_token_is_read_once(world, rules):
    with held(), CaptureQueriesContext(connection) as queries:
        role_at(world.desk_riv, world.riv_main)
        policy_for(world.dune_riv, world.ada, world.riv_main)
        kept.closed_dates(world.riv_main.pk, dt.date.today())
        with held():  # a nested use shares the outer reading
            role_at(world.desk_riv, world.riv_main)
    tokens = [q["sql"] for q in queries.captured_queries if "version" in q["sql"]]
    assert tokens == [], tokens  # all were read when the outer held() began
    with CaptureQueriesContext(connection) as queries, held():
        role_at(world.desk_riv, world.riv_main)
        policy_for(world.dune_riv, world.ada, world.riv_main)
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) == 1, sql
    assert "members_membersversion" in sql[0] and "policy_rulesversion" in sql[0]
