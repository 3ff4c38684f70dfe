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
    text = ":".join(str(p) for p in (seed, *parts)).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big")


def d100(seed: int, turn: int, subject: str) -> int:
    """A roll of 1..100."""
    text = f"{seed}:{turn}:{subject}".encode()
    return int.from_bytes(blake2b(text, digest_size=8).digest(), "big") % 100 + 1


def pick(seed: int, count: int, *parts: object) -> int:
    """A number in range(count), derived like a roll: cheaper than a generator for one choice."""
    return _digest(seed, *parts) % count


def rng(seed: int, *parts: object) -> random.Random:
    """A generator for one purpose (a bot's choices in one turn, say)."""
    return random.Random(_digest(seed, *parts))


def derive_seed(seed: int, index: int) -> int:
    """The seed of game `index` in a batch started from `seed`."""
    return _digest(seed, "game", index) % (2**31)
