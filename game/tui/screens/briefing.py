"""Briefings: the public situation for everyone, then each team's private one,
and the hand-over screen that keeps one team's secrets from the next."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from game.tui import render
from game.tui.hanging import Hanging
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
            yield Static(Hanging(render.public_briefing(self.view)), id="public-briefing")
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
            yield Static(Hanging(render.private_briefing(self.view)), id="private-briefing")
        yield Static("↑↓ scroll    enter: done", classes="hint")
        yield KeyFooter()

    def action_done(self) -> None:
        if self.is_current:
            self.on_done()


class HandOverScreen(Screen):
    """A blank screen between teams: nothing of the last team's work shows.

    The incoming team passes it with a digit shown on it (a new one each time),
    not with Enter: a key the last team typed ahead, or a double Enter, cannot
    open the next team's screen. The app also drops every key for a moment after
    this screen appears."""

    def __init__(self, team: str, purpose: str, on_ready: Callable[[], None], key: str):
        super().__init__()
        self.team = team
        self.purpose = purpose
        self.on_ready = on_ready
        self.key = key  # the key that passes it: a digit, or "enter" where set up so

    def compose(self) -> ComposeResult:
        shown = "Enter" if self.key == "enter" else self.key
        with Middle(), Center():
            yield Static(
                Text.assemble(
                    ("Pass the keyboard to the\n", ""),
                    (self.team, "bold"),
                    (" team.\n\n", ""),
                    ("When you are ready, press ", ""),
                    (f" {shown} ", "bold reverse"),
                    ("\n\n", ""),
                    (self.purpose, "italic"),
                ),
                id="handover",
            )
            yield Static("", id="handover-hint")
        yield KeyFooter()

    def on_key(self, event: events.Key) -> None:
        if event.key == self.key:
            event.stop()
            if self.is_current:
                self.on_ready()
        elif event.key in ("enter", "space") or event.key.isdigit():  # other keys keep the app's meaning (w, ?)
            event.stop()
            shown = "Enter" if self.key == "enter" else self.key
            self.query_one("#handover-hint", Static).update(f"That key does nothing here: press {shown}.")
