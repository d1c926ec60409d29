"""Helpers for the damage-report tests: a copy back from another member's patron, a copy
arrived by crate, photos made with Pillow, and MEDIA_ROOT in a temporary folder."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from PIL import Image

from onelibrary.circulation import actions, transit_desk
from onelibrary.transit import crates, receiving

DAY = dt.timedelta(days=1)


@pytest.fixture(name="media")
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return tmp_path / "media"


def png(size: tuple[int, int] = (40, 30), fmt: str = "PNG", mode: str = "RGB") -> bytes:
    out = BytesIO()
    Image.new(mode, size, "white" if mode != "1" else 1).save(out, fmt)
    return out.getvalue()


def photo(name: str = "damage.png", data: bytes | None = None) -> tuple[str, BytesIO]:
    return name, BytesIO(png() if data is None else data)


def returned_by_ben(lw, monday):
    """Ben (Pine Creek) borrows Riverton's Dune at Riverton and returns it at Pine Creek."""
    loan = actions.check_out(lw.desk_riv, lw.riv_main, lw.ben, lw.dune_riv, now=monday).loan
    actions.check_in(lw.desk_pine, lw.pine_main, lw.dune_riv, now=monday + 7 * DAY)
    loan.refresh_from_db()
    lw.dune_riv.refresh_from_db()
    return loan


def arrived_from_pine(lw, monday):
    """Riverton's Dune, returned at Pine Creek, goes home by crate and is unpacked there."""
    actions.check_in(lw.desk_pine, lw.pine_main, lw.dune_riv, now=monday)
    crate = crates.open_crate(lw.desk_pine, lw.pine_main, destination=lw.riv_main, now=monday)
    crates.scan_into_crate(lw.desk_pine, lw.pine_main, crate, lw.dune_riv.barcode, now=monday)
    crates.close_crate(lw.desk_pine, lw.pine_main, crate, now=monday)
    crates.ship_crate(lw.desk_pine, lw.pine_main, crate, now=monday)
    later = monday + 2 * DAY
    receiving.receive_crate_scan(lw.desk_riv, lw.riv_main, crate.label, now=later)
    result = transit_desk.unpack_scan(
        lw.desk_riv, lw.riv_main, crate, lw.dune_riv.barcode, now=later
    )
    assert result.outcome == "arrived", result.message
    lw.dune_riv.refresh_from_db()
    return crate
