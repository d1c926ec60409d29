"""Photos of damage (DISPUTE-6): checked with Pillow before anything is written, kept
through Django's storage API, filesystem by default, never served as public files."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.storage import FileSystemStorage, default_storage, storages

from onelibrary.ledger import disputes, evidence
from onelibrary.ledger.book import LedgerRefusal
from onelibrary.ledger.models import DamageReport, Photo

from .damage import DAY, media_root, photo, png, returned_by_ben  # noqa: F401

pytestmark = pytest.mark.django_db


def test_it_keeps_uploads_on_the_filesystem_by_default():
    from django.conf import settings

    assert settings.STORAGES["default"]["BACKEND"] == (
        "django.core.files.storage.FileSystemStorage"
    )
    assert isinstance(storages["default"], FileSystemStorage)
    assert str(settings.MEDIA_ROOT).endswith("media")


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_it_accepts_jpeg_png_and_webp(fmt):
    checked = evidence.check_photo("p", BytesIO(png((30, 20), fmt)))
    assert (checked.width, checked.height) == (30, 20)
    assert checked.content_type == f"image/{fmt.lower()}"


@pytest.mark.parametrize(
    "data, code",
    [
        (b"%PDF-1.4 not a photo", "not_an_image"),
        (png()[:60], "not_an_image"),  # truncated
        (png(fmt="GIF", mode="P"), "not_an_image"),
        (b"", "photo_empty"),
        (png((evidence.MAX_SIDE + 1, 4), mode="1"), "photo_too_large"),
    ],
)
def test_dispute_6_a_file_that_is_not_a_photo_we_keep_is_refused(data, code):
    with pytest.raises(LedgerRefusal) as refused:
        evidence.check_photo("upload.png", BytesIO(data))
    assert refused.value.code == code and refused.value.decision == "DISPUTE-6"
    assert "Nothing was saved" in refused.value.message


def test_dispute_6_a_photo_over_the_size_limit_is_refused_with_the_limit(monkeypatch):
    monkeypatch.setattr(evidence, "MAX_BYTES", 100)
    with pytest.raises(LedgerRefusal) as refused:
        evidence.check_photo("big.png", BytesIO(png((200, 200), "PNG", "RGB") + b"\0" * 200))
    assert refused.value.code == "photo_too_big" and "larger than" in refused.value.message


def test_dispute_6_the_real_limit_is_eight_megabytes():
    data = BytesIO(b"\xff" * (8 * 1024 * 1024 + 1))
    with pytest.raises(LedgerRefusal) as refused:
        evidence.check_photo("huge.jpg", data)
    assert "larger than 8 MB" in refused.value.message


def test_dispute_6_too_many_photos_refuse_the_report_and_write_nothing(lw, usual, monday, media):
    returned_by_ben(lw, monday)
    with pytest.raises(LedgerRefusal) as refused:
        disputes.report_damage(
            lw.desk_pine,
            lw.dune_riv,
            "checkin",
            note="wet",
            photos=[photo() for _ in range(evidence.MAX_PHOTOS + 1)],
            now=monday + 8 * DAY,
        )
    assert refused.value.code == "too_many_photos" and "at most 6" in refused.value.message
    assert not DamageReport.objects.exists() and not Photo.objects.exists()
    assert not media.exists() or not any(media.rglob("*"))


def test_dispute_6_one_bad_photo_among_good_ones_writes_no_file(lw, usual, monday, media):
    returned_by_ben(lw, monday)
    with pytest.raises(LedgerRefusal):
        disputes.report_damage(
            lw.desk_pine,
            lw.dune_riv,
            "checkin",
            note="wet",
            photos=[photo(), photo("x.png", b"GIF89a nonsense")],
            now=monday + 8 * DAY,
        )
    assert not DamageReport.objects.exists()
    assert not media.exists() or not any(media.rglob("*"))


def test_it_stores_photos_under_names_it_makes(lw, usual, monday, media):
    returned_by_ben(lw, monday)
    report = disputes.report_damage(
        lw.desk_pine,
        lw.dune_riv,
        "checkin",
        note="wet",
        photos=[photo("../../etc/passwd.png")],
        now=monday + 8 * DAY,
    )
    stored = Photo.objects.get(report=report)
    assert stored.file.name.startswith(f"evidence/{report.pk}/")
    assert "passwd" not in stored.file.name
    assert (media / stored.file.name).is_file()
    assert default_storage.open(stored.file.name).read() == png()
