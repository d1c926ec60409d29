"""Partners through their pages: add, edit, contacts, meetings, the assessment, who sees
what (PARTNER-1…5), and the kinds from the staff's chart."""

from __future__ import annotations

from django.apps import apps
from django.test import Client

from onelibrary.outreach.models import Contact, Interaction, NeedsAssessment, Partner, PartnerKind
from tests.outreach.conftest import client_for, kind


def test_the_kinds_are_the_charts_categories_as_data(db):
    names = list(PartnerKind.objects.values_list("name", flat=True))
    assert len(names) == 19
    assert names[0].startswith("Businesses") and names[-1].startswith("Women's centers")
    assert "Rotary" in PartnerKind.objects.get(name__startswith="Community services").examples


def test_it_adds_a_partner_and_shows_its_page(outreach):
    client = client_for("desk.riv")
    response = client.post(
        "/outreach/partners/new/",
        {
            "name": "Riverton Rotary",
            "kind": kind("Community services").id,
            "libraries": [outreach.world.riverton.id],
            "partner_offers": "Volunteers for the book sale",
            "library_needs": "Help with the book sale",
        },
    )
    partner = Partner.objects.get(name="Riverton Rotary")
    assert (
        response.status_code == 302 and response["Location"] == f"/outreach/partners/{partner.id}/"
    )
    assert list(partner.libraries.all()) == [outreach.world.riverton]
    page = client.get(response["Location"]).content.decode()
    assert "Volunteers for the book sale" in page and "Help with the book sale" in page


def test_partner_1_a_partner_with_no_name_is_refused_and_the_form_keeps_what_was_typed(outreach):
    before = Partner.objects.count()
    response = client_for("desk.riv").post(
        "/outreach/partners/new/",
        {
            "name": "  ",
            "kind": kind("Cultural").id,
            "libraries": [outreach.world.riverton.id],
            "partner_offers": "Rehearsal space swap",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "A partner needs a name" in html and "PARTNER-1" in html
    assert "Rehearsal space swap" in html  # what was typed is still there
    assert Partner.objects.count() == before


def test_partner_2_staff_involve_only_libraries_they_work_for(outreach):
    client = client_for("desk.pine")
    form = client.get("/outreach/partners/new/").content.decode()
    assert "Pine Creek Library" in form and "Riverton City Library" not in form
    response = client.post(
        "/outreach/partners/new/",
        {"name": "Elk Valley Grange", "kind": kind("Community").id, "libraries": []},
    )
    assert response.status_code == 400 and "PARTNER-2" in response.content.decode()
    assert not Partner.objects.filter(name="Elk Valley Grange").exists()


def test_partner_2_editing_keeps_the_libraries_the_editor_does_not_work_for(outreach):
    outreach.theatre.libraries.add(outreach.world.riverton)
    response = client_for("desk.pine").post(
        f"/outreach/partners/{outreach.theatre.id}/edit/",
        {
            "name": "Pine Creek Players",
            "kind": kind("Cultural").id,
            "libraries": [outreach.world.pine.id],
        },
    )
    assert response.status_code == 302
    assert set(outreach.theatre.libraries.all()) == {outreach.world.pine, outreach.world.riverton}


def test_partner_3_a_members_staff_see_their_librarys_partnerships_and_the_central_office_all(
    outreach,
):
    pine = client_for("desk.pine")
    listing = pine.get("/outreach/").content.decode()
    assert "Pine Creek Players" in listing and "Riverton Literacy Council" not in listing
    assert pine.get(f"/outreach/partners/{outreach.literacy.id}/").status_code == 404
    assert pine.get(f"/outreach/partners/{outreach.literacy.id}/edit/").status_code == 404
    assert (
        pine.post(f"/outreach/partners/{outreach.literacy.id}/contacts/", {"name": "X"}).status_code
        == 404
    )
    assert not Contact.objects.exists()

    central = client_for("central").get("/outreach/").content.decode()
    assert "Pine Creek Players" in central and "Riverton Literacy Council" in central


def test_partner_3_outreach_is_staff_work(outreach):
    assert Client().get("/outreach/").status_code == 302  # to the login page
    from django.contrib.auth.models import User

    User.objects.create_user("visitor", password="correct horse battery")
    assert client_for("visitor").get("/outreach/").status_code == 403


def test_partner_4_a_contact_needs_a_name(outreach):
    client = client_for("admin.riv")
    url = f"/outreach/partners/{outreach.literacy.id}/contacts/"
    response = client.post(url, {"name": "", "email": "maria@literacy.example"})
    assert response.status_code == 400 and "PARTNER-4" in response.content.decode()
    assert "maria@literacy.example" in response.content.decode()
    assert client.post(url, {"name": "María Ruiz", "role": "Director"}).status_code == 302
    assert outreach.literacy.contacts.get().role == "Director"


def test_partner_5_a_meeting_is_recorded_with_its_date_and_notes(outreach):
    client = client_for("admin.riv")
    url = f"/outreach/partners/{outreach.literacy.id}/interactions/"
    refused = client.post(url, {"kind": "meeting", "on": "2025-03-04", "notes": " "})
    assert refused.status_code == 400 and "PARTNER-5" in refused.content.decode()
    assert not Interaction.objects.exists()
    client.post(url, {"kind": "call", "on": "2025-03-04", "notes": "Agreed Tuesday tutoring."})
    page = client.get(f"/outreach/partners/{outreach.literacy.id}/").content.decode()
    assert "4 Mar 2025" in page and "Agreed Tuesday tutoring." in page


def test_it_keeps_a_needs_assessment_with_swot_and_chances(outreach):
    client = client_for("admin.riv")
    url = f"/outreach/partners/{outreach.literacy.id}/assessment/"
    client.post(
        url,
        {
            "community_needs": "Adults reading below grade 5",
            "strengths": "Evening rooms",
            "weaknesses": "Few staff",
            "opportunities": "State literacy grant",
            "threats": "Volunteer turnover",
            "chances": "good",
            "chances_note": "They have run this before.",
        },
    )
    client.post(url, {"strengths": "Evening rooms and laptops", "chances": "fair"})
    assessment = NeedsAssessment.objects.get(partner=outreach.literacy)  # still one
    assert assessment.strengths == "Evening rooms and laptops" and assessment.chances == "fair"
    page = client.get(f"/outreach/partners/{outreach.literacy.id}/").content.decode()
    assert "Evening rooms and laptops" in page and "Fair" in page


def test_it_holds_no_patron_data(db):
    for model in apps.get_app_config("outreach").get_models():
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            assert related is None or related._meta.app_label != "patrons", (model, field)
