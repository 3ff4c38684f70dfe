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
from game.scenario.diagnostics import NOWHERE, Report
from game.scenario.expr import Condition, ExprError
from game.scenario.loader import load
from game.scenario.yamlsource import SafeLoader, compose, read_text


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


# Bounds on what a playthrough may hold, so that a hostile or broken file (an alias
# bomb, a script of a billion turns) is refused at once rather than played.
MAX_LIST = 1000
KEYS = {"scenario", "seed", "bots", "orders", "expect", "description"}
EXPECT_KEYS = {"outcome", "turns", "facts", "events", "no_events"}


class _Loader(SafeLoader):
    """The safe loader, refusing a key given twice (PyYAML keeps the last one silently)."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen: set[object] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                if isinstance(key, (str, int, float, bool)) and key in seen:
                    raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key}'", key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _load_yaml(path: Path) -> Any:
    """The file's data, read as safely as a scenario: a regular file of bounded
    size, UTF-8, not nested too deep; PlaythroughError (file:line:col) if not."""
    report = Report(str(path))
    text = read_text(path, report)
    if text is None or compose(text, report) is None:
        raise PlaythroughError(str(report.errors[0]) if report.errors else f"{path}: the file is empty")
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise PlaythroughError(f"{where}: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise PlaythroughError(f"{path}: not valid YAML: {exc}") from None


def _whole(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be a whole number, not {value!r:.40}")
    return value


def _names(value: Any, what: str) -> list[str]:
    if not isinstance(value, list) or len(value) > MAX_LIST or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{what} must be a list of action ids")
    return value


def _mappings(value: Any, what: str) -> list[dict]:
    if not isinstance(value, list) or len(value) > MAX_LIST or not all(isinstance(v, dict) for v in value):
        raise ValueError(f"'expect.{what}' must be a list of mappings (event fields and their values)")
    return value


def _expect(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError("'expect' must be a mapping")
    unknown = set(value) - EXPECT_KEYS
    if unknown:
        raise ValueError(f"unknown keys in 'expect': {sorted(map(str, unknown))}")
    facts = value.get("facts", [])
    if not isinstance(facts, list) or len(facts) > MAX_LIST or not all(isinstance(f, str) for f in facts):
        raise ValueError("'expect.facts' must be a list of conditions")
    if "turns" in value:
        _whole(value["turns"], "'expect.turns'")
    for key in ("events", "no_events"):
        _mappings(value.get(key, []), key)
    return dict(value)


def read_playthrough(path: str | os.PathLike) -> Playthrough:
    """The playthrough file at `path` (a string or a Path); PlaythroughError if it is unreadable."""
    path = Path(path)
    data = _load_yaml(path)
    if not isinstance(data, dict) or "scenario" not in data or "expect" not in data:
        raise PlaythroughError(f"{path}: needs at least 'scenario' and 'expect'")
    unknown = set(data) - KEYS
    if unknown:
        raise PlaythroughError(f"{path}: unknown keys {sorted(map(str, unknown))}")
    try:
        if not isinstance(data["scenario"], str):
            raise ValueError("'scenario' must be the path of a scenario file")
        scenario = (path.parent / data["scenario"]).resolve()
        bots = data.get("bots") or {}
        if not isinstance(bots, dict) or not all(isinstance(v, str) for v in bots.values()):
            raise ValueError("'bots' must map roles to bot kinds")
        orders_data = data.get("orders") or {}
        if not isinstance(orders_data, dict) or len(orders_data) > MAX_LIST:
            raise ValueError("'orders' must map turn numbers to each team's orders")
        orders: dict[int, dict[str, list[str]]] = {}
        for turn, by_role in orders_data.items():
            turn = _whole(turn, "a turn in 'orders'")
            if not isinstance(by_role, dict):
                raise ValueError(f"'orders' of turn {turn} must map roles to lists of action ids")
            orders[turn] = {str(role): _names(a, f"the orders of {role} in turn {turn}") for role, a in by_role.items()}
        seed = _whole(data.get("seed", 1), "'seed'")
        bots = {str(role): kind for role, kind in bots.items()}
        return Playthrough(path, scenario, seed, bots, orders, _expect(data["expect"]))
    except (ValueError, RecursionError) as exc:
        raise PlaythroughError(f"{path}: {exc}") from None


def _check_roles(p: Playthrough, game: Game) -> None:
    """Roles and turns the playthrough names must exist: a misspelt role would
    otherwise be played by a bot, and the playthrough pass for the wrong reason."""
    roles = set(game.rules.role_ids)
    named = set(p.bots) | {role for by_role in p.orders.values() for role in by_role}
    unknown = sorted(named - roles)
    if unknown:
        raise PlaythroughError(
            f"{p.path}: no role {unknown[0]!r} in the scenario (its roles: {', '.join(sorted(roles))})"
        )
    late = sorted(turn for turn in p.orders if not 1 <= turn <= game.max_turns)
    if late:
        raise PlaythroughError(f"{p.path}: orders for turn {late[0]}, but the game has turns 1 to {game.max_turns}")


def play(p: Playthrough) -> Game:
    loaded = load(p.scenario)
    game = Game(loaded, p.seed)
    _check_roles(p, game)
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
