"""A memorandum from first step to signature: the builder saves every step, the wording
warning, versions, the refusals at signing (MOU-1…4, 7…9), the review date, the PDF."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from pypdf import PdfReader

from onelibrary.outreach import mou
from onelibrary.outreach.models import Memorandum, MemorandumVersion, Signature
from tests.outreach.conftest import FULL, client_for, full_memo


def signers(**changes: str) -> dict[str, str]:
    today = timezone.localdate().isoformat()
    return {
        "library_signer": "Ruth Okafor",
        "library_position": "Director",
        "library_signed_on": today,
        "partner_signer": "María Ruiz",
        "partner_position": "Chair",
        "partner_signed_on": today,
        **changes,
    }


def start(client, outreach) -> Memorandum:
    response = client.post(
        f"/outreach/partners/{outreach.literacy.id}/memoranda/", {"title": "Homework help"}
    )
    memo = Memorandum.objects.get(title="Homework help")
    assert response["Location"] == f"/outreach/memoranda/{memo.id}/step/1/"
    return memo


def test_mou_7_a_memorandum_needs_a_title(outreach):
    client = client_for("admin.riv")
    response = client.post(f"/outreach/partners/{outreach.literacy.id}/memoranda/", {"title": ""})
    assert response.status_code == 400 and "MOU-7" in response.content.decode()
    assert not Memorandum.objects.exists()


def test_the_builder_saves_each_step_whichever_way_it_is_left(outreach):
    client = client_for("admin.riv")
    memo = start(client, outreach)
    step = f"/outreach/memoranda/{memo.id}/step/"
    page = client.get(step + "1/").content.decode()
    assert "Step 1 of 12" in page and "Assets and needs" in page
    assert "0 of 10 required sections written" in page

    response = client.post(step + "1/", {"text": "Rooms; tutors.", "go": "next"})
    assert response["Location"] == step + "2/"
    response = client.post(step + "2/", {"text": "Adult learners", "go": "back"})
    assert response["Location"] == step + "1/"  # going back keeps step 2 too
    response = client.post(step + "1/", {"text": "Rooms; tutors; laptops.", "go": "step-9"})
    assert response["Location"] == step + "9/"
    response = client.post(step + "12/", {"text": "", "go": "next"})
    assert response["Location"] == f"/outreach/memoranda/{memo.id}/"

    memo.refresh_from_db()
    assert memo.texts["assets_needs"] == "Rooms; tutors; laptops."
    assert memo.texts["audiences"] == "Adult learners"
    page = client.get(step + "2/").content.decode()
    assert "Adult learners</textarea>" in page and "2 of 10 required sections written" in page
    assert client.get(step + "13/").status_code == 404


def test_mou_6_the_builder_warns_of_the_words_across_sections(outreach):
    client = client_for("admin.riv")
    memo = start(client, outreach)
    step = f"/outreach/memoranda/{memo.id}/step/"
    client.post(step + "3/", {"text": "This partnership agreement covers tutoring.", "go": "save"})
    page = client.get(step + "5/").content.decode()  # shown on every step, not only the 3rd
    assert "“partnership agreement” appears in: Goals and shared agreements" in page
    assert "MOU-6" in page and "liability" in page
    overview = client.get(f"/outreach/memoranda/{memo.id}/").content.decode()
    assert "Words to avoid" in overview


def test_mou_1_it_cannot_be_marked_signed_while_required_sections_are_empty(outreach):
    client = client_for("admin.riv")
    memo = start(client, outreach)
    client.post(f"/outreach/memoranda/{memo.id}/step/1/", {"text": "Rooms", "go": "save"})
    response = client.post(f"/outreach/memoranda/{memo.id}/sign/", signers())
    html = response.content.decode()
    assert response.status_code == 400 and "MOU-1" in html
    assert "Audiences, Goals and shared agreements" in html and "Termination" in html
    assert "Budget and funding, " not in html  # optional sections are not asked for
    assert 'value="Ruth Okafor"' in html  # the signers typed are kept
    memo.refresh_from_db()
    assert memo.status == Memorandum.Status.DRAFT
    assert not MemorandumVersion.objects.exists() and not Signature.objects.exists()


def test_mou_2_both_sides_signers_and_dates_are_needed(outreach):
    memo = full_memo(outreach)
    client = client_for("admin.riv")
    response = client.post(
        f"/outreach/memoranda/{memo.id}/sign/", signers(partner_signer="", library_signed_on="")
    )
    html = response.content.decode()
    assert response.status_code == 400 and "MOU-2" in html and "library and the partner" in html
    assert not Signature.objects.exists()


def test_mou_4_a_signing_date_after_today_is_refused(outreach):
    memo = full_memo(outreach)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client_for("admin.riv").post(
        f"/outreach/memoranda/{memo.id}/sign/", signers(partner_signed_on=tomorrow)
    )
    assert response.status_code == 400 and "MOU-4" in response.content.decode()
    assert not Signature.objects.exists()


def test_a_complete_memorandum_is_signed_and_kept_as_a_signed_version(outreach):
    memo = full_memo(outreach)
    client = client_for("admin.riv")
    response = client.post(f"/outreach/memoranda/{memo.id}/sign/", signers())
    assert response.status_code == 302
    memo.refresh_from_db()
    assert memo.status == Memorandum.Status.SIGNED
    version = memo.versions.get()
    assert version.signed and version.number == 1 and version.texts == FULL
    assert {(s.side, s.name, s.position) for s in version.signatures.all()} == {
        ("library", "Ruth Okafor", "Director"),
        ("partner", "María Ruiz", "Chair"),
    }
    page = client.get(f"/outreach/memoranda/{memo.id}/versions/1/").content.decode()
    assert "For the partner: María Ruiz, Chair" in page


def test_mou_8_and_mou_9_a_revision_keeps_the_signed_text_and_each_sign_off_is_a_version(
    outreach,
):
    memo = full_memo(outreach)
    client = client_for("admin.riv")
    client.post(f"/outreach/memoranda/{memo.id}/sign/", signers())
    # MOU-8: revisiting the signed memorandum: the new text is a revision.
    client.post(
        f"/outreach/memoranda/{memo.id}/step/2/", {"text": "Adults and teens", "go": "save"}
    )
    memo.refresh_from_db()
    assert memo.status == Memorandum.Status.REVISING
    # MOU-9: signing off the revised draft keeps it as version 2; version 1 is unchanged.
    response = client.post(f"/outreach/memoranda/{memo.id}/sign-off/", {"note": "Teens added"})
    assert response["Location"] == f"/outreach/memoranda/{memo.id}/versions/2/"
    old, new = memo.versions.order_by("number")
    assert old.texts["audiences"] == FULL["audiences"] and old.signed
    assert new.texts["audiences"] == "Adults and teens" and not new.signed
    assert new.note == "Teens added"
    old_page = client.get(f"/outreach/memoranda/{memo.id}/versions/1/").content.decode()
    assert FULL["audiences"] in old_page and "Adults and teens" not in old_page
    history = client.get(f"/outreach/partners/{outreach.literacy.id}/").content.decode()
    assert "version 1, signed" in history and "version 2, draft signed off" in history


def test_mou_3_a_review_date_in_the_past_is_refused_and_kept_on_the_form(outreach):
    memo = full_memo(outreach)
    client = client_for("admin.riv")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(
        f"/outreach/memoranda/{memo.id}/review/", {"review_on": yesterday.isoformat()}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "MOU-3" in html and "has passed" in html
    assert f'value="{yesterday.isoformat()}"' in html
    memo.refresh_from_db()
    assert memo.review_on is None
    later = timezone.localdate() + dt.timedelta(days=180)
    client.post(f"/outreach/memoranda/{memo.id}/review/", {"review_on": later.isoformat()})
    memo.refresh_from_db()
    assert memo.review_on == later


def test_the_pdf_has_every_section_and_the_signatures(outreach):
    memo = full_memo(outreach)
    client = client_for("admin.riv")
    client.post(f"/outreach/memoranda/{memo.id}/sign/", signers())
    for url in (
        f"/outreach/memoranda/{memo.id}/pdf/",
        f"/outreach/memoranda/{memo.id}/versions/1/pdf/",
    ):
        response = client.get(url)
        assert response["Content-Type"] == "application/pdf"
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
        text = " ".join(text.split())
        for section in mou.SECTIONS:
            assert section.title in text
        assert "Riverton City Library" in text and "Riverton Literacy Council" in text
    assert "María Ruiz" in text  # the version's PDF carries the signatures


def test_another_librarys_staff_cannot_open_or_change_the_memorandum(outreach):
    memo = full_memo(outreach)
    pine = client_for("desk.pine")
    for url in ("", "step/1/", "pdf/", "versions/1/"):
        assert pine.get(f"/outreach/memoranda/{memo.id}/{url}").status_code == 404
    assert pine.post(f"/outreach/memoranda/{memo.id}/sign/", signers()).status_code == 404
    assert pine.post(f"/outreach/memoranda/{memo.id}/step/1/", {"text": "x"}).status_code == 404
    memo.refresh_from_db()
    assert memo.status == Memorandum.Status.DRAFT and memo.texts == FULL
