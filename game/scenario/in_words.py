"""Conditions in words, for players who never read the scenario's YAML.

An author writes ``tension >= 60 and not us_strikes``; a team reads "Tension at
60 or more and “US forces have struck militia targets in the last two weeks”
did not hold". The describer walks the same parsed expression the game runs
(the safe condition language of `game.scenario.expr`), with the scenario's own
labels: a track by its label (a role's track after the role's short name), a
flag by its description, an order by the action's label, a ladder level by its
name. Every operator the language allows gets words; none of the scenario's
identifiers is shown.
"""

from __future__ import annotations

import ast
import math
from typing import TypeGuard

from game.scenario.expr import NEVER, TURNS_SINCE, ExprError, Symbols, compile_expression
from game.scenario.lint import dotted_name
from game.scenario.model import Scenario
from game.scenario.text import format_number

# `a op b` as `b mirrored-op a`, and `not (a op b)` as `a negated-op b`.
_MIRRORED = {ast.Eq: ast.Eq, ast.NotEq: ast.NotEq, ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE}
_NEGATED = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.GtE, ast.LtE: ast.Gt, ast.Gt: ast.LtE, ast.GtE: ast.Lt}
# A value compared with a number: "Tension at 60 or more".
_WITH_NUMBER = {
    ast.GtE: "at {} or more",
    ast.LtE: "at {} or less",
    ast.Gt: "above {}",
    ast.Lt: "below {}",
    ast.Eq: "at {}",
    ast.NotEq: "not at {}",
}
# A value compared with another value: "Tension above Attacks this game".
_WITH_VALUE = {
    ast.GtE: "at or above {}",
    ast.LtE: "at or below {}",
    ast.Gt: "above {}",
    ast.Lt: "below {}",
    ast.Eq: "equal to {}",
    ast.NotEq: "not equal to {}",
}
_WITH_LEVEL = {
    ast.GtE: "the ladder at “{}” or higher",
    ast.LtE: "the ladder at “{}” or lower",
    ast.Gt: "the ladder above “{}”",
    ast.Lt: "the ladder below “{}”",
    ast.Eq: "the ladder at “{}”",
    ast.NotEq: "the ladder not at “{}”",
}
_WITH_TURN = {
    ast.GtE: "turn {} or later",
    ast.LtE: "turn {} or earlier",
    ast.Gt: "after turn {}",
    ast.Lt: "before turn {}",
    ast.Eq: "turn {}",
    ast.NotEq: "any turn but turn {}",
}
_ARITHMETIC = {
    ast.Add: "plus",
    ast.Sub: "minus",
    ast.Mult: "times",
    ast.Div: "divided by",
    ast.FloorDiv: "divided by (whole part)",
    ast.Mod: "remainder after dividing by",
}


