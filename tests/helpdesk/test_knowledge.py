"""HELP-10: the known answers the form suggests as the symptom is typed — ranked by a
plain function, asked for by htmx after a pause, or by a button without JavaScript —
and shown as Markdown with raw HTML off."""

from __future__ import annotations

import re

from onelibrary.helpdesk.knowledge import Known, rank
from onelibrary.helpdesk.models import Article
from tests.helpdesk.conftest import client_for, text

PRINTER = Known("printer", "The slip printer prints nothing", "printer, slip, paper, jam", "")
SCANNER = Known(
    "scanner",
    "The barcode scanner adds extra characters",
    "scanner, barcode, extra characters, adds characters",
    "",
)
CRATE = Known("crate", "A courier crate is missing", "crate, courier, missing", "")
ALL = [PRINTER, SCANNER, CRATE]


def titles(symptom: str) -> list[str]:
    return [k.slug for k in rank(symptom, ALL)]


def test_help_10_it_suggests_the_answer_whose_keywords_the_symptom_uses():
    assert titles("The printer's light blinks and no paper comes out") == ["printer"]
    assert titles("The scanners add characters to every barcode")[0] == "scanner"


def test_help_10_a_phrase_typed_as_such_counts_most():
    assert titles("It adds characters, and the crate list is slow") == ["scanner", "crate"]


def test_help_10_a_common_word_alone_suggests_nothing():
    assert titles("The page showed this") == []
    assert titles("") == []
    assert titles("It is slow") == []


def test_help_10_the_seeded_answers_are_there_and_found(desk):
    slugs = set(Article.objects.values_list("slug", flat=True))
    assert {
        "slip-printer-prints-nothing",
        "scanner-adds-characters",
        "branch-isnt-yours",
        "courier-crate-missing",
    } <= slugs
    client = client_for(desk.world.desk_pine)
    found = text(
        client.get(
            "/helpdesk/report/suggest/", {"symptom": "the crate from Pine never came, missing"}
        )
    )
    assert "A courier crate is missing" in found
    assert "These known answers may help" in found
    said = text(
        client.get("/helpdesk/report/suggest/", {"symptom": "It says you do not work for Riverton"})
    )
    assert "The desk says the branch isn't yours" in said


def test_help_10_the_symptom_field_asks_with_htmx_after_a_pause(desk):
    page = client_for(desk.world.desk_pine).get("/helpdesk/report/").content.decode()
    textarea = re.search(r"<textarea[^>]*name=\"symptom\"[^>]*>", page).group()
    assert 'hx-get="/helpdesk/report/suggest/"' in textarea
    assert 'hx-trigger="keyup changed delay:400ms"' in textarea
    assert 'hx-target="#suggestions"' in textarea


def test_help_10_without_javascript_the_button_checks_and_keeps_what_was_typed(desk):
    response = client_for(desk.world.desk_pine).post(
        "/helpdesk/report/",
        {
            "symptom": "The barcode scanner adds characters",
            "device": "Returns desk",
            "check": "1",
        },
    )
    page = text(response)
    assert response.status_code == 200
    assert "The barcode scanner adds extra characters" in page
    assert "Returns desk" in page and "errors" not in re.findall(r'class="(errors)"', page)
    assert Article.objects.count() >= 4 and "filed as" not in page


def test_help_10_no_match_says_so_kindly(desk):
    found = text(
        client_for(desk.world.desk_pine).get("/helpdesk/report/suggest/", {"symptom": "zzzz qqqq"})
    )
    assert "No known answer matches yet; please send the report" in found


def test_an_answer_is_markdown_with_raw_html_shown_as_text(desk):
    Article.objects.create(
        slug="test-html",
        title="Testing",
        body="**Bold** <script>alert(1)</script> [ok](/desk/) [bad](javascript:alert(1))",
    )
    page = client_for(desk.world.desk_pine).get("/helpdesk/answers/test-html/").content.decode()
    assert "<strong>Bold</strong>" in page and '<a href="/desk/">ok</a>' in page
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert 'href="javascript' not in page
    assert client_for(desk.world.desk_pine).get("/helpdesk/answers/nope/").status_code == 404


def test_technical_staff_write_the_answers_and_other_staff_read_them(desk):
    from django.contrib import admin
    from django.test import RequestFactory

    article_admin = admin.site._registry[Article]
    for user, may_change in (
        (desk.tech, True),
        (desk.world.central, True),
        (desk.world.desk_pine, False),
    ):
        request = RequestFactory().get("/admin/")
        request.user = user
        assert article_admin.has_view_permission(request)
        assert article_admin.has_change_permission(request) is may_change
        assert article_admin.has_add_permission(request) is may_change
