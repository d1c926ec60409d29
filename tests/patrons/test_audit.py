"""Every view and every edit of a patron record writes one audit row, whichever way in;
nobody can change or delete a row."""

from __future__ import annotations

import pytest
from django.contrib import admin

from onelibrary.members.desk import SESSION_BRANCH
from onelibrary.patrons.access import access_patron
from onelibrary.patrons.models import PatronAudit
from tests.patrons.conftest import ADA, BEN, Api, audit_rows, login


def only_row(patron, **filters) -> PatronAudit:
    rows = audit_rows(patron, **filters)
    assert len(rows) == 1, rows
    return rows[0]


def test_it_records_who_when_which_library_and_fields_for_a_view(world, full_ada):
    view = access_patron(world.desk_pine, ADA)
    row = only_row(full_ada)
    assert (row.staff, row.library, row.action, row.via) == (
        world.desk_pine,
        world.pine,
        "view",
        "page",
    )
    assert set(row.fields) == {"card", "home_library", *view.values}
    assert "birth_date" not in row.fields and row.changes == {}


def test_it_records_views_of_the_record_and_edit_pages(world, full_ada):
    client = login(world.desk_riv)
    client.get(f"/patrons/{full_ada.pk}/")
    client.get(f"/patrons/{full_ada.pk}/edit/")
    rows = audit_rows(full_ada, action="view")
    assert [(r.via, r.detail["purpose"]) for r in rows] == [("page", "view"), ("page", "edit")]
    assert all(r.library == world.riverton for r in rows)


def test_it_records_each_patron_a_name_search_shows(world, full_ada):
    login(world.desk_pine).get("/patrons/", {"q": "Lindqvist"})
    row = only_row(full_ada)
    assert row.detail["context"] == "search"
    assert audit_rows(world.ben) == []


def test_it_records_the_desk_panel_and_the_desk_loans_page(world, rules):
    client = login(world.desk_riv)
    session = client.session
    session[SESSION_BRANCH] = world.riv_main.pk
    session.save()
    client.post("/desk/checkout/patron/", {"card": ADA})
    client.get("/desk/checkout/")
    client.get(f"/desk/patrons/{ADA}/loans/")
    rows = audit_rows(world.ada)
    assert rows and all(r.via == "desk" and r.library == world.riverton for r in rows)
    assert len(rows) == 2  # the checkout page's panel, and the loans page


def test_it_records_api_reads_and_changes(world, full_ada):
    api = Api(world.desk_riv)
    assert api.get(f"/patrons/{ADA}").status_code == 200
    assert api.get(f"/circulation/patrons/{ADA}/loans").status_code == 200
    response = api.patch(f"/patrons/{ADA}", {"phone": "406 555 0000"})
    assert response.status_code == 200, response.json()
    rows = audit_rows(full_ada)
    assert [(r.action, r.via) for r in rows] == [
        ("view", "api"),
        ("view", "api"),
        ("edit", "api"),
        ("view", "api"),
    ]
    assert rows[1].detail["context"] == "loans"
    assert rows[2].changes == {"phone": ["(406) 555-0101", "406 555 0000"]}


def test_it_records_page_edits_with_old_and_new_values(world, full_ada):
    client = login(world.desk_riv)
    data = {
        "first_name": "Ada",
        "last_name": "Lindqvist",
        "expires_on": full_ada.expires_on.isoformat(),
        "email": "ada.l@example.org",
        "phone": full_ada.phone,
        "address": full_ada.address,
        "town": full_ada.town,
        "postcode": full_ada.postcode,
        "birth_date": "1980-05-17",
        "category": "adult",
        "preferred_branch": "RIV-MAIN",
        "notes": full_ada.notes,
    }
    response = client.post(f"/patrons/{full_ada.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()
    row = only_row(full_ada, action="edit")
    assert row.changes == {"email": ["ada@example.org", "ada.l@example.org"]}
    assert row.fields == ["email"] and row.library == world.riverton and row.via == "page"


def test_it_records_admin_views_and_central_office_admin_edits(world, full_ada):
    desk = login(world.desk_pine, is_staff=True)
    assert desk.get(f"/admin/patrons/patron/{full_ada.pk}/change/").status_code == 200
    central = login(world.central, is_staff=True)
    page = central.get(f"/admin/patrons/patron/{full_ada.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["town"] = "Elk Valley"
    data["keep_loan_history"] = ""
    data["_save"] = "Save"
    response = central.post(f"/admin/patrons/patron/{full_ada.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    rows = audit_rows(full_ada)
    assert [(r.action, r.via, r.staff.username) for r in rows] == [
        ("view", "admin", "desk.pine"),
        ("view", "admin", "central"),
        ("view", "admin", "central"),
        ("edit", "admin", "central"),
    ]
    assert rows[-1].changes == {"town": ["Riverton", "Elk Valley"]}


def test_it_records_a_view_of_the_audit_trail_itself(world, full_ada):
    response = login(world.central).get(f"/patrons/{full_ada.pk}/audit/")
    assert response.status_code == 200
    assert only_row(full_ada).detail["context"] == "audit trail"


def test_it_shows_the_central_office_the_trail_and_nobody_else(world, full_ada):
    access_patron(world.desk_pine, ADA)
    html = login(world.central).get(f"/patrons/{full_ada.pk}/audit/").content.decode()
    assert "desk.pine" in html and "Pine Creek Library" in html
    assert login(world.desk_riv).get(f"/patrons/{full_ada.pk}/audit/").status_code == 403
    assert login(world.admin_riv).get(f"/patrons/{full_ada.pk}/audit/").status_code == 403


def test_it_refuses_to_change_or_delete_an_audit_row(world):
    access_patron(world.desk_pine, BEN)
    row = PatronAudit.objects.get()
    row.fields = ["nothing"]
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        PatronAudit.objects.filter(pk=row.pk).update(fields=[])
    with pytest.raises(PermissionError):
        PatronAudit.objects.all().delete()
    assert PatronAudit.objects.get().fields != ["nothing"]


def test_it_gives_nobody_an_admin_change_or_delete_of_the_audit(world, rf):
    audit_admin = admin.site._registry[PatronAudit]
    access_patron(world.desk_pine, BEN)
    row = PatronAudit.objects.get()
    for user in (world.central, world.admin_riv):
        request = rf.get("/")
        request.user = user
        assert not audit_admin.has_change_permission(request, row)
        assert not audit_admin.has_delete_permission(request, row)
        assert not audit_admin.has_add_permission(request)
        assert audit_admin.get_actions(request) == {}
    response = login(world.central, is_staff=True).post(
        f"/admin/patrons/patronaudit/{row.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert PatronAudit.objects.filter(pk=row.pk).exists()
