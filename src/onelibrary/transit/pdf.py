"""A crate's label and manifest as PDFs (WeasyPrint), from Django templates.

The label carries the destination in large type, the crate's code as text and as a
Code 128 barcode (SVG from python-barcode), so both ends can scan it.
"""

from __future__ import annotations

import io

import barcode
from barcode.writer import SVGWriter
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from onelibrary.transit.crates import active_lines, where_to
from onelibrary.transit.models import Crate


def code128_svg(code: str) -> str:
    """The code as a Code 128 barcode, an inline SVG without its XML prologue."""
    out = io.BytesIO()
    barcode.get("code128", code, writer=SVGWriter()).write(
        out,
        options={
            "write_text": False,
            "module_width": 0.5,
            "module_height": 20.0,
            "quiet_zone": 4.0,
        },
    )
    svg = out.getvalue().decode()
    # WeasyPrint reads presentation attributes, not `style`, on SVG shapes.
    svg = svg.replace('style="fill:white"', 'fill="white"').replace(
        'style="fill:black;"', 'fill="black"'
    )
    return svg[svg.index("<svg") :]


def _pdf(template: str, context: dict) -> bytes:
    return HTML(string=render_to_string(template, context)).write_pdf()


def label_pdf(crate: Crate) -> bytes:
    return _pdf(
        "transit/pdf_label.html",
        {
            "crate": crate,
            "to": where_to(crate),
            "code": crate.destination.code if crate.destination else crate.hub,
            "barcode_svg": code128_svg(crate.label),
            "count": active_lines(crate).count(),
        },
    )


def manifest_pdf(crate: Crate) -> bytes:
    return _pdf(
        "transit/pdf_manifest.html",
        {
            "crate": crate,
            "to": where_to(crate),
            "lines": list(active_lines(crate).select_related("transit__hold")),
            "printed_at": timezone.localtime(),
        },
    )
