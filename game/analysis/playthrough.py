"""Scripted playthroughs: a game written down as a file, and what must come of it.

A playthrough file (YAML) names a scenario, a seed, each team's orders turn by
turn (teams without orders in a turn are played by a bot, random unless said
otherwise; a `bot_only` role by its doctrine) and the expected result: the
outcome, the number of turns, facts about the final state written in the
scenario's condition language, and events that must appear in the log. Authors keep them beside their scenarios;
`tests/playthroughs/` holds the project's own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from game.engine import Game
from game.players import BOT_ONLY_PLAYER, ScriptedPlayer, make_bot, play_game
from game.scenario.diagnostics import NOWHERE
from game.scenario.expr import Condition, ExprError
from game.scenario.loader import load


class PlaythroughError(Exception):
    """The playthrough file itself is wrong (not the game it describes)."""


@dataclass
class Playthrough:
    path: Path
    scenario: Path
    seed: int
    bots: dict[str, str]
    orders: dict[int, dict[str, list[str]]]
    expect: dict[str, Any]


def read_playthrough(path: str | os.PathLike) -> Playthrough:
    """The playthrough file at `path` (a string or a Path); PlaythroughError if it is unreadable."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlaythroughError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PlaythroughError(f"{path}: cannot read it: {exc}") from None
    except yaml.YAMLError as exc:
        raise PlaythroughError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict) or "scenario" not in data or "expect" not in data:
        raise PlaythroughError(f"{path}: needs at least 'scenario' and 'expect'")
    unknown = set(data) - {"scenario", "seed", "bots", "orders", "expect", "description"}
    if unknown:
        raise PlaythroughError(f"{path}: unknown keys {sorted(unknown)}")
    scenario = (path.parent / str(data["scenario"])).resolve()
    try:
        orders = {int(turn): dict(by_role or {}) for turn, by_role in (data.get("orders") or {}).items()}
        return Playthrough(
            path, scenario, int(data.get("seed", 1)), dict(data.get("bots") or {}), orders, dict(data["expect"])
        )
    except (TypeError, ValueError, AttributeError) as exc:
        raise PlaythroughError(f"{path}: 'seed', 'bots', 'orders' or 'expect' is not as expected ({exc})") from None


def play(p: Playthrough) -> Game:
    loaded = load(p.scenario)
    game = Game(loaded, p.seed)
    players = {}
    for role in game.rules.role_ids:
        script = {turn: by_role[role] for turn, by_role in p.orders.items() if role in by_role}
        default = BOT_ONLY_PLAYER if game.rules.roles[role].bot_only else "random"
        players[role] = ScriptedPlayer(script, fallback=make_bot(p.bots.get(role, default)))
    return play_game(game, players)


def check(p: Playthrough, game: Game) -> list[str]:
    """What differs from the expectation (empty when the playthrough holds)."""
    problems = []
    e = p.expect
    state = game.state
    if "outcome" in e and state.outcome != e["outcome"]:
        problems.append(f"outcome: expected {e['outcome']}, got {state.outcome}")
    if "turns" in e and state.turn != e["turns"]:
        problems.append(f"turns: expected {e['turns']}, got {state.turn}")
    for fact in e.get("facts", []):
        condition = Condition(str(fact), NOWHERE)
        try:
            condition.compile(game.loaded.symbols)
        except ExprError as exc:
            raise PlaythroughError(f"{p.path}: fact '{fact}': {exc.message}") from None
        if not condition(state):
            problems.append(f"fact does not hold at the end: {fact}")
    log = [event.to_dict(full=True) for event in game.log]
    for wanted in e.get("events", []):
        if not any(all(entry.get(k) == v for k, v in wanted.items()) for entry in log):
            problems.append(f"no event matching {wanted}")
    for unwanted in e.get("no_events", []):
        if any(all(entry.get(k) == v for k, v in unwanted.items()) for entry in log):
            problems.append(f"an event matches {unwanted}, which should not happen")
    return problems
