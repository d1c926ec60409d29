"""The admin keeps each library's staff to their own copies (catalog/members admin)."""

from django.apps import apps
from django.contrib import admin
from django.test import Client, RequestFactory

from onelibrary.catalog.models import Item
from onelibrary.floating.models import Capacity
from tests.web.conftest import client_for


def change_url(item: Item) -> str:
    return f"/admin/catalog/item/{item.pk}/change/"


def admin_post(item: Item, **changes: str) -> dict[str, str]:
    data = {
        "call_number": item.call_number,
        "shelf_location": item.shelf_location,
        "collection": item.collection,
        "item_type": item.item_type,
        "price": "",
    }
    if item.holdable:
        data["holdable"] = "on"
    data.update(changes)
    return data


def test_it_shows_staff_every_copy_in_the_item_list(world):
    response = client_for(world.desk_riv, is_staff=True).get("/admin/catalog/item/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "31000000000011" in html and "32000000000019" in html


def test_it_opens_the_admin_index_to_staff(world):
    html = client_for(world.desk_pine, is_staff=True).get("/admin/").content.decode()
    assert "/admin/catalog/item/" in html and "/admin/members/library/" in html


def test_it_denies_a_change_to_another_librarys_copy(world):
    client = client_for(world.desk_riv, is_staff=True)
    view = client.get(change_url(world.dune_pine))
    assert view.status_code == 200
    assert 'name="call_number"' not in view.content.decode()  # read-only
    post = client.post(change_url(world.dune_pine), admin_post(world.dune_pine, call_number="X"))
    assert post.status_code == 403
    assert Item.objects.get(pk=world.dune_pine.pk).call_number == ""


def test_it_allows_a_change_to_the_staffs_own_copy(world):
    client = client_for(world.desk_riv, is_staff=True)
    assert 'name="call_number"' in client.get(change_url(world.dune_riv)).content.decode()
    post = client.post(change_url(world.dune_riv), admin_post(world.dune_riv, call_number="SF H"))
    assert post.status_code == 302
    assert Item.objects.get(pk=world.dune_riv.pk).call_number == "SF H"


def test_it_shows_the_status_but_never_changes_it(world):
    client = client_for(world.central, is_staff=True)
    page = client.get(change_url(world.dune_riv)).content.decode()
    assert 'name="status"' not in page and "Available" in page
    post = client.post(change_url(world.dune_riv), admin_post(world.dune_riv, status="withdrawn"))
    assert post.status_code == 302
    assert Item.objects.get(pk=world.dune_riv.pk).status == Item.Status.AVAILABLE


def test_it_allows_the_central_office_to_change_any_copy(world):
    client = client_for(world.central, is_staff=True)
    post = client.post(change_url(world.dune_pine), admin_post(world.dune_pine, item_type="dvd"))
    assert post.status_code == 302
    assert Item.objects.get(pk=world.dune_pine.pk).item_type == "dvd"


def test_it_refuses_deleting_copies_to_library_staff(world):
    client = client_for(world.desk_pine, is_staff=True)
    url = f"/admin/catalog/item/{world.dune_pine.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Item.objects.filter(pk=world.dune_pine.pk).exists()


def test_it_keeps_library_staff_off_other_libraries_records(world):
    client = client_for(world.desk_pine, is_staff=True)
    url = f"/admin/members/library/{world.riverton.pk}/change/"
    post = client.post(url, {"name": "Renamed", "contact_email": ""})
    assert post.status_code == 403
    world.riverton.refresh_from_db()
    assert world.riverton.name == "Riverton City Library"


def test_it_keeps_anonymous_visitors_out(world):
    response = Client().get("/admin/catalog/item/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_it_reindexes_a_title_the_central_office_corrects(world):
    from onelibrary.catalog.search import search_titles

    client = client_for(world.central, is_staff=True)
    data = {
        "title": "Dune (Chilton first edition)",
        "author": "Herbert, Frank",
        "subjects": "Science fiction",
        "format": "book",
        "language": "eng",
        "year": "1965",
        "publisher": "",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "2",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-id": str(world.dune_riv.pk),
        "items-0-title": str(world.dune.pk),
        "items-1-id": str(world.dune_pine.pk),
        "items-1-title": str(world.dune.pk),
    }
    response = client.post(f"/admin/catalog/title/{world.dune.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [h.title_id for h in search_titles("chilton").hits] == [world.dune.pk]


def test_it_lets_library_staff_only_look_at_titles(world):
    client = client_for(world.desk_riv, is_staff=True)
    url = f"/admin/catalog/title/{world.dune.pk}/change/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"title": "Changed"}).status_code == 403
    world.dune.refresh_from_db()
    assert world.dune.title == "Dune"


def filter_paths(model_admin: admin.ModelAdmin, request) -> set[str]:
    """The field paths of an admin's list filters, and the names its own filters take."""
    paths = set()
    for item in model_admin.get_list_filter(request):
        if isinstance(item, type) and issubclass(item, admin.SimpleListFilter):
            paths.add(item.parameter_name)
        elif isinstance(item, (list, tuple)):
            paths.add(item[0])
        elif isinstance(item, str):
            paths.add(item)
    return paths


def test_every_registered_admin_allows_lookups_only_on_its_own_filters(world):
    """A lookup in the list's query string answers "n results": one bit of that field per
    request. Every admin, ours and Django's, takes lookups only on what it filters by."""
    for user in (world.desk_pine, world.central):
        request = RequestFactory().get("/admin/")
        request.user = user
        for model, model_admin in admin.site._registry.items():
            paths = filter_paths(model_admin, request)
            custom = {
                item.parameter_name
                for item in model_admin.get_list_filter(request)
                if isinstance(item, type) and issubclass(item, admin.SimpleListFilter)
            }
            for field in model._meta.concrete_fields:
                if field.name in paths or any(p.startswith(field.name + "__") for p in paths):
                    continue
                for lookup in (f"{field.name}__exact", f"{field.name}__lte", field.name):
                    allowed = model_admin.lookup_allowed(lookup, "1", request)
                    assert not allowed, f"{type(model_admin).__name__} allows {lookup}"
            for path in paths:
                lookup = path if path in custom else f"{path}__isnull"
                allowed = model_admin.lookup_allowed(lookup, "True", request)
                assert allowed, f"{type(model_admin).__name__} refuses its own filter {path}"
    assert len(admin.site._registry) >= 25


def test_every_admin_list_answers_a_hidden_lookup_with_400(world):
    client = client_for(world.central, is_staff=True)
    for model in admin.site._registry:
        meta = model._meta
        response = client.get(f"/admin/{meta.app_label}/{meta.model_name}/", {"id__lte": "5"})
        assert response.status_code in (400, 403), f"{meta.label}: {response.status_code}"


def english_plural(singular: str) -> str:
    """The plural English gives the last word of a model's name, for the cases we have."""
    head, _, last = singular.rpartition(" ")
    if last.endswith(("s", "x", "ch", "sh")):
        plural = last if last in ("settings", "days") else last + "es"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return f"{head} {plural}".strip()


def test_it_names_every_admin_model_in_the_plural_english_uses():
    """Bug 10 (issue 13): the admin said "Capacitys" and "Courier dayss"."""
    ours = [m for m in apps.get_models() if m.__module__.startswith("onelibrary.")]
    wrong = {
        model._meta.label: str(model._meta.verbose_name_plural)
        for model in {*admin.site._registry, *ours}
        if str(model._meta.verbose_name_plural)
        not in (english_plural(str(model._meta.verbose_name)), str(model._meta.verbose_name))
    }
    assert wrong == {}
    assert str(Capacity._meta.verbose_name_plural) == "capacities"
