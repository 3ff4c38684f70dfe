"""The end of the game: the outcome, its debrief text, each team's score."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from game.tui import render
from game.tui.hanging import Hanging
from game.tui.widgets.footer import KeyFooter
from game.tui.widgets.header import SeatHeader
from game.workshop.present import EndView


class EndScreen(Screen):
    BINDINGS = [Binding("enter", "review", "After-action review")]

    def __init__(self, view: EndView, on_review: Callable[[], None]):
        super().__init__()
        self.view = view
        self.on_review = on_review

    def compose(self) -> ComposeResult:
        yield SeatHeader(self.view.header, "the game is over")
        with VerticalScroll(classes="reading"):
            yield Static(Hanging(render.end(self.view)), id="end-text")
        yield Static("↑↓ scroll    enter: after-action review", classes="hint")
        yield KeyFooter()

    def action_review(self) -> None:
        if self.is_current:
            self.on_review()
