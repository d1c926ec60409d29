"""Damage reports over the API: report with photos (multipart), answer, thread, decision;
the same refusals and scopes as the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from onelibrary.ledger.models import DamageReport, Entry, Photo
from onelibrary.members import tokens
from tests.conftest import make_staff

from .damage import media_root, png, returned_by_ben  # noqa: F401

pytestmark = pytest.mark.django_db
API = "/api/v1/ledger"


class Caller:
    def __init__(self, user):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {tokens.issue_token(user, name='t').key}"}

    def get(self, path, **params):
        return self.client.get(API + path, params, headers=self.headers)

    def form(self, path, fields, photos=()):
        files = [_upload(name, data) for name, data in photos]
        return self.client.post(API + path, {**fields, "photos": files}, headers=self.headers)

    def json(self, path, body=None):
        return self.client.post(
            API + path, body or {}, content_type="application/json", headers=self.headers
        )


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.fixture
def reported(lw, usual, monday, media):
    returned_by_ben(lw, monday)
    pine = Caller(lw.desk_pine)
    answer = pine.form(
        "/reports",
        {"barcode": lw.dune_riv.barcode, "where": "checkin", "note": "Water damage"},
        photos=[("wet.png", png())],
    )
    assert answer.status_code == 201, answer.content
    return answer.json()


def test_it_reports_damage_with_a_photo(lw, reported):
    assert (reported["owner"], reported["payer"], reported["responder"]) == ("RIV", "PINE", "RIV")
    assert reported["amount"] == "29.99" and reported["state"] == "open"
    [photo] = reported["photos"]
    image = Caller(lw.desk_riv).get(photo["url"].removeprefix(API))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content) == png()


def test_it_refuses_a_file_that_is_not_an_image_and_keeps_nothing(lw, usual, monday, media):
    returned_by_ben(lw, monday)
    answer = Caller(lw.desk_pine).form(
        "/reports",
        {"barcode": lw.dune_riv.barcode, "where": "checkin", "note": "Water"},
        photos=[("x.png", b"not an image at all")],
    )
    assert answer.status_code == 409
    assert (
        answer.json()["decision"] == "DISPUTE-6" and "JPEG, PNG or WebP" in answer.json()["message"]
    )
    assert not DamageReport.objects.exists() and not Photo.objects.exists()


def test_it_hides_a_report_from_a_member_not_a_party(lw, reported):
    elk = Caller(make_staff("desk.elk", "desk", lw.elk))
    assert elk.get(f"/reports/{reported['id']}").status_code == 404
    photo = reported["photos"][0]["url"].removeprefix(API)
    assert elk.get(photo).status_code == 404
    assert elk.get("/reports").json() == []


def test_it_disputes_talks_and_decides(lw, reported):
    riv, pine, central = Caller(lw.desk_riv), Caller(lw.desk_pine), Caller(lw.central)
    pk = reported["id"]
    assert pine.json(f"/reports/{pk}/accept").status_code == 403  # not the responder
    disputed = riv.form(f"/reports/{pk}/dispute", {"body": "Beyond repair"}, [("a.png", png())])
    assert disputed.status_code == 201 and disputed.json()["library"] == "RIV"
    assert pine.form(f"/reports/{pk}/messages", {"body": "It was wet before"}).status_code == 201
    refused = riv.json(f"/reports/{pk}/decision", {"outcome": "charge", "reason": "mine"})
    assert refused.status_code == 403
    decided = central.json(
        f"/reports/{pk}/decision",
        {
            "outcome": "charge",
            "debtor": "PINE",
            "creditor": "RIV",
            "amount": "20.00",
            "reason": "Half the wear was old",
        },
    )
    assert decided.status_code == 201, decided.content
    body = decided.json()
    assert body["state"] == "decided" and body["decision"]["amount"] == "20.00"
    assert [m["library"] for m in body["messages"]] == ["RIV", "PINE"]
    entry = Entry.objects.get(pk=body["entries"][0])
    assert (entry.debtor, entry.creditor, str(entry.amount)) == (lw.pine, lw.riverton, "20.00")
    again = central.json(f"/reports/{pk}/decision", {"outcome": "owner_carries", "reason": "x"})
    assert again.status_code == 409 and again.json()["decision"] == "DISPUTE-13"


def test_it_accepts_and_books(lw, reported):
    answer = Caller(lw.desk_riv).json(f"/reports/{reported['id']}/accept")
    assert answer.status_code == 200 and answer.json()["state"] == "accepted"
    assert len(answer.json()["entries"]) == 2
