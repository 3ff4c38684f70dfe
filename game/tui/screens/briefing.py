"""Briefings: the public situation for everyone, then each team's private one,
and the hand-over screen that keeps one team's secrets from the next."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from game.tui import render
from game.tui.widgets.footer import KeyFooter
from game.tui.widgets.header import SeatHeader
from game.workshop.present import BriefingView


class PublicBriefingScreen(Screen):
    """What everyone knows: the situation and every team's public briefing."""

    BINDINGS = [Binding("enter", "done", "Continue"), Binding("i", "app.sources", "Sources")]

    def __init__(self, view: BriefingView, on_done: Callable[[], None]):
        super().__init__()
        self.view = view
        self.on_done = on_done

    def compose(self) -> ComposeResult:
        yield SeatHeader(self.view.header, "public briefing")
        with VerticalScroll(classes="reading"):
            yield Static(render.public_briefing(self.view), id="public-briefing")
        yield Static("↑↓ scroll    enter: continue    i: sources", classes="hint")
        yield KeyFooter()

    def action_done(self) -> None:
        if self.is_current:  # not a key queued before the screen was replaced
            self.on_done()


class PrivateBriefingScreen(Screen):
    """One team's private briefing and objectives."""

    BINDINGS = [Binding("enter", "done", "Done"), Binding("i", "app.sources", "Sources")]

    def __init__(self, view: BriefingView, on_done: Callable[[], None]):
        super().__init__()
        self.view = view
        self.on_done = on_done

    def compose(self) -> ComposeResult:
        yield SeatHeader(self.view.header, "private briefing")
        with VerticalScroll(classes="reading"):
            yield Static(render.private_briefing(self.view), id="private-briefing")
        yield Static("↑↓ scroll    enter: done", classes="hint")
        yield KeyFooter()

    def action_done(self) -> None:
        if self.is_current:
            self.on_done()


class HandOverScreen(Screen):
    """A blank screen between teams: nothing of the last team's work shows.

    The app ignores every key for a moment after it appears and after it is
    passed, so keys typed ahead for the screen before cannot skip it."""

    BINDINGS = [Binding("enter", "ready", "Ready")]

    def __init__(self, team: str, purpose: str, on_ready: Callable[[], None]):
        super().__init__()
        self.team = team
        self.purpose = purpose
        self.on_ready = on_ready

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(
                Text.assemble(
                    ("Pass the keyboard to the\n", ""),
                    (self.team, "bold"),
                    (" team,\n", ""),
                    ("then press Enter.\n\n", ""),
                    (self.purpose, "italic"),
                ),
                id="handover",
            )
        yield KeyFooter()

    def action_ready(self) -> None:
        if self.is_current:
            self.on_ready()
