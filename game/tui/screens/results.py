"""The results of a turn: what each team did and what came of it, with the dice,
as far as the seat may know it."""

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
from game.tui.widgets.tabbar import TabBar, tab_bindings
from game.workshop.present import ResultsView, SituationView

TABS = [("results", "Results"), ("situation", "Situation")]


class ResultsScreen(Screen):
    BINDINGS = [
        Binding("enter", "next", "Continue"),
        *tab_bindings(TABS),
        Binding("i", "app.sources", "Sources"),
    ]

    def __init__(self, view: ResultsView, situation: SituationView, on_next: Callable[[], None]):
        super().__init__()
        self.view = view
        self.situation = situation
        self.on_next = on_next
        self.turn = view.turn

    def compose(self) -> ComposeResult:
        yield SeatHeader(self.view.header, f"results of turn {self.view.turn}")
        yield TabBar(TABS, "results")
        with VerticalScroll(id="results-log"):
            yield Static(Hanging(render.results(self.view)), id="results-text")
        yield Static("↑↓ scroll    1 results  2 situation    enter: continue", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#results-log").focus()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabBar).show(tab)
        text = render.results(self.view) if tab == "results" else render.situation(self.situation)
        self.query_one("#results-text", Static).update(Hanging(text))
        self.query_one("#results-log", VerticalScroll).scroll_home(animate=False)

    def action_next(self) -> None:
        if self.is_current:  # not a key queued before the screen was replaced
            self.on_next()
