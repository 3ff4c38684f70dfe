"""A player that follows a written list of orders, turn by turn."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from game.engine import Seat
from game.players.base import Decision, Player


class ScriptedPlayer(Player):
    """Orders `script[turn]` each turn; turns the script leaves out go to
    `fallback` (or pass, with no orders)."""

    kind = "scripted"

    def __init__(self, script: Mapping[int, Sequence[str]], fallback: Player | None = None):
        self.script = {int(turn): tuple(actions) for turn, actions in script.items()}
        self.fallback = fallback

    def decide(self, seat: Seat) -> Decision:
        turn = seat.game.turn
        if turn in self.script:
            actions = self.script[turn]
            return Decision(actions, ("scripted",) * len(actions))
        if self.fallback is not None:
            return self.fallback.decide(seat)
        return Decision((), ())
