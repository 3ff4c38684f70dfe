"""A one-line bar of numbered tabs. The screens keep one text area per group of
tabs and swap its text: far cheaper than showing and hiding widget trees (a
key press on the turn screen must stay well under 50 ms of work)."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static


def tab_bindings(tabs: list[tuple[str, str]]) -> list[Binding]:
    """The keys 1, 2, 3... for `tabs` (key, title), in order: one list says both."""
    return [Binding(str(n), f"tab('{key}')", title, show=False) for n, (key, title) in enumerate(tabs, 1)]


class TabBar(Static):
    DEFAULT_CSS = """
    TabBar { height: 1; padding: 0 1; background: $boost; }
    """

    def __init__(self, tabs: list[tuple[str, str]], active: str, **kwargs):
        super().__init__(**kwargs)
        self.tabs = tabs  # (key, title)
        self.active = active
        self.extra = ""  # shown at the right, e.g. a countdown

    def on_mount(self) -> None:
        self.show(self.active)

    def show(self, key: str | None = None, extra: str | None = None) -> None:
        self.active = key or self.active
        self.extra = self.extra if extra is None else extra
        room = self.content_region.width or self.app.size.width - 2
        longest = max((len(title) for _tab, title in self.tabs), default=0)
        # Every tab stays on the bar. Whole titles first, spaced out, then closer together
        # (the numbers still part them); only then are the others' titles shortened, evenly,
        # until it fits (the active one keeps its whole title).
        bar = self._bar(longest, roomy=True)
        if bar.cell_len > room:
            for cut in range(longest, 2, -1):
                bar = self._bar(cut, roomy=False)
                if bar.cell_len <= room:
                    break
        self.update(bar, layout=False)

    def _bar(self, cut: int, roomy: bool) -> Text:
        bar = Text(no_wrap=True, overflow="ellipsis")
        if self.extra:
            bar.append(self.extra + "  ", style="bold reverse")
        pad = " " if roomy else ""
        for number, (tab, title) in enumerate(self.tabs, 1):
            if tab == self.active:  # marked by brackets as well as by style
                bar.append(f"[{number} {title}]", style="bold reverse")
            else:
                short = title if len(title) <= cut else title[: cut - 1].rstrip() + "…"
                bar.append(f"{pad}{number} {short}{pad}")
            bar.append(" ")
        return bar

    def on_resize(self) -> None:
        self.show()
