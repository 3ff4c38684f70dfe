"""A bot that orders uniformly at random among the actions it may take."""

from __future__ import annotations

from game.engine import Seat
from game.players.base import Decision, Picker, Player


class RandomBot(Player):
    kind = "random"

    def decide(self, seat: Seat) -> Decision:
        rng = seat.rng("random")
        picker = Picker(seat)
        while not picker.full:
            options = picker.open_options()
            if not options:
                break
            picker.pick(rng.choice(options), "chosen at random")
        return picker.decision()
