"""The transit pages through Django's test client: plain form posts and htmx requests,
the checkin screen's crate line, the lists and the PDFs."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from pypdf import PdfReader

from onelibrary.circulation.actions import check_in
from onelibrary.courier.models import Hub
from onelibrary.transit import crates
from onelibrary.transit.actions import TransitError
from onelibrary.transit.models import Crate, CrateScan, Transit, TransitEvent, TransitSettings
from onelibrary.transit.pdf import code128_svg

from .conftest import copy_of

HTMX = {"HTTP_HX_REQUEST": "true"}
pytestmark = pytest.mark.django_db


def at_desk(client, user, branch):
    client.force_login(user)
    client.post(reverse("desk:home"), {"branch": branch.pk})
    return client


@pytest.fixture
def pine(client, tw):
    return at_desk(client, tw.desk_pine, tw.pine_main)


def waiting_item(tw, barcode="31000000000029", home=None):
    item = copy_of(tw, barcode, at=tw.pine_main, home=home or tw.riv_main)
    check_in(tw.desk_pine, tw.pine_main, item)
    return item


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize("name", ["index", "receive", "to_send", "expected", "late"])
def test_it_sends_anonymous_visitors_to_log_in(client, tw, name):
    response = client.get(reverse(f"transit:{name}"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_tells_the_checkin_screen_to_open_a_crate_then_which_crate(pine, tw):
    item = copy_of(tw, "31000000000029", at=tw.pine_main, home=tw.riv_main)
    page = pine.post(reverse("desk:checkin_item"), {"barcode": item.barcode}, follow=True)
    text = page.content.decode()
    assert "SEND TO RIVERTON MAIN (RIV-MAIN)" in text
    assert "Open a crate for Riverton Main (RIV-MAIN)" in text
    crate = crates.open_crate(tw.desk_pine, tw.pine_main, destination=tw.riv_main)
    page = pine.get(reverse("desk:checkin"))
    assert f"Put it in crate {crate.label} (for RIV-MAIN)" in strip_tags(page.content.decode())
    crates.scan_into_crate(tw.desk_pine, tw.pine_main, crate, item.barcode)
    page = pine.get(reverse("desk:checkin"))
    assert f"In crate {crate.label} for Riverton Main" in strip_tags(page.content.decode())


def test_it_runs_a_crate_through_the_pages_without_javascript(client, tw):
    item = waiting_item(tw)
    pine = at_desk(client, tw.desk_pine, tw.pine_main)
    response = pine.post(reverse("transit:open_crate"), {"destination": tw.riv_main.pk})
    crate = Crate.objects.get()
    assert response["Location"] == reverse("transit:crate", kwargs={"label": crate.label})
    pine.post(
        reverse("transit:pack_scan", kwargs={"label": crate.label}), {"barcode": item.barcode}
    )
    page = pine.get(reverse("transit:crate", kwargs={"label": crate.label})).content.decode()
    assert "In the crate" in page and item.barcode in page
    pine.post(reverse("transit:close_crate", kwargs={"label": crate.label}))
    pine.post(reverse("transit:ship_crate", kwargs={"label": crate.label}))
    assert Crate.objects.get().state == "shipped"

    riv = at_desk(client, tw.desk_riv, tw.riv_main)
    assert crate.label in riv.get(reverse("transit:expected")).content.decode()
    response = riv.post(reverse("transit:receive"), {"label": crate.label.lower()})
    assert response["Location"] == reverse("transit:crate", kwargs={"label": crate.label})
    riv.post(
        reverse("transit:unpack_scan", kwargs={"label": crate.label}), {"barcode": item.barcode}
    )
    page = riv.post(reverse("transit:reconcile_crate", kwargs={"label": crate.label}), follow=True)
    assert "Everything matched" in page.content.decode()
    assert Transit.objects.get().state == "received"


def test_it_answers_an_htmx_scan_with_one_line(pine, tw):
    item = waiting_item(tw, home=tw.elk_main)
    crate = crates.open_crate(tw.desk_pine, tw.pine_main, destination=tw.riv_main)
    url = reverse("transit:pack_scan", kwargs={"label": crate.label})
    response = pine.post(url, {"barcode": item.barcode}, **HTMX)
    text = response.content.decode()
    assert text.count("<li") == 1 and 'data-outcome="refused"' in text
    assert "goes to Elk Valley (ELK)" in text
    assert CrateScan.objects.filter(outcome="refused").count() == 1


def test_it_refuses_a_crate_at_the_wrong_branch_on_the_receive_page(client, tw):
    item = waiting_item(tw)
    crate = crates.open_crate(tw.desk_pine, tw.pine_main, destination=tw.riv_main)
    crates.scan_into_crate(tw.desk_pine, tw.pine_main, crate, item.barcode)
    crates.close_crate(tw.desk_pine, tw.pine_main, crate)
    crates.ship_crate(tw.desk_pine, tw.pine_main, crate)
    east = at_desk(client, tw.desk_riv, tw.riv_east)
    page = east.post(reverse("transit:receive"), {"label": crate.label}, follow=True)
    assert "Do not unpack it" in page.content.decode()
    assert Crate.objects.get().state == "shipped"


def test_it_lists_items_to_send_and_late_items(client, tw):
    TransitSettings.objects.create(late_after_days=1, missing_after_days=3)
    item = waiting_item(tw)
    pine = at_desk(client, tw.desk_pine, tw.pine_main)
    page = pine.get(reverse("transit:to_send")).content.decode()
    assert item.barcode in page and "Open a crate for RIV-MAIN" in page
    long_ago = timezone.now() - dt.timedelta(days=20)
    crates.ship_loose(tw.desk_pine, tw.pine_main, item, now=long_ago)
    page = pine.get(reverse("transit:late")).content.decode()
    assert item.barcode in page and "Declare missing in transit" in page
    transit = Transit.objects.get()
    page = pine.post(
        reverse("transit:declare_missing", kwargs={"pk": transit.pk}),
        {"note": "searched both ends"},
        follow=True,
    )
    assert "declared missing in transit" in page.content.decode()
    assert Transit.objects.get().note == "searched both ends"


def test_it_shows_an_items_travel_history(pine, tw):
    item = waiting_item(tw)
    check_in(tw.desk_riv, tw.riv_east, item)
    page = pine.get(reverse("transit:item", kwargs={"barcode": item.barcode})).content.decode()
    assert "PINE → RIV-MAIN" in page and "RIV-EAST → RIV-MAIN" in page
    transit = Transit.objects.get(item=item, sender=tw.pine_main)
    detail = pine.get(reverse("transit:transit", kwargs={"pk": transit.pk}))
    assert detail.status_code == 200 and "opened" in detail.content.decode()
    riverton_s = Transit.objects.get(item=item, sender=tw.riv_east)  # between RIV branches
    assert pine.get(reverse("transit:transit", kwargs={"pk": riverton_s.pk})).status_code == 404
    found = pine.get(reverse("transit:find_item"), {"barcode": item.barcode})
    assert found["Location"] == reverse("transit:item", kwargs={"barcode": item.barcode})


def test_it_prints_a_label_and_a_manifest(pine, tw):
    item = waiting_item(tw)
    item.call_number = "FIC HER"
    item.save(update_fields=["call_number"])
    crate = crates.open_crate(tw.desk_pine, tw.pine_main, destination=tw.riv_main)
    crates.scan_into_crate(tw.desk_pine, tw.pine_main, crate, item.barcode)
    label = pine.get(reverse("transit:label_pdf", kwargs={"label": crate.label}))
    assert label["Content-Type"] == "application/pdf"
    text = pdf_text(label.content)
    assert "RIV-MAIN" in text and "Riverton Main" in text and crate.label in text
    bars = code128_svg(crate.label)
    assert bars.count('fill="black"') > 20 and "style=" not in bars  # WeasyPrint reads fill=
    manifest = pdf_text(
        pine.get(reverse("transit:manifest_pdf", kwargs={"label": crate.label})).content
    )
    for expected in (crate.label, item.barcode, "Dune", "FIC HER", "Riverton Main"):
        assert expected in manifest


def test_the_to_send_list_opens_a_crate_for_a_destination_with_one_button(pine, tw):
    """Bug 12: "open a crate for RIV-MAIN" was text; now a button that opens it in one POST."""
    item = waiting_item(tw)
    page = pine.get(reverse("transit:to_send")).content.decode()
    form = page[page.index('<form method="post" action="/transit/crates/open/"') :]
    form = form[: form.index("</form>")]
    assert f'name="destination" value="{tw.riv_main.pk}"' in form
    assert '<button type="submit" class="primary">Open a crate for RIV-MAIN</button>' in form
    opened = pine.post(reverse("transit:open_crate"), {"destination": tw.riv_main.pk})
    crate = Crate.objects.get()
    assert opened["Location"] == reverse("transit:crate", kwargs={"label": crate.label})
    assert (crate.destination, crate.hub) == (tw.riv_main, "")
    page = pine.get(reverse("transit:to_send")).content.decode()
    assert "Put them in crate" in page and crate.label in page and item.barcode in page
    assert "Open a crate for RIV-MAIN" not in page


def test_the_crate_form_offers_the_real_hubs_and_refuses_an_unknown_one(pine, tw):
    """Bug 3: any text in "or for courier hub" opened a crate for a hub that does not exist."""
    Hub.objects.create(code="MID", name="Midway depot")
    page = pine.get(reverse("transit:index")).content.decode()
    assert (
        '<select name="hub"' in page and '<option value="MID">Midway depot (MID)</option>' in page
    )
    refused = pine.post(reverse("transit:open_crate"), {"hub": "NOWHERE"}, follow=True)
    text = refused.content.decode()
    assert "not one of the group&#x27;s courier hubs" in text and "No crate was opened" in text
    assert not Crate.objects.exists()
    opened = pine.post(reverse("transit:open_crate"), {"hub": "MID"})
    assert opened.status_code == 302 and Crate.objects.get().hub == "MID"


def test_the_crate_action_refuses_an_unknown_hub_from_any_caller(tw):
    Hub.objects.create(code="MID", name="Midway depot")
    with pytest.raises(TransitError, match="No courier hub has the code NOWHERE.*MID") as error:
        crates.open_crate(tw.desk_pine, tw.pine_main, hub="nowhere")
    assert error.value.code == "unknown_hub"
    assert not Crate.objects.exists() and not TransitEvent.objects.exists()


def test_an_in_page_pack_scan_brings_the_manifest_along(pine, tw):
    """Bug 2: after an htmx pack scan the manifest still said "The crate is empty"."""
    item = waiting_item(tw)
    crate = crates.open_crate(tw.desk_pine, tw.pine_main, destination=tw.riv_main)
    url = reverse("transit:pack_scan", kwargs={"label": crate.label})
    answer = pine.post(url, {"barcode": item.barcode}, **HTMX).content.decode()
    assert 'data-outcome="added"' in answer
    manifest = answer[answer.index('<section id="crate-manifest"') :]
    assert manifest.startswith(
        '<section id="crate-manifest" aria-labelledby="manifest-heading" hx-swap-oob="true">'
    )
    assert item.barcode in manifest and "The crate is empty" not in manifest


def test_the_to_send_list_prints_by_destination_on_the_library_s_paper(pine, tw):
    waiting_item(tw)
    waiting_item(tw, "31000000000037", home=tw.elk_main)
    tw.pine.slip_size = "58mm"
    tw.pine.save()
    page = pine.get(reverse("transit:to_send_print")).content.decode()
    assert "@page { size: 58mm 200mm" in page and "window.print()" in page
    assert page.index("To Elk Valley") < page.index("To Riverton Main")
    assert "31000000000029" in page and "31000000000037" in page
