"""Several policies on the same group and the same demand: one table and its takeaways.

The variants differ from a base policy (the command line's floating and local window) in
one thing each: routing, the load weight, floating, or the local-priority window. They
run in parallel processes when there is more than one core; every variant replays the
same `Demand`, so the differences come from the policy alone.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

from onelibrary.simulation.demand import Demand
from onelibrary.simulation.engine import simulate
from onelibrary.simulation.figures import Figures, figures
from onelibrary.simulation.policy import Policy
from onelibrary.simulation.world import World

LOAD_WEIGHTS = (0.0, 0.5, 1.0, 2.0, 4.0)
REFERENCE_WEIGHT = 1.0  # the group policy's default load weight: floating and windows vary it
COURIER_ALLOWANCE = 0.05  # "for at most 5% more courier days per fill"
NEAREST = "nearest copy (today)"
NEAREST_AGAIN = "nearest, other ties"

_SHARED: tuple[World, Demand, int, int] | None = None  # for worker processes (fork)
_TICKS: multiprocessing.Queue | None = None


def variants(base: Policy) -> list[Policy]:
    """Nearest copy, twice (other random tie-breaks: the size of chance); optimal at each
    load weight; then, at the reference weight, floating none and all (whichever the base
    is not) and the local window off (or 30 days)."""
    nearest = replace(base, routing="nearest", label=NEAREST)
    found = [nearest, replace(nearest, tie_seed=1, label=NEAREST_AGAIN)]
    found += [
        replace(base, routing="optimal", load_weight=w, label=f"optimal, load weight {w:g}")
        for w in LOAD_WEIGHTS
    ]
    reference = replace(base, routing="optimal", load_weight=REFERENCE_WEIGHT)
    for floating in ("none", "all"):
        if base.floating != floating:
            found.append(
                replace(reference, floating=floating, label=f"optimal 1, floating {floating}")
            )
    window = 0 if base.local_window else 30
    found.append(replace(reference, local_window=window, label=f"optimal 1, window {window} days"))
    return found


def _run_one(policy: Policy) -> Figures:
    assert _SHARED is not None
    world, demand, seed, days = _SHARED
    ticks = _TICKS

    def tick(n: int) -> None:
        if ticks is not None:
            ticks.put(n)

    return figures(simulate(world, demand, policy, seed=seed, days=days, progress=tick), world)


def run_all(
    world: World,
    demand: Demand,
    policies: Sequence[Policy],
    *,
    seed: int,
    days: int,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> list[Figures]:
    """Figures for each policy, in order. `progress` is called with days done."""
    global _SHARED, _TICKS
    if jobs <= 1 or len(policies) <= 1:
        return [
            figures(simulate(world, demand, p, seed=seed, days=days, progress=progress), world)
            for p in policies
        ]
    context = multiprocessing.get_context("fork")
    _SHARED, _TICKS = (world, demand, seed, days), context.Queue()
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = [pool.submit(_run_one, p) for p in policies]
            while not all(f.done() for f in futures):
                _drain(_TICKS, progress, timeout=0.2)
            _drain(_TICKS, progress, timeout=0)
            return [f.result() for f in futures]
    finally:
        _SHARED, _TICKS = None, None


def _drain(ticks: multiprocessing.Queue, progress: Callable[[int], None] | None, timeout: float):
    try:
        n = ticks.get(timeout=timeout) if timeout else ticks.get_nowait()
        while True:
            if progress:
                progress(n)
            n = ticks.get_nowait()
    except queue.Empty:
        return


# -- the table ------------------------------------------------------------------------------

COLUMNS = (
    ("variant", "{}", "<"),
    ("filled", "{:,}", ">"),
    ("days mean", "{:.2f}", ">"),
    ("days p90", "{:.1f}", ">"),
    ("courier d/fill", "{:.3f}", ">"),
    ("moves", "{:,}", ">"),
    ("home", "{:,}", ">"),
    ("new lent", "{:,}", ">"),
    ("balance", "{:.3f}", ">"),
    ("top lender", "{}", ">"),
)


def _row(f: Figures) -> list[str]:
    top = f"{f.largest_net_lender_library} {f.largest_net_lender:+,}"
    values = (
        f.variant,
        f.holds_filled,
        f.mean_days_to_shelf,
        f.p90_days_to_shelf,
        f.courier_days_per_fill,
        f.courier_moves,
        f.courier_moves_home,
        f.new_copies_lent,
        f.lending_balance,
        top,
    )
    return [fmt.format(v) for (_, fmt, _), v in zip(COLUMNS, values, strict=True)]


def table(results: Sequence[Figures]) -> str:
    rows = [[name for name, _, _ in COLUMNS]] + [_row(f) for f in results]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if align == "<" else c.rjust(w)
            for c, w, (_, _, align) in zip(cells, widths, COLUMNS, strict=True)
        ).rstrip()

    out = [line(rows[0]), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows[1:]]
    return "\n".join(out)


LEGEND = (
    "filled: holds on the hold shelf during the run. days: from placing a hold to its copy on "
    "the hold shelf (mean, 90th percentile). courier d/fill: courier days of the trips that "
    "brought those copies, per fill. moves: every courier trip, to a pickup branch or home "
    "after a loan (home). new lent: copies lent to another member's patron within 30 days of "
    "purchase. balance: mean over members of |log((lent+1)/(borrowed+1))|, 0 when every "
    "member lends as much as it borrows. top lender: the largest net lender, lent minus "
    "borrowed."
)


# -- takeaways ------------------------------------------------------------------------------


def _pct(new: float, old: float) -> float:
    return 100.0 * (new - old) / old if old else 0.0


def _change(new: float, old: float, unit: str) -> str:
    change = _pct(new, old)
    if abs(change) < 0.05:
        return f"no change in {unit}"
    return f"{abs(change):.1f}% {'more' if change > 0 else 'fewer'} {unit}"


def longer_waits(a: Figures, b: Figures) -> list[tuple[float, str]]:
    """(days, member) for each member whose own patrons waited longer on average under `a`
    than under `b`, longest first."""
    theirs = {m.code: m for m in b.members}
    worse = []
    for m in a.members:
        mine, other = m.mean_days_to_shelf, theirs[m.code].mean_days_to_shelf
        if mine is not None and other is not None and mine > other:
            worse.append((round(mine - other, 3), m.code))
    return sorted(worse, reverse=True)


def _members_longer(a: Figures, b: Figures) -> str:
    worse = longer_waits(a, b)
    text = f"the patrons of {len(worse)} of {len(a.members)} members wait longer on average"
    if worse:
        text += f", by at most {worse[0][0]:.2f} days ({worse[0][1]})"
    return text


def _routing_line(zero: Figures, nearest: Figures) -> str:
    return (
        "Optimal routing without a load term, against nearest copy: "
        f"{_change(zero.courier_days_per_fill, nearest.courier_days_per_fill, 'courier days')}"
        f" per fill; days to shelf {zero.mean_days_to_shelf:.2f} against "
        f"{nearest.mean_days_to_shelf:.2f} on average and {zero.p90_days_to_shelf:g} against "
        f"{nearest.p90_days_to_shelf:g} at the 90th percentile; "
        f"{_members_longer(zero, nearest)}."
    )


def _chance_line(again: Figures, nearest: Figures) -> str:
    both = [(again, nearest), (nearest, again)]
    spread = max((days for a, b in both for days, _ in longer_waits(a, b)[:1]), default=0.0)
    return (
        "Chance: two nearest-copy runs that differ only in random tie-breaks differ by "
        f"{abs(again.mean_days_to_shelf - nearest.mean_days_to_shelf):.2f} days to shelf on "
        f"average, by up to {spread:.2f} days for one member's patrons, and by "
        f"{abs(_pct(again.courier_days_per_fill, nearest.courier_days_per_fill)):.1f}% in "
        "courier days per fill: differences no larger than these are not the policy's doing."
    )


def _weight_line(w: float, f: Figures, zero: Figures) -> str:
    excess = _pct(f.largest_net_lender, zero.largest_net_lender)
    return (
        f"Load weight {w:g}: the largest net lender's excess {'falls' if excess < 0 else 'rises'}"
        f" by {abs(excess):.0f}% ({zero.largest_net_lender_library} {zero.largest_net_lender:+,}"
        f" at weight 0, {f.largest_net_lender_library} {f.largest_net_lender:+,} now) for "
        f"{_change(f.courier_days_per_fill, zero.courier_days_per_fill, 'courier days')} per "
        f"fill; lending balance {f.lending_balance:.3f} against {zero.lending_balance:.3f}."
    )


def _best_weight_line(weighted: Sequence[tuple[float, Figures]], zero: Figures) -> str | None:
    fits = [
        (_pct(f.largest_net_lender, zero.largest_net_lender), w, f)
        for w, f in weighted
        if _pct(f.courier_days_per_fill, zero.courier_days_per_fill) <= 100 * COURIER_ALLOWANCE
    ]
    if not fits:
        return None
    excess, w, f = min(fits, key=lambda t: (t[0], t[1]))
    courier = _pct(f.courier_days_per_fill, zero.courier_days_per_fill)
    verdict = "meets" if excess <= -15 else "misses"
    return (
        f"For at most {100 * COURIER_ALLOWANCE:.0f}% more courier days per fill, load weight "
        f"{w:g} evens lending most: the largest net lender's excess {excess:+.0f}%, courier "
        f"days per fill {courier:+.1f}% ({verdict} the aim of a 15% cut)."
    )


def _floating_line(p: Policy, f: Figures, base: Policy, ref: Figures) -> str:
    return (
        f"{floating_name(p.floating).capitalize()}, against {floating_name(base.floating)}: "
        f"{_change(f.courier_moves, ref.courier_moves, 'courier moves')} "
        f"({f.courier_moves_home:,} trips home against {ref.courier_moves_home:,}); lending "
        f"balance {f.lending_balance:.3f} against {ref.lending_balance:.3f}; days to shelf "
        f"{f.mean_days_to_shelf:.2f} against {ref.mean_days_to_shelf:.2f}."
    )


def _window_line(a: tuple[Policy, Figures], b: tuple[Policy, Figures]) -> str:
    (wide, f), (narrow, g) = sorted([a, b], key=lambda pf: -pf[0].local_window)
    return (
        f"A local-priority window of {wide.local_window} days, against {narrow.local_window}: "
        f"{f.new_copies_lent:,} copies lent to other members' patrons in their first 30 days "
        f"against {g.new_copies_lent:,}; days to shelf {f.mean_days_to_shelf:.2f} against "
        f"{g.mean_days_to_shelf:.2f} on average and {f.p90_days_to_shelf:g} against "
        f"{g.p90_days_to_shelf:g} at the 90th percentile; with the longer window "
        f"{_members_longer(f, g)}."
    )


def floating_name(floating: str | frozenset[str]) -> str:
    if floating == "members":
        return "floating what each member floats today"
    if floating == "none":
        return "no floating"
    if floating == "all":
        return "floating every collection"
    return "floating " + ", ".join(sorted(floating))


def takeaways(results: Sequence[Figures], policies: Sequence[Policy]) -> list[str]:
    """Plain sentences a board can read, for the rows `variants()` makes (in that order)."""
    pairs = list(zip(policies, results, strict=True))
    nearest = next(f for p, f in pairs if p.label == NEAREST)
    base = policies[0]
    same = [
        (p, f)
        for p, f in pairs
        if p.routing == "optimal"
        and p.floating == base.floating
        and p.local_window == base.local_window
    ]
    weighted = [(p.load_weight, f) for p, f in same]
    zero = next(f for w, f in weighted if w == 0)
    ref = next(f for w, f in weighted if w == REFERENCE_WEIGHT)
    lines = [_routing_line(zero, nearest)]
    again = next((f for p, f in pairs if p.label == NEAREST_AGAIN), None)
    if again is not None:
        lines.append(_chance_line(again, nearest))
    lines += [_weight_line(w, f, zero) for w, f in weighted if w != 0]
    best = _best_weight_line([(w, f) for w, f in weighted if w != 0], zero)
    if best:
        lines.append(best)
    for p, f in pairs:
        if p.routing == "optimal" and p.floating != base.floating:
            lines.append(_floating_line(p, f, base, ref))
        elif p.routing == "optimal" and p.local_window != base.local_window:
            lines.append(_window_line((p, f), (base, ref)))
    return lines
