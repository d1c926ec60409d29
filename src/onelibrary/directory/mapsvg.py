"""The branches as a small map in SVG, for the printed pamphlet (no tiles in a PDF).

A plain equirectangular projection, squeezed by the cosine of the middle latitude so
that a degree east and a degree north look the same length on the page: exact enough
for a group a few hundred kilometres across. Plain data in, text out; no database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape

WIDTH, HEIGHT, MARGIN = 600, 400, 40


@dataclass(frozen=True)
class Point:
    code: str
    latitude: float
    longitude: float


def project(points: list[Point]) -> dict[str, tuple[float, float]]:
    """Each point's (x, y) on the page; north is up."""
    if not points:
        return {}
    lats = [p.latitude for p in points]
    squeeze = math.cos(math.radians((min(lats) + max(lats)) / 2))
    xs = [p.longitude * squeeze for p in points]
    ys = [-p.latitude for p in points]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = min((WIDTH - 2 * MARGIN) / span, (HEIGHT - 2 * MARGIN) / span)
    # Centre the points on the page.
    x0 = (WIDTH - (max(xs) - min(xs)) * scale) / 2
    y0 = (HEIGHT - (max(ys) - min(ys)) * scale) / 2
    return {
        p.code: (round(x0 + (x - min(xs)) * scale, 1), round(y0 + (y - min(ys)) * scale, 1))
        for p, x, y in zip(points, xs, ys, strict=True)
    }


def branch_map(points: list[Point]) -> str:
    """An inline SVG: a dot and the code for every branch."""
    shapes = []
    for code, (x, y) in project(points).items():
        shapes.append(
            f'<circle cx="{x}" cy="{y}" r="5" fill="#1d4ed8" stroke="white" stroke-width="1.5"/>'
            f'<text x="{x + 8}" y="{y + 4}" font-size="11" fill="#111">{escape(code)}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="Map of the branches">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#f1f5f9" stroke="#cbd5e1"/>'
        + "".join(shapes)
        + "</svg>"
    )
