"""MARC21 records for generated titles, so they export and display like loaded ones."""

from __future__ import annotations

import datetime as dt

from pymarc import Field, Indicators, Leader, Record, Subfield

from onelibrary.demo.collection import TitlePlan

# Leader/06 (type of record) for each Title.Format the generator uses.
RECORD_TYPE = {
    "book": "a",
    "large_print": "a",
    "video": "g",
    "sound": "i",
    "music": "j",
    "map": "e",
}
AUDIENCE_CODE = {"juv": "j", "ya": "d", "adult": " "}
GEOGRAPHIC = {"Montana", "West (U.S.)", "Great Plains", "Rocky Mountains"}
FORMS = {"Fiction", "Juvenile fiction", "Guidebooks", "Identification", "Patterns"}


def subdivision_code(text: str) -> str:
    """$z for a place, $v for a form, $x for a topic."""
    return "z" if text in GEOGRAPHIC else "v" if text in FORMS else "x"


def field_008(plan: TitlePlan, entered: dt.date) -> str:
    """The 40 fixed-length characters: dates, place (Montana), audience, form, language."""
    chars = list(f"{entered:%y%m%d}s{plan.year:04d}    mtu" + " " * 17 + f"{plan.language} d")
    if RECORD_TYPE[plan.format] == "a":
        chars[22] = AUDIENCE_CODE[plan.audience]
        chars[23] = "d" if plan.format == "large_print" else " "
        chars[33] = "1" if plan.fiction else "0"
    return "".join(chars)


def build_record(plan: TitlePlan, control_number: str, entered: dt.date) -> bytes:
    """A minimal but valid UTF-8 MARC21 record for one generated title."""
    record = Record(force_utf8=True)
    record.leader = Leader(f"00000n{RECORD_TYPE[plan.format]}m a22000007i 4500")
    record.add_field(Field(tag="001", data=control_number))
    record.add_field(Field(tag="003", data="BSP"))
    record.add_field(Field(tag="008", data=field_008(plan, entered)))
    if plan.isbn:
        record.add_field(
            Field(tag="020", indicators=Indicators(" ", " "), subfields=[Subfield("a", plan.isbn)])
        )
    if plan.author and plan.format != "music":
        record.add_field(
            Field(
                tag="100", indicators=Indicators("1", " "), subfields=[Subfield("a", plan.author)]
            )
        )
    nonfiling = next((len(a) for a in ("The ", "A ") if plan.title.startswith(a)), 0)
    record.add_field(
        Field(
            tag="245",
            indicators=Indicators("1" if plan.author else "0", str(nonfiling)),
            subfields=[Subfield("a", plan.title)],
        )
    )
    record.add_field(
        Field(
            tag="264",
            indicators=Indicators(" ", "1"),
            subfields=[
                Subfield("a", "Big Sky, Montana :"),
                Subfield("b", f"{plan.publisher},"),
                Subfield("c", str(plan.year)),
            ],
        )
    )
    for subject in plan.subjects:
        main, *subdivisions = subject.split(" -- ")
        record.add_field(
            Field(
                tag="650",
                indicators=Indicators(" ", "0"),
                subfields=[
                    Subfield("a", main),
                    *(Subfield(subdivision_code(s), s) for s in subdivisions),
                ],
            )
        )
    if plan.format == "music":
        record.add_field(
            Field(
                tag="710", indicators=Indicators("2", " "), subfields=[Subfield("a", plan.author)]
            )
        )
    return record.as_marc()
