"""What if? From the review: one team's orders changed in one turn, the game
replayed with the same dice and players, and where the two games part ways."""

from __future__ import annotations

from rich.text import Text

from game.analysis.branches import HEADING, NOTE, QUESTION, RESULT, at_turn, orders_by_turn, whatif_lines
from game.engine import GameError
from game.engine.orders import spending
from game.players import make_bot
from game.tui.screens.dialogs import Choose, TextScreen
from game.workshop.session import Session

DONE = "-done-"
STYLES = {QUESTION: "bold", RESULT: "bold", HEADING: "bold underline", NOTE: "dim"}


def whatif_text(session: Session, turn: int, role: str, actions: tuple[str, ...]) -> Text:
    """The branch (`analysis.branches.whatif_lines`), styled for the screen."""
    players = {r: (None if kind == "human" else make_bot(kind)) for r, kind in session.players().items()}
    out = Text()
    for kind, line in whatif_lines(session.game, turn, role, actions, players):
        out.append(line + "\n", style=STYLES.get(kind, ""))
    return out


class WhatIf:
    """Asks for the turn, the team and the orders, then shows the branch."""

    def __init__(self, app, session: Session):
        self.app = app
        self.session = session

    def start(self) -> None:
        turns = [t for t in range(1, self.session.game.state.turn + 1)]
        if not turns:
            self.app.notify("No turn has been played yet.")
            return
        self.app.push_screen(
            Choose("What if… in which turn?", [(str(t), f"Turn {t}") for t in turns]), self.turn_chosen
        )

    def turn_chosen(self, turn: str | None) -> None:
        if turn is None:
            return
        self.turn = int(turn)
        rules = self.session.game.rules
        played = orders_by_turn(self.session.game)
        choices = []
        for r in rules.role_ids:
            actual = ", ".join(rules.actions[f"{r}.{a}"].label for a in played[r].get(self.turn, ())) or "no orders"
            choices.append((r, f"{rules.roles[r].name} (ordered: {actual})"))
        self.app.push_screen(Choose("Which team's orders change?", choices), self.role_chosen)

    def role_chosen(self, role: str | None) -> None:
        if role is None:
            return
        self.role = role
        self.actions: list[str] = []
        try:
            self.then = at_turn(self.session.game, self.turn)
        except GameError as exc:
            self.app.notify(str(exc), severity="error")
            return
        self.ask_order()

    def ask_order(self) -> None:
        rules = self.then.rules
        limit = rules.orders_per_turn[self.role]
        spent = spending(rules, self.role, self.actions)
        options = [o for o in self.then.options(self.role, spent) if o.available and o.action.id not in self.actions]
        if len(self.actions) >= limit or not options:
            return self.run()
        choices = [(DONE, "(no more orders: play it out)")] + [(o.action.id, o.action.label) for o in options]
        chosen = ", ".join(rules.actions[f"{self.role}.{a}"].label for a in self.actions) or "none yet"
        self.app.push_screen(
            Choose(f"Order {len(self.actions) + 1} of {limit} (chosen: {chosen})", choices), self.order_chosen
        )

    def order_chosen(self, action: str | None) -> None:
        if action is None:
            return
        if action == DONE:
            return self.run()
        self.actions.append(action)
        self.ask_order()

    def run(self) -> None:
        try:
            text = whatif_text(self.session, self.turn, self.role, tuple(self.actions))
        except GameError as exc:
            self.app.notify(str(exc), severity="error")
            return
        self.app.push_screen(TextScreen(text, "↑↓ scroll    escape: back to the review", text_id="whatif-text"))
