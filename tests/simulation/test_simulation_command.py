"""`onelibrary simulate`: options, errors, the JSON line and the --compare table.

No database is touched: these tests have no django_db mark, so any query would fail.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from onelibrary.simulation import compare
from onelibrary.simulation.policy import Policy

KEYS = {
    "holds_filled",
    "mean_days_to_shelf",
    "p90_days_to_shelf",
    "courier_days_per_fill",
    "courier_moves",
    "lending_balance",
    "largest_net_lender",
    "members",
}


def simulate(*args: str) -> tuple[str, dict]:
    out = io.StringIO()
    call_command("simulate", *args, stdout=out)
    text = out.getvalue()
    return text, json.loads(text.strip().splitlines()[-1])


def test_it_ends_with_one_json_line_of_the_figures():
    text, data = simulate("--group", "small", "--days", "40", "--seed", "3", "--json")
    assert set(data) >= KEYS
    assert data["holds_filled"] > 0
    assert data["p90_days_to_shelf"] >= data["mean_days_to_shelf"] >= 0
    assert data["courier_days_per_fill"] > 0 and data["courier_moves"] > 0
    assert data["lending_balance"] >= 0
    assert len(data["members"]) == 11  # the small group's members; the applicant has nothing
    member = data["members"][0]
    assert {"code", "holds_filled", "mean_days_to_shelf", "p90_days_to_shelf", "lent"} <= set(
        member
    )
    assert "holds filled" in text and "largest net lender" in text


def test_it_takes_every_policy_option():
    _, data = simulate(
        "--days",
        "30",
        "--routing",
        "nearest",
        "--floating",
        "dvd,NEW",
        "--local-window",
        "0",
        "--json",
    )
    assert data["variant"] == "nearest"
    _, weighted = simulate("--days", "30", "--load-weight", "2.5", "--json")
    assert weighted["variant"] == "optimal w=2.5"


def test_it_prints_one_compare_table_with_takeaways():
    text, data = simulate("--days", "12", "--compare", "--jobs", "2", "--json")
    policies = compare.variants(Policy())
    assert [v["variant"] for v in data["variants"]] == [p.label for p in policies]
    assert all(set(v) >= KEYS for v in data["variants"])
    assert data["takeaways"] and data["takeaways"][0].startswith("Optimal routing")
    header = next(line for line in text.splitlines() if line.startswith("variant"))
    for column in ("filled", "days mean", "days p90", "courier d/fill", "moves", "balance"):
        assert column in header
    for p in policies:
        assert sum(line.startswith(p.label + " ") for line in text.splitlines()) == 1
    assert "- Load weight 4:" in text and "Floating every collection" in text
    assert "- Chance: two nearest-copy runs" in text
    assert "- A local-priority window of 30 days, against 0:" in text


def test_it_gives_the_same_compare_in_one_process_or_two():
    _, two = simulate("--days", "6", "--compare", "--jobs", "2", "--json")
    _, one = simulate("--days", "6", "--compare", "--jobs", "1", "--json")
    assert one == two


def test_it_makes_the_variants_from_the_base_policy():
    names = [p.label for p in compare.variants(Policy(floating="all", local_window=0))]
    assert "optimal 1, floating none" in names and "optimal 1, floating all" not in names
    assert "optimal 1, window 30 days" in names


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--floating", "DVD,COMICS"], "unknown collection COMICS"),
        (["--floating", ","], "unknown collection"),
        (["--load-weight", "-1"], "--load-weight -1"),
        (["--load-weight", "nan"], "--load-weight nan"),
        (["--local-window", "-3"], "--local-window -3"),
        (["--days", "0"], "--days 0"),
        (["--jobs", "0"], "--jobs 0"),
        (["--compare", "--routing", "nearest"], "--compare runs its own routing"),
        (["--group", "huge"], "invalid choice: 'huge'"),
        (["--routing", "fastest"], "invalid choice: 'fastest'"),
    ],
)
def test_it_refuses_bad_options(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("simulate", *args, stdout=io.StringIO())
