"""Screenshots on problem reports (HELP-2, HELP-3): checked with Pillow, kept through
Django's storage API (`default_storage`, files under MEDIA_ROOT by default), and served
only through `views.screenshot`, which asks `access.access_report` first. A screenshot
is never a public file: its name is random and nothing serves MEDIA_ROOT.
"""

from __future__ import annotations

import secrets
import warnings
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from onelibrary.core.refusals import Refusal

MAX_BYTES = 8 * 1024 * 1024  # 8 MB: a full-screen PNG of a 4K monitor is about 5 MB
MAX_PIXELS = 40_000_000  # 40 megapixels: three 4K screens side by side; more is a bomb
# Pillow format → (file extension, MIME type). Formats a browser shows and Pillow reads.
FORMATS = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
    "BMP": ("bmp", "image/bmp"),
}
FOLDER = "helpdesk/screenshots"


class ScreenshotRefused(Refusal):
    """The upload was not kept; everything else typed on the form is kept."""


@dataclass(frozen=True)
class Screenshot:
    name: str  # in default_storage
    content_type: str


def _not_an_image(filename: str) -> ScreenshotRefused:
    return ScreenshotRefused(
        "not_an_image",
        f"“{filename}” is not a picture we can read. Attach a screenshot saved as PNG, JPEG, "
        "GIF, WebP or BMP (on Windows: press PrtScn, paste into Paint, save as PNG). "
        "Everything else you typed is still here.",
        decision="HELP-2",
    )


def _too_many_pixels(filename: str, size: str) -> ScreenshotRefused:
    return ScreenshotRefused(
        "too_many_pixels",
        f"“{filename}” is {size}; a screenshot may have at most "
        f"{MAX_PIXELS // 1_000_000} million pixels. Crop it to the message, or take a "
        "screenshot of one screen, and attach it again. Everything else you typed is still "
        "here.",
        decision="HELP-3",
    )


def check(upload: UploadedFile) -> str:
    """The upload's Pillow format, or a refusal naming the limit it broke."""
    filename = upload.name or "the file"
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ScreenshotRefused(
            "too_large",
            f"“{filename}” is {upload.size / 1024 / 1024:.1f} MB; a screenshot may be at most "
            f"{MAX_BYTES // 1024 // 1024} MB. Save it as JPEG, or crop it to the message, and "
            "attach it again. Everything else you typed is still here.",
            decision="HELP-3",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns past its own limit (about 89 million pixels) and refuses past
            # twice that; ours is lower and is checked below from the header alone.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
                kind = image.format or ""
                if width * height > MAX_PIXELS:
                    raise _too_many_pixels(filename, f"{width} × {height} pixels")
                image.verify()  # reads the whole file: a truncated or corrupt one fails here
    except Image.DecompressionBombError:
        raise _too_many_pixels(filename, "far too many pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _not_an_image(filename) from None
    if kind not in FORMATS:
        raise _not_an_image(filename)
    upload.seek(0)
    return kind


def keep(upload: UploadedFile) -> Screenshot:
    """Check the upload and save it under a random name; refused uploads are not saved."""
    kind = check(upload)
    extension, content_type = FORMATS[kind]
    name = default_storage.save(f"{FOLDER}/{secrets.token_urlsafe(18)}.{extension}", upload)
    return Screenshot(name=name, content_type=content_type)


def content_type_of(name: str) -> str:
    extension = name.rsplit(".", 1)[-1]
    return next((t for ext, t in FORMATS.values() if ext == extension), "")


def is_ours(name: str) -> bool:
    """A name from a form's hidden field is only ever one of ours (and signed besides)."""
    return name.startswith(FOLDER + "/") and ".." not in name and bool(content_type_of(name))
