"""Every message the validator can give is checked by a test.

The messages are read from the source of `game/scenario/`: every call that reports a
diagnostic (`error`, `warning`, `unknown`) or raises an expression error (`ExprError`,
`fail`), with its text turned into a pattern (an f-string's `{...}` parts match anything).
Each pattern must match a message that a test asserts:

- a `# expect:` line of the broken-scenario corpus (tests/broken/, checked exactly by
  test_broken_scenarios.py),
- one of the cases below, for problems that cannot be a file of that corpus (a directory, a
  file that is not UTF-8, an expression on its own...), or
- a string in another test file: the whole message, or a part of it at least 12 characters
  long that begins or ends with a piece of its fixed text.

A new message without a test fails `test_every_validator_message_is_tested`, which names it.
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from helpers import ROOT, expected_diagnostics, mini

from game.scenario import validate
from game.scenario.expr import ExprError, compile_expression
from game.scenario.text import Template
from game.scenario.yamlsource import MAX_FILE_BYTES

SOURCE = ROOT / "game" / "scenario"
TESTS = ROOT / "tests"
# A test string shorter than this is too common to show that a message is tested.
MIN_FRAGMENT = 12

# Messages that no input can produce today, each with the reason; kept honest by
# `test_exemptions_still_exist`.
EXEMPT = {
    r"YAML\ error:\ .*?": "PyYAML raises its marked errors for every malformed input we know of; "
    "this is the fallback for an error without a position",
}


# ------------------------------------------------------------ the messages in the source


@dataclass(frozen=True)
class Message:
    where: str  # file:line
    pattern: str  # a regular expression for the message


def _pattern(node: ast.AST) -> str | None:
    """A regex for a message written as a string, an f-string or a sum of them."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return re.escape(node.value)
    if isinstance(node, ast.JoinedStr):
        return "".join(_pattern(v) if isinstance(v, ast.Constant) else ".*?" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _pattern(node.left), _pattern(node.right)
        if left is None and right is None:
            return None
        return (left or ".*?") + (right or ".*?")
    return None  # a variable: the message is built elsewhere


def _message_argument(call: ast.Call) -> tuple[ast.AST | None, str]:
    """The argument of `call` that holds a message, and how it is used."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    if name in ("error", "warning", "fail") and len(call.args) >= 2:
        return call.args[1], name
    if name == "ExprError" and call.args:
        return call.args[0], name
    if name == "unknown" and len(call.args) >= 2:
        return call, name
    return None, ""


def validator_messages() -> list[Message]:
    found = []
    for path in sorted(SOURCE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            pattern = None
            if isinstance(node, ast.Call):
                argument, how = _message_argument(node)
                if how == "unknown":
                    # unknown(ref, what, choices, suffix): "unknown {what} '{ref}'{suffix}{did you mean}"
                    what = _pattern(node.args[1]) or ".*?"
                    suffix = _pattern(node.args[3]) if len(node.args) > 3 else ""
                    pattern = f"unknown\\ {what}\\ '.*?'{suffix or ''}"
                elif argument is not None:
                    pattern = _pattern(argument)
            elif isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add):
                pattern = _pattern(node.value)  # a part added to a message (`message += "; ..."`)
            if pattern and pattern.replace(".*?", "").strip("\\ "):
                found.append(Message(f"{path.relative_to(ROOT)}:{node.lineno}", pattern))
    return found


# ------------------------------------------------------------- what the tests assert


def corpus_lines() -> list[str]:
    return [line for path in sorted((TESTS / "broken").glob("*.yaml")) for line in expected_diagnostics(path)]


def strings_in_tests() -> list[str]:
    """The string constants of the other test files (this one's cases count through `asserted_here`)."""
    strings = []
    for path in sorted(TESTS.glob("test_*.py")):
        if path.name == Path(__file__).name:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                strings.append(node.value)
    return strings


def _fixed_parts(pattern: str) -> list[str]:
    return [re.sub(r"\\(.)", r"\1", part) for part in pattern.split(".*?") if part]


def is_tested(message: Message, asserted: list[str], strings: list[str]) -> bool:
    regex = re.compile(message.pattern)
    if any(regex.search(text) for text in asserted):
        return True
    parts = _fixed_parts(message.pattern)

    def quotes_it(text: str) -> bool:
        """The whole message, or a part of it that begins or ends with a piece of its fixed
        text (`match="'ladder' moves at most 3 levels"`)."""
        text = text.strip()
        if regex.search(text):
            return True
        if len(text) < MIN_FRAGMENT:
            return False
        head, tail = text[:MIN_FRAGMENT], text[-MIN_FRAGMENT:]
        return any(head in part or tail in part for part in parts)

    return any(quotes_it(s) for s in strings)


# ------------------------------------- cases that cannot be files of the broken corpus


def _fifo(tmp: Path) -> Path:
    path = tmp / "pipe.yaml"
    os.mkfifo(path)
    return path


def _too_large(tmp: Path) -> Path:
    path = tmp / "huge.yaml"
    with path.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: no need to write 4 MB
    return path


def _write(name: str, data: bytes):
    def make(tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(data)
        return path

    return make


def _merges(depth: int) -> bytes:
    """Mappings that each merge the one before, `depth` deep, merged into `turns`."""
    lines = ["m0: &m0 {k: 1}"] + [f"m{i}: &m{i} {{<<: *m{i - 1}}}" for i in range(1, depth + 1)]
    return ("\n".join(lines) + f"\nturns: {{<<: *m{depth}}}\n").encode()


FILE_CASES = [
    ("directory", lambda tmp: tmp, "1:1: error: is a directory, not a scenario file"),
    ("missing", lambda tmp: tmp / "nope.yaml", "1:1: error: no such file"),
    ("inside a file", lambda tmp: _write("plain", b"x")(tmp) / "child.yaml", "1:1: error: cannot read file: "),
    ("nul in the name", lambda tmp: Path(str(tmp / "a\x00b.yaml")), "1:1: error: this is not a usable file name"),
    ("too large", _too_large, "1:1: error: file is too large (4.2 MB); a scenario file may be at most 4 MB"),
    (
        "latin-1",
        _write("latin.yaml", "title: caf\xe9\n".encode("latin-1")),
        "1:11: error: not UTF-8 text: byte 0xe9 cannot be decoded (scenario files must be saved as UTF-8)",
    ),
    (
        "control character",
        _write("bell.yaml", b"title: ring\x07\n"),
        "1:12: error: character U+0007 is not allowed in a YAML file",
    ),
    ("merges too deep", _write("merges.yaml", _merges(34)), "3:5: error: '<<' merges nested more than 32 deep"),
]
if hasattr(os, "mkfifo"):
    FILE_CASES.append(("a pipe", _fifo, "1:1: error: is not a regular file"))


@pytest.mark.parametrize("make, message", [c[1:] for c in FILE_CASES], ids=[c[0] for c in FILE_CASES])
def test_file_level_problems(tmp_path, make, message):
    report = validate(make(tmp_path))
    lines = [f"{d.loc.line}:{d.loc.col}: {d.severity}: {d.message}" for d in report.sorted()]
    assert any(line.startswith(message) or message in line for line in lines), lines
    assert not report.ok


# Expressions and templates on their own, against the names of the small test scenario.
EXPRESSION_CASES = [
    ("   ", "the expression is empty"),
    ("tension >= " + "1 + " * 120 + "1", "the expression is longer than 400 characters"),
    ("not " * 25 + "talks", "the expression is nested more than 24 levels deep"),
    ("(1).real >= 0", "'(1).real' is not a name"),
    ("tension >= 10000000000000", "the number 10000000000000 is too large (the limit is 10^12)"),
    ("tension is 5", "the comparison in 'tension is 5' is not allowed"),
    ("'a' == 'b'", "text can only be compared with 'level', in ''a' == 'b''"),
    ("talks < true", "true/false values can only be compared with == or !="),
    ("tension ** 2 > 0", "the operator in 'tension ** 2' is not allowed"),
]


@cache
def mini_symbols():
    return mini().symbols


@pytest.mark.parametrize("source, message", EXPRESSION_CASES)
def test_expression_errors(source, message):
    with pytest.raises(ExprError) as caught:
        compile_expression(source, mini_symbols(), want=None)
    assert caught.value.message == message


@pytest.mark.parametrize(
    "source, message",
    [
        ("Tension {tension", "'{' is not closed (write '{{' for a literal brace)"),
        ("Tension tension}", "'}' without '{' (write '}}' for a literal brace)"),
    ],
)
def test_template_errors(source, message):
    with pytest.raises(ExprError) as caught:
        Template(source, None).compile(mini_symbols())
    assert caught.value.message == message


# ----------------------------------------------------------------------- coverage


def asserted_here() -> list[str]:
    return [c[2] for c in FILE_CASES] + [m for _, m in EXPRESSION_CASES]


def test_the_source_scan_finds_the_messages():
    """A guard on the scan itself: it finds messages of every kind, in every module."""
    messages = validator_messages()
    modules = {m.where.split(":")[0].rsplit("/", 1)[-1] for m in messages}
    assert {"checks.py", "reader.py", "yamlsource.py", "expr.py", "text.py"} <= modules
    patterns = {m.pattern for m in messages}
    assert re.escape("the scenario needs at least one role") in patterns
    assert "unknown\\ track\\ or\\ flag\\ '.*?'\\ in\\ effects" in patterns
    assert len(messages) >= 90


def test_every_validator_message_is_tested():
    asserted = corpus_lines() + asserted_here()
    strings = strings_in_tests()
    untested = [m for m in validator_messages() if m.pattern not in EXEMPT and not is_tested(m, asserted, strings)]
    assert not untested, "validator messages that no test asserts:\n" + "\n".join(
        f"  {m.where}: {m.pattern}" for m in untested
    )


def test_exemptions_still_exist():
    patterns = {m.pattern for m in validator_messages()}
    assert set(EXEMPT) <= patterns, f"stale exemptions: {set(EXEMPT) - patterns}"
