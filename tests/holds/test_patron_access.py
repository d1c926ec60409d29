"""The holds pages and API read patrons through patrons.access: every read is audited."""

from __future__ import annotations

from onelibrary.patrons.models import PatronAudit
from tests.holds.test_pages import staff_client

ADA = "29000000000017"


def audit_rows(hw, via: str) -> list[PatronAudit]:
    return list(PatronAudit.objects.filter(patron=hw.ada, action="view", via=via))


def test_the_holds_page_of_a_patron_is_an_audited_view(hw):
    client = staff_client(hw.desk_pine, hw.pine_main)
    assert audit_rows(hw, "page") == []
    response = client.get(f"/holds/patron/{ADA}/")
    assert response.status_code == 200
    (row,) = audit_rows(hw, "page")
    assert row.staff == hw.desk_pine and row.library == hw.pine
    assert row.detail["context"] == "holds"


def test_placing_a_hold_through_the_api_is_an_audited_view(hw, api_riv):
    response = api_riv.post("/holds/", {"patron_card": ADA, "title_id": hw.dune.pk})
    assert response.status_code == 201
    (row,) = audit_rows(hw, "api")
    assert row.staff == hw.desk_riv and row.detail["context"] == "place hold"


def test_a_patrons_holds_through_the_api_are_an_audited_view(hw, api_pine):
    assert api_pine.get(f"/holds/patrons/{ADA}").status_code == 200
    (row,) = audit_rows(hw, "api")
    assert row.staff == hw.desk_pine and row.detail["context"] == "holds"


def test_an_unknown_card_is_refused_and_nothing_is_audited(hw, api_riv):
    response = api_riv.get("/holds/patrons/29000000000991")
    assert response.status_code in (404, 422)
    assert PatronAudit.objects.filter(action="view").count() == 0
