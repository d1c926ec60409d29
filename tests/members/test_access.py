"""members/access.py is the one reader of staff roles: what it answers, that it answers
from the kept roles, that a change is seen by the next question, and that nothing else
in `src/` reads StaffRole to decide a permission."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onelibrary.core.versions import held
from onelibrary.members import access
from onelibrary.members.models import StaffRole

pytestmark = pytest.mark.django_db

SRC = Path(access.__file__).resolve().parent.parent


def test_it_answers_each_role_s_scope(world):
    desk, admin, central = world.desk_riv, world.admin_riv, world.central
    assert access.staff_library_ids(desk) == {world.riverton.pk}
    assert access.role_at(desk, world.riverton.pk) == "desk"
    assert access.role_at(desk, world.pine.pk) is None
    assert access.admin_library_ids(desk) == set()
    assert access.admin_library_ids(admin) == {world.riverton.pk}
    assert access.may_manage_library(admin, world.riverton.pk)
    assert not access.may_manage_library(admin, world.pine.pk)
    assert access.role_at(central, world.pine.pk) == "central_office"
    assert access.can_act_for_library(central, world.elk.pk)
    assert access.role_pairs(central) == [("central_office", None)]
    assert access.role_pairs(admin) == [("library_admin", world.riverton.pk)]


def test_it_takes_a_superuser_for_the_central_office_and_nobody_for_staff(world):
    root = User.objects.create_superuser("root", password="x")
    assert access.is_central_office(root) and access.role_at(root, world.pine.pk)
    plain = User.objects.create_user("reader", password="x")
    for nobody in (plain, AnonymousUser()):
        assert not access.is_staff_member(nobody)
        assert access.role_pairs(nobody) == []
        assert not access.can_act_for_library(nobody, world.pine.pk)


def test_the_strongest_role_at_a_library_wins(world):
    StaffRole.objects.create(user=world.desk_riv, library=world.riverton, role="library_admin")
    assert access.role_at(world.desk_riv, world.riverton.pk) == "library_admin"


def test_a_second_question_costs_only_the_token(world):
    access.is_staff_member(world.desk_pine)
    with CaptureQueriesContext(connection) as queries:
        assert access.can_act_for_library(world.desk_pine, world.pine.pk)
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) == 1 and "members_membersversion" in sql[0], sql


def test_a_page_that_gives_a_role_then_asks_sees_it(world):
    """Outside held() each question reads the token, so a change made just before in the
    same request is seen: the freshness the staff-role admin pages rely on."""
    assert not access.can_act_for_library(world.desk_pine, world.elk.pk)
    StaffRole.objects.create(user=world.desk_pine, library=world.elk, role="desk")
    assert access.can_act_for_library(world.desk_pine, world.elk.pk)
    StaffRole.objects.filter(user=world.desk_pine, library=world.elk).delete()
    assert not access.can_act_for_library(world.desk_pine, world.elk.pk)


def test_inside_held_the_roles_are_those_of_the_token_read_at_its_start(world):
    """Why no page runs in held() around a role change: the tokens are read once."""
    access.is_staff_member(world.desk_pine)
    with held():
        StaffRole.objects.create(user=world.desk_pine, library=world.elk, role="desk")
        assert not access.can_act_for_library(world.desk_pine, world.elk.pk)
    assert access.can_act_for_library(world.desk_pine, world.elk.pk)


ALLOWED_READERS = {
    "members/kept.py",  # keeps the roles for members/access.py
    "members/admin.py",  # the admin page for StaffRole rows themselves
    "demo/generator.py",  # writes and names the demo group's staff
    "demo/writer.py",
    "demo/history.py",  # writes the demo's director or board accounts
    "transit/demo.py",  # picks a staff member to sign demo transits
    "sip2/accounts.py",  # writes a self-check account's own desk role; decides nothing
    "demo/governance.py",  # picks the demo's staff for a crate and refused scans
}


def test_no_module_but_members_access_reads_staff_roles_for_a_decision():
    readers = set()
    for path in SRC.rglob("*"):
        if path.suffix not in (".py", ".html") or "migrations" in path.parts:
            continue
        if re.search(r"StaffRole\.objects|staff_roles\.|roles_of\(", path.read_text()):
            readers.add(path.relative_to(SRC).as_posix())
    assert readers - ALLOWED_READERS == {"members/access.py"}, readers
