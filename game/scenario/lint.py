"""Lint: warnings about a valid scenario that will not play or read as its author meant.

`lint` runs after the checks pass (the loader calls it), so every name is known and
every expression compiled. Each warning is located at the value concerned:

- labels that the screens cut at 80 columns (the limits are measured below);
- braces in text that is not a template: they show as written;
- comparisons in conditions that can never hold, given the tracks' bounds and the ladder;
- an `unavailable_reason` on an action without `available_when`: it is never shown.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterator

from game.scenario.diagnostics import Report
from game.scenario.expr import Condition
from game.scenario.fields import Model, fields_of, key_of, walk
from game.scenario.model import Action, Scenario
from game.scenario.text import format_number

# What the screens show at 80x24 (game/tui), measured on the screens themselves
# (tests/test_lint.py keeps these true):
# - the Orders tab lists each action as "[ ] label · cost" in a list 44 columns wide,
#   40 inside its border and scrollbar; the label gives way to the cost;
ACTION_ROW = 40
ACTION_BOX = 4  # "[ ] "
# - a role's own tracks (Team tab, the White Cell's view of every team) keep 22 columns
#   for the label; the Situation tab keeps 34 for the scenario's public tracks.
ROLE_TRACK_LABEL = 22
SCENARIO_TRACK_LABEL = 34


def lint(scenario: Scenario, report: Report) -> None:
    """Add located warnings to `report` for a scenario that passed its checks."""
    _labels(scenario, report)
    models = list(walk(scenario))
    _braces(models, report)
    _impossible_conditions(scenario, models, report)
    for role in scenario.roles:
        for action in role.actions:
            if action.unavailable_reason is not None and action.available_when is None:
                report.warning(
                    action.where("unavailable_reason"),
                    f"action '{action.id}' has an 'unavailable_reason' but no 'available_when': "
                    "the reason is never shown",
                )


# ------------------------------------------------------------------ labels


def action_label_room(action: Action) -> int:
    """How many characters of the action's label the Orders tab shows at 80 columns."""
    cost = (" · " + "+".join(format_number(v) for v in action.cost.values())) if action.cost else ""
    return ACTION_ROW - ACTION_BOX - len(cost)


def _labels(s: Scenario, report: Report) -> None:
    for role in s.roles:
        for action in role.actions:
            room = action_label_room(action)
            if len(action.label) > room:
                report.warning(
                    action.where("label"),
                    f"the label of action '{action.id}' has {len(action.label)} characters; the list of "
                    f"orders shows {room} at 80 columns (with its cost), so it will be cut",
                )
        for track in role.tracks:
            _track_label(track, ROLE_TRACK_LABEL, f"{role.id}.{track.id}", "the Team tab", report)
    for track in s.tracks:
        if track.visibility == "public":
            _track_label(track, SCENARIO_TRACK_LABEL, track.id, "the Situation tab", report)


def _track_label(track, room: int, name: str, where: str, report: Report) -> None:
    if len(track.label) > room:
        report.warning(
            track.where("label"),
            f"the label of track '{name}' has {len(track.label)} characters; {where} shows {room} "
            "at 80 columns, so it will be cut",
        )


# ------------------------------------------------------------------ braces


def _plain_text_fields(model: Model) -> Iterator[tuple[str, str]]:
    """(key, value) of the fields of `model` that hold plain text, not templates."""
    for f, tp in fields_of(type(model)):
        if tp in (str, str | None):
            value = getattr(model, f.name)
            if isinstance(value, str):
                yield key_of(f), value


def _braces(models: list[Model], report: Report) -> None:
    for model in models:
        for key, value in _plain_text_fields(model):
            if "{" in value or "}" in value:
                name = getattr(model, "id", None)
                owner = f"{model.noun} '{name}'" if isinstance(name, str) else model.noun
                report.warning(
                    model.where(key),
                    f"'{key}' of {owner} is plain text, not a template: its braces show as written "
                    "(placeholders work in news, briefings, descriptions and the outcomes' summaries and debriefs)",
                )


