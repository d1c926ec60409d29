"""The policy differences report (policy/report.py), as a specification: no database."""

from __future__ import annotations

from decimal import Decimal

from onelibrary.policy.report import (
    Case,
    Member,
    cases_for,
    csv_rows,
    differences,
    plural,
    safe_cell,
)
from onelibrary.policy.resolve import Rule

MEMBERS = [Member("ELK", "Elk Valley"), Member("PINE", "Pine Creek"), Member("RIV", "Riverton")]
GROUP_DEFAULT = Rule(
    id=1,
    name="Group default",
    values={
        "loan_days": 21,
        "renewals_allowed": 2,
        "max_items_out": 30,
        "fine_per_day": None,
        "fine_cap": None,
        "fine_block_threshold": Decimal("10.00"),
        "holdable": True,
    },
)
GROUP_DVDS = Rule(id=2, name="Group DVDs", item_type="dvd", values={"loan_days": 14})


def report(*rules: Rule, members=MEMBERS, cases=None):
    return differences(
        [GROUP_DEFAULT, GROUP_DVDS, *rules],
        members,
        cases or cases_for(["book", "dvd"], ["adult"]),
        reason_labels={"local": "Local history"},
    )


def section(result, item_type):
    [found] = [s for s in result.sections if s.item_type == item_type]
    return found


def row(found, code):
    return next(r for r in found.members if r.code == code)


def test_it_shows_a_member_overriding_the_dvd_loan_period_as_a_difference():
    pine_dvds = Rule(
        id=10, name="Pine DVDs", library="PINE", item_type="dvd", values={"loan_days": 7}
    )
    dvds = section(report(pine_dvds), "dvd")
    assert dvds.default.cell("loan").text == "14 days"
    pine = row(dvds, "PINE").cell("loan")
    assert (pine.text, pine.differs, pine.default_text) == ("7 days", True, "14 days")
    assert "Pine DVDs" in pine.source
    assert not row(dvds, "RIV").differs and not row(dvds, "ELK").differs
    assert dvds.differing_members == 1
    assert not row(section(report(pine_dvds), "book"), "PINE").differs


def test_it_counts_members_in_the_summary_sentence():
    rules = (
        Rule(id=10, name="Pine DVDs", library="PINE", item_type="dvd", values={"loan_days": 7}),
        Rule(
            id=11, name="Elk keeps DVDs", library="ELK", item_type="dvd", values={"holdable": False}
        ),
    )
    summary = report(*rules).summary
    assert "All 3 members lend books for 21 days." in summary
    assert (
        "1 of 3 members lends DVDs for 14 days; 1 lends them for 7 days; "
        "1 does not lend DVDs to the group." in summary
    )


def test_it_puts_the_largest_group_first():
    members = [Member(code, code) for code in "ABCDE"]
    rules = [
        Rule(id=20 + i, name=f"{code} DVDs", library=code, item_type="dvd", values={"loan_days": 7})
        for i, code in enumerate("ABC")
    ]
    rules.append(
        Rule(
            id=30, name="E exempt", library="E", item_type="dvd", values={"exempt_reason": "local"}
        )
    )
    summary = report(*rules, members=members).summary
    assert (
        "3 of 5 members lend DVDs for 7 days; 1 lends them for 14 days; "
        "1 does not lend DVDs to the group." in summary
    )
    exempt = row(section(report(*rules, members=members), "dvd"), "E").cell("holds")
    assert (exempt.text, exempt.differs) == ("exempt: Local history", True)


def test_it_shows_fine_free_members_as_such():
    pine_fines = Rule(
        id=10,
        name="Pine fines",
        library="PINE",
        values={"fine_per_day": Decimal("0.25"), "fine_cap": Decimal("5.00")},
    )
    books = section(report(pine_fines), "book")
    assert row(books, "RIV").cell("fines").text == "fine-free"
    assert books.default.cell("fines").text == "fine-free"
    pine = row(books, "PINE").cell("fines")
    assert (pine.text, pine.differs) == ("$0.25 a day, up to $5.00", True)
    assert "2 of 3 members are fine-free for all items; 1 charges $0.25 a day, up to $5.00." in (
        report(pine_fines).summary
    )


