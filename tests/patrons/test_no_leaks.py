"""Staff of another library see no field the table hides them from: not on a page, in the
API, at the desk, in the admin, nor by changing an id in a URL."""

from __future__ import annotations

import pytest
from django.urls import reverse

from onelibrary.patrons.models import FieldPermission
from tests.patrons.conftest import ADA, Api, login

SECRETS = ("1980", "large print", "ada@example.org", "555-0101")


@pytest.fixture
def hidden(world, full_ada):
    """Pine Creek's staff may see only who Ada is: no contact details, birth date or notes."""
    FieldPermission.objects.filter(relation="other").update(can_view=False, can_edit=False)
    FieldPermission.objects.filter(relation="other", field_group="identity").update(can_view=True)
    return full_ada


def assert_no_secrets(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} shown by {where}"


def test_it_shows_nothing_hidden_on_the_patron_pages(world, hidden):
    client = login(world.desk_pine)
    for url in (
        f"/patrons/{hidden.pk}/",
        "/patrons/?q=Lindqvist",
        "/patrons/?q=Ada+Lindqvist",
        f"/patrons/{hidden.pk}/erase/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Lindqvist" in response.content.decode()
        assert_no_secrets(response.content.decode(), url)
    assert client.get(f"/patrons/{hidden.pk}/edit/").status_code == 403
    assert client.post(f"/patrons/{hidden.pk}/export/").status_code == 403


def test_it_shows_nothing_hidden_in_the_api(world, hidden):
    api = Api(world.desk_pine)
    response = api.get(f"/patrons/{ADA}")
    body = response.json()
    assert set(body) == {
        "id", "card", "home_library", "relation", "editable", "id_check_required",
        "first_name", "last_name", "expires_on",
    }  # fmt: skip
    assert body["editable"] == [] and body["relation"] == "other"
    assert_no_secrets(response.content.decode(), "API GET")
    assert_no_secrets(api.get(f"/circulation/patrons/{ADA}/loans").content.decode(), "loans")
    response = api.patch(f"/patrons/{ADA}", {"email": "x@example.org"})
    assert response.status_code == 403
    assert_no_secrets(response.content.decode(), "API PATCH")


def test_it_shows_nothing_hidden_at_the_desk(world, hidden, rules):
    hidden.block_reason = "Owes a replacement"
    hidden.save()
    client = login(world.desk_pine)
    client.post(reverse("desk:home"), {"branch": world.pine_main.pk})
    page = client.post(reverse("desk:checkout_patron"), {"card": ADA}, follow=True)
    html = page.content.decode()
    assert "Lindqvist" in html and "Owes a replacement" not in html
    assert_no_secrets(html, "desk panel")
    assert_no_secrets(client.get(f"/desk/patrons/{ADA}/loans/").content.decode(), "desk loans")


def test_it_shows_the_desk_a_staff_block_where_the_table_allows(world, full_ada, rules):
    full_ada.block_reason = "Owes a replacement"
    full_ada.save()
    client = login(world.desk_pine)
    client.post(reverse("desk:home"), {"branch": world.pine_main.pk})
    page = client.post(reverse("desk:checkout_patron"), {"card": ADA}, follow=True)
    assert "Staff block:</strong> Owes a replacement" in page.content.decode()


def test_it_shows_nothing_hidden_in_the_admin(world, hidden):
    client = login(world.desk_pine, is_staff=True)
    response = client.get(f"/admin/patrons/patron/{hidden.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lindqvist" in html
    assert_no_secrets(html, "admin change view")
    assert "Birth date" not in html and "Notes" not in html and "Email" not in html
    assert 'name="first_name"' not in html  # read-only for staff
    listing = client.get("/admin/patrons/patron/", {"q": "Lindqvist"}).content.decode()
    assert "Lindqvist" in listing
    assert_no_secrets(listing, "admin list")
    assert "Adult" not in listing  # the category column and filter are the central office's
    by_email = client.get("/admin/patrons/patron/", {"q": "ada@example.org"}).content.decode()
    assert ADA not in by_email  # nobody finds a patron by a field they may not see


@pytest.mark.parametrize(
    "query",
    [
        {"card": ADA, "birth_date__lte": "2019-04-02"},
        {"birth_date__year": "1980", "home_library__id__exact": "1"},
        {"notes__icontains": "large"},
        {"email__startswith": "ada"},
        {"home_library__name__icontains": "Riverton"},  # a path past the filter's own field
    ],
)
def test_it_refuses_admin_list_lookups_on_fields_it_does_not_filter_by(world, hidden, query):
    """Each answer "1 patron" / "0 patrons" would be one bit of a hidden field."""
    response = login(world.desk_pine, is_staff=True).get("/admin/patrons/patron/", query)
    assert response.status_code == 400
    assert_no_secrets(response.content.decode(), f"admin list {query}")
    assert "patron" not in response.content.decode().lower()


def test_it_still_filters_the_admin_list_by_its_own_filters(world, hidden):
    client = login(world.desk_pine, is_staff=True)
    riverton = {"home_library__id__exact": str(world.riverton.pk)}
    listing = client.get("/admin/patrons/patron/", riverton)
    assert listing.status_code == 200
    assert "Lindqvist" in listing.content.decode() and "Okafor" not in listing.content.decode()
    central = login(world.central, is_staff=True)
    by_category = central.get("/admin/patrons/patron/", {"category__exact": "adult"})
    assert by_category.status_code == 200
    assert client.get("/admin/patrons/patron/", {"category__exact": "adult"}).status_code == 400


def test_it_lets_staff_read_but_not_change_or_delete_in_the_admin(world, full_ada):
    client = login(world.desk_riv, is_staff=True)
    url = f"/admin/patrons/patron/{full_ada.pk}/change/"
    response = client.post(url, {"first_name": "Changed", "last_name": "Name"})
    assert response.status_code == 403
    delete = client.post(f"/admin/patrons/patron/{full_ada.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    assert login(world.central, is_staff=True).get("/admin/patrons/patron/add/").status_code == 403
    full_ada.refresh_from_db()
    assert full_ada.first_name == "Ada"


def test_it_gives_nothing_more_when_an_id_in_a_url_is_changed(world, hidden):
    """Every record id, on every record page, as Pine Creek's desk: Ben is theirs, Ada not."""
    client = login(world.desk_pine)
    ids = [hidden.pk, world.ben.pk, hidden.pk + world.ben.pk + 100]
    for pk in ids:
        for url in (f"/patrons/{pk}/", f"/patrons/{pk}/edit/", f"/patrons/{pk}/erase/"):
            response = client.get(url)
            assert response.status_code in (200, 403, 404), url
            assert_no_secrets(response.content.decode(), url)
        assert client.get(f"/patrons/{pk}/audit/").status_code == 403
        response = client.post(f"/patrons/{pk}/export/")
        assert response.status_code in (200, 403, 404)
        assert_no_secrets(response.content.decode(), f"export {pk}")
    assert client.get(f"/patrons/{ids[-1]}/").status_code == 404


def test_it_refuses_people_without_a_staff_role(world, full_ada, client):
    from django.contrib.auth.models import User

    reader = User.objects.create_user("reader", password="x")
    client.force_login(reader)
    for url in ("/patrons/", f"/patrons/{full_ada.pk}/", "/patrons/register/"):
        response = client.get(url)
        assert response.status_code == 403
        assert_no_secrets(response.content.decode(), url)
    client.logout()
    assert client.get(f"/patrons/{full_ada.pk}/").status_code == 302


def test_it_checks_admin_edits_like_the_pages(world, full_ada):
    central = login(world.central, is_staff=True)
    url = f"/admin/patrons/patron/{full_ada.pk}/change/"
    form = central.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(birth_date="2999-01-01", postcode="nope", keep_loan_history="", _save="Save")
    response = central.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot be in the future" in html and "is not a postcode we know" in html
    full_ada.refresh_from_db()
    assert full_ada.postcode == "59801"
