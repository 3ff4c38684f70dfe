"""A bot decides from its own team's view only, as a human team would.

For every bot type, in many game states of the tutorial and the flagship, each
role's decision is taken twice: once as the game stands, once with everything
it cannot see changed (other teams' private tracks, hidden tracks and flags,
other teams' private and covert orders). The decisions must be the same.
"""

from __future__ import annotations

import random
from contextlib import contextmanager

import pytest
from helpers import FLAGSHIP, ROOT, TUTORIAL, shipped

from game.engine import Game, Seat
from game.players import BOTS, DoctrineBot, RandomBot, make_bot
from game.players.base import play_turn


def game_states(loaded, seeds=range(8), turns=3):
    """Games stopped at the orders of turns 1..`turns`, played so far by random bots."""
    for seed in seeds:
        game = Game(loaded, seed)
        game.begin()
        game.start_play()
        players = {r: RandomBot() for r in game.rules.role_ids}
        for _ in range(turns):
            if game.phase != "orders":
                break
            yield game
            play_turn(game, players)


@contextmanager
def secrets_changed(game: Game, role: str, rng: random.Random):
    """Everything `role` cannot see, changed at random (then put back)."""
    state, rules = game.state, game.rules
    unseen = rules.unseen[role]
    saved = (dict(state.values), dict(state.flags), state.orders, dict(state.last_turn))
    for key in unseen.tracks:
        low, high = rules.bounds[key]
        state.values[key] = rng.choice([low, high, round(rng.uniform(low, high), 1)])
    for flag in unseen.flags:
        state.flags[flag] = not state.flags[flag]
    orders = set(state.orders) - unseen.actions
    for key in unseen.actions:
        if rng.random() < 0.5:
            orders.add(key)
            state.last_turn[key] = max(state.turn - rng.randint(0, 1), 0)
    state.orders = frozenset(orders)
    try:
        yield
    finally:
        state.values, state.flags, state.orders, state.last_turn = saved


def decisions_hold(loaded, bot_for, seeds=range(8)) -> tuple[int, int]:
    """(decisions compared, decisions that changed with the secrets)."""
    rng = random.Random(7)
    compared = changed = 0
    for game in game_states(loaded, seeds):
        for role in game.rules.role_ids:
            if not game.rules.unseen[role]:
                continue
            before = bot_for().decide(Seat(game, role))
            for _ in range(3):
                with secrets_changed(game, role, rng):
                    after = bot_for().decide(Seat(game, role))
                compared += 1
                changed += after != before
    return compared, changed


@pytest.mark.parametrize("scenario", [TUTORIAL, FLAGSHIP], ids=["tutorial", "flagship"])
@pytest.mark.parametrize("kind", sorted(BOTS))
def test_a_bots_decisions_do_not_change_when_other_teams_secrets_do(kind, scenario):
    compared, changed = decisions_hold(shipped(scenario), lambda: make_bot(kind))
    assert compared >= 50 and changed == 0


class _PeekingDoctrineBot(DoctrineBot):
    """A doctrine bot that reads the whole truth instead of its team's view."""

    def decide(self, seat):
        class Peeking(Seat):
            @property
            def state(self):
                return self.game.state

        return super().decide(Peeking(seat.game, seat.role))


def test_the_check_catches_a_bot_that_peeks():
    # In the flagship as it was before its recalibration (kept for an old save), the
    # militias' doctrine read the US's private resolve: a bot that read the truth would
    # decide differently when it changes.
    before = shipped(ROOT / "tests" / "saves" / "baghdad-2023-before-fog-of-war.yaml")
    _, changed = decisions_hold(before, _PeekingDoctrineBot, seeds=range(12))
    assert changed > 0
