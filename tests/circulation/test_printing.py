"""What the desk prints: the hold slip at capture (a code or the name, as the pickup library
chooses; the name is an audited record view; only the pickup library's staff), its PDF,
and the hold shelf list, each on the library's paper."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from onelibrary.circulation.printing import patron_code
from onelibrary.holds import actions as holds_actions
from onelibrary.holds.models import Hold
from onelibrary.patrons.models import PatronAudit

pytestmark = pytest.mark.django_db


def at_desk(user, branch) -> Client:
    client = Client()
    client.force_login(user)
    client.post(reverse("desk:home"), {"branch": branch.pk})
    return client


@pytest.fixture
def captured(hw):
    """Ada's hold for pickup at RIV-MAIN, routed to the copy there; the copy is scanned in at
    RIV-MAIN's checkin (CHECKIN-17) from the desk's page: on the hold shelf."""
    hold = holds_actions.place_hold(hw.desk_riv, hw.ada, hw.riv_main, title=hw.dune).hold
    client = at_desk(hw.desk_riv, hw.riv_main)
    page = client.post(
        reverse("desk:checkin_item"), {"barcode": hw.dune_riv.barcode}, follow=True
    ).content.decode()
    hold.refresh_from_db()
    assert hold.state == Hold.State.ON_SHELF
    return hold, client, page


def test_the_code_is_four_letters_of_the_last_name_and_four_digits_of_the_card():
    assert patron_code("Lindqvist", "29000000000017") == "LIND-0017"
    assert patron_code("O'Hara-Ng", "2900 0000 0042 51") == "OHAR-4251"
    assert patron_code("Li", "77") == "LI-77"


def test_the_checkin_line_of_a_captured_copy_offers_its_slip(hw, captured):
    hold, _, page = captured
    slip = reverse("desk:hold_slip", kwargs={"pk": hold.pk})
    assert f'<a href="{slip}" target="_blank" rel="noopener">Print slip' in page


def test_a_plain_checkin_offers_no_slip(hw):
    client = at_desk(hw.desk_pine, hw.pine_main)
    page = client.post(
        reverse("desk:checkin_item"), {"barcode": hw.dune_pine.barcode}, follow=True
    ).content.decode()
    assert "SHELVE" in page and "Print slip" not in page


def test_the_slip_shows_the_code_the_pickup_branch_and_the_expiry(hw, captured):
    hold, client, _ = captured
    audits = PatronAudit.objects.count()
    page = client.get(reverse("desk:hold_slip", kwargs={"pk": hold.pk})).content.decode()
    assert '<p class="big" id="slip-patron">LIND-0017</p>' in page
    assert "Lindqvist" not in page and "Ada" not in page
    assert "<strong>Riverton Main</strong>" in page
    assert f"<strong>{hold.shelf_expires_on:%a} {hold.shelf_expires_on.day} " in page
    assert "window.print()" in page and "@page { size: 80mm 200mm" in page
    assert PatronAudit.objects.count() == audits  # a code is not a record view


def test_the_slip_shows_the_name_when_the_library_chooses_and_audits_the_view(hw, captured):
    hold, client, _ = captured
    hw.riverton.slip_patron_label = "name"
    hw.riverton.slip_size = "a4"
    hw.riverton.save()
    page = client.get(reverse("desk:hold_slip", kwargs={"pk": hold.pk})).content.decode()
    assert '<p class="big" id="slip-patron">Ada Lindqvist</p>' in page
    assert "@page { size: A4" in page
    audit = PatronAudit.objects.filter(patron=hw.ada).latest("pk")
    assert (audit.staff, audit.action, audit.via) == (hw.desk_riv, "view", "desk")
    assert audit.detail["context"] == "hold slip"


def test_only_the_pickup_library_s_staff_may_print_the_slip(hw, captured):
    hold, _, _ = captured
    url = reverse("desk:hold_slip", kwargs={"pk": hold.pk})
    audits = PatronAudit.objects.count()
    assert at_desk(hw.desk_pine, hw.pine_main).get(url).status_code == 404
    assert at_desk(hw.admin_riv, hw.riv_main).get(url).status_code == 200
    assert at_desk(hw.central, hw.elk_main).get(url).status_code == 200
    # The patron's home library, not the pickup's, would see the hold but not the slip.
    hold.pickup_branch = hw.pine_main
    Hold.objects.filter(pk=hold.pk).update(pickup_branch=hw.pine_main)
    assert at_desk(hw.desk_riv, hw.riv_main).get(url).status_code == 404
    assert PatronAudit.objects.count() == audits


def test_the_slip_is_also_a_pdf(hw, captured):
    hold, client, _ = captured
    response = client.get(reverse("desk:hold_slip_pdf", kwargs={"pk": hold.pk}))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "LIND-0017" in text and "Riverton Main" in text
    width_mm = float(reader.pages[0].mediabox.width) / 72 * 25.4
    assert round(width_mm) == 80


def test_the_hold_shelf_list_prints_codes_or_audited_names(hw, captured):
    _, client, _ = captured
    url = reverse("desk:hold_shelf_print")
    page = client.get(url).content.decode()
    assert "LIND-0017" in page and "Dune" in page and "window.print()" in page
    hw.riverton.slip_patron_label = "name"
    hw.riverton.save()
    page = client.get(url).content.decode()
    assert "Ada Lindqvist" in page
    audit = PatronAudit.objects.filter(patron=hw.ada).latest("pk")
    assert (audit.via, audit.detail["context"]) == ("desk", "hold shelf list")
