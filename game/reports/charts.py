"""Charts in plain characters, for terminals and text reports."""

from __future__ import annotations

from game.scenario.text import format_number


def chart_axis(count: int, low: float, high: float, width: int, height: int) -> str:
    """The x axis for `escalation_chart` with the same arguments: each point's
    number (0 = the start) under its column, where there is room for it."""
    labels = [format_number(high), format_number(low)]
    if height >= 5:
        labels.append(format_number(high - (high - low) * ((height - 1) // 2) / (height - 1)))
    label_width = max(len(text) for text in labels)
    plot_width = width - label_width - 2
    axis = [" "] * plot_width
    for i in range(count):
        column = round(i * (plot_width - 1) / (count - 1)) if count > 1 else 0
        text = str(i)
        start = min(column, plot_width - len(text))
        if all(c == " " for c in axis[max(0, start - 1) : start + len(text) + 1]):
            axis[start : start + len(text)] = list(text)
    return "turn".rjust(label_width) + "  " + "".join(axis)


def escalation_chart(values: list[float], low: float, high: float, width: int, height: int) -> list[str]:
    """A line chart of `values` (e.g. tension at the start and after each turn)
    in plain characters: `height` rows of exactly `width` characters.

    The y axis runs from `low` (bottom row) to `high` (top row), labelled at
    both ends and in the middle; values outside are drawn at the edge. The
    series spreads across the plot's width: '*' marks each value, '/', '\\'
    and '-' the line between them, '|' its steep parts.
    """
    if high <= low:
        raise ValueError(f"the chart needs high > low, not {low}..{high}")
    if height < 2:
        raise ValueError("the chart needs at least 2 rows")
    labels = {0: format_number(high), height - 1: format_number(low)}
    if height >= 5:
        labels[(height - 1) // 2] = format_number(high - (high - low) * ((height - 1) // 2) / (height - 1))
    label_width = max(len(text) for text in labels.values())
    plot_width = width - label_width - 2
    if plot_width < 1:
        raise ValueError(f"a width of {width} leaves no room to plot (labels take {label_width + 2})")
    grid = [[" "] * plot_width for _ in range(height)]

    def row(value: float) -> int:
        share = (min(high, max(low, value)) - low) / (high - low)
        return height - 1 - round(share * (height - 1))

    n = len(values)
    if n:
        columns = [round(i * (plot_width - 1) / (n - 1)) if n > 1 else 0 for i in range(n)]
        points = dict(zip(columns, values))  # a later value wins a shared column
        last = columns[-1]
        previous: int | None = None
        for c in range(last + 1):
            if c in points:
                v = points[c]
            else:
                t = c * (n - 1) / last
                i = min(int(t), n - 2)
                v = values[i] + (values[i + 1] - values[i]) * (t - i)
            r = row(v)
            if previous is None or r == previous:
                mark = "-"
            else:
                mark = "/" if r < previous else "\\"
                step = -1 if r < previous else 1
                for between in range(previous + step, r, step):
                    grid[between][c] = "|"
            grid[r][c] = mark
            previous = r
        for c, v in points.items():
            grid[row(v)][c] = "*"
    return [labels.get(r, "").rjust(label_width) + " |" + "".join(grid[r]) for r in range(height)]
