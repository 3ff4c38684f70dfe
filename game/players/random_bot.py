"""A bot that orders uniformly at random among the actions it may take."""

from __future__ import annotations

from game.engine import Seat
from game.players.base import Decision, Picker, Player


class RandomBot(Player):
    kind = "random"

    def decide(self, seat: Seat) -> Decision:
        picker = Picker(seat)
        for number in range(seat.orders_per_turn):  # one pick a round: `number` picked so far
            options = picker.open_options()
            if not options:
                break
            choice = seat.pick(len(options), f"random#{number}")
            picker.pick(options[choice], "chosen at random")
        return picker.decision()
