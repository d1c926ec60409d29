"""Original-script text (MARC 880) for display: which direction it reads, which language.

`Title.vernacular` holds one line per 880 field, 'TAG<TAB>SCRIPT<TAB>text' (written by
`marc.vernacular_lines`). SCRIPT is the script code of the 880's $6 with, after a '/',
its orientation: MARC writes 'r' for a field that reads right to left. Pure: no ORM.
"""

from __future__ import annotations

from dataclasses import dataclass

# MARC script identification codes (the part of $6 after the first '/').
RIGHT_TO_LEFT = {"(2": "Hebr", "(3": "Arab"}
LEFT_TO_RIGHT = {"$1": "Hani", "(N": "Cyrl", "(S": "Grek", "(B": "Latn"}
SCRIPT_SUBTAGS = {**RIGHT_TO_LEFT, **LEFT_TO_RIGHT}
# MARC language codes (008/35-37) by the script they are written in, as BCP 47 tags.
LANGUAGES = {
    "heb": ("he", "Hebr"),
    "yid": ("yi", "Hebr"),
    "lad": ("lad", "Hebr"),
    "ara": ("ar", "Arab"),
    "per": ("fa", "Arab"),
    "urd": ("ur", "Arab"),
    "chi": ("zh", "Hani"),
    "jpn": ("ja", "Hani"),
    "kor": ("ko", "Hani"),
    "rus": ("ru", "Cyrl"),
    "ukr": ("uk", "Cyrl"),
    "bel": ("be", "Cyrl"),
    "bul": ("bg", "Cyrl"),
    "srp": ("sr", "Cyrl"),
    "mac": ("mk", "Cyrl"),
    "gre": ("el", "Grek"),
}


@dataclass(frozen=True)
class ScriptText:
    """One 880 field's text with what a page needs to show it: `dir` and `lang`."""

    tag: str  # the field it is the twin of: 245, 100, 650...
    text: str
    script: str  # the $6 script part: '(2', '(3/r', '$1', or '' when none was sent
    language: str = ""  # the title's MARC language code

    @property
    def dir(self) -> str:
        """'rtl' for Hebrew and Arabic script or an 'r' orientation; 'auto' when unknown."""
        code, _, orientation = self.script.partition("/")
        if code in RIGHT_TO_LEFT or orientation == "r":
            return "rtl"
        return "ltr" if code in LEFT_TO_RIGHT else "auto"

    @property
    def lang(self) -> str:
        """The title's language when it is written in this script ('he'), else the script
        alone ('und-Hebr'), else '' (no attribute: the page's language does not apply)."""
        subtag = SCRIPT_SUBTAGS.get(self.script.partition("/")[0], "")
        tag, written_in = LANGUAGES.get(self.language, ("", ""))
        if tag and (written_in == subtag or not subtag):
            return tag
        return f"und-{subtag}" if subtag else ""


def script_texts(lines: str, language: str = "") -> list[ScriptText]:
    found: list[ScriptText] = []
    for line in lines.splitlines():
        tag, _, rest = line.partition("\t")
        script, _, text = rest.partition("\t")
        if text:
            found.append(ScriptText(tag, text, script, language))
    return found


def first_of(lines: str, tags: frozenset[str], language: str = "") -> ScriptText | None:
    """The first 880 twin of one of these fields: the title (245) or the author (1XX)."""
    return next((s for s in script_texts(lines, language) if s.tag in tags), None)


TITLE = frozenset({"245"})
AUTHOR = frozenset({"100", "110", "111"})
