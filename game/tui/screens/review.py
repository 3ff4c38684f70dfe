"""The after-action review: every decision revealed, turn by turn."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane

from game.reports import timeline
from game.session import Session


class ReviewScreen(Screen):
    BINDINGS = [Binding("n", "app.show_title", "New game"), Binding("q", "app.quit", "Quit")]

    def __init__(self, session: Session):
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        game = self.session.game
        yield Header()
        with TabbedContent(initial="timeline"):
            with TabPane("Timeline", id="timeline"):
                with VerticalScroll():
                    yield Static(timeline(game), id="timeline-text")
            with TabPane("Questions", id="questions"):
                with VerticalScroll():
                    questions = Text()
                    if game.scenario.debrief:
                        for i, q in enumerate(game.scenario.debrief.questions, 1):
                            questions.append(f"{i}. {q.render(game.state)}\n\n")
                    yield Static(questions, id="questions-text")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "After-action review"
        self.sub_title = self.session.scenario.title
