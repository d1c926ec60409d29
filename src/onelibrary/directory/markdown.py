"""Procedure text from Markdown to HTML that is safe to show (docs/directory.md, SOP-4).

markdown-it-py with raw HTML off: a `<script>` or any other tag typed into a procedure is
shown as text, never passed through. Links may go only to web pages, mail addresses and
OneLibrary's own pages; images are off, so a procedure never makes a reader's browser
fetch from elsewhere. Plain function, no database.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

SAFE_LINK = re.compile(r"^(https?:|mailto:|/|#)", re.IGNORECASE)


def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    md.disable("image")
    md.validateLink = lambda url: bool(SAFE_LINK.match(url.strip()))  # type: ignore[method-assign]
    return md


_MD = _renderer()


def render(text: str) -> str:
    """The Markdown as HTML: no raw HTML, only web, mail and local links."""
    return _MD.render(text)
