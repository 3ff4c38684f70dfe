"""Charts as inline SVG for the HTML reports: no scripts, no fonts or files to fetch.

Every text that comes from a scenario is escaped here. Series differ by dash
pattern and marker shape as well as colour, so the charts read the same in
greyscale print.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from game.scenario.text import format_number

WIDTH = 760
# Colour, dash pattern and marker for each series, in turn, and the line in words.
STYLES = [
    ("#1f4e9c", "", "circle", "solid line with circles"),
    ("#b4441c", "8 4", "square", "dashed line with squares"),
    ("#2d7a3a", "2 4", "diamond", "dotted line with diamonds"),
    ("#6b3fa0", "12 4 2 4", "circle", "dash-dot line with circles"),
    ("#8a6d00", "4 2", "square", "short dashes with squares"),
    ("#333333", "1 3", "diamond", "fine dots with diamonds"),
]
LABEL_GAP = 17  # the least distance between two series' names at the right edge


def _x_labels(count: int) -> list[str]:
    """'start', then each turn's number: values are at the start and after each turn."""
    return ["start"] + [str(i) for i in range(1, count)]


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if shape == "diamond":
        return f'<path d="M{x:.1f} {y - 5:.1f} L{x + 5:.1f} {y:.1f} L{x:.1f} {y + 5:.1f} L{x - 5:.1f} {y:.1f} Z" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def line_chart(
    title: str,
    series: Sequence[tuple[str, Sequence[float]]],
    low: float,
    high: float,
    y_labels: Sequence[tuple[float, str]] | None = None,
    steps: bool = False,
) -> str:
    """An SVG chart of one or more series over the turns (the first value is the start).

    `y_labels` puts named ticks on the y axis (the ladder's levels); by default
    it shows `low`, the middle and `high`. `steps` draws a staircase, for
    values that jump from one turn to the next (the ladder)."""
    if high <= low:
        high = low + 1
    ticks = list(y_labels) if y_labels is not None else [(v, format_number(v)) for v in (low, (low + high) / 2, high)]
    label_width = max(len(text) for _, text in ticks)
    left = 24 + min(label_width, 30) * 7.5
    several = len(series) > 1
    right = WIDTH - (150 if several else 24)
    top, bottom = 20, 30 + max(120, 26 * len(ticks))
    count = max((len(values) for _, values in series), default=1)

    def x(i: int) -> float:
        return left + (right - left) * (i / (count - 1) if count > 1 else 0.5)

    def y(v: float) -> float:
        share = (min(high, max(low, v)) - low) / (high - low)
        return bottom - (bottom - top) * share

    height = bottom + 40
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{left}" y="{top}" width="{right - left:.1f}" height="{bottom - top}" fill="none" stroke="#999"/>',
    ]
    for value, text in ticks:
        ty = y(value)
        out.append(f'<line x1="{left}" y1="{ty:.1f}" x2="{right:.1f}" y2="{ty:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 8:.1f}" y="{ty + 5:.1f}" text-anchor="end">{escape(_short(text, 30))}</text>')
    for i, text in enumerate(_x_labels(count)):
        out.append(f'<text x="{x(i):.1f}" y="{bottom + 22}" text-anchor="middle">{escape(text)}</text>')
    out.append(f'<text x="{(left + right) / 2:.1f}" y="{bottom + 40}" text-anchor="middle" class="axis">turn</text>')
    for n, (_, values) in enumerate(series):
        colour, dash, shape, _ = STYLES[n % len(STYLES)]
        points: list[tuple[float, float]] = []
        for i, v in enumerate(values):
            if steps and points:
                points.append((x(i), points[-1][1]))
            points.append((x(i), y(v)))
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="3"{dashes}/>')
        out.extend(_marker(shape, x(i), y(v), colour) for i, v in enumerate(values))
    if several:  # each series' name at the right, moved apart where lines end close together
        ends = sorted((y(values[-1]), n, name) for n, (name, values) in enumerate(series) if values)
        placed: list[float] = []
        for end, n, name in ends:
            at = max(end, placed[-1] + LABEL_GAP) if placed else end
            placed.append(at)
            colour = STYLES[n % len(STYLES)][0]
            out.append(f'<text x="{right + 10:.1f}" y="{at + 5:.1f}" fill="{colour}">{escape(_short(name, 18))}</text>')
    out.append("</svg>")
    return "\n".join(out)
