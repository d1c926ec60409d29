"""The rules table in the admin: all staff read it; library admins change only their own."""

from __future__ import annotations

from django.test import Client

from onelibrary.policy.models import CirculationRule

RULES = "/admin/policy/circulationrule/"


def client_for(user) -> Client:
    user.is_staff = True  # entering the admin needs it; roles decide the rest
    user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    return client


def test_it_lists_and_filters_rules_for_any_staff_member(world, rules):
    client = client_for(world.desk_pine)
    response = client.get(RULES)
    assert response.status_code == 200
    assert "Pine Creek DVDs" in response.content.decode()
    filtered = client.get(RULES, {"scope": "group", "item_type": "dvd"}).content.decode()
    assert "Group DVDs" in filtered and "Pine Creek DVDs" not in filtered
    assert client.get(f"{RULES}{rules['pine_dvds'].pk}/change/").status_code == 200  # view only
    response = client.post(f"{RULES}{rules['pine_dvds'].pk}/change/", {"name": "x"})
    assert response.status_code == 403


def test_it_lets_a_library_admin_change_their_own_rules_only(world, rules):
    client = client_for(world.admin_riv)
    riv = CirculationRule.objects.create(
        name="Riverton DVDs", library=world.riverton, item_type="dvd", loan_days=10
    )
    page = client.get(f"{RULES}{riv.pk}/change/").content.decode()
    assert 'name="loan_days"' in page
    assert 'name="locked"' not in page  # only group rules lock, and only the central office
    assert (
        'name="loan_days"'
        not in client.get(f"{RULES}{rules['pine_dvds'].pk}/change/").content.decode()
    )
    assert (
        'name="loan_days"'
        not in client.get(f"{RULES}{rules['default'].pk}/change/").content.decode()
    )
    add = client.get(f"{RULES}add/").content.decode()
    assert "Riverton City Library" in add and "Pine Creek Library" not in add


def test_it_lets_only_the_central_office_change_group_rules(world, rules):
    client = client_for(world.central)
    response = client.get(f"{RULES}{rules['default'].pk}/change/")
    assert 'name="locked"' in response.content.decode()
