"""A memorandum, or one of its versions, as a PDF (WeasyPrint) for signing and filing."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from onelibrary.outreach import mou
from onelibrary.outreach.models import Memorandum, MemorandumVersion


def memorandum_pdf(memo: Memorandum, version: MemorandumVersion | None = None) -> bytes:
    texts = version.texts if version else memo.texts
    context = {
        "memo": memo,
        "version": version,
        "title": version.title if version else memo.title,
        "sections": [(s, texts.get(s.key, "")) for s in mou.SECTIONS],
        "signatures": list(version.signatures.all()) if version else [],
        "libraries": list(memo.partner.libraries.order_by("name")),
        "printed": timezone.localtime(),
    }
    return HTML(string=render_to_string("outreach/pdf_memorandum.html", context)).write_pdf()
