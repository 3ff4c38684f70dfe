"""Hostile and random input for the scenario loader and the condition language.

Whatever the input, `validate` must give a report and `load_bytes` a `Loaded` or
a `ScenarioError`: no other exception may escape, nothing may hang, and every
diagnostic must carry a line and column (>= 1) and a message.

The last part keeps the inputs that once broke the loader (each found by this
file, each fixed), so that they stay fixed.
"""

from __future__ import annotations

import ast
import copy
import os
import re
import subprocess
import sys
import tempfile
import time
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest
import yaml
from helpers import Hang, child_cpu_seconds, cpu_time_limit
from hypothesis import given, settings
from hypothesis import strategies as st

from game.scenario import (
    Diagnostic,
    Loaded,
    Report,
    ScenarioError,
    load_bytes,
    validate,
)
from game.scenario.expr import BOOL, LEVEL, NUM, TEXT, ExprError, compile_expression
from game.scenario.in_words import ConditionWords

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL_PATH = ROOT / "scenarios" / "tutorial.yaml"

# Seconds of CPU time one load may take before it counts as a hang. Loading the
# tutorial takes about 10 ms; the slowest legitimate input below (an alias bomb stopped
# by the node limit) about 3 s. The limits in this file are CPU time, so a busy machine
# does not fail them (a wall-clock guard, `helpers.WALL_GUARD`, still stops a hang).
HANG = 10.0


# ---------------------------------------------------------------- helpers


def timed(fn, *args, limit: float = HANG):
    """(fn(*args), CPU seconds it took); fails the test when it uses more than `limit`
    seconds of CPU time (or hangs past the wall-clock guard)."""
    start = time.process_time()
    hang = None
    try:
        with cpu_time_limit(limit):
            result = fn(*args)
    except Hang as exc:
        hang = str(exc)
    if hang is not None:
        # Outside the except block and without a traceback: the one of an exception
        # raised from a signal handler can have frames without a line number, which
        # pytest (8.x, on Python 3.11) cannot render.
        pytest.fail(f"{getattr(fn, '__name__', fn)} {hang}", pytrace=False)
    return result, time.process_time() - start


def assert_located(diagnostics: list[Diagnostic], path: str | Path | None = None) -> None:
    for d in diagnostics:
        assert isinstance(d, Diagnostic), d
        assert d.severity in ("error", "warning"), d
        assert isinstance(d.message, str) and d.message.strip(), f"empty message: {d!r}"
        assert isinstance(d.loc.line, int) and isinstance(d.loc.col, int), d
        assert d.loc.line >= 1 and d.loc.col >= 1, f"unlocated diagnostic: {d}"
        if path is not None:
            assert str(d) == f"{path}:{d.loc.line}:{d.loc.col}: {d.severity}: {d.message}"


def validate_file(path: Path, limit: float = HANG) -> Report:
    report, _ = timed(validate, path, limit=limit)
    assert isinstance(report, Report)
    assert_located(report.diagnostics, path)
    return report


