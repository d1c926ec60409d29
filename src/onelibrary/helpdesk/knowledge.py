"""The known answers the report form suggests as someone types the symptom (HELP-10).

`rank` is a plain function over plain data: the words of the symptom against each
article's keywords (worth most), title and body. An article shows only when a keyword
or two words of its title match, so a single common word ("the", "desk") suggests
nothing. The articles' Markdown is rendered by `directory.markdown` (raw HTML off, only
web, mail and local links: SOP-4's renderer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from onelibrary.directory.markdown import render as render_markdown

WORD = re.compile(r"[a-z0-9]+")
MIN_LENGTH = 3  # "is", "on", "it" match everything
_COMMON = (
    "the and for was but not are this that with from when what then have has had you your "
    "our its it's they them there their can cannot can't won't does did doesn't didn't "
    "just some any all one out off into onto about after before again still very too "
    "page screen said says showed shows"
)
STOP = frozenset(_COMMON.split())
MOST = 5


@dataclass(frozen=True)
class Known:
    slug: str
    title: str
    keywords: str
    body: str


def words(text: str) -> set[str]:
    """Lower-case words of three letters or more, less the commonest, with a plural's
    trailing s dropped ("scanners" finds "scanner")."""
    found = {w for w in WORD.findall(text.lower()) if len(w) >= MIN_LENGTH and w not in STOP}
    return {w[:-1] if w.endswith("s") and len(w) > MIN_LENGTH else w for w in found}


def keyword_phrases(keywords: str) -> list[str]:
    return [k.strip().lower() for k in keywords.split(",") if k.strip()]


def score(symptom: str, article: Known) -> int:
    said = words(symptom)
    if not said:
        return 0
    lowered = symptom.lower()
    points = 0
    for phrase in keyword_phrases(article.keywords):
        phrase_words = words(phrase)
        if " " in phrase and phrase in lowered:
            points += 6  # "adds characters" typed as such
        elif phrase_words and phrase_words <= said:
            points += 3
    title_hits = len(words(article.title) & said)
    points += 2 * title_hits if title_hits >= 2 or points else 0
    if points:
        points += min(len(words(article.body) & said), 3)
    return points


def rank(symptom: str, articles: list[Known], most: int = MOST) -> list[Known]:
    """The articles that answer this symptom best, best first; none when nothing fits."""
    scored = [(score(symptom, a), a.title, a) for a in articles]
    return [a for points, _, a in sorted(scored, key=lambda s: (-s[0], s[1])) if points][:most]


def as_html(body: str) -> str:
    return render_markdown(body)
