"""A bot that orders uniformly at random among the actions it may take."""

from __future__ import annotations

from game.engine import Seat
from game.players.base import Decision, Player

REASON = "chosen at random"


class RandomBot(Player):
    kind = "random"

    def decide(self, seat: Seat) -> Decision:
        # What `Picker` does, without it: thousands of games a second are played with this
        # bot, and the picker's object and calls cost 1% of a game. Each round picks among
        # the actions still open after what the earlier picks cost.
        game, role = seat.game, seat.role
        costs = game.rules.costs
        actions: list[str] = []
        spent: dict[str, float] = {}
        for number in range(seat.orders_per_turn):  # one pick a round: `number` picked so far
            options = game.open_options(role, spent, actions)
            if not options:
                break
            option = options[seat.pick(len(options), f"random#{number}")]
            actions.append(option.action.id)
            for track, amount, _ in costs[option.key]:  # ("us.capital", 2, min)
                spent[track] = spent.get(track, 0) + amount
        return Decision(tuple(actions), (REASON,) * len(actions))
