"""The one-line header of a seat's screen: the team's name first, never cut,
then the turn, the date and what the screen is, as far as they fit (the date
left out before anything is cut)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from game.workshop.present import Header


class SeatHeader(Static):
    DEFAULT_CSS = """
    SeatHeader { height: 1; background: $panel; padding: 0 1; }
    """

    def __init__(self, header: Header, what: str = "", **kwargs):
        super().__init__(**kwargs)
        self.header = header
        self.what = what
        self.extra = ""  # e.g. the clock, shown at the right

    def on_mount(self) -> None:
        self.draw()

    def on_resize(self) -> None:
        self.draw()

    def show(self, header: Header | None = None, what: str | None = None, extra: str | None = None) -> None:
        self.header = header or self.header
        self.what = self.what if what is None else what
        self.extra = self.extra if extra is None else extra
        self.draw()

    def draw(self) -> None:
        h = self.header
        width = max(self.size.width - 2, 20)
        turn = f"Turn {h.turn} of {h.max_turns}" if h.turn else "Before turn 1"
        line = Text(h.seat_name, style="bold", no_wrap=True, overflow="ellipsis")
        room = width - len(h.seat_name) - len(self.extra) - 2
        rest = "".join(f" · {p}" for p in (turn, h.date, self.what) if p)
        if len(rest) > room:  # the date goes first (the turn says when), before any word is cut
            rest = "".join(f" · {p}" for p in (turn, self.what) if p)
        if room > 4:
            line.append(rest if len(rest) <= room else rest[: room - 1] + "…")
        if self.extra:
            line.append(" " * max(width - len(line) - len(self.extra), 1))
            line.append(self.extra, style="bold reverse")
        self.update(line, layout=False)
