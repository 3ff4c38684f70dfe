"""Seeded dice, keyed by what is being rolled for.

Every roll is derived from (game seed, turn, subject), for instance
(42, 3, "us.strike#0"): the same game seed always gives the same roll for the
same thing. One stream per game would shift every later roll whenever a team
ordered one action more; keyed rolls keep the dice of a counterfactual branch
identical wherever the two games made the same moves, so a debrief can compare
them fairly.
"""

from __future__ import annotations

import hashlib
import random
from hashlib import blake2b


def _digest(seed: int, *parts: object) -> int:
    text = ":".join(map(str, (seed, *parts))).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big")


def d100(seed: int, turn: int, subject: str) -> int:
    """A roll of 1..100."""
    text = f"{seed}:{turn}:{subject}".encode()
    return int.from_bytes(blake2b(text, digest_size=8).digest(), "big") % 100 + 1


class TurnDice:
    """The same numbers as `d100` and `pick`, for one game, a turn at a time.

    Every subject of a turn starts its hash with "seed:turn:". Setting up a
    hash costs more than hashing a short text, so the hash of that start is made
    once per turn and copied for each subject (a game rolls about 90 dice)."""

    __slots__ = ("seed", "turn", "_start")

    def __init__(self, seed: int):
        self.seed = seed
        self.turn: int | None = None
        self._start = blake2b(digest_size=8)

    def _hash(self, turn: int, subject: str) -> int:
        if turn != self.turn:
            self._start = blake2b(f"{self.seed}:{turn}:".encode(), digest_size=8)
            self.turn = turn
        h = self._start.copy()
        h.update(subject.encode())
        return int.from_bytes(h.digest(), "big")

    def d100(self, turn: int, subject: str) -> int:
        """d100(seed, turn, subject)."""
        # `_hash`, inline: a game rolls about 90 dice, and the call cost a tenth of each.
        if turn != self.turn:
            self._hash(turn, "")  # the start of this turn's hashes
        h = self._start.copy()
        h.update(subject.encode())
        return int.from_bytes(h.digest(), "big") % 100 + 1

    def pick(self, count: int, turn: int, *parts: object) -> int:
        """pick(seed, count, turn, *parts)."""
        return self._hash(turn, ":".join(map(str, parts))) % count

    def choose(self, count: int, turn: int, subject: str) -> int:
        """`pick` with its parts already joined into `subject` ("us:random#0")."""
        if turn != self.turn:  # `_hash`, inline as in `d100`: bots choose about 60 times a game
            self._hash(turn, "")
        h = self._start.copy()
        h.update(subject.encode())
        return int.from_bytes(h.digest(), "big") % count


def pick(seed: int, count: int, *parts: object) -> int:
    """A number in range(count), derived like a roll: cheaper than a generator for one choice."""
    return _digest(seed, *parts) % count


def rng(seed: int, *parts: object) -> random.Random:
    """A generator for one purpose (a bot's choices in one turn, say)."""
    return random.Random(_digest(seed, *parts))


def derive_seed(seed: int, index: int) -> int:
    """The seed of game `index` in a batch started from `seed`."""
    return _digest(seed, "game", index) % (2**31)
