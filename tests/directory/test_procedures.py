"""Procedure (SOP) pages: versions with who and when, any old version, the changes from
the one before, safe rendering, and the links on the pages they apply to."""

from __future__ import annotations

import pytest
from django.test import Client

from onelibrary.directory import markdown, procedures
from onelibrary.directory.models import Procedure, ProcedureVersion
from tests.web.conftest import client_for

CHECKIN = "1. Scan the item.\n2. Read the instruction aloud.\n3. Put it where it says.\n"


@pytest.fixture
def checkin_sop(world):
    procedures.save_procedure(
        world.central,
        slug="checking-in",
        title="Checking items in",
        body=CHECKIN,
        applies_to="desk:checkin transit:unpack",
    )
    return procedures.save_procedure(
        world.central,
        slug="checking-in",
        title="Checking items in",
        body=CHECKIN.replace("aloud", "on the screen") + "4. Shelve holds first.\n",
        applies_to="desk:checkin transit:unpack",
        note="Holds first",
    )


def test_each_edit_is_a_new_version_with_who_and_when(checkin_sop, world):
    procedure = Procedure.objects.get(slug="checking-in")
    versions = list(procedure.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].body == CHECKIN.strip()  # the old text is kept as it was
    assert all(v.edited_by == world.central and v.edited_at for v in versions)
    assert versions[1].note == "Holds first"


def test_staff_read_the_current_and_any_old_version(checkin_sop, world):
    client = client_for(world.desk_pine)
    current = client.get("/procedures/checking-in/").content.decode()
    assert "Shelve holds first" in current and "Version 2" in current
    old = client.get("/procedures/checking-in/v1/").content.decode()
    assert "Read the instruction aloud" in old and "Shelve holds first" not in old
    assert "an old version" in old
    assert client.get("/procedures/checking-in/v9/").status_code == 404


def test_the_changes_page_shows_what_was_added_and_removed(checkin_sop, world):
    lines = procedures.diff(
        ProcedureVersion.objects.get(number=1), ProcedureVersion.objects.get(number=2)
    )
    assert ("remove", "2. Read the instruction aloud.") in [(d.kind, d.text) for d in lines]
    assert ("add", "4. Shelve holds first.") in [(d.kind, d.text) for d in lines]
    html = client_for(world.desk_pine).get("/procedures/checking-in/v2/changes/").content.decode()
    assert '<span class="add">+ 4. Shelve holds first.</span>' in html
    assert '<span class="remove">− 2. Read the instruction aloud.</span>' in html


def test_the_public_does_not_read_procedures(checkin_sop):
    assert Client().get("/procedures/checking-in/").status_code == 302  # to the login page


def test_sop_1_only_the_central_office_edits(world):
    with pytest.raises(procedures.ProcedureRefused) as refused:
        procedures.save_procedure(world.admin_riv, slug="x", title="X", body="Text")
    assert refused.value.decision == "SOP-1"
    response = client_for(world.admin_riv).post(
        "/procedures/new/", {"slug": "x", "title": "X", "body": "Text"}
    )
    assert response.status_code == 403
    assert not Procedure.objects.exists()


def test_sop_2_a_procedure_needs_a_title_and_text(world):
    with pytest.raises(procedures.ProcedureRefused) as refused:
        procedures.save_procedure(world.central, slug="x", title="X", body="   ")
    assert refused.value.decision == "SOP-2"
    assert not Procedure.objects.exists() and not ProcedureVersion.objects.exists()


def test_sop_3_page_keys_are_checked(world):
    with pytest.raises(procedures.ProcedureRefused) as refused:
        procedures.save_procedure(
            world.central, slug="x", title="X", body="Text", applies_to="checkin"
        )
    assert refused.value.decision == "SOP-3" and "desk:checkin" in refused.value.message
    assert not Procedure.objects.exists()


def test_sop_4_raw_html_and_unsafe_links_are_not_passed_through(world):
    body = (
        "# Steps\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[click](javascript:alert(1)) [mail](mailto:desk@x.example) ![pic](https://x.example/a.png)"
        "\n\n[desk](/desk/checkin/)"
    )
    html = markdown.render(body)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html  # shown as text
    assert 'href="javascript' not in html
    assert '<a href="mailto:desk@x.example">mail</a>' in html
    assert '<a href="/desk/checkin/">desk</a>' in html
    procedures.save_procedure(world.central, slug="x", title="X", body=body)
    page = client_for(world.desk_riv).get("/procedures/x/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_the_central_office_writes_and_edits_through_the_pages(world):
    client = client_for(world.central)
    response = client.post(
        "/procedures/new/",
        {"slug": "pulling", "title": "Pulling holds", "body": "Pull by 10am.", "applies_to": ""},
    )
    assert response.status_code == 302
    response = client.post(
        "/procedures/pulling/edit/",
        {"title": "Pulling holds", "body": "Pull by 9am.", "note": "Earlier"},
    )
    assert response.status_code == 302
    assert list(ProcedureVersion.objects.values_list("number", "body")) == [
        (2, "Pull by 9am."),
        (1, "Pull by 10am."),
    ]


def test_the_pages_it_applies_to_link_it(checkin_sop, world):
    client = client_for(world.desk_pine)
    client.post("/desk/", {"branch": world.pine_main.pk})
    html = client.get("/desk/checkin/").content.decode()
    assert 'Procedure: <a href="/procedures/checking-in/">Checking items in</a>' in html
    assert "Procedure:" not in client.get("/desk/checkout/").content.decode()
    assert [p.slug for p in procedures.for_page("transit:unpack")] == ["checking-in"]
    assert procedures.for_page("desk:check") == []  # a whole key, not a part of one
