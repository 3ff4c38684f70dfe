"""The reader: YAML node trees into the model objects of `model.py`.

It converts every value to its field's type and reports each problem with its
location, all in one pass: a wrong value is reported and left out (or replaced by
its default), so that the rest of the file is still checked. The checks that need
the whole scenario (references, expressions, the ladder) come after, in `checks.py`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import typing
from collections import Counter
from functools import cache
from typing import Any, Literal

import yaml

from game.scenario import scalars
from game.scenario.diagnostics import NOWHERE, Loc, Report, did_you_mean
from game.scenario.fields import (
    COMPILED_TEXT,
    ID_REGEX,
    MAX_NUMBER,
    TEXT_KINDS,
    Date,
    Id,
    Model,
    PartialDate,
    default_of,
    fields_of,
    is_optional,
    is_required,
    keys_of,
    union_args,
)
from game.scenario.text import format_number
from game.scenario.yamlsource import Budget, TooLarge, mapping_pairs, node_loc

ID_PATTERN = re.compile(ID_REGEX + r"\Z")
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
PARTIAL_DATE_PATTERN = re.compile(r"\d{4}(-\d{2}){0,2}\Z")

# Past this many nodes (after expanding aliases) the input is refused: a small
# file with nested aliases ("billion laughs") would otherwise expand without end.
# As many as a file may hold written out (yamlsource.MAX_WRITTEN_NODES).
MAX_NODES = 100_000

# Tags a scenario may carry: YAML's own kinds, as the resolver gives them or as an
# author writes them (`!!str 12`). Others (`!!python/...`, `!!binary`, `!local`) are refused.
ALLOWED_TAGS = {
    f"tag:yaml.org,2002:{kind}"
    for kind in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge", "value")
}


def is_plain(node: yaml.ScalarNode) -> bool:
    """An unquoted scalar (the C loader says '' where the Python one says None)."""
    return not node.style


NULL_TAG = "tag:yaml.org,2002:null"


def is_null(node: yaml.ScalarNode) -> bool:
    """Nothing (`~`, `null` or no value): YAML 1.1 and 1.2 agree on these, so the
    resolver's tag says it, cheaper than `scalars.kind_of` on every value."""
    return node.tag == NULL_TAG and not node.style


class Located:
    """Mixed into int and str: a value that remembers where in the file it came from."""

    loc: Loc = NOWHERE

    @classmethod
    def at(cls, value, loc: Loc):
        located = cls(value)  # type: ignore[call-arg]  # a mixin: the int or str beside it takes the value
        located.loc = loc
        return located


class LocInt(Located, int):
    pass


class LocStr(Located, str):
    pass


