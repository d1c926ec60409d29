"""The field-permission table, exhaustively: every role × relation × field × view/edit,
through `access_patron` and `update_patron` (docs/patrons.md, 'Field permissions')."""

from __future__ import annotations

import datetime as dt

import pytest

from onelibrary.patrons import fields
from onelibrary.patrons.access import PatronError, access_patron
from onelibrary.patrons.actions import IdCheck, update_patron
from onelibrary.patrons.fields import EDITABLE_FIELDS, GROUP_OF, ROLE_RELATIONS
from onelibrary.patrons.models import FieldPermission
from tests.patrons.conftest import ADA, BEN

# (role, relation) -> (world staff attribute, patron card)
WHO = {
    ("desk", "home"): ("desk_riv", ADA),
    ("desk", "other"): ("desk_riv", BEN),
    ("library_admin", "home"): ("admin_riv", ADA),
    ("library_admin", "other"): ("admin_riv", BEN),
    ("central_office", "home"): ("central", BEN),
}

NEW_VALUES = {
    "first_name": "Adele",
    "last_name": "Lind",
    "expires_on": dt.date(2031, 1, 31),
    "email": "new@example.org",
    "phone": "(406) 555-0199",
    "address": "1 River Road",
    "town": "Elk Valley",
    "postcode": "59999",
    "birth_date": dt.date(1990, 1, 1),
    "category": "senior",
    "keep_loan_history": True,
    "block_reason": "Card reported lost",
    "notes": "Asked for large print.",
}


def set_table(grants: dict[tuple[str, str, str], tuple[bool, bool]]) -> None:
    FieldPermission.objects.all().delete()
    FieldPermission.objects.bulk_create(
        FieldPermission(role=r, relation=rel, field_group=g, can_view=v, can_edit=e)
        for (r, rel, g), (v, e) in grants.items()
    )


def new_value(world, name):
    return world.elk_main if name == "preferred_branch" else NEW_VALUES[name]


def test_it_covers_every_pair_the_table_can_meet():
    assert set(WHO) == set(ROLE_RELATIONS)
    assert set(GROUP_OF) == set(EDITABLE_FIELDS)


def test_it_seeds_the_defaults_in_the_migration(db):
    # The autouse fixture rewrote the rows; the migration's own copy must agree with them.
    from importlib import import_module

    seed = import_module("onelibrary.patrons.migrations.0004_seed_permissions")
    for (role, relation), (view, edit) in seed.DEFAULTS.items():
        expected_view, expected_edit = fields.DEFAULTS[(role, relation)]
        assert set(view) | set(edit) == set(expected_view) | set(expected_edit)
        assert set(edit) == set(expected_edit)
    assert set(seed.GROUPS) == set(fields.GROUPS)


@pytest.mark.parametrize("right", ["view", "edit"])
@pytest.mark.parametrize("name", EDITABLE_FIELDS)
@pytest.mark.parametrize("pair", ROLE_RELATIONS, ids="-".join)
def test_it_gives_each_role_and_relation_exactly_the_tables_rights(world, pair, name, right):
    staff_name, card = WHO[pair]
    staff = getattr(world, staff_name)
    group = GROUP_OF[name]
    everything_else = {
        (r, rel, g): (True, True)
        for (r, rel) in ROLE_RELATIONS
        for g in fields.GROUPS
        if (r, rel) != pair
    }
    check = IdCheck(True, "photo_id")

    # Granted only this right on this group: shown, and editable only for 'edit'.
    set_table({(*pair, group): (right == "view", right == "edit")})
    view = access_patron(staff, card)
    assert view.shows(name)
    assert view.may_edit(name) is (right == "edit")
    shown_groups = {GROUP_OF[f] for f in view.values}
    assert shown_groups == {group, "identity"}
    if right == "edit":
        update_patron(staff, view.pk, {name: new_value(world, name)}, id_check=check)
        assert access_patron(staff, card).values[name] == new_value(world, name)
    else:
        with pytest.raises(PatronError) as refused:
            update_patron(staff, view.pk, {name: new_value(world, name)}, id_check=check)
        assert refused.value.code == "not_permitted"

    # Every other role and relation may do everything; this one nothing.
    set_table(everything_else)
    view = access_patron(staff, card)
    assert view.shows(name) is (group == "identity")  # who the patron is: always
    assert not view.may_edit(name)
    with pytest.raises(PatronError) as refused:
        access_patron(staff, card, purpose="edit")
    assert refused.value.code == "not_permitted"


@pytest.mark.parametrize("pair", ROLE_RELATIONS, ids="-".join)
def test_it_applies_the_default_table(world, pair):
    staff_name, card = WHO[pair]
    view = access_patron(getattr(world, staff_name), card)
    default_view, default_edit = fields.DEFAULTS[pair]
    assert {GROUP_OF[f] for f in view.values} == set(default_view)
    assert {GROUP_OF[f] for f in view.editable_fields} == set(default_edit)


def test_it_unites_the_rights_of_someone_with_two_roles(world):
    from onelibrary.members.models import StaffRole

    StaffRole.objects.create(user=world.desk_pine, library=world.riverton, role="desk")
    view = access_patron(world.desk_pine, ADA)
    assert view.rights.relation == "home"
    assert view.shows("birth_date") and view.shows("notes")


def test_it_grants_the_union_and_implies_view_from_edit():
    table = {("desk", "other", "notes"): (False, True), ("desk", "home", "contact"): (True, False)}
    grant = fields.grant_for({("desk", "other"), ("desk", "home")}, table)
    assert grant.view_groups == {"identity", "notes", "contact"}
    assert grant.edit_groups == {"notes"}
    assert "notes" in grant.editable_fields and "email" in grant.visible_fields
