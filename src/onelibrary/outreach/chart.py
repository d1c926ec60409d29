"""A project's indicators drawn on the server as SVG (matplotlib, Agg backend).

One small panel per indicator: its recorded values over time and its target as a dashed
line. The page shows the same figures as a table, which is the chart's text alternative.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # no display on a server; set before pyplot is imported

from matplotlib import pyplot  # noqa: E402
from matplotlib.dates import DateFormatter  # noqa: E402

from onelibrary.outreach.models import Project  # noqa: E402

# The site's own colours (onelibrary.css), with enough contrast on white.
LINE = "#1f4e79"
TARGET = "#8a3b12"


def project_svg(project: Project) -> str:
    """The chart as an SVG document, or an empty string when there is nothing to draw."""
    indicators = [i for i in project.indicators.all() if i.values.exists()]
    if not indicators:
        return ""
    figure, axes = pyplot.subplots(
        len(indicators), 1, figsize=(7, 2.4 * len(indicators)), squeeze=False
    )
    try:
        for ax, indicator in zip(axes[:, 0], indicators, strict=True):
            values = list(indicator.values.order_by("on"))
            ax.plot(
                [v.on for v in values],
                [float(v.value) for v in values],
                marker="o",
                color=LINE,
                label="recorded",
            )
            ax.axhline(float(indicator.target), color=TARGET, linestyle="--", label="target")
            unit = f" ({indicator.unit})" if indicator.unit else ""
            ax.set_title(f"{indicator.name}{unit}", loc="left", fontsize=10)
            ax.xaxis.set_major_formatter(DateFormatter("%d %b %Y"))
            ax.legend(loc="best", fontsize=8)
            ax.grid(alpha=0.3)
        figure.autofmt_xdate()
        figure.tight_layout()
        out = io.StringIO()
        # A fixed hash salt and no date keep the same figures drawing the same SVG.
        with matplotlib.rc_context({"svg.hashsalt": "onelibrary", "svg.fonttype": "none"}):
            figure.savefig(out, format="svg", metadata={"Date": None})
    finally:
        pyplot.close(figure)
    return out.getvalue()


def inline(svg: str) -> str:
    """The SVG without its XML prologue and doctype, to place inside a page."""
    return svg[svg.index("<svg") :] if svg else ""
