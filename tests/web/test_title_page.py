"""A title with every copy in the group (catalog.views.title_detail)."""

from django.test import Client

from onelibrary.catalog.models import Item
from tests.web.conftest import client_for


def test_it_shows_the_record_and_every_copy(world):
    moved = world.dune_riv
    moved.current_branch = world.riv_east
    moved.call_number = "SF HER"
    moved.save()
    response = Client().get(f"/catalog/titles/{world.dune.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Dune</h1>" in html
    assert "Science fiction" in html and "Deserts" in html
    assert "978-0-441-01359-3" in html
    assert "2 of 2 available" in html
    for barcode in ("31000000000011", "32000000000019"):
        assert barcode in html
    assert "Riverton Eastside" in html and "home: <a" in html  # current + home branch
    assert "Pine Creek Library" in html and "SF HER" in html


def test_it_shows_a_copy_whatever_its_status(world):
    Item.objects.create(
        barcode="33000000000017",
        title=world.dune,
        owning_library=world.elk,
        home_branch=world.elk_main,
        current_branch=world.elk_main,
        status=Item.Status.MISSING,
    )
    html = Client().get(f"/catalog/titles/{world.dune.pk}/").content.decode()
    assert "33000000000017" in html and "Missing" in html


def test_it_offers_edit_links_only_for_the_staffs_own_copies(world):
    html = client_for(world.desk_pine).get(f"/catalog/titles/{world.dune.pk}/").content.decode()
    assert "/items/32000000000019/edit/" in html
    assert "/items/31000000000011/edit/" not in html
    anonymous = Client().get(f"/catalog/titles/{world.dune.pk}/").content.decode()
    assert "/edit/" not in anonymous


def test_it_offers_the_central_office_every_edit_link(world):
    html = client_for(world.central).get(f"/catalog/titles/{world.dune.pk}/").content.decode()
    assert "/items/32000000000019/edit/" in html and "/items/31000000000011/edit/" in html


def test_it_says_not_found_for_an_unknown_title(world):
    response = Client().get("/catalog/titles/999999/")
    assert response.status_code == 404
    assert "could not find" in response.content.decode()
