"""A bot that gives no orders at all: the baseline for authors ("does doing nothing win?")."""

from __future__ import annotations

from game.engine import Seat
from game.players.base import Decision, Player


class PassiveBot(Player):
    kind = "passive"

    def decide(self, seat: Seat) -> Decision:
        return Decision((), ())
