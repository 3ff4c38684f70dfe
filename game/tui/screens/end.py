"""The end of the game: the outcome, its debrief text, each team's score."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from game.engine import events as ev
from game.reports.timeline import end_reason
from game.tui.text import mark
from game.tui.widgets.footer import KeyFooter
from game.workshop.session import Session


def end_text(session: Session) -> Text:
    game = session.game
    rules, state = game.rules, game.state
    ended = next(e for e in reversed(game.log) if type(e) is ev.GameEnded)
    outcome = rules.outcomes[ended.outcome]
    out = Text(f"{outcome.title}\n", style="bold reverse")
    out.append(f"after {state.turn} turn{'s' * (state.turn != 1)}: {end_reason(ended.reason)}\n\n", style="italic")
    out.append(outcome.summary.render(state) + "\n\n")
    if outcome.debrief is not None:
        out.append(outcome.debrief.render(state) + "\n\n")
    out.append("Scores\n", style="bold underline")
    totals = dict(ended.scores)
    for role in game.scenario.roles:
        outcome_points = outcome.scores.get(role.id, 0)
        points = totals[role.id]
        out.append(f"{role.name}: {points} point{'s' * (abs(points) != 1)}", style="bold")
        out.append(f" (outcome {outcome_points:+d})\n")
        for role_id, objective_id, held, points in ended.objectives:
            if role_id == role.id:
                objective = next(o for o in role.objectives if o.id == objective_id)
                out.append(f"   {mark(held)}  {objective.text} ({points:+d} if met)\n")
    return out


class EndScreen(Screen):
    BINDINGS = [Binding("enter", "review", "After-action review")]

    def __init__(self, session: Session):
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(classes="reading"):
            yield Static(end_text(self.session), id="end-text")
        yield Static("↑↓ scroll    enter: after-action review", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "The game is over"
        self.sub_title = self.session.scenario.title

    def action_review(self) -> None:
        self.app.show_review()