class ConditionWords:
    """Describes the conditions of one scenario in its own words."""

    def __init__(self, scenario: Scenario):
        self.tracks: dict[str, str] = {t.id: t.label for t in scenario.tracks}
        self.flags: dict[str, str] = {f.id: _sentence(f.description) for f in scenario.flags}
        self.orders: dict[str, str] = {}
        for role in scenario.roles:
            short = role.short_name or role.name
            self.tracks.update({f"{role.id}.{t.id}": f"{short} {t.label}" for t in role.tracks})
            self.orders.update({f"{role.id}.{a.id}": f"{short}: {a.label}" for a in role.actions})
        self.levels: dict[str, str] = {level.id: level.name for level in scenario.ladder.levels}

    def __call__(self, source: str) -> str:
        """`source` (a condition as written in the scenario) in words. A condition that
        does not parse (never one of a scenario that loaded) is given back as written."""
        text = " ".join(source.split())
        try:
            tree = ast.parse(text, mode="eval")
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return text
        return self.holds(tree.body)

    # ------------------------------------------------------ true or false

    def holds(self, node: ast.AST) -> str:
        """What must be so for `node` (a true/false expression) to hold."""
        if isinstance(node, ast.BoolOp):
            if isinstance(node.op, ast.And):
                said = self.held_for(node.values)
                words = said[0][1]
                for (before, _), (_, part) in zip(said, said[1:]):
                    # "either A or B, and C": the comma closes the 'either'.
                    words += (", and " if _is_or(before) else " and ") + part
                return words
            parts = [self.holds(v) for v in node.values]
            # "A and B, or C": the comma keeps the branches of an 'or' apart.
            joint = ", or " if any(_is_and(v) for v in node.values) else " or "
            return joint.join(parts)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return self.fails(node.operand)
        if isinstance(node, ast.Compare):
            pairs = zip([node.left, *node.comparators], node.ops, node.comparators)
            return " and ".join(self.compare(a, type(op), b) for a, op, b in pairs)
        if isinstance(node, ast.IfExp):
            return f"{self.holds(node.body)} if {self.holds(node.test)}, otherwise {self.holds(node.orelse)}"
        return self.fact(node, True) or self.value(node)

    def held_for(self, values: list[ast.expr]) -> list[tuple[ast.AST, str]]:
        """The parts of an 'and' in words. A flag with a part saying how long since it became
        true (`truce and turns_since(truce) >= 2`) reads as one: "“…” holds, set at least 2
        turns ago and not since", not the flag's description twice."""
        since: dict[str, tuple[ast.AST, int]] = {}  # flag -> (the part, the turns since it was set)
        for part in values:
            if isinstance(part, ast.Compare) and len(part.ops) == 1 and _is_since(part.left):
                name, number = dotted_name(part.left.args[0]), _number(part.comparators[0])
                op = type(part.ops[0])
                if name and name in self.flags and number is not None and op in (ast.GtE, ast.Gt):
                    turns = math.ceil(number) if op is ast.GtE else math.floor(number) + 1
                    if 1 <= turns < NEVER:
                        since.setdefault(name, (part, turns))
        merged = {since[name][0] for name in map(dotted_name, values) if name in since}
        out: list[tuple[ast.AST, str]] = []
        for part in values:
            name = dotted_name(part)
            if name and name in since:
                turns = since[name][1]
                # `turns_since` counts from the last time the flag was set, even while it held.
                when = "before this turn" if turns == 1 else f"at least {turns} turns ago"
                out.append((part, f"“{self.flags[name]}” holds, set {when} and not since"))
            elif part not in merged:
                out.append((part, self.either(part)))
        return out

    def either(self, node: ast.AST) -> str:
        """A part of an 'and': an 'or' inside it reads 'either A or B'."""
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            return f"either {self.holds(node)}"
        return self.holds(node)

    def fails(self, node: ast.AST) -> str:
        """What must be so for `node` not to hold."""
        if isinstance(node, ast.BoolOp):  # not (a or b) is (not a) and (not b); not (a and b) the other way
            parts = [self.fails(v) for v in node.values]
            return (" or " if isinstance(node.op, ast.And) else " and ").join(parts)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return self.holds(node.operand)
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            return self.compare(node.left, _NEGATED[type(node.ops[0])], node.comparators[0])
        return self.fact(node, False) or f"it is not so that {self.holds(node)}"

    def fact(self, node: ast.AST, held: bool) -> str | None:
        """A flag, an order, true or false, as it `held` (or not); None for anything else."""
        truth = _truth(node)
        if truth is not None:
            return "always" if truth == held else "never"
        name = dotted_name(node)
        if name in self.flags:
            return f"“{self.flags[name]}”" + ("" if held else " did not hold")
        if name in self.orders:
            return f"“{self.orders[name]}” " + ("was ordered" if held else "was not ordered")
        return None

    def compare(self, left: ast.AST, op: type[ast.cmpop], right: ast.AST) -> str:
        # The simpler side first: "60 <= tension" reads "tension >= 60".
        if (_is_written(left) and not _is_written(right)) or (
            dotted_name(right) and not _is_written(right) and not dotted_name(left) and not _is_written(left)
        ):
            left, op, right = right, _MIRRORED[op], left
        if isinstance(right, ast.Constant) and isinstance(right.value, str) and dotted_name(left) == "level":
            return _WITH_LEVEL[op].format(self.levels.get(right.value, right.value))
        if isinstance(left, ast.Constant) and isinstance(left.value, str) and dotted_name(right) == "level":
            return _WITH_LEVEL[_MIRRORED[op]].format(self.levels.get(left.value, left.value))
        number = _number(right)
        if number is not None and _is_since(left):
            return self.since(left, op, number)
        if number is not None and dotted_name(left) == "turn":
            return _WITH_TURN[op].format(format_number(number))
        truth = _truth(right)
        if truth is not None and op in (ast.Eq, ast.NotEq):
            return self.holds(left) if truth == (op is ast.Eq) else self.fails(left)
        if self.is_true_or_false(left):  # two true/false values: `talks_open == (tension > 50)`
            both = f"{self.holds(left)}; {self.holds(right)}"
            return f"either both or neither of: {both}" if op is ast.Eq else f"exactly one of: {both}"
        if number is not None:
            return f"{self.value(left)} {_WITH_NUMBER[op].format(format_number(number))}"
        return f"{self.value(left)} {_WITH_VALUE[op].format(self.value(right))}"

    def is_true_or_false(self, node: ast.AST) -> bool:
        """Whether `node` gives true or false (a flag, an order, a comparison...), not a number."""
        if isinstance(node, ast.IfExp):
            return self.is_true_or_false(node.body)
        return (
            isinstance(node, (ast.BoolOp, ast.Compare))
            or (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not))
            or self.fact(node, True) is not None
        )

    def since(self, call: ast.Call, op: type[ast.cmpop], number: float) -> str:
        """`turns_since(x) op number`: how recently x happened (0 is this turn)."""
        name = dotted_name(call.args[0]) or ""
        if name in self.orders:
            what = f"“{self.orders[name]}”"
            did, did_not, last, never = "was ordered", "was not ordered", "was last ordered", "was never ordered"
        else:
            what = f"“{self.flags.get(name, name)}”"
            did, did_not, last, never = "became true", "did not become true", "last became true", "never became true"
        # Turns since are whole numbers: < n is <= n - 1, and > n is >= n + 1.
        if op is ast.Lt:
            op, number = ast.LtE, math.ceil(number) - 1
        elif op is ast.Gt:
            op, number = ast.GtE, math.floor(number) + 1
        turns = int(number) if float(number).is_integer() else number
        if op is ast.LtE:
            if turns < 0:
                return "never"
            if turns >= NEVER - 1:  # whatever happened at all, however long ago
                return f"{what} {did} at some time in this game"
            return f"{what} {did} {_recent(int(turns))}"
        if op is ast.GtE:
            if turns <= 0:
                return "always"
            if turns >= NEVER:
                return f"{what} {never}"
            return f"{what} {did_not} {_recent(math.ceil(turns) - 1)}"
        if not float(turns).is_integer():  # a whole number of turns never equals 2.5
            return "never" if op is ast.Eq else "always"
        if turns == 0:
            return f"{what} {did if op is ast.Eq else did_not} this turn"
        when = "last turn" if turns == 1 else f"exactly {format_number(turns)} turns ago"
        return f"{what} {last} {when}" if op is ast.Eq else f"it is not so that {what} {last} {when}"

    # ------------------------------------------------------------ numbers

    def value(self, node: ast.AST) -> str:
        """A number (a track, the turn, a formula) in words."""
        number = _number(node)
        if number is not None:
            return format_number(number)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):  # a ladder level's id
            return f"“{self.levels.get(node.value, node.value)}”"
        if self.is_true_or_false(node):
            return self.holds(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd):
            return self.value(node.operand)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return f"minus {self.term(node.operand)}"
        if isinstance(node, ast.BinOp):
            return f"{self.term(node.left)} {_ARITHMETIC.get(type(node.op), '?')} {self.term(node.right)}"
        if isinstance(node, ast.IfExp):
            return f"{self.value(node.body)} if {self.holds(node.test)}, otherwise {self.value(node.orelse)}"
        if isinstance(node, ast.Call):
            return self.call(node)
        name = dotted_name(node) or ""
        if name in self.tracks:
            return self.tracks[name]
        return {"turn": "the turn", "max_turns": "the number of turns", "level": "the ladder"}.get(name, name)

    def term(self, node: ast.AST) -> str:
        """A value inside arithmetic: another sum in brackets, to keep its order."""
        words = self.value(node)
        return f"({words})" if isinstance(node, (ast.BinOp, ast.IfExp)) else words

    def call(self, node: ast.Call) -> str:
        name = dotted_name(node.func)
        if name == TURNS_SINCE and node.args:
            target = dotted_name(node.args[0]) or ""
            if target in self.orders:
                return f"the turns since “{self.orders[target]}” was ordered"
            return f"the turns since “{self.flags.get(target, target)}”"
        args = [self.value(a) for a in node.args]
        listed = ", ".join(args[:-1]) + f" and {args[-1]}" if len(args) > 1 else "".join(args)
        if name == "min":
            return f"the smaller of {listed}"
        if name == "max":
            return f"the larger of {listed}"
        if name == "abs":
            return f"the size of {listed} (without its sign)"
        if name == "round":
            return f"{listed}, rounded"
        return f"{name}({listed})"


