"""Every decision-table id in the pages listed in PAGES (docs/circulation/, docs/holds/,
docs/transit.md, and each part's own page) has at least one test that names it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KINDS = "|".join(
    (
        "CHECKOUT",
        "CHECKIN",
        "RENEW",
        "CLAIMS",
        "LOST",
        "DAMAGED",
        "DUE",
        "POLICY",
        "ITEM",
        "LOAN",
        "HOLD",
        "TRANSIT",
        "CRATE",
        "FOUND",
        "MISSING",
        "WITHDRAW",
        "EXPECT",
        "UNPACK",
        "SIP",
        "MONEY",
        "LEDGER",
        "PARTNER",
        "MOU",
        "EVAL",
        "TICKET",
        "SOP",
        "DISPUTE",
        "MEMBER",
        "HELP",
    )
)
ID = re.compile(rf"\b(?:{KINDS})-\d+\b")
PAGES = (
    "circulation/*.md",
    "holds/*.md",
    "transit.md",
    "transit/*.md",
    "sip2.md",
    "ledger.md",
    "outreach.md",
    "directory.md",
    "governance.md",
    "helpdesk.md",
)


def ids_in_docs() -> set[str]:
    found: set[str] = set()
    for doc in sorted({doc for pattern in PAGES for doc in (ROOT / "docs").glob(pattern)}):
        for line in doc.read_text().splitlines():
            if line.startswith("| ") and ID.search(line.split("|")[1]):
                found.add(ID.search(line.split("|")[1]).group())
    return found


def ids_in_tests() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        if path.name == Path(__file__).name:
            continue
        for name in re.findall(r"def (test_\w+)", path.read_text()):
            found |= {
                m.replace("_", "-").upper() for m in re.findall(rf"(?:{KINDS.lower()})_\d+", name)
            }
    return found


def test_it_finds_the_decision_tables():
    assert {"CHECKOUT-1", "CHECKIN-1", "RENEW-1", "POLICY-1", "DUE-2"} <= ids_in_docs()
    assert {"ITEM-11", "LOAN-8", "HOLD-17", "TRANSIT-8", "CRATE-6"} <= ids_in_docs()
    assert {"FOUND-1", "MISSING-2", "WITHDRAW-3", "DAMAGED-4"} <= ids_in_docs()
    assert {f"EXPECT-{n}" for n in range(1, 7)} <= ids_in_docs()
    assert {f"LEDGER-{n}" for n in range(1, 19)} <= ids_in_docs()
    assert "UNPACK-6" in ids_in_docs()
    assert {"SIP-1", "SIP-12"} <= ids_in_docs()
    assert {"MONEY-1", "MONEY-13"} <= ids_in_docs()
    assert {"PARTNER-5", "MOU-1", "MOU-9", "EVAL-5"} <= ids_in_docs()
    assert {"TICKET-1", "TICKET-10", "SOP-1", "SOP-4"} <= ids_in_docs()
    assert {"DISPUTE-1", "DISPUTE-16"} <= ids_in_docs()
    assert {f"MEMBER-{n}" for n in range(1, 11)} <= ids_in_docs()


def test_it_has_a_test_named_for_every_decision_id():
    missing = sorted(
        ids_in_docs() - ids_in_tests(), key=lambda i: (i.split("-")[0], int(i.split("-")[1]))
    )
    assert not missing, f"decision ids without a test named for them: {missing}"
