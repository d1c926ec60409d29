"""The printable pamphlet: a PDF made with WeasyPrint from the directory, with the
branches drawn as a static SVG map (no tiles)."""

from __future__ import annotations

import io

from django.test import Client
from pypdf import PdfReader

from onelibrary.directory import mapsvg
from tests.web.conftest import client_for


def pdf_text(content: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_it_prints_members_branches_hours_contacts_and_policies(listed):
    response = Client().get("/directory/pamphlet.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text, pages = pdf_text(response.content)
    assert pages == 1  # three members and four branches fit on one page
    assert "Big Sky Partners" in text
    for words in (
        "Riverton City Library",
        "Pine Creek Library",
        "Riverton Eastside",
        "Mon–Fri 9–8, Sat 10–5",
        "Loan period 21 days",
        "Mara Quill",
        "ill@riverton.example",
        "Courier: Mon, Wed, Fri",
    ):
        assert words in text, words
    assert "Sol Byte" not in text  # the public pamphlet has public contacts only


def test_the_map_in_the_pamphlet_is_an_svg_of_the_branch_points(listed):
    html = Client().get("/directory/pamphlet/").content.decode()
    assert html.count("<circle ") == 4
    assert "tile" not in html.lower()


def test_staff_print_the_staff_pamphlet_with_every_contact(listed):
    response = client_for(listed.desk_pine).get("/directory/pamphlet.pdf?for=staff")
    text, _ = pdf_text(response.content)
    assert "Sol Byte" in text and "(staff only)" in text
    assert "For staff" in text


def test_the_public_may_not_print_the_staff_pamphlet(listed):
    response = Client().get("/directory/pamphlet.pdf?for=staff")
    assert response.status_code == 403
    assert b"Sol Byte" not in response.content


def test_it_grows_to_more_pages_for_a_bigger_group(listed):
    from onelibrary.members.models import Branch, Library

    for n in range(30):
        library = Library.objects.create(code=f"L{n}", name=f"Library {n}", size_class="small")
        Branch.objects.create(library=library, code=f"B{n}", name=f"Branch {n}", town="Town")
    _, pages = pdf_text(Client().get("/directory/pamphlet.pdf").content)
    assert pages >= 2


def test_the_projection_keeps_north_up_and_east_right():
    points = [
        mapsvg.Point("W", 46.0, -114.0),
        mapsvg.Point("E", 46.0, -110.0),
        mapsvg.Point("N", 48.0, -112.0),
    ]
    at = mapsvg.project(points)
    assert at["W"][0] < at["E"][0]  # west is left of east
    assert at["N"][1] < at["W"][1]  # north is above
    for x, y in at.values():
        assert mapsvg.MARGIN - 1 <= x <= mapsvg.WIDTH - mapsvg.MARGIN + 1
        assert mapsvg.MARGIN - 1 <= y <= mapsvg.HEIGHT - mapsvg.MARGIN + 1


def test_a_single_branch_or_none_still_draws():
    assert "<circle" in mapsvg.branch_map([mapsvg.Point("ONE", 46.0, -112.0)])
    assert "<circle" not in mapsvg.branch_map([])


def test_codes_in_the_svg_are_escaped():
    svg = mapsvg.branch_map([mapsvg.Point("A<B", 46.0, -112.0)])
    assert "A&lt;B" in svg and "A<B" not in svg
