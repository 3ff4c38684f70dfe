"""The heuristic bot: plays toward its own role's objectives and good outcomes.

For each action it may take, it estimates the state after the action (each
result's effects weighted by its chance) and scores that state by how close
the role's objectives and the outcomes that pay it are to holding. "How
close" comes from each condition's distance: 0 when it holds, growing as the
numbers it compares move apart, measured in whole track ranges.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from game.engine import Seat
from game.engine.rules import FLAG, FORMULA, PUSH, TRACK, Rules
from game.players.base import Decision, Picker, Player
from game.scenario.expr import (
    LEVEL,
    NUM,
    Condition,
    ExprError,
    Symbols,
    compile_expression,
)

Distance = Callable[[object], float]

_FLIP = {ast.GtE: ast.Lt, ast.Gt: ast.LtE, ast.Lt: ast.GtE, ast.LtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq}


class _DistanceCompiler:
    def __init__(self, rules: Rules, symbols: Symbols):
        self.rules = rules
        self.symbols = symbols
        self.levels = len(symbols.level_ids)

    def compile(self, condition: Condition) -> Distance:
        try:
            tree = ast.parse(condition.source.strip().replace("\n", " "), mode="eval")
            return self.node(tree.body, False)
        except (ExprError, SyntaxError):
            return _truth(condition, False)

    def node(self, node: ast.expr, negate: bool) -> Distance:
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return self.node(node.operand, not negate)
        if isinstance(node, ast.BoolOp):
            parts = [self.node(v, negate) for v in node.values]
            all_needed = isinstance(node.op, ast.And) != negate
            if all_needed:
                return lambda s: sum(p(s) for p in parts)
            return lambda s: min(p(s) for p in parts)
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            pairs = [self.compare(a, op, b, negate) for a, op, b in zip(operands, node.ops, operands[1:])]
            if len(pairs) == 1:
                return pairs[0]
            return (lambda s: min(p(s) for p in pairs)) if negate else (lambda s: sum(p(s) for p in pairs))
        fn, _ = compile_expression(ast.unparse(node), self.symbols, None)
        return (lambda s: 1.0 if fn(s) else 0.0) if negate else (lambda s: 0.0 if fn(s) else 1.0)

    def operand(self, node: ast.expr) -> tuple[Callable, str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            index = self.symbols.level_ids[node.value]
            return (lambda s: index), LEVEL
        return compile_expression(ast.unparse(node), self.symbols, None)

    def scale(self, *nodes: ast.AST) -> float:
        for node in nodes:
            for sub in ast.walk(node):
                name = ast.unparse(sub) if isinstance(sub, (ast.Name, ast.Attribute)) else None
                if name in self.rules.bounds:
                    low, high = self.rules.bounds[name]
                    return max(high - low, 1.0)
                if name == "level":
                    return float(max(self.levels - 1, 1))
        return 10.0

    def compare(self, left: ast.expr, op: ast.cmpop, right: ast.expr, negate: bool) -> Distance:
        a, ta = self.operand(left)
        b, tb = self.operand(right)
        if ta not in (NUM, LEVEL) or tb not in (NUM, LEVEL):
            fn, _ = compile_expression(ast.unparse(ast.Compare(left, [op], [right])), self.symbols, None)
            return (lambda s: 1.0 if fn(s) else 0.0) if negate else (lambda s: 0.0 if fn(s) else 1.0)
        kind = _FLIP[type(op)] if negate else type(op)
        scale = self.scale(left, right)
        step = 1.0
        if kind is ast.GtE:
            return lambda s: max(0.0, b(s) - a(s)) / scale
        if kind is ast.Gt:
            return lambda s: 0.0 if a(s) > b(s) else (b(s) - a(s) + step) / scale
        if kind is ast.LtE:
            return lambda s: max(0.0, a(s) - b(s)) / scale
        if kind is ast.Lt:
            return lambda s: 0.0 if a(s) < b(s) else (a(s) - b(s) + step) / scale
        if kind is ast.Eq:
            return lambda s: abs(a(s) - b(s)) / scale
        return lambda s: 0.0 if a(s) != b(s) else step / scale


def _truth(condition: Condition, negate: bool) -> Distance:
    return (lambda s: 1.0 if condition(s) else 0.0) if negate else (lambda s: 0.0 if condition(s) else 1.0)


@dataclass(frozen=True, slots=True)
class Goal:
    weight: float
    distance: Distance


class _Probe:
    """A scratch copy of the state to try an action on."""

    __slots__ = ("values", "flags", "orders", "turn", "max_turns", "level_index", "last_turn")

    def __init__(self, state, extra_order: str):
        self.values = dict(state.values)
        self.flags = dict(state.flags)
        self.orders = state.orders | {extra_order}
        self.turn, self.max_turns, self.level_index = state.turn, state.max_turns, state.level_index
        self.last_turn = {**state.last_turn, extra_order: state.turn}


def goals_for(rules: Rules, role: str) -> list[Goal]:
    """What the role plays toward: its objectives and the outcomes that score for it."""
    cache = rules.loaded.cache.setdefault("heuristic_goals", {})
    if role in cache:
        return cache[role]
    compiler = _DistanceCompiler(rules, rules.loaded.symbols)
    goals = [Goal(o.points, compiler.compile(o.when)) for o in rules.roles[role].objectives]
    ladder = rules.scenario.ladder
    for outcome in rules.scenario.outcomes:
        weight = outcome.scores.get(role, 0)
        if not weight:
            continue
        if outcome.when is not None:
            goals.append(Goal(weight, compiler.compile(outcome.when)))
        for t in ladder.transitions:  # the ways into a terminal level that ends this way
            if rules.levels[t.to].outcome == outcome.id:
                goals.append(Goal(weight, compiler.compile(t.when)))
    cache[role] = goals
    return goals


def utility(goals: list[Goal], state) -> float:
    return sum(g.weight * (1.0 - min(1.0, g.distance(state))) for g in goals)


class HeuristicBot(Player):
    kind = "heuristic"

    def decide(self, seat: Seat) -> Decision:
        rules, state = seat.game.rules, seat.state
        goals = goals_for(rules, seat.role)
        now = utility(goals, state)
        noise = seat.rng("heuristic")
        picker = Picker(seat)
        scored = []
        for option in picker.open_options():
            gain = utility(goals, self.expected_state(rules, seat.role, option.action, state)) - now
            scored.append((gain + noise.random() * 1e-6, option))
        scored.sort(key=lambda pair: pair[0], reverse=True)
        still_open = {o.action.id for o in picker.open_options()}
        for gain, option in scored:
            if picker.full:
                break
            if picker.actions and gain <= 0:
                break  # after the first order, only moves that help
            if option.action.id in still_open:
                picker.pick(option, f"expected gain {gain:+.2f} toward objectives")
                still_open = {o.action.id for o in picker.open_options()}  # what is left to pay for
        return picker.decision()

    @staticmethod
    def expected_state(rules: Rules, role: str, action, state) -> _Probe:
        key = f"{role}.{action.id}"
        probe = _Probe(state, key)
        for track, amount in action.cost.items():
            probe.values[f"{role}.{track}"] -= amount
        for result in rules.results[key]:
            chance = result.base + sum(m.add for m in result.modifiers if m.when(probe))
            p = min(100.0, max(0.0, chance)) / 100
            for op in result.effects:
                _expect(probe, op, p)
            for op in result.failure_effects:
                _expect(probe, op, 1 - p)
        return probe


def _expect(probe: _Probe, op, weight: float) -> None:
    if op.kind in (TRACK, FORMULA):
        delta = op.value(probe) if op.kind == FORMULA else op.value
        probe.values[op.key] = min(op.high, max(op.low, probe.values[op.key] + weight * delta))
    elif op.kind == FLAG and weight >= 0.5:
        probe.flags[op.key] = op.value
    elif op.kind == PUSH:
        probe.level_index += weight * op.value
