"""The one small interface for anything that gives orders, and the loop that
plays a game with a mix of players."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass

from game.engine import Game, Seat
from game.engine.game import Option

# Who plays a `bot_only` role unless told otherwise: it acts by its own doctrine.
BOT_ONLY_PLAYER = "doctrine"


@dataclass(frozen=True, slots=True)
class Decision:
    actions: tuple[str, ...]
    reasons: tuple[str, ...]  # one per action: why it was chosen


class Player(ABC):
    """Gives a team's orders for a turn. Humans give theirs through the interface."""

    kind: str = "player"

    @abstractmethod
    def decide(self, seat: Seat) -> Decision: ...

    def play(self, seat: Seat) -> None:
        decision = self.decide(seat)
        seat.submit(decision.actions, self.kind, decision.reasons)


class Picker:
    """Builds a set of orders one at a time, keeping the team within its budget."""

    def __init__(self, seat: Seat):
        self.seat = seat
        self.game = seat.game
        self.actions: list[str] = []
        self.reasons: list[str] = []
        self.spent: dict[str, float] = {}

    @property
    def full(self) -> bool:
        return len(self.actions) >= self.seat.orders_per_turn

    def open_options(self) -> list[Option]:
        """Options still available after what has been picked."""
        return self.game.open_options(self.seat.role, self.spent, self.actions)

    def pick(self, option: Option, reason: str) -> None:
        self.actions.append(option.action.id)
        self.reasons.append(reason)
        for track, amount, _ in self.game.rules.costs[option.key]:  # ("us.capital", 2, min)
            self.spent[track] = self.spent.get(track, 0) + amount

    def decision(self) -> Decision:
        return Decision(tuple(self.actions), tuple(self.reasons))


def play_turn(game: Game, players: Mapping[str, Player]) -> None:
    """Every team gives its orders, then the turn resolves. A `bot_only` role
    that `players` leaves out plays by its doctrine."""
    for role in game.rules.role_ids:
        if role not in game.pending:
            player = players.get(role)
            if player is None and game.rules.roles[role].bot_only:
                from game.players import make_bot  # here: the bots import this module

                player = make_bot(BOT_ONLY_PLAYER)
            if player is None:
                raise KeyError(f"no player for role '{role}'")
            player.play(Seat(game, role))
    game.resolve()


def play_game(game: Game, players: Mapping[str, Player]) -> Game:
    """Plays `game` from wherever it is to the end."""
    if game.phase == "setup":
        game.begin()
    if game.phase == "briefing":
        game.start_play()
    while game.phase == "orders":
        play_turn(game, players)
    return game
