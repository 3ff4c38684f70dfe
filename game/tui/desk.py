"""The desk: everything a screen may ask of the workshop, and nothing more.

Screens read seat views (plain records, `game.workshop.present`) and send
what a team did. At a hot-seat table the desk is the local session; a
networked client has a desk that asks the host instead. Either way a team's
screen holds only what its own view holds.
"""

from __future__ import annotations

from game.workshop.present import (
    BriefingView,
    EndView,
    NewsView,
    OrdersView,
    Presenter,
    ResultsView,
    SituationView,
    TeamView,
)
from game.workshop.session import Session


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