# --------------------------------------------------- conditions that cannot hold


class _Ranges:
    """The range of values each numeric part of a condition can take."""

    def __init__(self, s: Scenario):
        self.bounds: dict[str, tuple[float, float]] = {t.id: (t.min, t.max) for t in s.tracks}
        for role in s.roles:
            for t in role.tracks:
                self.bounds[f"{role.id}.{t.id}"] = (t.min, t.max)
        self.levels = {level.id: i for i, level in enumerate(s.ladder.levels)}

    def of(self, node: ast.AST) -> tuple[float, float] | None:
        """(low, high) of a numeric expression, or None when it is not known."""
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return (node.value, node.value)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in self.levels:
            index = self.levels[node.value]
            return (index, index)
        name = dotted_name(node)
        if name == "level":
            return (0, len(self.levels) - 1)
        if name in self.bounds:
            return self.bounds[name]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            inner = self.of(node.operand)
            return (-inner[1], -inner[0]) if inner else None
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult)):
            a, b = self.of(node.left), self.of(node.right)
            if a is None or b is None:
                return None
            if isinstance(node.op, ast.Add):
                return (a[0] + b[0], a[1] + b[1])
            if isinstance(node.op, ast.Sub):
                return (a[0] - b[1], a[1] - b[0])
            products = [x * y for x in a for y in b]
            return (min(products), max(products))
        return None


def _can_hold(op: ast.cmpop, a: tuple[float, float], b: tuple[float, float]) -> bool:
    if isinstance(op, ast.Lt):
        return a[0] < b[1]
    if isinstance(op, ast.LtE):
        return a[0] <= b[1]
    if isinstance(op, ast.Gt):
        return a[1] > b[0]
    if isinstance(op, ast.GtE):
        return a[1] >= b[0]
    if isinstance(op, ast.Eq):
        return a[0] <= b[1] and b[0] <= a[1]
    if isinstance(op, ast.NotEq):
        return not (a[0] == a[1] == b[0] == b[1])
    return True


def dotted_name(node: ast.AST) -> str | None:
    """`us.capital` for the expression node of a dotted name, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted_name(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def _conditions(models: list[Model]) -> Iterator[Condition]:
    for item in models:
        for f, _ in fields_of(type(item)):
            value = getattr(item, f.name)
            if isinstance(value, Condition):
                yield value


def _impossible_conditions(s: Scenario, models: list[Model], report: Report) -> None:
    ranges = _Ranges(s)
    for condition in _conditions(models):
        source = condition.source
        text = source.strip()
        lead = len(source) - len(source.lstrip())
        try:
            with warnings.catch_warnings():  # an odd escape in quotes: the compiler has judged it
                warnings.simplefilter("ignore")
                tree = ast.parse(text.replace("\n", " "), mode="eval")
        except SyntaxError:  # compiled already, so this does not happen
            continue
        encoded = text.encode()
        for node in ast.walk(tree):
            if not isinstance(node, ast.Compare):
                continue
            operands = [node.left, *node.comparators]
            for left, op, right in zip(operands, node.ops, operands[1:]):
                a, b = ranges.of(left), ranges.of(right)
                if a is None or b is None or a[0] == a[1] and b[0] == b[1] or _can_hold(op, a, b):
                    continue
                segment = f"{ast.get_source_segment(text, left)} {_OPS[type(op)]} {ast.get_source_segment(text, right)}"
                why = "; ".join(
                    _range_words(ast.get_source_segment(text, side) or "", r, ranges)
                    for side, r in ((left, a), (right, b))
                    if r[0] != r[1]
                )
                offset = lead + len(encoded[: left.col_offset].decode(errors="ignore"))
                report.warning(condition.loc_at(offset), f"'{segment}' can never hold: {why}")


_OPS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}


def _range_words(source: str, r: tuple[float, float], ranges: _Ranges) -> str:
    if source == "level":
        names = list(ranges.levels)
        return f"the ladder runs from '{names[0]}' to '{names[-1]}'"
    return f"{source} stays within {format_number(r[0])}..{format_number(r[1])}"