def describe_node(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    kind = scalars.kind_of(typing.cast(yaml.ScalarNode, node))
    if kind == scalars.NULL:
        return "nothing"
    value = node.value if len(node.value) <= 40 else node.value[:37] + "..."
    return f"{SCALAR_WORDS.get(kind, 'text')} '{value}'"


SCALAR_WORDS = {scalars.BOOL: "true/false", scalars.INT: "number", scalars.FLOAT: "number"}


def expected_name(tp) -> str:
    if tp is bool:
        return "true or false"
    if tp in (int,):
        return "a whole number"
    if tp is float:
        return "a number"
    if tp is Date:
        return "a date (YYYY-MM-DD)"
    if tp is PartialDate:
        return "a date (YYYY-MM-DD, YYYY-MM or YYYY)"
    if tp in TEXT_KINDS:
        return "text"
    origin = typing.get_origin(tp)
    if origin is list:
        return "a list"
    if origin is dict or dataclasses.is_dataclass(tp):
        return "a mapping"
    if origin is Literal:
        return "one of " + ", ".join(map(str, typing.get_args(tp)))
    args = union_args(tp)
    if args:
        return " or ".join(expected_name(a) for a in args if a is not type(None))
    return str(tp)


UNION, LIST, DICT, MODEL, SCALAR = "union", "list", "dict", "model", "scalar"


@cache
def _shape(tp) -> tuple[str, Any]:
    """What kind of type `tp` is, with what the reader needs of it (asked once per type:
    the reader converts every value of a file, and `typing` is slow to ask)."""
    args = union_args(tp)
    if args is not None:
        return UNION, args
    origin = typing.get_origin(tp)
    if origin is list:
        return LIST, typing.get_args(tp)[0]
    if origin is dict:
        return DICT, typing.get_args(tp)
    if dataclasses.is_dataclass(tp):
        return MODEL, None
    return SCALAR, None


@cache
def _union_plan(args: tuple) -> tuple[bool, list, Any, Any, list]:
    """A union's options: (None allowed, the options, the first that takes a
    mapping, the first that takes a list, those that take a scalar)."""
    options = [a for a in args if a is not type(None)]
    mapping = next((o for o in options if _shape(o)[0] in (MODEL, DICT)), None)
    sequence = next((o for o in options if _shape(o)[0] is LIST), None)
    scalars = [o for o in options if _shape(o)[0] is SCALAR]
    return type(None) in args, options, mapping, sequence, scalars


class Reader:
    """Turns a node tree into model objects, reporting every problem found."""

    def __init__(self, report: Report):
        self.report = report
        self.budget = Budget(MAX_NODES)
        # Ids of objects dropped for errors: later checks do not report
        # references to them as unknown, which would only repeat the error.
        self.broken_ids: set[str] = set()
        self.dropped: Counter[str] = Counter()  # objects dropped for errors, by noun

    def read(self, cls: type, node: yaml.Node) -> Any:
        """The root object; it is built even when some required parts are wrong
        (they are None then), so that the rest of the file is still checked."""
        try:
            if not self._tag_allowed(node, "the file"):
                return None
            return self._convert_model(cls, node, "the file", partial=True)
        except TooLarge:
            self.report.error(
                node_loc(node),
                f"the document expands to more than {MAX_NODES} values (anchors and aliases nested too deeply?)",
            )
            return None

    def _tag_allowed(self, node: yaml.Node, what: str) -> bool:
        if node.tag in ALLOWED_TAGS:
            return True
        self.report.error(
            node_loc(node), f"{what}: the tag '{_short_tag(node.tag)}' is not allowed in a scenario (remove it)"
        )
        return False

    def _fail(self, node: yaml.Node, what: str, tp) -> None:
        self.report.error(node_loc(node), f"{what}: expected {expected_name(tp)}, got {describe_node(node)}")

    def convert(self, tp, node: yaml.Node, what: str) -> Any:
        """Convert `node` to type `tp`; on a mismatch report it and return None."""
        self.budget.spend()
        if node.tag not in ALLOWED_TAGS and not self._tag_allowed(node, what):
            return None
        shape, detail = _shape(tp)
        if shape is UNION:
            return self._convert_union(detail, node, what)
        if shape is LIST:
            return self._convert_list(detail, node, what)
        if shape is DICT:
            return self._convert_dict(detail, node, what)
        if shape is MODEL:
            return self._convert_model(tp, node, what)
        if not isinstance(node, yaml.ScalarNode):
            self._fail(node, what, tp)
            return None
        return self._convert_scalar(tp, node, what)

    def _convert_union(self, args: tuple, node: yaml.Node, what: str) -> Any:
        optional, options, mapping, sequence, scalar_options = _union_plan(args)
        if optional and isinstance(node, yaml.ScalarNode) and is_null(node):
            return None
        # Pick the option whose shape fits the node.
        if isinstance(node, yaml.MappingNode) and mapping is not None:
            return self.convert(mapping, node, what)
        if isinstance(node, yaml.SequenceNode) and sequence is not None:
            return self.convert(sequence, node, what)
        if isinstance(node, yaml.ScalarNode) and scalar_options:
            # A number where numbers are allowed, else the first scalar kind.
            kind = scalars.kind_of(node) if any(o in (int, float, bool) for o in scalar_options) else scalars.STR
            for option in scalar_options:
                if option in (int, float) and kind in (scalars.INT, scalars.FLOAT):
                    return self.convert(option, node, what)
                if option is bool and kind == scalars.BOOL:
                    return self.convert(option, node, what)
            text_kinds = [o for o in scalar_options if o in TEXT_KINDS]
            if text_kinds:
                return self.convert(text_kinds[0], node, what)
            return self.convert(scalar_options[0], node, what)
        self.report.error(
            node_loc(node),
            f"{what}: expected {' or '.join(expected_name(o) for o in options)}, got {describe_node(node)}",
        )
        return None

    def _convert_list(self, item_tp, node: yaml.Node, what: str) -> list | None:
        if not isinstance(node, yaml.SequenceNode):
            self._fail(node, what, list[item_tp])
            return None
        items = []
        for i, child in enumerate(node.value):
            value = self.convert(item_tp, child, f"{what}, item {i + 1}")
            if value is not None:
                items.append(value)
            elif not (dataclasses.is_dataclass(item_tp) or union_args(item_tp)):
                return None  # a list of values with a wrong one is wrong as a whole
        return items

    def _convert_dict(self, kv: tuple, node: yaml.Node, what: str) -> dict | None:
        key_tp, value_tp = kv
        if not isinstance(node, yaml.MappingNode):
            self._fail(node, what, dict[str, Any])
            return None
        result: dict = {}
        for key, value in mapping_pairs(node, self.report, self.budget):
            k = self._convert_scalar(key_tp, key, f"{what}: key")
            if k is None:
                continue
            v = self.convert(value_tp, value, f"{what}: '{key.value}'")
            if v is not None:
                result[k] = v
        return result

    def _convert_model(self, cls: type[Model], node: yaml.Node, what: str, partial: bool = False) -> Any:
        """A model object from a mapping; None if a required part is wrong.

        With `partial` (the root of the file) the object is built anyway, with
        None for required parts that are wrong, so the rest can be checked."""
        noun = cls.noun
        if not isinstance(node, yaml.MappingNode):
            if partial:  # the whole file
                self.report.error(
                    node_loc(node),
                    f"a scenario file holds a mapping of keys (format, id, "
                    f"title...), but this file holds {describe_node(node)}",
                )
            else:
                self.report.error(node_loc(node), f"{what}: expected a mapping ({noun}), got {describe_node(node)}")
            return None
        known = keys_of(cls)
        values: dict[str, Any] = {}
        locs: dict[str, Loc] = {}
        ok = True
        pairs = mapping_pairs(node, self.report, self.budget)
        given_id = next((v.value for k, v in pairs if k.value == "id" and isinstance(v, yaml.ScalarNode)), None)
        label = f"{noun} '{given_id}'" if given_id else noun
        misspelt: set[str] = set()  # known keys that an unknown key probably meant
        for key, value in pairs:
            name = key.value
            if name not in known:
                hint = self.report.suggest(name, known)
                if hint:
                    misspelt.add(hint.split("'")[1])
                self.report.error(node_loc(key), f"unknown key '{name}' in {label}{hint}")
                continue
            f, tp = known[name]
            locs[f.name] = node_loc(value)  # even when wrong: it shows the key was given
            converted = self.convert(tp, value, f"'{name}' of {label}")
            if converted is None and not is_optional(tp) or not self._in_range(f, converted, value, label):
                # Reported already. A field with a default falls back to it, so
                # the rest of the file can still be checked.
                ok = ok and not is_required(f)
                continue
            values[f.name] = converted
        given = {k.value for k, _ in pairs}
        for name, (f, _) in known.items():
            if is_required(f) and name not in given:
                if name not in misspelt:  # the unknown-key error already says it
                    self.report.error(node_loc(node), f"{label} is missing the required key '{name}'")
                ok = False
        if not ok and not partial:
            if given_id:
                self.broken_ids.add(given_id)
            self.dropped[noun] += 1
            return None
        if ok:
            obj = cls(**values)
        else:
            obj = object.__new__(cls)
            for f, _ in fields_of(cls):
                setattr(
                    obj, f.name, values[f.name] if f.name in values else (None if is_required(f) else default_of(f))
                )
        obj.loc = node_loc(node)
        obj.locs = locs
        return obj

    def _in_range(self, f: dataclasses.Field, value: Any, node: yaml.Node, label: str) -> bool:
        ge, le = f.metadata.get("ge"), f.metadata.get("le")
        if value is None:
            return True
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return True
        if (ge is not None and value < ge) or (le is not None and value > le):
            if ge is not None and le is not None:
                bounds = f"between {format_number(ge, exact=True)} and {format_number(le, exact=True)}"
            elif ge is not None:
                bounds = f"at least {format_number(ge, exact=True)}"
            elif le is not None:
                bounds = f"at most {format_number(le, exact=True)}"
            self.report.error(
                node_loc(node), f"'{f.name}' of {label} must be {bounds}, got {format_number(value, exact=True)}"
            )
            return False
        return True

    def _convert_scalar(self, tp, node: yaml.Node, what: str) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            self._fail(node, what, tp)
            return None
        loc = node_loc(node)
        kind = scalars.kind_of(node) if tp in (bool, int, float) or tp is PartialDate else None
        if tp is bool:
            if kind == scalars.BOOL:
                return scalars.boolean(node.value)
            if node.value.lower() in ("yes", "no", "on", "off") and not node.style:
                self.report.error(loc, f"{what}: write true or false ('{node.value}' is true/false only in YAML 1.1)")
            else:
                self._fail(node, what, tp)
            return None
        if tp in (int, float):
            if kind in (scalars.INT, scalars.FLOAT):
                if len(node.value) > MAX_NUMBER_TEXT:
                    self.report.error(loc, f"{what}: {_clip(node.value)} is too large (the limit is 10^12)")
                    return None
                value = scalars.number(node.value)
                if tp is int and isinstance(value, float) and value.is_integer():
                    value = int(value)  # 2.0 is a whole number, as in JSON Schema
                if tp is int and not isinstance(value, int):
                    self._fail(node, what, tp)
                    return None
                old = scalars.yaml11_reading(node)
                if old is not None:
                    self.report.warning(
                        loc,
                        f"{what}: '{node.value}' reads as {format_number(value, exact=True)} here (YAML 1.2) but as {old} "
                        f"in YAML 1.1 tools; write {format_number(value, exact=True)}",
                    )
                if isinstance(value, float) and not math.isfinite(value):
                    self.report.error(loc, f"{what}: expected a finite number, got '{node.value}'")
                    return None
                if abs(value) > MAX_NUMBER:
                    self.report.error(loc, f"{what}: {_clip(node.value)} is too large (the limit is 10^12)")
                    return None
                return LocInt.at(value, loc) if tp is int else float(value)
            if ":" in node.value and not node.style and scalars.yaml11_kind(node.value) in (scalars.INT, scalars.FLOAT):
                self.report.error(
                    loc,
                    f"{what}: '{_clip(node.value)}' is a YAML 1.1 base-60 number; "
                    "write the number itself (or quote it, if it is text)",
                )
                return None
            self._fail(node, what, tp)
            return None
        if typing.get_origin(tp) is Literal:
            choices = [str(c) for c in typing.get_args(tp)]
            if node.value in choices:
                return LocStr.at(node.value, loc)
            self.report.error(
                loc,
                f"{what}: '{node.value}' is not one of {', '.join(choices)}{did_you_mean(node.value, choices)}",
            )
            return None
        if tp in TEXT_KINDS:
            if is_null(node):
                self.report.error(loc, f"{what}: expected {expected_name(tp)}, got nothing")
                return None
            text = node.value
            if tp is Id and not ID_PATTERN.match(text):
                self.report.error(
                    loc,
                    f"{what}: '{text}' is not a valid id "
                    "(use lower-case letters, digits and underscores, starting with a letter)",
                )
                return None
            if tp is PartialDate and kind in (scalars.INT, scalars.FLOAT):
                # A year left unquoted is a number to YAML (and to editors): read it as one.
                year = scalars.number(text)
                if math.isfinite(year) and year == int(year):
                    text = str(int(year))
            if tp in (Date, PartialDate):
                problem = _date_problem(text, partial=tp is PartialDate)
                if problem:
                    self.report.error(loc, f"{what}: '{text}' {problem}")
                    return None
            if tp in COMPILED_TEXT:
                return tp(text, loc, _inline_shift(node))
            return LocStr.at(text, loc)
        raise TypeError(f"unsupported field type {tp!r}")  # a bug in model.py, not in the file


# Longer than any number a scenario needs (10^12 with every digit of a float
# written out); refused before it is converted, which costs time with length.
MAX_NUMBER_TEXT = 64


def _clip(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _inline_shift(node: yaml.ScalarNode) -> int | None:
    """How far the text starts after the node's mark, when it is all on one line."""
    if node.start_mark.line != node.end_mark.line:
        return None
    if is_plain(node):
        return 0
    quoted_length = node.end_mark.column - node.start_mark.column - 2
    if node.style in ("'", '"') and quoted_length == len(node.value):
        return 1  # quoted, with no escapes that would shift the columns
    return None


def _date_problem(text: str, partial: bool = False) -> str | None:
    if partial and PARTIAL_DATE_PATTERN.match(text):
        text = (text + "-01-01")[:10] if len(text) < 10 else text  # check the parts given
    if not DATE_PATTERN.match(text):
        return "is not a date in the form YYYY-MM-DD" + (" (or YYYY-MM, or YYYY)" if partial else "")
    try:
        dt.date.fromisoformat(text)
    except ValueError as exc:
        return f"is not a valid date ({exc})"
    return None
