"""The memorandum's sections, completeness and the wording warning, as plain rules."""

from __future__ import annotations

from onelibrary.outreach import mou


def test_the_sections_are_the_guides_list_in_its_order():
    assert [s.title for s in mou.SECTIONS] == [
        "Assets and needs",
        "Audiences",
        "Goals and shared agreements",
        "Resources and equipment",
        "Roles and responsibilities",
        "Milestones and timeline",
        "Contacts and decision-making",
        "Deliverables",
        "Termination",
        "Documentation and evaluation plan",
        "Budget and funding",
        "Public awareness",
    ]
    assert len(mou.BY_KEY) == len(mou.SECTIONS)
    assert mou.section_at(1).key == "assets_needs" and mou.section_at(12).key == "public_awareness"


def test_mou_1_completeness_counts_required_sections_and_names_the_empty_ones():
    empty = mou.completeness({})
    assert not empty.complete and empty.required_filled == 0 and empty.required_total == 10
    assert empty.missing[0].title == "Assets and needs"

    texts = {s.key: "written" for s in mou.SECTIONS if s.required}
    texts["termination"] = "   \n"  # only blanks is still empty
    state = mou.completeness(texts)
    assert [s.title for s in state.missing] == ["Termination"]
    assert state.missing_titles() == "Termination" and state.percent == 90
    assert [s.key for s in state.optional_empty] == ["budget", "public_awareness"]

    texts["termination"] = "Either side ends it with a month's notice."
    assert mou.completeness(texts).complete


def test_mou_6_it_warns_of_either_term_in_any_case_and_names_every_section():
    texts = {
        "goals": "This Partnership   Agreement sets out our goals.",
        "roles": "Unlike a JOINT-VENTURE, no money is shared.",
        "budget": "See the partnership agreements of 2023.",
    }
    warnings = mou.wording_warnings(texts, title="Joint venture with the council")
    by_term = {w.term: w for w in warnings}
    assert by_term["partnership agreement"].where == (
        "Goals and shared agreements",
        "Budget and funding",
    )
    assert by_term["joint venture"].where == ("Title", "Roles and responsibilities")
    message = by_term["partnership agreement"].message
    assert "liability" in message and "memorandum of understanding" in message
    assert "legal" in by_term["joint venture"].message


def test_mou_6_words_that_only_look_alike_are_not_warned_of():
    texts = {"goals": "Our partnership; an agreement on hours. A joint event, a venture."}
    assert mou.wording_warnings(texts) == []
