"""Briefings: the public situation for everyone, then each team's private one,
and the hand-over screen that keeps one team's secrets from the next."""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from game.engine.views import Seat, paragraphs
from game.tui.text import paragraph
from game.tui.widgets.footer import KeyFooter
from game.workshop.session import Session


def briefing_text(items, state) -> Text:
    out = Text()
    for shown in paragraphs(items, state):
        out.append_text(paragraph(shown.text, shown.basis, shown.note))
        out.append("\n\n")
    return out


class PublicBriefingScreen(Screen):
    """What everyone knows: the situation and every team's public briefing."""

    BINDINGS = [Binding("enter", "done", "Continue"), Binding("i", "app.sources", "Sources")]

    def __init__(self, session: Session):
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        s, state = self.session.scenario, self.session.game.state
        text = Text(s.title + "\n", style="bold")
        text.append(f"The situation on {Seat(self.session.game, s.roles[0].id).view().date}\n\n", style="italic")
        text.append_text(briefing_text(s.situation, state))
        for role in s.roles:
            text.append(role.name + "\n", style="bold underline")
            text.append_text(briefing_text(role.public_briefing, state))
        text.append(
            "[reported] facts come from the sources (press i); [disputed] ones are told "
            "differently by different sources; [fiction] is written for the game.",
            style="dim",
        )
        yield Header()
        with VerticalScroll(classes="reading"):
            yield Static(text, id="public-briefing")
        yield Static("↑↓ scroll    enter: continue    i: sources", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "public briefing"

    def action_done(self) -> None:
        self.app.briefed_public()


class PrivateBriefingScreen(Screen):
    """One team's private briefing and objectives."""

    BINDINGS = [Binding("enter", "done", "Done"), Binding("i", "app.sources", "Sources")]

    def __init__(self, session: Session, role: str):
        super().__init__()
        self.session = session
        self.role = role

    def compose(self) -> ComposeResult:
        view = Seat(self.session.game, self.role).view()
        text = Text(f"Private briefing: {view.name}\n", style="bold")
        text.append("For your team only.\n\n", style="italic")
        for shown in view.private_briefing:
            text.append_text(paragraph(shown.text, shown.basis, shown.note))
            text.append("\n\n")
        text.append("Your objectives\n", style="bold underline")
        for objective in view.objectives:
            text.append(f"• {objective.text} ({objective.points} point{'s' * (objective.points != 1)})\n")
        own = [t for t in view.tracks if t.key.startswith(self.role + ".")]
        if own:
            text.append("\nYour resources\n", style="bold underline")
            for track in own:
                text.append(f"• {track.label}: {track.value:g}{track.unit}\n")
        yield Header()
        with VerticalScroll(classes="reading"):
            yield Static(text, id="private-briefing")
        yield Static("↑↓ scroll    enter: done", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = f"private briefing: {self.session.game.rules.role_label(self.role)}"

    def action_done(self) -> None:
        self.app.briefed_private(self.role)


class HandOverScreen(Screen):
    """A blank screen between teams: nothing of the last team's work shows.

    Keys are ignored for a moment after it appears, so that a second press of
    Enter meant for the screen before cannot skip it."""

    BINDINGS = [Binding("enter", "ready", "Ready")]

    def __init__(self, team: str, purpose: str, on_ready, delay: float = 0.6):
        super().__init__()
        self.team = team
        self.purpose = purpose
        self.on_ready = on_ready
        self.delay = delay
        self.shown_at = 0.0

    def compose(self) -> ComposeResult:
        yield Header()
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

    def on_mount(self) -> None:
        self.sub_title = "hand-over"
        self.shown_at = time.monotonic()

    def action_ready(self) -> None:
        if time.monotonic() - self.shown_at < self.delay:
            return  # a key meant for the screen before
        self.on_ready()
