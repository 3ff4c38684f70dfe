"""The doctrine bot: follows the priority list the scenario writes for its role,
in the manner of the printed bots of board wargames ("if tension >= 60 and ...,
prefer X, else ..."). Each order records the rule that chose it."""

from __future__ import annotations

from game.engine import Seat
from game.players.base import Decision, Picker, Player
from game.players.heuristic import HeuristicBot


class DoctrineBot(Player):
    kind = "doctrine"

    def __init__(self) -> None:
        self.fallback = HeuristicBot()

    def decide(self, seat: Seat) -> Decision:
        doctrine = seat.game.rules.roles[seat.role].doctrine
        if not doctrine:  # a role without doctrine plays toward its objectives
            decision = self.fallback.decide(seat)
            return Decision(decision.actions, tuple(f"no doctrine for this role; {r}" for r in decision.reasons))
        picker = Picker(seat)
        state = seat.state
        for number, rule in enumerate(doctrine, 1):
            if picker.full:
                break
            if rule.when is not None and not rule.when(state):
                continue
            for action_id in rule.prefer:
                if picker.full:
                    break
                option = next((o for o in picker.open_options() if o.action.id == action_id), None)
                if option is not None:
                    picker.pick(option, f"doctrine rule {number}: {rule.reason}")
        return picker.decision()