def validate_bytes(data: bytes, name: str = "scenario.yaml") -> Report:
    """`validate` on a temporary file holding `data`."""
    with tempfile.TemporaryDirectory(prefix="crisis-fuzz-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        return validate_file(path)


def load_or_errors(data: bytes) -> tuple[Loaded | None, list[Diagnostic] | None]:
    """load_bytes: (Loaded, None) or (None, its diagnostics). Anything else escapes."""

    def load():
        try:
            return load_bytes(data, "<fuzz>"), None
        except ScenarioError as exc:
            return None, exc.diagnostics

    (loaded, diagnostics), _ = timed(load)
    if loaded is None:
        assert diagnostics, "ScenarioError without diagnostics"
        assert any(d.severity == "error" for d in diagnostics), diagnostics
        assert_located(diagnostics, "<fuzz>")
    else:
        assert isinstance(loaded, Loaded)
    return loaded, diagnostics


def _key(d: Diagnostic) -> tuple:
    return (d.loc.line, d.loc.col, d.severity, d.message)


def check_bytes(data: bytes) -> tuple[Report, Loaded | None]:
    """validate (on a file) and load_bytes agree, and every diagnostic is located."""
    report = validate_bytes(data)
    loaded, diagnostics = load_or_errors(data)
    if report.ok:
        assert loaded is not None, f"validate said ok but load_bytes failed: {diagnostics}"
        assert sorted(map(_key, loaded.warnings)) == sorted(map(_key, report.diagnostics))
    else:
        assert loaded is None, f"validate found errors but load_bytes loaded: {report.errors}"
        assert sorted(map(_key, diagnostics)) == sorted(map(_key, report.diagnostics))
    return report, loaded


@cache
def tutorial_bytes() -> bytes:
    return TUTORIAL_PATH.read_bytes()


@cache
def tutorial_text() -> str:
    return tutorial_bytes().decode("utf-8")


@cache
def tutorial_loaded() -> Loaded:
    return load_bytes(tutorial_bytes(), str(TUTORIAL_PATH))


def tutorial_data():
    """A fresh copy of the tutorial as plain Python data."""
    return copy.deepcopy(_tutorial_data())


@cache
def _tutorial_data():
    return yaml.safe_load(tutorial_text())


def names_of_type(type_: str) -> list[str]:
    # Plain str: ids are LocStr, which yaml.safe_dump refuses.
    return sorted(str(n) for n, s in tutorial_loaded().symbols.names.items() if s.type == type_)


def level_ids() -> list[str]:
    return sorted(str(n) for n in tutorial_loaded().symbols.level_ids)


def fake_state(values: dict | None = None) -> SimpleNamespace:
    """A game state as expr.py documents it: values, flags, orders, turn, max_turns, level_index."""
    symbols = tutorial_loaded().symbols
    nums = {n: 1.0 for n, s in symbols.names.items() if s.type == NUM and n not in ("turn", "max_turns")}
    nums.update(values or {})
    flags = {n: True for n, s in symbols.names.items() if s.type == BOOL and "." not in n}
    orders = {n for n, s in symbols.names.items() if s.type == BOOL and "." in n}
    return SimpleNamespace(values=nums, flags=flags, orders=orders, turn=2, max_turns=3, level_index=1)


def dump(doc) -> bytes:
    """yaml.safe_dump, with the C emitter when there is one (several times faster)."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(doc, Dumper=dumper, sort_keys=False, allow_unicode=True).encode("utf-8")


# ---------------------------------------------------- the tutorial round trip


def test_tutorial_is_valid_and_round_trips():
    """The baseline of the mutation tests: the tutorial, and the tutorial dumped
    back from plain data, both load."""
    report = validate_file(TUTORIAL_PATH)
    assert report.ok, [str(d) for d in report.errors]
    report, loaded = check_bytes(dump(tutorial_data()))
    assert report.ok, [str(d) for d in report.errors]
    assert loaded is not None


# The smallest valid scenario: the bug reports below edit it, so that they do not
# depend on the tutorial's wording (which authors change).
MINIMAL = """\
format: 1
id: mini
title: Minimal
date: "2024-01-08"
summary: The smallest scenario the loader accepts, for bug reports.
sources:
  - {id: wire, title: Rockets hit a base, outlet: Example Wire, date: "2024-01-08"}
turns: {max: 3}
resolution_order: [information, diplomatic, legal, economic, military]
situation:
  - text: Rockets hit a base.
    provenance: {basis: reported, date: "2024-01-07", cite: [wire]}
tracks:
  - {id: tension, label: Tension, start: 40}
flags:
  - {id: talks, description: The parties are talking.}
roles:
  - id: us
    name: United States
    public_briefing: [Public.]
    private_briefing: [Private.]
    objectives:
      - {id: calm, text: Keep calm., when: tension < 40, points: 3}
    actions:
      - id: talk
        label: Talk
        category: diplomatic
        description: Talk.
        results:
          - {chance: 50, effects: {tension: -5}, news: Talks.}
injects:
  - {id: quiet, title: Quiet, turn: 2, repeat: true, news: Nothing happens.}
ladder:
  start: calm
  levels:
    - {id: calm, name: Calm, description: Calm.}
    - {id: war, name: War, description: War., outcome: war}
  transitions:
    - {from: calm, to: war, when: tension >= 90}
outcomes:
  - {id: war, title: War, summary: War.}
  - {id: peace, title: Peace, summary: Peace., default: true}
"""


def minimal_with(old: str, new: str) -> bytes:
    assert MINIMAL.count(old) == 1, old
    return MINIMAL.replace(old, new).encode("utf-8")


def test_minimal_scenario_loads():
    report, loaded = check_bytes(MINIMAL.encode("utf-8"))
    assert report.ok and loaded is not None, [str(d) for d in report.diagnostics]


# ------------------------------------------------------ random bytes and text


PREFIXES = [
    b"",
    b"\xef\xbb\xbf",
    b"\xef\xbb\xbf\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\x00\x00\xfe\xff",
    b"\x89PNG\r\n\x1a\n",
    b"\x00",
    b"%YAML 1.1\n---\n",
    b"--- ",
    b"format: 1\n",
    b"\x1f\x8b\x08",
]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32", "latin-1", "cp1252", "shift_jis"]
# Characters that steer a YAML parser: indicators, breaks (also NEL, LS, PS), tabs, BOMs.
YAML_CHARS = list(":-?[]{},&*!|>'\"%@`#\\.~=<+ \t\n\r") + ["\x85", "\u2028", "\u2029", "\ufeff", "\x00", "\x07", "\x1b"]

any_char = st.characters()  # everything but surrogates, control characters included
yamlish_char = st.sampled_from(YAML_CHARS) | st.sampled_from("aZ0_é中\U0001f600") | any_char
surrogate = st.characters(categories=["Cs"])

random_text = st.one_of(
    st.text(any_char, max_size=300),
    st.text(yamlish_char, max_size=300),
    st.text(st.one_of(yamlish_char, surrogate), max_size=100),  # lone surrogates: invalid UTF-8 once encoded
)


@st.composite
def encoded_text(draw) -> bytes:
    text = draw(random_text)
    encoding = draw(st.sampled_from(ENCODINGS))
    errors = "surrogatepass" if encoding.startswith("utf") else "replace"
    return draw(st.sampled_from(PREFIXES)) + text.encode(encoding, errors=errors)


@st.composite
def tutorial_then_garbage(draw) -> bytes:
    """A random-length head of the tutorial followed by random bytes or text."""
    data = tutorial_bytes()
    cut = draw(st.integers(0, len(data)))
    tail = draw(st.binary(max_size=200) | encoded_text())
    return data[:cut] + tail


random_input = st.one_of(
    st.binary(max_size=600),
    st.builds(lambda p, b: p + b, st.sampled_from(PREFIXES), st.binary(max_size=600)),
    encoded_text(),
    tutorial_then_garbage(),
)


@settings(max_examples=250, deadline=None)
@given(data=random_input)
def test_random_bytes_give_a_located_report(data: bytes):
    report, loaded = check_bytes(data)
    if loaded is None:
        assert report.errors


@settings(max_examples=100, deadline=None)
@given(text=random_text)
def test_random_text_never_loads_by_accident(text: str):
    # Random text is never a whole scenario, and never raises.
    report, loaded = check_bytes(text.encode("utf-8", errors="surrogatepass"))
    assert not report.ok and loaded is None


# ------------------------------------------- structural mutations of tutorial


EXPRESSION_KEYS = {"when", "available_when"}
# Every key the tutorial uses, plus the format's other keys and a few near misses.
KNOWN_KEYS = sorted(
    set(re.findall(r"^\s*-?\s*([a-z_]+):", (TUTORIAL_PATH.read_text(encoding="utf-8")), re.M))
    | {"from", "url", "debrief", "short_name", "repeat", "checked", "default", "<<", "Id", "id ", "ID"}
)

scalar_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63),  # bigger ints: see test_huge_numbers_are_errors
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(
        [
            "",
            "~",
            "null",
            "yes",
            "no",
            "on",
            "2024-03-04",
            "2024-02-30",
            "tension",
            "us.capital",
            "strikes",
            "*",
            "1e5",
            "0x1f",
            "12:30",
            "<<",
            "{tension}",
            "{",
            "}",
            "tension >= 60",
        ]
    ),
)
any_value = st.recursive(
    scalar_values,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def kind_of(value) -> type:
    if isinstance(value, bool):
        return bool
    if value is None:
        return type(None)
    for t in (int, float, str, list, dict):
        if isinstance(value, t):
            return t
    return object


def slots(node, path=()):
    """(container, key, path) for every value inside `node` (dict keys and list indexes)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield node, key, path + (key,)
            yield from slots(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield node, index, path + (index,)
            yield from slots(value, path + (index,))


def containers(node, kind: type):
    if isinstance(node, kind):
        yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    for child in children:
        yield from containers(child, kind)


def is_expression_slot(container, key, path) -> bool:
    value = container[key]
    if not isinstance(value, str):
        return False
    in_effects = any(p in ("effects",) for p in path[:-1])
    return key in EXPRESSION_KEYS or in_effects or "{" in value


def rename(mapping: dict, old, new) -> None:
    items = [(new if k == old else k, v) for k, v in mapping.items()]
    mapping.clear()
    mapping.update(items)


UNKNOWN_KEY_PREFIX = "zz_unknown_"


@st.composite
def mutated_tutorial(draw):
    """(the tutorial as data after 1-3 random mutations, names of the mutations, the unknown key inserted or None)."""
    doc = tutorial_data()
    applied = []
    unknown_key = None
    for _ in range(draw(st.integers(1, 3))):
        op = draw(
            st.sampled_from(
                [
                    "delete_key",
                    "replace_value",
                    "rename_key",
                    "insert_unknown_key",
                    "replace_expression",
                    "duplicate_item",
                    "delete_item",
                    "swap_items",
                    "swap_ids",
                ]
            )
        )
        all_slots = list(slots(doc))
        dict_slots = [s for s in all_slots if isinstance(s[0], dict)]
        list_slots = [s for s in all_slots if isinstance(s[0], list)]
        if op == "delete_key" and dict_slots:
            container, key, _ = draw(st.sampled_from(dict_slots))
            del container[key]
        elif op == "replace_value" and all_slots:
            container, key, _ = draw(st.sampled_from(all_slots))
            old_kind = kind_of(container[key])
            container[key] = draw(any_value.filter(lambda v, old=old_kind: kind_of(v) is not old))
        elif op == "rename_key" and dict_slots:
            container, key, _ = draw(st.sampled_from(dict_slots))
            new = draw(st.sampled_from(KNOWN_KEYS) | st.text(max_size=10))
            rename(container, key, new)
        elif op == "insert_unknown_key":
            mapping = draw(st.sampled_from(list(containers(doc, dict))))
            unknown_key = UNKNOWN_KEY_PREFIX + draw(st.text("abcdefghij", min_size=1, max_size=6))
            mapping[unknown_key] = draw(any_value)
        elif op == "replace_expression":
            exprs = [s for s in all_slots if is_expression_slot(*s)]
            if exprs:
                container, key, _ = draw(st.sampled_from(exprs))
                container[key] = draw(hostile_expression | typed_condition | st.text(max_size=40))
        elif op == "duplicate_item" and list_slots:
            container, index, _ = draw(st.sampled_from(list_slots))
            container.insert(index, copy.deepcopy(container[index]))
        elif op == "delete_item" and list_slots:
            container, index, _ = draw(st.sampled_from(list_slots))
            del container[index]
        elif op == "swap_items" and list_slots:
            container, index, _ = draw(st.sampled_from(list_slots))
            other = draw(st.integers(0, len(container) - 1))
            container[index], container[other] = container[other], container[index]
        elif op == "swap_ids":
            with_ids = [m for m in containers(doc, dict) if isinstance(m.get("id"), str)]
            a, b = draw(st.sampled_from(with_ids)), draw(st.sampled_from(with_ids))
            a["id"], b["id"] = b["id"], a["id"]
        else:
            continue
        applied.append(op)
    return doc, applied, unknown_key


@settings(max_examples=100, deadline=None)
@given(mutation=st.deferred(lambda: mutated_tutorial()))
def test_mutated_tutorial_gives_a_located_report(mutation):
    doc, applied, unknown_key = mutation
    text = dump(doc)
    report, loaded = check_bytes(text)
    if report.ok:
        assert loaded is not None and loaded.scenario is not None
    if applied == ["insert_unknown_key"]:
        # A key the format does not have, anywhere, is always an error, reported
        # at the key or (when its value is the first problem) inside the value.
        assert not report.ok, f"unknown key {unknown_key!r} was accepted"
        first, last = block_of_key(text.decode("utf-8"), unknown_key)
        assert any(first <= d.loc.line <= last for d in report.errors), (
            f"no error in lines {first}-{last}: {[str(d) for d in report.errors]}"
        )


def block_of_key(text: str, key: str) -> tuple[int, int]:
    """First and last line (1-based) of `key: value` in block-style YAML as safe_dump writes it."""
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if re.match(rf"\s*(- )*{key}:", line))
    col = lines[first].index(key)
    last = first
    for i in range(first + 1, len(lines)):
        line = lines[i]
        indent = len(line) - len(line.lstrip(" "))
        if line.strip() and (indent < col or (indent == col and not line.lstrip(" ").startswith("- "))):
            break
        last = i
    return first + 1, last + 1


# --------------------------------------------------- text-level mutations


SNIPPETS = [
    "",
    "---",
    "...",
    "%YAML 1.1",
    "%TAG ! tag:example.com,2000:",
    "# comment",
    "- - -",
    "? [a, b]",
    ": x",
    "{",
    "}",
    "[",
    "]",
    "'unterminated",
    '"unterminated',
    "key: [a, b",
    "&a x",
    "*a",
    "*nowhere",
    "<<: *a",
    "<<: [*a, *a]",
    "<<: 1",
    "x: &a {<<: *a}",
    "x: &a [*a]",
    "!!str",
    "!foo bar",
    "!<tag:x> y",
    "!!python/object/apply:os.system ['echo hi']",
    "|",
    ">-",
    "|2-",
    "\t- tab",
    "  - &anchor",
    "x:\ty",
    "id: id",
    "id: Tension",
    "when: tension >=",
    "when: __import__('os').system('echo hi')",
    "format: 2",
    "turns: {max: 0}",
    "start: .nan",
    "start: -.inf",
    "chance: 150",
    "date: '2024-02-30'",
]
TEXT_CHARS = YAML_CHARS + list("aez019_") + ["é", "\u00a0", "\x7f", "\U0001f600"]


@st.composite
def text_mutation(draw) -> str:
    text = tutorial_text()
    for _ in range(draw(st.integers(1, 4))):
        lines = text.split("\n")
        op = draw(
            st.sampled_from(
                [
                    "delete_char",
                    "insert_char",
                    "duplicate_char",
                    "delete_line",
                    "duplicate_line",
                    "swap_lines",
                    "indent",
                    "dedent",
                    "tab_indent",
                    "insert_snippet",
                    "truncate",
                ]
            )
        )
        i = draw(st.integers(0, max(len(text) - 1, 0)))
        n = draw(st.integers(0, len(lines) - 1))
        if op == "delete_char":
            text = text[:i] + text[i + 1 :]
        elif op == "insert_char":
            text = text[:i] + draw(st.sampled_from(TEXT_CHARS) | any_char) + text[i:]
        elif op == "duplicate_char":
            text = text[:i] + text[i : i + 1] * draw(st.integers(2, 5)) + text[i:]
        elif op == "delete_line":
            del lines[n]
            text = "\n".join(lines)
        elif op == "duplicate_line":
            lines.insert(n, lines[n])
            text = "\n".join(lines)
        elif op == "swap_lines":
            m = draw(st.integers(0, len(lines) - 1))
            lines[n], lines[m] = lines[m], lines[n]
            text = "\n".join(lines)
        elif op == "indent":
            lines[n] = " " * draw(st.integers(1, 5)) + lines[n]
            text = "\n".join(lines)
        elif op == "dedent":
            lines[n] = lines[n][draw(st.integers(1, 4)) :] if lines[n].startswith(" ") else lines[n]
            text = "\n".join(lines)
        elif op == "tab_indent":
            stripped = lines[n].lstrip(" ")
            lines[n] = "\t" * ((len(lines[n]) - len(stripped)) // 2) + stripped
            text = "\n".join(lines)
        elif op == "insert_snippet":
            indent = " " * draw(st.sampled_from([0, 2, 4, 6]))
            lines.insert(n, indent + draw(st.sampled_from(SNIPPETS)))
            text = "\n".join(lines)
        elif op == "truncate":
            text = text[:i]
    return text


@settings(max_examples=100, deadline=None)
@given(text=text_mutation())
def test_text_mutations_of_tutorial_give_a_located_report(text: str):
    check_bytes(text.encode("utf-8", errors="surrogatepass"))


# ------------------------------------------------------- the condition language


ALLOWED_FUNCTIONS = {"min", "max", "abs", "round"}
ALLOWED_NODES = (
    ast.Expression,
    ast.Load,
    ast.Constant,
    ast.Name,
    ast.Attribute,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.UnaryOp,
    ast.Not,
    ast.USub,
    ast.UAdd,
    ast.BinOp,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.FloorDiv,
    ast.Mod,
    ast.Compare,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.IfExp,
    ast.Call,
)


def parse(source: str) -> ast.Expression | None:
    try:
        return ast.parse(source.strip().replace("\n", " "), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def outside_whitelist(tree: ast.AST) -> str | None:
    """Why `tree` uses something the language forbids, or None when it does not."""
    for node in ast.walk(tree):
        if not isinstance(node, ALLOWED_NODES):
            return type(node).__name__
        if isinstance(node, ast.Call):
            if not (isinstance(node.func, ast.Name) and node.func.id in ALLOWED_FUNCTIONS):
                return "a call of something other than min/max/abs/round"
            if node.keywords:
                return "a keyword argument"
        if isinstance(node, ast.Attribute):
            name = dotted(node)
            if name is None:
                return "an attribute of something that is not a name"
            if "__" in name:
                return "a dunder attribute"
        if isinstance(node, ast.Name) and node.id.startswith("__"):
            return "a dunder name"
        if isinstance(node, ast.Constant) and type(node.value) not in (bool, int, float, str):
            return f"a {type(node.value).__name__} constant"
    return None


def names_used(tree: ast.AST) -> set[str]:
    """The dotted names an expression reads (the outermost of each attribute chain)."""
    found: set[str] = set()

    def visit(node):
        name = dotted(node) if isinstance(node, (ast.Name, ast.Attribute)) else None
        if name is not None:
            found.add(name)
            return
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def check_compiles_or_rejects(source: str, want: str | None = None, symbols=None):
    """compile_expression either compiles or raises ExprError, and rejects whatever
    the language does not allow. Returns (fn, type) or None."""
    symbols = symbols if symbols is not None else tutorial_loaded().symbols
    tree = parse(source)
    with (
        mock.patch("builtins.eval", side_effect=AssertionError("eval called")),
        mock.patch("builtins.exec", side_effect=AssertionError("exec called")),
    ):
        try:
            (fn, type_), _ = timed(compile_expression, source, symbols, want, limit=5)
        except ExprError as exc:
            assert isinstance(exc.message, str) and exc.message.strip()
            assert isinstance(exc.offset, int) and 0 <= exc.offset <= len(source), (exc.offset, len(source))
            return None
    # It compiled: so it parses, keeps to the whitelist and reads only known names.
    assert tree is not None, f"compiled but does not parse: {source!r}"
    reason = outside_whitelist(tree)
    assert reason is None, f"{source!r} compiled although it uses {reason}"
    unknown = names_used(tree) - set(symbols.names) - {"true", "false", "True", "False", *ALLOWED_FUNCTIONS}
    assert not unknown, f"{source!r} compiled with unknown names {unknown}"
    assert type_ in (NUM, BOOL, LEVEL, TEXT)
    if want is not None:
        assert type_ == want
    assert callable(fn)
    if type_ == BOOL and symbols is tutorial_loaded().symbols:
        # Whatever condition compiles, the review and the report can say it in words.
        words = tutorial_words()(source)
        assert isinstance(words, str) and words.strip(), source
    return fn, type_


@cache
def tutorial_words() -> ConditionWords:
    return ConditionWords(tutorial_loaded().scenario)


# Building blocks of hostile expressions: the scenario's names, Python's dangerous
# ones, numbers and text of every kind, and every operator Python has.
HOSTILE_NAMES = [
    "tension",
    "attacks",
    "talks_open",
    "us.capital",
    "us.strike",
    "iraq.pressure",
    "level",
    "turn",
    "max_turns",
    "true",
    "false",
    "True",
    "None",
    "x",
    "us",
    "us.name",
    "date",
    "__class__",
    "__import__",
    "__builtins__",
    "os",
    "sys",
    "eval",
    "exec",
    "open",
    "getattr",
    "globals",
    "locals",
    "vars",
    "type",
    "len",
    "print",
    "min",
    "max",
    "abs",
    "round",
    "st",
    "state",
    "self",
    "_",
    "tension.__class__",
    "us.capital.__class__.__mro__",
    "().__class__.__base__.__subclasses__",
    "us.__dict__",
    "é",
    "Ω",
]
HOSTILE_ATOMS = HOSTILE_NAMES + [
    "0",
    "1",
    "2.5",
    "100",
    ".5",
    "1e3",
    "0x1f",
    "0o7",
    "0b1",
    "1_000",
    "1j",
    "10**2",
    "True",
    "...",
    "'strikes'",
    "'friction'",
    "'settled'",
    "'nope'",
    '"open_conflict"',
    "b'x'",
    "f'{tension}'",
    "'''x'''",
    "r'\\x'",
    "u'x'",
    "'\\N{BULLET}'",
    "__import__('os')",
    "__import__('os').system('echo hi')",
    "[]",
    "{}",
    "()",
    "[1, 2]",
    "{1: 2}",
    "{1}",
    "lambda: 0",
    "lambda x: x",
    "(x := 1)",
    "[x for x in ()]",
    "{x for x in ()}",
    "{x: x for x in ()}",
    "(x for x in ())",
    "*x",
    "**x",
    "yield",
    "await x",
    "not",
    "if",
    "else",
    "and",
    "or",
    "(",
    ")",
    ",",
    ":",
    "=",
    ";",
    "\\",
    "#",
]
BINARY_OPS = [
    "+",
    "-",
    "*",
    "/",
    "//",
    "%",
    "**",
    "@",
    "<<",
    ">>",
    "&",
    "|",
    "^",
    "and",
    "or",
    "<",
    "<=",
    "==",
    "!=",
    ">",
    ">=",
    "in",
    "not in",
    "is",
    "is not",
    "<>",
    "=",
    ":=",
    ".",
    ",",
]
UNARY_OPS = ["not ", "-", "+", "~", "await ", "*", "**", "lambda: ", "yield "]
ATTRIBUTES = [
    "__class__",
    "__mro__",
    "__subclasses__",
    "__globals__",
    "__dict__",
    "__code__",
    "name",
    "capital",
    "real",
    "upper",
    "strength",
    "_x",
    "mro",
]


def _hostile(children):
    return st.one_of(
        st.tuples(children, st.sampled_from(BINARY_OPS), children).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        st.tuples(st.sampled_from(UNARY_OPS), children).map("".join),
        children.map(lambda a: f"({a})"),
        st.tuples(
            st.sampled_from(
                [
                    "min",
                    "max",
                    "abs",
                    "round",
                    "eval",
                    "exec",
                    "__import__",
                    "open",
                    "getattr",
                    "tension",
                    "us.capital",
                    "print",
                    "(lambda: 0)",
                ]
            ),
            st.lists(children | st.sampled_from(["x=1", "*x", "**x", "key=tension"]), max_size=3),
        ).map(lambda t: f"{t[0]}({', '.join(t[1])})"),
        st.tuples(children, st.sampled_from(ATTRIBUTES)).map(lambda t: f"{t[0]}.{t[1]}"),
        st.tuples(children, children).map(lambda t: f"{t[0]}[{t[1]}]"),
        children.map(lambda a: f"{a}[1:2]"),
        children.map(lambda a: f"lambda: {a}"),
        st.tuples(children, children).map(lambda t: f"[{t[0]} for x in {t[1]}]"),
        st.tuples(children, children).map(lambda t: f"{{{t[0]}: x for x in {t[1]}}}"),
        children.map(lambda a: f"(x := {a})"),
        children.map(lambda a: f"f'{{{a}}}'"),
        st.tuples(children, children, children).map(lambda t: f"{t[0]} if {t[1]} else {t[2]}"),
        st.tuples(children, children).map(lambda t: f"[{t[0]}, {t[1]}]"),
        st.tuples(children, children).map(lambda t: f"({t[0]}, {t[1]})"),
        st.tuples(children, children).map(lambda t: f"{{{t[0]}: {t[1]}}}"),
        st.tuples(
            children, st.sampled_from(BINARY_OPS[15:25]), children, st.sampled_from(BINARY_OPS[15:25]), children
        ).map(lambda t: " ".join(t)),
    )


hostile_expression = st.recursive(st.sampled_from(HOSTILE_ATOMS), _hostile, max_leaves=8)


# A typed grammar of the language as documented, to test that valid expressions
# compile to functions that run on a game state.
SMALL_NUMBERS = st.sampled_from(["0", "1", "2", "3.5", "10", "100", "0.25", "1000"])


def _num_expr(children):
    return st.one_of(
        st.tuples(children, st.sampled_from(["+", "-", "*", "/", "//", "%"]), children).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        children.map(lambda a: f"-{a}"),
        children.map(lambda a: f"abs({a})"),
        children.map(lambda a: f"round({a})"),
        st.tuples(st.sampled_from(["min", "max"]), st.lists(children, min_size=2, max_size=3)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"
        ),
        st.tuples(children, st.deferred(lambda: typed_condition_leaf), children).map(
            lambda t: f"({t[0]} if {t[1]} else {t[2]})"
        ),
    )


num_leaf = st.deferred(lambda: st.sampled_from(names_of_type(NUM)) | SMALL_NUMBERS)
typed_formula = st.recursive(num_leaf, _num_expr, max_leaves=6)
COMPARE = ["<", "<=", "==", "!=", ">", ">="]
typed_condition_leaf = st.deferred(
    lambda: st.one_of(
        st.sampled_from(names_of_type(BOOL) + ["true", "false"]),
        st.tuples(num_leaf, st.sampled_from(COMPARE), num_leaf).map(lambda t: f"({' '.join(t)})"),
        st.tuples(st.sampled_from(COMPARE), st.sampled_from(level_ids())).map(lambda t: f"(level {t[0]} '{t[1]}')"),
    )
)


def _bool_expr(children):
    return st.one_of(
        st.tuples(children, st.sampled_from(["and", "or"]), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        children.map(lambda a: f"(not {a})"),
        st.tuples(children, st.sampled_from(["==", "!="]), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(typed_formula, st.sampled_from(COMPARE), typed_formula).map(lambda t: f"({' '.join(t)})"),
    )


typed_condition = st.recursive(typed_condition_leaf, _bool_expr, max_leaves=6)


@settings(max_examples=300, deadline=None)
@given(source=st.text(max_size=80) | st.text(yamlish_char, max_size=80))
def test_random_text_compiles_or_is_rejected(source: str):
    check_compiles_or_rejects(source)
    check_compiles_or_rejects(source, want=BOOL)


@settings(max_examples=400, deadline=None)
@given(source=hostile_expression)
def test_hostile_expressions_compile_only_within_the_whitelist(source: str):
    check_compiles_or_rejects(source)


@settings(max_examples=150, deadline=None)
@given(source=typed_condition, values=st.lists(st.floats(-1e6, 1e6), min_size=8, max_size=8))
def test_valid_conditions_compile_and_run(source: str, values: list[float]):
    compiled = check_compiles_or_rejects(source, want=BOOL)
    assert compiled is not None, f"a valid condition was rejected: {source!r}"
    fn, _ = compiled
    state = fake_state(dict(zip(names_of_type(NUM), values)))
    assert isinstance(fn(state), bool)


@settings(max_examples=100, deadline=None)
@given(source=typed_formula)
def test_valid_formulas_compile_and_run(source: str):
    compiled = check_compiles_or_rejects(source, want=NUM)
    assert compiled is not None, f"a valid formula was rejected: {source!r}"
    fn, _ = compiled
    result = fn(fake_state())
    assert isinstance(result, (int, float)) and not isinstance(result, bool)


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os').system('echo hi')",
        "tension.__class__",
        "us.capital.__class__.__mro__",
        "().__class__.__base__.__subclasses__()",
        "eval('1')",
        "open('/etc/passwd')",
        "getattr(tension, 'real')",
        "tension[0]",
        "tension[1:2]",
        "lambda: tension",
        "[x for x in (1, 2)]",
        "{x: 1 for x in (1, 2)}",
        "(x := 1) > 0",
        "f'{tension}' == 'x'",
        "max(tension, key=abs)",
        "max(*[1, 2])",
        "round(tension, 2)",
        "tension ** 2 > 1",
        "tension in (1, 2)",
        "tension is None",
        "~tension > 1",
        "b'x' == b'x'",
        "1j == 1j",
        "None",
        "...",
        "tension; tension",
        "(yield tension)",
        "__builtins__",
        "tension if tension else",
        "min(tension)",
        "abs()",
        "level == ('strikes' if tension > 1 else 'friction')",  # only a quoted level id compares with level
        "level >= tension",
        "level == true",
    ],
)
def test_forbidden_expressions_are_rejected(source):
    assert check_compiles_or_rejects(source) is None


@pytest.mark.parametrize(
    "source, type_",
    [
        ("tension >= 60 and us.capital < 3", BOOL),
        ("not camp_closed or talks_open", BOOL),
        ("level >= 'strikes'", BOOL),
        ("'strikes' < level", BOOL),
        ("us.strike", BOOL),
        ("2 + attacks / 5", NUM),
        ("min(tension, 10, iraq.pressure) + abs(-3) + round(2.5) + max(1, 2)", NUM),
        ("(tension if talks_open else 0) % 7 // 2", NUM),
        ("level", LEVEL),
    ],
)
def test_documented_expressions_compile(source, type_):
    compiled = check_compiles_or_rejects(source)
    assert compiled is not None and compiled[1] == type_
    compiled[0](fake_state())


# ------------------------------------------------------------ hostile inputs


def assert_rejected(report: Report, *, mentions: str | None = None) -> None:
    assert not report.ok, "accepted"
    assert report.errors
    for d in report.errors:
        assert d.loc.line >= 1 and d.loc.col >= 1
    if mentions is not None:
        assert any(mentions in d.message for d in report.errors), [str(d) for d in report.errors]


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def model_shaped_alias_bomb(width: int = 16) -> str:
    """Aliases that the reader must expand: roles x actions x results x modifiers."""
    refs = lambda name: "[" + ", ".join([f"*{name}"] * width) + "]"  # noqa: E731
    head = "\n".join(
        [
            "defs:",
            "  m: &m {when: tension > 1, add: 1, reason: r}",
            f"  r: &r {{chance: 50, modifiers: {refs('m')}}}",
            f"  a: &a {{id: a, label: A, category: military, description: d, results: {refs('r')}}}",
            f"  role: &role {{id: us, name: U, public_briefing: [x], private_briefing: [y], actions: {refs('a')}}}",
        ]
    )
    return head + "\n" + MINIMAL.replace("roles:\n", f"roles: {refs('role')}\nold_roles:\n", 1)


def _png() -> bytes:
    import random

    rng = random.Random(1234)
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(4096))


HOSTILE_FILES = {
    "empty": b"",
    "only_comments": b"# a comment\n   # another\n#\n",
    "only_whitespace": b"\n\n   \n\t\n",
    "png": _png(),
    "nul_byte": b"format: 1\nid: tu\x00torial\n",
    "nul_only": b"\x00",
    "utf16_bom": "format: 1\n".encode("utf-16"),
    "latin1": "title: caf\xe9\n".encode("latin-1"),
    "billion_laughs": billion_laughs().encode(),
    "billion_laughs_in_field": (billion_laughs() + "situation: *a9\nroles: [*a9]\n").encode(),
    "deep_flow_list": b"[" * 100_000 + b"]" * 100_000,
    "deep_flow_list_unclosed": b"[" * 100_000,
    "deep_flow_mapping": b"{a: " * 50_000 + b"}" * 50_000,
    "deep_block_mapping": "".join("  " * i + f"k{i}:\n" for i in range(1000)).encode(),
    "deep_block_sequence": "".join("  " * i + "-\n" for i in range(1000)).encode(),
    "python_tag_root": b'!!python/object/apply:os.system ["echo hi"]\n',
    "python_tag_value": b'format: !!python/object/apply:os.system ["echo hi"]\n',
    "list_document": b"- format: 1\n- id: tutorial\n",
    "scalar_document": b"just some text\n",
    "number_document": b"42\n",
    "null_document": b"~\n",
    "two_documents": b"format: 1\n---\nformat: 1\n",
    "two_documents_tutorial": tutorial_bytes() + b"\n---\n" + tutorial_bytes(),
    "merge_cycle": b"a: &a {<<: *a}\nb: &b {x: &c {<<: *b}}\n<<: *a\n",
    "recursive_alias": b"a: &a [*a]\nsituation: *a\n",
    "undefined_alias": b"situation: *nowhere\n",
    "duplicate_keys": tutorial_bytes() + b"\nformat: 1\n",
    "complex_keys": b"? [a, b]\n: c\n? {x: 1}\n: d\n",
    "directives_only": b"%YAML 1.1\n%TAG ! tag:x,2000:\n---\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_hostile_file_is_rejected_with_a_located_error(name, tmp_path):
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(HOSTILE_FILES[name])
    report = validate_file(path)
    assert_rejected(report)
    loaded, diagnostics = load_or_errors(HOSTILE_FILES[name])
    assert loaded is None


def test_alias_bomb_through_the_model_is_cut_off(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(model_shaped_alias_bomb(), encoding="utf-8")
    report = validate_file(path)
    assert_rejected(report, mentions="expands to more than")


def test_python_tags_are_never_executed(tmp_path):
    marker = tmp_path / "executed"
    command = f"touch {marker}"
    for text in (
        f'!!python/object/apply:os.system ["{command}"]\n',
        f'format: 1\nid: !!python/object/apply:os.system ["{command}"]\n',
        f"format: 1\nid: !!python/object/apply:os.system\n  args: ['{command}']\n",
        minimal_with("title: Quiet", f'title: !!python/object/apply:os.system ["{command}"]').decode(),
    ):
        path = tmp_path / "tagged.yaml"
        path.write_text(text, encoding="utf-8")
        assert_rejected(validate_file(path))
        load_or_errors(text.encode())
    assert not marker.exists(), "a !!python tag was executed"


def test_fifty_megabyte_file_is_refused_quickly(tmp_path):
    path = tmp_path / "huge.yaml"
    chunk = b"# " + b"x" * 1021 + b"\n"
    with path.open("wb") as f:
        for _ in range(50 * 1024):
            f.write(chunk)
    assert path.stat().st_size == 50 * 1024 * 1024
    report = validate_file(path, limit=1.0)
    assert_rejected(report, mentions="too large")


def test_directory_is_rejected(tmp_path):
    assert_rejected(validate_file(tmp_path), mentions="directory")


def test_missing_file_is_rejected(tmp_path):
    assert_rejected(validate_file(tmp_path / "no-such-file.yaml"), mentions="no such file")


def test_unreadable_file_is_rejected(tmp_path):
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root can read any file")
    path = tmp_path / "secret.yaml"
    path.write_bytes(tutorial_bytes())
    path.chmod(0)
    assert_rejected(validate_file(path), mentions="cannot read")


def test_cli_reports_hostile_files_without_a_traceback(tmp_path):
    paths = []
    for name in ("empty", "png", "billion_laughs", "deep_flow_list", "two_documents", "python_tag_root", "nul_byte"):
        path = tmp_path / f"{name}.yaml"
        path.write_bytes(HOSTILE_FILES[name])
        paths.append(path)
    paths.append(tmp_path / "missing.yaml")
    result = subprocess.run(
        [sys.executable, "-m", "game", "validate", *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output, output
    for path in paths:
        assert re.search(rf"^{re.escape(str(path))}:\d+:\d+: error: ", result.stdout, re.M), output


def test_cli_on_a_directory_of_hostile_files(tmp_path):
    for name in ("only_comments", "deep_block_mapping", "scalar_document"):
        (tmp_path / f"{name}.yaml").write_bytes(HOSTILE_FILES[name])
    result = subprocess.run(
        [sys.executable, "-m", "game", "validate", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output, output
    assert "3 files checked" in result.stderr, output


# ------------------------------------- inputs that once broke the loader


def assert_load_fails_cleanly(data: bytes, limit: float = HANG) -> list[Diagnostic]:
    """The input is invalid: load_bytes raises ScenarioError (nothing else) with located errors, in time."""

    def load():
        try:
            load_bytes(data, "<bug>")
        except ScenarioError as exc:
            return exc.diagnostics
        return None

    diagnostics, _ = timed(load, limit=limit)
    assert diagnostics is not None, "loaded"
    assert_located(diagnostics)
    assert any(d.severity == "error" for d in diagnostics)
    return diagnostics


@pytest.mark.parametrize(
    "old, new",
    [
        ("repeat: true", "repeat: !!bool maybe"),
        ("points: 3", "points: !!int two"),
        ("start: 40", "start: !!float abc"),
    ],
)
def test_explicitly_tagged_scalars_with_bad_values(old, new):
    assert_load_fails_cleanly(minimal_with(old, new))


@pytest.mark.parametrize(
    "old, new",
    [
        ("start: 40", "start: 1" + "0" * 400),  # float field: float(10**400)
        ("start: 40", "start: 0x" + "f" * 300),  # the same, written in hex
        ("effects: {tension: -5}", "effects: {tension: 1" + "0" * 400 + "}"),
        ("points: 3", "points: 1" + "0" * 400),  # int field: the 'at most 100' message calls float()
        ("points: 3", "points: " + "9" * 5000),  # beyond Python's int-string digit limit
        ("points: 3", "points: 0x_"),
        ("points: 3", "points: -0b_"),
    ],
    ids=["float-field", "float-field-hex", "effect", "int-range-message", "5000-digits", "0x_", "0b_"],
)
def test_huge_numbers_are_errors(old, new):
    assert_load_fails_cleanly(minimal_with(old, new))


def merge_chain(length: int) -> bytes:
    lines = ["format: 1", "chain:", "  - &a0 {k: v}"]
    lines += [f"  - &a{i} {{<<: *a{i - 1}}}" for i in range(1, length)]
    lines.append(f"<<: *a{length - 1}")
    return "\n".join(lines).encode()


def merge_bomb(levels: int, width: int = 9) -> bytes:
    lines = ["format: 1", "defs:", "  - &a0 {k: v}"]
    lines += [f"  - &a{i} {{<<: [{', '.join([f'*a{i - 1}'] * width)}]}}" for i in range(1, levels)]
    lines.append(f"<<: *a{levels - 1}")
    return "\n".join(lines).encode()


def test_long_merge_chain():
    try:
        assert_load_fails_cleanly(merge_chain(1500))
    except RecursionError:
        # Reported without its traceback: pytest cannot always render one that deep.
        pytest.fail("RecursionError escaped load_bytes", pytrace=False)


def test_merge_bomb_is_cut_off_quickly():
    data = merge_bomb(10)
    assert len(data) < 1000
    assert_load_fails_cleanly(data, limit=3.0)  # the unbounded version runs for minutes


def test_long_resolution_order_is_checked_quickly():
    # Without the quadratic step this loads in about 0.35 s.
    items = "[&m military, " + ", ".join(["*m"] * 25_000) + "]"
    data = minimal_with(
        "resolution_order: [information, diplomatic, legal, economic, military]", f"resolution_order: {items}"
    )
    assert_load_fails_cleanly(data, limit=3.0)  # the quadratic version took 5-20 s


def test_many_unknown_references_are_reported_quickly():
    # Without the suggestions this loads in about 0.3 s.
    n = 1500
    sources = "".join(f"  - {{id: src{i}, title: t, outlet: o, date: '2023-12-09'}}\n" for i in range(n))
    data = minimal_with("sources:\n", "sources:\n" + sources)
    data = data.replace(b"cite: [wire]", ("cite: [" + ", ".join(f"nosuch{j}" for j in range(n)) + "]").encode())
    assert_load_fails_cleanly(data, limit=3.0)  # the quadratic version took 5-20 s


@pytest.mark.parametrize(
    "text, loc",
    [
        ("ééééé: \x07\n", (1, 8)),
        ("title: " + "é" * 20 + "\x07\n" + "\n" * 30, (1, 28)),
    ],
    ids=["column", "line"],
)
def test_bad_character_is_located_after_non_ascii(text, loc):
    diagnostics = assert_load_fails_cleanly(text.encode("utf-8"))
    assert (diagnostics[0].loc.line, diagnostics[0].loc.col) == loc, str(diagnostics[0])


@pytest.mark.parametrize(
    "old, new",
    [
        ("title: Quiet", "title: !!python/object/apply:os.system echo hi"),
        ("title: Quiet", "title: !!python/name:os.system"),
        ("title: Quiet", "title: !!binary aGVsbG8="),
        ("label: Tension", "label: !foo Tension"),
        ("situation:\n", "situation: !!python/object/apply:os.system\n"),
        ("format: 1", "--- !!python/object:game.Scenario\nformat: 1"),
    ],
    ids=["apply", "name", "binary", "local-tag", "tagged-list", "tagged-root"],
)
def test_tagged_values_are_rejected(old, new):
    assert_load_fails_cleanly(minimal_with(old, new))


def test_load_bytes_refuses_oversized_input():
    data = (b"# " + b"x" * 1021 + b"\n") * (5 * 1024)
    diagnostics = assert_load_fails_cleanly(data)
    assert any("too large" in d.message for d in diagnostics), [str(d) for d in diagnostics]


@pytest.mark.parametrize(
    "old, new",
    [
        ("format: 1", 'format: 1\n"evil\\nfake.yaml:1:1: error: injected": 1'),
        ("category: diplomatic", 'category: "\\e]0;title\\a"'),
        ("id: tension", 'id: "ten\\nsion"'),
    ],
    ids=["key", "value", "id"],
)
def test_diagnostics_are_one_printable_line(old, new):
    diagnostics = assert_load_fails_cleanly(minimal_with(old, new))
    for d in diagnostics:
        text = str(d)
        assert text.isprintable(), repr(text)


# CPU seconds `crisis validate` may use on a special file (starting Python and importing
# the game take about 0.3 s of it), and the wall-clock seconds after which it has hung.
SPECIAL_FILE_CPU = 1.5
SPECIAL_FILE_WALL = 30.0


def _cli_with_limits(path: str) -> tuple[subprocess.CompletedProcess | None, float]:
    """`crisis validate path` with 512 MB of address space: (its result, or None if it ran
    past SPECIAL_FILE_WALL seconds; the CPU seconds it used)."""

    def limit_memory():
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20))

    before = child_cpu_seconds()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "game", "validate", path],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=SPECIAL_FILE_WALL,
            preexec_fn=limit_memory if sys.platform.startswith("linux") else None,
        )
    except subprocess.TimeoutExpired:
        return None, child_cpu_seconds() - before
    return result, child_cpu_seconds() - before


def _spin() -> None:
    while True:  # a Python loop, so the signal handler gets its turn
        pass


def test_the_time_limits_count_cpu_time_and_stop_a_hang():
    """What the limits in this file measure: waiting (as on a busy machine) does not use
    up the CPU limit; computing does; the wall-clock guard stops what waits forever."""
    with cpu_time_limit(0.2):
        time.sleep(0.5)
    for limit, wall, body in ((0.2, 30.0, _spin), (30.0, 0.3, lambda: time.sleep(5))):
        started = time.perf_counter()
        with pytest.raises(Hang), cpu_time_limit(limit, wall):
            body()
        assert time.perf_counter() - started < 4


def test_cli_runs_within_the_limits_of_the_special_file_test():
    # So that test_special_files_are_refused fails for its bug, not for its limits.
    result, cpu = _cli_with_limits(str(TUTORIAL_PATH))
    assert result is not None and result.returncode == 0, result and result.stdout + result.stderr
    assert 0 < cpu < SPECIAL_FILE_CPU


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("kind", ["fifo", "dev_zero"])
def test_special_files_are_refused(kind, tmp_path):
    if kind == "fifo":
        path = tmp_path / "pipe.yaml"
        os.mkfifo(path)
    else:
        path = Path("/dev/zero")
        if not path.exists():
            pytest.skip("no /dev/zero")
    result, cpu = _cli_with_limits(str(path))
    assert result is not None, "validate hung"
    assert cpu < SPECIAL_FILE_CPU, f"validate used {cpu:.2f} s of CPU time"
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]


@pytest.mark.parametrize(
    "source",
    [
        "round(1e999) > 0",
        "round(1e999 - 1e999) > 0",
        "1" + "0" * 330 + " * 0.5 > tension",
        "1" + "0" * 330 + " / 3 > tension",
    ],
    ids=["round-inf", "round-nan", "huge-times-float", "huge-divided"],
)
def test_compiled_conditions_do_not_raise_when_run(source):
    try:
        fn, _ = compile_expression(source, tutorial_loaded().symbols, want=BOOL)
    except ExprError:
        return  # refusing it at load time is a fix too
    fn(fake_state())


def test_date_placeholder_renders_on_every_turn():
    data = minimal_with('date: "2024-01-08"\nsummary', 'date: "9999-12-31"\nsummary')
    data = data.replace(b"text: Rockets hit a base.", b"text: It is {date}.")
    try:
        loaded = load_bytes(data)
    except ScenarioError:
        return  # refusing a date the game cannot reach is a fix too
    template = loaded.scenario.situation[0].text
    for turn in range(1, loaded.scenario.turns.max + 1):
        state = fake_state()
        state.turn = turn
        assert "{" not in template.render(state)


def test_path_with_nul_character_is_reported():
    report = validate("bad\x00name.yaml")
    assert_located(report.diagnostics)
    assert not report.ok