def what_held(source: str, symbols: Symbols, state) -> str:
    """The part of a condition that made it hold in `state`: of each 'or', only the branches
    that held ("Tension at 90 or more" rather than "either Tension at 90 or more or “…”"),
    kept inside the 'and's around them. Given back as written where it cannot be split."""
    try:
        tree = ast.parse(" ".join(source.split()), mode="eval")

        def held(node: ast.expr) -> ast.expr:
            if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
                kept = [held(v) for v in node.values if compile_expression(ast.unparse(v), symbols, None)[0](state)]
                if kept:
                    return kept[0] if len(kept) == 1 else all_of(kept)  # all of them held
            elif isinstance(node, ast.BoolOp):
                return all_of([held(v) for v in node.values])
            return node

        def all_of(parts: list[ast.expr]) -> ast.expr:
            flat = [p for part in parts for p in (part.values if _is_and(part) else [part])]  # type: ignore[attr-defined]
            return ast.BoolOp(ast.And(), flat)

        return ast.unparse(held(tree.body))
    except (SyntaxError, ValueError, RecursionError, MemoryError, ExprError):
        return source


def _recent(turns: int) -> str:
    """This turn and the `turns` before it."""
    if turns <= 0:
        return "this turn"
    if turns == 1:
        return "this turn or last turn"
    return f"this turn or in the {turns} turns before it"


def _sentence(text: str) -> str:
    return " ".join(text.split()).rstrip(".")


def _number(node: ast.AST) -> float | None:
    """The number a constant (or a negative constant) stands for; None for anything else."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _number(node.operand)
        return None if inner is None else -inner
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return node.value
    return None


def _truth(node: ast.AST) -> bool | None:
    """True or False for a written true/false constant; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        return node.value
    name = dotted_name(node)
    return {"true": True, "True": True, "false": False, "False": False}.get(name or "")


def _is_written(node: ast.AST) -> bool:
    """A number or a true/false value written in the condition."""
    return _number(node) is not None or _truth(node) is not None


def _is_or(node: ast.AST) -> bool:
    return isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or)


def _is_and(node: ast.AST) -> bool:
    return isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And)


def _is_since(node: ast.AST) -> TypeGuard[ast.Call]:
    return isinstance(node, ast.Call) and dotted_name(node.func) == TURNS_SINCE and len(node.args) == 1