def test_it_says_nothing_of_settings_every_member_shares_but_the_loan_period():
    assert report().summary == (
        "All 3 members lend books for 21 days.",
        "All 3 members lend DVDs for 14 days.",
    )


def test_it_shares_a_section_between_patron_categories_with_the_same_answers():
    child_books = Rule(
        id=10,
        name="Riverton children",
        library="RIV",
        patron_category="child",
        values={"loan_days": 28},
    )
    result = report(child_books, cases=cases_for(["book"], ["adult", "child", "senior"]))
    titles = [s.title for s in result.sections]
    assert titles == ["Books — adult and senior patrons", "Books — child patrons"]
    assert (
        "For child patrons, 2 of 3 members lend books for 21 days; 1 lends them for 28 days."
        in (result.summary)
    )


def test_it_ignores_a_member_override_of_a_locked_group_setting():
    locked = Rule(
        id=3,
        name="Group DVD renewals",
        item_type="dvd",
        locked=True,
        values={"renewals_allowed": 1},
    )
    riv = Rule(
        id=10, name="RIV DVDs", library="RIV", item_type="dvd", values={"renewals_allowed": 5}
    )
    dvds = section(report(locked, riv), "dvd")
    assert row(dvds, "RIV").cell("renewals").text == "1"
    assert not row(dvds, "RIV").differs


def test_it_reports_a_missing_group_default_instead_of_failing():
    result = differences([GROUP_DVDS], MEMBERS, [Case("book", "adult")])
    [books] = result.sections
    assert books.default.problem
    assert "group default rule must set every setting" in result.summary[0]


def test_it_names_item_types_in_plain_words():
    assert [plural(t) for t in ("dvd", "book", "large_print", "music_cd", "maps", "")] == [
        "DVDs",
        "books",
        "large print items",
        "music CDs",
        "maps",
        "items with no item type",
    ]


def test_it_says_once_what_holds_for_several_item_types():
    reference = Rule(id=3, name="Reference", collection="REF", values={"holdable": False})
    cases = cases_for(["book", "dvd", "map"], ["adult", "child"], {"book": ["REF"], "map": ["REF"]})
    summary = report(reference, cases=cases).summary
    assert summary == (
        "All 3 members lend books and maps for 21 days.",
        "None of the 3 members lend items in the REF collection to the group.",
        "All 3 members lend DVDs for 14 days.",
    )


def test_it_says_once_what_holds_for_every_patron_category():
    children = Rule(id=3, name="Children", patron_category="child", values={"max_items_out": 10})
    result = report(children, cases=cases_for(["book"], ["adult", "child"]))
    assert [s.title for s in result.sections] == ["Books — adult patrons", "Books — child patrons"]
    assert result.summary == ("All 3 members lend books for 21 days.",)


def test_it_writes_every_row_to_the_csv_with_what_differs():
    pine_dvds = Rule(
        id=10, name="Pine DVDs", library="PINE", item_type="dvd", values={"loan_days": 7}
    )
    rows = csv_rows(report(pine_dvds))
    header, *body = rows
    assert header[:6] == [
        "item type",
        "collection",
        "patron categories",
        "library code",
        "library",
        "loan period (days)",
    ]
    assert len(body) == 2 * (1 + len(MEMBERS))
    pine = next(r for r in body if r[0] == "dvd" and r[3] == "PINE")
    assert pine[5] == "7" and pine[-1] == "loan period"
    group = next(r for r in body if r[0] == "dvd" and r[3] == "GROUP")
    assert group[5] == "14" and group[-1] == ""


def test_it_keeps_spreadsheets_from_running_csv_cells_as_formulas():
    assert [safe_cell(v) for v in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "ok", None)] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "ok",
        "",
    ]
    rows = csv_rows(report(members=[Member("EVIL", '=HYPERLINK("http://x")')]))
    assert all(r[4] == '\'=HYPERLINK("http://x")' for r in rows[1:] if r[3] == "EVIL")
