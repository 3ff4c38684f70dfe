"""The desk: everything a screen may ask of the workshop, and nothing more.

Screens read seat views (plain records, `game.workshop.present`) and send
what a team did. At a hot-seat table the desk is the local session; a
networked client has a desk that asks the host instead (`game.tui.join`).
Either way a team's screen holds only what its own view holds.

The White Cell's console has a desk of its own (`LocalWhiteCell` here): what
it reads (injects, outcomes, the last turn's rolls, who plays each team) and
its acts. A remote White Cell's acts return awaitables; the console waits for
them without blocking the screen.
"""

from __future__ import annotations

from game.players import BOTS
from game.workshop.present import (
    BriefingView,
    EndView,
    NewsView,
    OrdersView,
    Presenter,
    ResultsView,
    RevealView,
    RollShown,
    SituationView,
    TeamView,
)
from game.workshop.session import Session


class DeskError(Exception):
    """A desk could not do what was asked (the host refused it, or could not be reached); the message says why."""


class LocalDesk:
    """The desk of a hot-seat table: the session in this process."""

    def __init__(self, session: Session):
        self.session = session

    @property
    def presenter(self) -> Presenter:
        return Presenter(self.session.game, self.session.players())

    # ------------------------------------------------------------ views

    def briefing(self, seat: str) -> BriefingView:
        return self.presenter.briefing(seat)

    def orders(self, role: str) -> OrdersView:
        s = self.session
        return self.presenter.orders(role, s.flow.drafts.get(role, ()), s.seconds_left(role), s.clocks.paused)

    def situation(self, seat: str) -> SituationView:
        return self.presenter.situation(seat)

    def news(self, seat: str) -> NewsView:
        return self.presenter.news(seat)

    def team(self, role: str) -> TeamView:
        return self.presenter.team(role)

    def results(self, seat: str, turn: int) -> ResultsView:
        return self.presenter.results(seat, turn)

    def end(self, seat: str) -> EndView:
        return self.presenter.end(seat)

    def seconds_left(self, role: str) -> float | None:
        return self.session.seconds_left(role)

    @property
    def paused(self) -> bool:
        return self.session.clocks.paused

    # --------------------------------------------------------- commands

    def draft(self, role: str, actions: list[str]) -> None:
        self.session.draft(role, actions)

    def submit(self, role: str, actions: list[str], why: str = "", intent: str = "") -> None:
        self.session.submit(role, actions, why, intent)


class LocalWhiteCell:
    """The White Cell's desk at a hot-seat table: the session in this process."""

    def __init__(self, session: Session):
        self.session = session

    # ------------------------------------------------------------ reading

    def injects(self) -> list[tuple[str, str, bool]]:
        """(id, title, fired already) of every inject."""
        game = self.session.game
        return [(i.id, i.title, bool(game.state.fired.get(i.id))) for i in game.rules.injects.values()]

    def outcomes(self) -> list[tuple[str, str]]:
        return [(o.id, o.title) for o in self.session.scenario.outcomes]

    def rolls(self) -> tuple[int, list[tuple[str, RollShown]]]:
        """The last resolved turn and its rolls, with their keys."""
        turn = self.session.last_resolved_turn()
        return turn, (Presenter(self.session.game).rolls(turn) if turn else [])

    def acts(self) -> dict[str, str | None]:
        """Each White Cell act -> None when it can be done now, else why not."""
        return self.session.white_cell_acts()

    def game_over(self) -> bool:
        return self.session.game.over

    def players(self) -> dict[str, str]:
        return self.session.players()

    def name(self, role: str) -> str:
        return self.session.name(role)

    def bots(self) -> list[str]:
        return list(BOTS)

    # --------------------------------------------------------------- acts

    def pause(self) -> bool:
        return self.session.pause()

    def reveal(self) -> RevealView:
        self.session.reveal()
        return Presenter(self.session.game, self.session.players()).reveal(self.session.flow.drafts)

    def preview_inject(self, inject: str) -> str:
        return self.session.preview_inject(inject)

    def fire_inject(self, inject: str) -> None:
        self.session.fire_inject(inject)

    def post_news(self, text: str) -> None:
        self.session.post_news(text)

    def override(self, key: str, reason: str) -> bool:
        return self.session.override(key, reason)

    def undo(self, reason: str, fresh_dice: bool) -> None:
        self.session.undo(reason, fresh_dice=fresh_dice)

    def hand_to_bot(self, role: str, kind: str) -> None:
        self.session.hand_to_bot(role, kind)

    def start_now(self) -> None:
        self.session.start_now()

    def end(self, outcome: str, reason: str) -> None:
        self.session.end(outcome, reason)
