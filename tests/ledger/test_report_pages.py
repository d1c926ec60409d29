"""The damage report pages: report from the checkin line, see the report and its photos,
answer it; photos only through the view that checks who asks."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onelibrary.ledger.models import DamageReport, Photo
from tests.conftest import make_staff
from tests.web.conftest import client_for

from .damage import media_root, png, returned_by_ben  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(lw, usual, monday, media):
    returned_by_ben(lw, monday)
    pine = client_for(lw.desk_pine)
    answer = pine.post(
        "/ledger/reports/new",
        {
            "barcode": lw.dune_riv.barcode,
            "where": "checkin",
            "note": "Water damage",
            "photos": [SimpleUploadedFile("wet.png", png(), content_type="image/png")],
        },
    )
    assert answer.status_code == 302, answer.content.decode()
    return DamageReport.objects.get()


def test_the_checkin_line_offers_to_report_damage(lw, rules):
    desk = client_for(lw.desk_pine)  # one branch: chosen for it
    assert desk.post("/desk/checkin/item/", {"barcode": lw.dune_pine.barcode}).status_code == 302
    page = desk.get("/desk/checkin/").content.decode()
    assert f"/ledger/reports/new?barcode={lw.dune_pine.barcode}&amp;where=checkin" in page


def test_it_shows_the_report_to_both_members_and_the_central_office(lw, reported):
    photo = Photo.objects.get()
    for user in (lw.desk_pine, lw.desk_riv, lw.central):
        client = client_for(user)
        page = client.get(f"/ledger/reports/{reported.pk}/").content.decode()
        assert "Water damage" in page and f"/photos/{photo.pk}" in page
        image = client.get(f"/ledger/reports/{reported.pk}/photos/{photo.pk}")
        assert image.status_code == 200 and image["Content-Type"] == "image/png"
        assert image["Cache-Control"] == "private, no-store"


def test_dispute_15_a_member_not_a_party_gets_404_for_the_report_and_its_photo(lw, reported):
    photo = Photo.objects.get()
    elk = client_for(make_staff("desk.elk", "desk", lw.elk))
    assert elk.get(f"/ledger/reports/{reported.pk}/").status_code == 404
    assert elk.get(f"/ledger/reports/{reported.pk}/photos/{photo.pk}").status_code == 404
    assert (
        client_for(lw.desk_pine).get(f"/ledger/reports/{reported.pk}/photos/999").status_code == 404
    )


def test_photos_are_never_public_files(lw, reported, client):
    photo = Photo.objects.get()
    assert client.get(f"/media/{photo.file.name}").status_code == 404
    anonymous = client.get(f"/ledger/reports/{reported.pk}/photos/{photo.pk}")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_the_owner_sees_it_waiting_on_its_ledger_page_and_accepts(lw, reported):
    riv = client_for(lw.desk_riv)
    page = riv.get("/ledger/").content.decode()
    assert "Damage reports waiting for you" in page and f"Report #{reported.pk}" in page
    listed = riv.get("/ledger/reports/?state=open").content.decode()
    assert f'href="/ledger/reports/{reported.pk}/"' in listed and lw.dune_riv.barcode in listed
    assert (
        "Damage reports waiting for you"
        not in client_for(lw.desk_pine).get("/ledger/").content.decode()
    )
    assert riv.post(f"/ledger/reports/{reported.pk}/accept").status_code == 302
    reported.refresh_from_db()
    assert reported.state == "accepted"
    again = riv.post(f"/ledger/reports/{reported.pk}/accept")
    assert again.status_code == 409 and "accepted: nothing was changed" in again.content.decode()


def test_a_refused_report_says_why_on_the_form(lw, usual, media):
    page = client_for(lw.desk_pine).post(
        "/ledger/reports/new", {"barcode": lw.dune_riv.barcode, "where": "checkin", "note": "x"}
    )
    assert page.status_code == 422
    assert "nothing between members" in page.content.decode()
    assert not DamageReport.objects.exists()
