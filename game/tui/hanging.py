"""Long lines that wrap under their own indent, for the pages of text the screens show.

A module of its own, light to import (Rich only): the dialogs use it, and they are
imported before the title screen is drawn."""

from __future__ import annotations

import re

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

# What starts an item whose wrapped lines go under its text: a bullet, a number.
MARKER = re.compile(r"(?:[•\-*] |\d{1,3}[.)] )")


class Hanging:
    """A page of text whose long lines wrap under their item, not at the left edge: at 80
    columns the second line of an indented line ("   dice: ... rolled 78:", then
    "     SUCCESS") or of a bullet still reads as part of it. An indented line goes on
    two columns in from where it starts, a bullet or a number under its text; a line
    of prose at the margin wraps at the margin."""

    HANG = 2  # columns the wrapped part of an indented line stands in from where it starts

    def __init__(self, text: Text) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text.plain

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.text)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        rows: list[Text] = []
        for line in self.text.split("\n", allow_blank=True):
            rows.extend(hanging_rows(console, line, width))
        yield Text("\n").join(rows)


def hanging_rows(console: Console, line: Text, width: int) -> list[Text]:
    """`line` wrapped to `width`: the first row as it starts, the others under its item."""
    if line.cell_len <= width:
        return [line]
    plain = line.plain
    indent = len(plain) - len(plain.lstrip(" "))
    marker = MARKER.match(plain, indent)
    hang = indent + (len(marker.group()) if marker else Hanging.HANG if indent else 0)
    if hang > width // 3:  # a deep indent on a narrow page: wrap at the margin
        return list(line.wrap(console, width))
    body = line[indent:]
    first = body.wrap(console, width - indent)[0]
    cut = len(first.plain)
    while cut < len(body.plain) and body.plain[cut] == " ":  # the spaces the row broke at
        cut += 1
    rows = [Text.assemble(" " * indent, first)]
    rows.extend(Text.assemble(" " * hang, row) for row in body[cut:].wrap(console, width - hang))
    return rows
