"""Photos of damage: checked with Pillow before anything is written, then kept through
Django's storage API (on disk under MEDIA_ROOT by default; any backend by setting,
docs/operations.md). DISPUTE-6.

`check_photos` reads every upload whole before a single file or row is written: a file
that is not a JPEG, PNG or WebP image, one over `MAX_BYTES`, one wider or taller than
`MAX_SIDE` or with more than `MAX_PIXELS` pixels, or more than `MAX_PHOTOS` at once is
refused with the limit it broke. Stored names are made here (the report's id and a random
name), never taken from the upload, and no URL serves them: `report_views.photo` does,
to the staff who may see the report.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from typing import IO

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, UnidentifiedImageError

from onelibrary.ledger.book import LedgerRefusal
from onelibrary.ledger.report_models import DamageReport, DisputeMessage, Photo

MAX_BYTES = 8 * 1024 * 1024
MAX_SIDE = 8000
MAX_PIXELS = 40_000_000
MAX_PHOTOS = 6
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}


@dataclass(frozen=True)
class CheckedPhoto:
    name: str  # as uploaded, for messages only
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int


def _refuse(code: str, message: str) -> LedgerRefusal:
    return LedgerRefusal(code, message + " Nothing was saved.", decision="DISPUTE-6")


def check_photo(name: str, upload: IO[bytes]) -> CheckedPhoto:
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _refuse(
            "photo_too_big",
            f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MB: send a smaller photo "
            "(most phones have a 'medium' size).",
        )
    if not data:
        raise _refuse("photo_empty", f"{name} is empty: choose the photo again.")
    try:
        with Image.open(BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
                raise _refuse(
                    "photo_too_large",
                    f"{name} is {width} × {height} pixels; the limit is {MAX_SIDE} pixels a "
                    f"side and {MAX_PIXELS // 1_000_000} million in all. Send a smaller photo.",
                )
            image.verify()  # reads the whole file: a truncated or forged one fails here
    except LedgerRefusal:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse(
            "not_an_image", f"{name} is not a photo we can read: send a JPEG, PNG or WebP image."
        ) from None
    if kind not in FORMATS:
        raise _refuse(
            "not_an_image", f"{name} is a {kind} image: send a JPEG, PNG or WebP photo instead."
        )
    content_type, extension = FORMATS[kind]
    return CheckedPhoto(name, data, content_type, extension, width, height)


def check_photos(uploads: Iterable[tuple[str, IO[bytes]]]) -> list[CheckedPhoto]:
    """Every upload checked, or a refusal naming the first that failed; nothing written."""
    uploads = list(uploads)
    if len(uploads) > MAX_PHOTOS:
        raise _refuse(
            "too_many_photos",
            f"{len(uploads)} photos: send at most {MAX_PHOTOS} at a time, the clearest ones.",
        )
    return [check_photo(name, upload) for name, upload in uploads]


def store(
    photos: list[CheckedPhoto],
    report: DamageReport,
    by: User,
    *,
    message: DisputeMessage | None = None,
    written: list[str],
) -> None:
    """Save the checked photos and their rows. The stored names are appended to `written`
    as they are saved, so a caller whose transaction fails can remove them (`discard`)."""
    for photo in photos:
        wanted = f"evidence/{report.pk}/{secrets.token_hex(12)}.{photo.extension}"
        name = default_storage.save(wanted, ContentFile(photo.data))
        written.append(name)
        Photo.objects.create(
            report=report,
            message=message,
            file=name,
            content_type=photo.content_type,
            width=photo.width,
            height=photo.height,
            size=len(photo.data),
            uploaded_by=by,
        )


def discard(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
