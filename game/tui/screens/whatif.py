"""What if? From the review: one team's orders changed in one turn, the game
replayed with the same dice and players, and where the two games part ways."""

from __future__ import annotations

from rich.text import Text

from game.analysis.branches import at_turn, branch, compare, orders_by_turn
from game.engine import GameError
from game.players import make_bot
from game.reports.timeline import timeline
from game.tui.screens.dialogs import Choose, TextScreen
from game.workshop.session import Session

DONE = "-done-"


def whatif_text(session: Session, turn: int, role: str, actions: tuple[str, ...]) -> Text:
    game = session.game
    players = {r: (None if kind == "human" else make_bot(kind)) for r, kind in session.players().items()}
    other = branch(game, turn, role, actions, players)
    labels = [game.rules.actions[f"{role}.{a}"].label for a in actions] or ["no orders"]
    title = lambda g: g.rules.outcomes[g.state.outcome].title if g.state.outcome else "not ended"  # noqa: E731
    out = Text(
        f"What if {game.rules.role_label(role)} had ordered {', '.join(labels)} in turn {turn}?\n\n", style="bold"
    )
    out.append(f"As played:  {title(game)} after {game.state.turn} turns\n")
    out.append(f"The branch: {title(other)} after {other.state.turn} turns\n", style="bold")
    divergence = compare(game, other)
    if divergence.turn is None:
        out.append("\nThe two games are the same: the change made no difference.\n")
    else:
        out.append(f"\nThey part ways in turn {divergence.turn}. At the end:\n")
        for line in divergence.differences:
            out.append(f"  {line}\n")
    out.append(
        "\nThe same dice fall wherever both games roll for the same thing; bots decide afresh, "
        "human teams repeat what they ordered where they still can.\n",
        style="dim",
    )
    start = next(i for i, e in enumerate(other.log) if e.turn >= turn)
    out.append("\nThe branch from that turn on\n", style="bold underline")
    out.append(timeline(other, other.log[start:]).split("\n", 1)[-1])
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
        self.role, self.actions = role, []
        try:
            self.then = at_turn(self.session.game, self.turn)
        except GameError as exc:
            self.app.notify(str(exc), severity="error")
            return
        self.ask_order()

    def ask_order(self) -> None:
        rules = self.then.rules
        limit = rules.orders_per_turn[self.role]
        spent: dict[str, float] = {}
        for a in self.actions:
            for track, amount in rules.actions[f"{self.role}.{a}"].cost.items():
                spent[f"{self.role}.{track}"] = spent.get(f"{self.role}.{track}", 0) + amount
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
