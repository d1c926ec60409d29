"""PARTNER-3 for every outreach page that takes an id: staff of a library not involved
get 404, as for an id that does not exist, and nothing changes; the partnership's own
staff and the central office get through."""

from __future__ import annotations

import pytest

from onelibrary.outreach import actions
from onelibrary.outreach.models import (
    Contact,
    Indicator,
    IndicatorValue,
    Interaction,
    Memorandum,
    MemorandumVersion,
    NeedsAssessment,
    Partner,
    Project,
    Signature,
)
from tests.members.test_staff_idor import routes_of
from tests.outreach.conftest import client_for, full_memo

MODELS = (
    Partner,
    Contact,
    Interaction,
    NeedsAssessment,
    Project,
    Indicator,
    IndicatorValue,
    Memorandum,
    MemorandumVersion,
    Signature,
)

# route → the address for this scene (p: partner, m: memorandum, j: project, i: indicator)
ROUTES = {
    "outreach/partners/<int:partner_id>/": "/outreach/partners/{p}/",
    "outreach/partners/<int:partner_id>/edit/": "/outreach/partners/{p}/edit/",
    "outreach/partners/<int:partner_id>/contacts/": "/outreach/partners/{p}/contacts/",
    "outreach/partners/<int:partner_id>/interactions/": "/outreach/partners/{p}/interactions/",
    "outreach/partners/<int:partner_id>/assessment/": "/outreach/partners/{p}/assessment/",
    "outreach/partners/<int:partner_id>/projects/": "/outreach/partners/{p}/projects/",
    "outreach/partners/<int:partner_id>/memoranda/": "/outreach/partners/{p}/memoranda/",
    "outreach/projects/<int:project_id>/": "/outreach/projects/{j}/",
    "outreach/projects/<int:project_id>/chart.svg": "/outreach/projects/{j}/chart.svg",
    "outreach/projects/<int:project_id>/indicators/": "/outreach/projects/{j}/indicators/",
    "outreach/indicators/<int:indicator_id>/values/": "/outreach/indicators/{i}/values/",
    "outreach/memoranda/<int:memo_id>/": "/outreach/memoranda/{m}/",
    "outreach/memoranda/<int:memo_id>/step/<int:number>/": "/outreach/memoranda/{m}/step/1/",
    "outreach/memoranda/<int:memo_id>/sign-off/": "/outreach/memoranda/{m}/sign-off/",
    "outreach/memoranda/<int:memo_id>/sign/": "/outreach/memoranda/{m}/sign/",
    "outreach/memoranda/<int:memo_id>/review/": "/outreach/memoranda/{m}/review/",
    "outreach/memoranda/<int:memo_id>/pdf/": "/outreach/memoranda/{m}/pdf/",
    "outreach/memoranda/<int:memo_id>/versions/<int:number>/": (
        "/outreach/memoranda/{m}/versions/1/"
    ),
    "outreach/memoranda/<int:memo_id>/versions/<int:number>/pdf/": (
        "/outreach/memoranda/{m}/versions/1/pdf/"
    ),
}
POST = {  # a valid body for each page that writes
    "contacts/": {"name": "Someone"},
    "interactions/": {"kind": "call", "on": "2025-01-02", "notes": "x"},
    "assessment/": {"chances": "good"},
    "projects/": {"name": "x"},
    "memoranda/": {"title": "x"},
    "indicators/": {"name": "x", "target": "1", "higher_is_better": "yes"},
    "values/": {"on": "2025-01-02", "value": "3"},
    "step/1/": {"text": "changed", "go": "save"},
    "sign-off/": {},
    "/sign/": {
        "library_signer": "A",
        "library_signed_on": "2025-01-02",
        "partner_signer": "B",
        "partner_signed_on": "2025-01-02",
    },
    "review/": {"review_on": "2099-01-01"},
    "edit/": {"name": "x", "kind": 1},
}


def test_every_outreach_page_with_an_id_is_tried():
    assert set(ROUTES) == routes_of("outreach/")


def snapshot() -> dict[str, list]:
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in MODELS}


@pytest.fixture
def scene(outreach):
    memo = full_memo(outreach)
    actions.sign_off_draft(outreach.world.admin_riv, memo)
    project = actions.add_project(outreach.world.admin_riv, outreach.literacy, name="Tutoring")
    indicator = actions.add_indicator(
        outreach.world.admin_riv, project, name="Learners", target="10"
    )
    actions.record_value(outreach.world.admin_riv, indicator, on=memo.created_at.date(), value="4")
    return {"p": outreach.literacy.id, "m": memo.id, "j": project.id, "i": indicator.id}


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_partner_3_another_librarys_staff_get_404_and_nothing_changes(scene, route):
    url = ROUTES[route].format(**scene)
    body = next((b for suffix, b in POST.items() if url.endswith(suffix)), None)
    before = snapshot()
    pine = client_for("desk.pine")
    # A page that only takes POST answers a GET with 405 whatever the id: it tells nothing.
    assert pine.get(url).status_code in ((404, 405) if body is not None else (404,)), url
    if body is not None:
        assert pine.post(url, body).status_code == 404, url
    assert snapshot() == before
    for staff in ("admin.riv", "central"):
        assert client_for(staff).get(url).status_code in (200, 405), (staff, url)
