"""The charts, drawn on the server as SVG with matplotlib (Agg): they need no JavaScript
and print in the PDFs. Each is decorative beside its table, which the page shows as the
text alternative (the SVG carries `aria-hidden`; the figure's caption names the table).
"""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")  # no display on a server; must precede pyplot

from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from onelibrary.insights.series import Month  # noqa: E402

BLUE, ORANGE, GREY = "#1f5f99", "#b3541e", "#555555"
plt.rcParams.update({"svg.fonttype": "none", "font.size": 9, "figure.dpi": 96})


def _svg(fig: Figure) -> str:
    out = io.StringIO()
    fig.savefig(out, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = out.getvalue()
    start = text.index("<svg")
    # Decorative: the table beside it is the text alternative.
    return text[start:].replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


LABELLED = 40  # members: past this, a chart names every k-th member, so labels stay legible
LARGEST = 12.0  # inches: a chart of a big group is no bigger (and its image stays small)


def _ticks(codes: list[str]) -> tuple[list[int], list[str]]:
    step = -(-len(codes) // LABELLED)  # ceiling
    at = list(range(0, len(codes), step))
    return at, [codes[i] for i in at]


def heat_map(codes: list[str], cells: dict[tuple[str, str], int]) -> str:
    """The member × member lending matrix: rows lend, columns borrow."""
    size = min(LARGEST, max(3.0, 0.45 * len(codes) + 1.5))
    fig, ax = plt.subplots(figsize=(size + 1, size))
    grid = [[cells.get((o, b), 0) for b in codes] for o in codes]
    image = ax.imshow(grid, cmap="Blues", interpolation="nearest")
    at, labels = _ticks(codes)
    ax.set_xticks(at, labels, rotation=90)
    ax.set_yticks(at, labels)
    ax.set_xlabel("Borrower's patrons")
    ax.set_ylabel("Lender")
    fig.colorbar(image, ax=ax, label="Items lent")
    return _svg(fig)


def net_bars(nets: list[tuple[str, int]]) -> str:
    """Each member's net lending, lenders above the line, borrowers below."""
    nets = sorted(nets, key=lambda cn: cn[1], reverse=True)
    fig, ax = plt.subplots(figsize=(min(LARGEST, max(4.0, 0.35 * len(nets) + 2)), 3))
    ax.bar(
        range(len(nets)),
        [v for _, v in nets],
        color=[BLUE if v >= 0 else ORANGE for _, v in nets],
    )
    ax.axhline(0, color=GREY, linewidth=0.8)
    ax.set_ylabel("Lent minus borrowed")
    at, labels = _ticks([c for c, _ in nets])
    ax.set_xticks(at, labels, rotation=90)
    return _svg(fig)


def fill_distribution(histogram: dict[int, int]) -> str:
    """How many holds reached the shelf after how many days."""
    days = sorted(histogram)
    fig, ax = plt.subplots(figsize=(5, 2.6))
    ax.bar(days, [histogram[d] for d in days], color=BLUE, width=0.9)
    ax.set_xlabel("Days from placing the hold to the hold shelf")
    ax.set_ylabel("Holds filled")
    return _svg(fig)


def trend(months: list[Month], lent_label: str = "Lent between members") -> str:
    """Own loans and loans between members (or lent, for one member), month by month."""
    labels = [m.month.strftime("%b %y") for m in months]
    fig, ax = plt.subplots(figsize=(6, 2.6))
    ax.plot(labels, [m.own_loans for m in months], color=BLUE, marker="o", label="Own loans")
    ax.plot(labels, [m.lent for m in months], color=ORANGE, marker="s", label=lent_label)
    ax.set_ylabel("Loans")
    ax.tick_params(axis="x", rotation=45)
    ax.legend(frameon=False)
    return _svg(fig)


def as_data_uri(svg: str) -> str:
    """The SVG as an image address, for the PDF."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
