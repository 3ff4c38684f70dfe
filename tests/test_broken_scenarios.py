"""The broken-scenario corpus: every mistake an author can make, and what the
validator must say about it.

Each `tests/broken/*.yaml` (except `_valid_base.yaml`, the valid scenario they
are all copied from) holds one deliberate mistake, or a few to show that one
pass reports them all. Its leading comment says what is wrong and lists, one
`# expect: line:col: severity: message` line per diagnostic, exactly what the
validator should print, in the order it prints them (sorted by position).

Where the validator is known to print something wrong, misleading, badly placed
or nothing at all (or to crash), the file still states what it *should* print and
the case is listed in KNOWN_BUGS: it is expected to fail (strictly, so fixing
the bug makes the test fail until its entry is removed).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from game.scenario import validate

ROOT = Path(__file__).resolve().parents[1]
BROKEN = ROOT / "tests" / "broken"
BASE = BROKEN / "_valid_base.yaml"
FILES = sorted(p for p in BROKEN.glob("*.yaml") if p != BASE)

EXPECT_LINE = re.compile(r"#\s*expect:\s*(.*?)\s*\Z")
DIAGNOSTIC = re.compile(r"\d+:\d+: (error|warning): \S.*\Z")

# File name (without .yaml) -> what the validator gets wrong there today.
KNOWN_BUGS: dict[str, str] = {
    "yaml_unclosed_quote": "an unclosed quote is reported at the end of the file (past the last line), "
                           "not at the opening quote that PyYAML also reports",
    "unknown_key_did_you_mean": "a misspelt required key is reported twice: also as 'missing the required key', "
                                "above the real cause",
    "wrong_type_list_for_mapping": "mapping fields (cost, effects, scores) say \"expected <class 'dict'>\"",
    "wrong_type_infinite_number": "'.inf' gives the self-contradicting \"expected a number, got number '.inf'\"",
    "invalid_id_drops_default_outcome": "the default outcome, dropped for its bad id, causes a spurious "
                                        "'no outcome has default: true'",
    "invalid_date_no_such_day": "2024-02-30 is said not to be 'in the form YYYY-MM-DD', which it is",
    "invalid_date_in_reported_fact": "an invalid provenance date also gives a spurious 'should give the date' warning",
    "resolution_order_typo": "a misspelt resolution_order item is reported again as a missing category",
    "duplicate_id_track_and_flag": "the flag replaces the track in the table of names: 8 spurious errors "
                                   "on every use of 'tension'",
    "duplicate_id_actions": "'already used by a action' (also 'a inject', 'a outcome', 'a actor')",
    "reserved_python_keyword_id": "Python keywords (yield, import, return, pass, in, is...) are accepted as ids, "
                                  "though no condition or template can name them",
    "ref_cost_not_owned": "a cost on an existing scenario track calls it an 'unknown track'",
    "transition_from_empty": "a transition with 'from: []' (that can never apply) is accepted silently",
    "ladder_level_dropped": "a level dropped for an error makes `level >= 'strikes'` report an unknown level",
    "expr_ends_early": "an incomplete condition ('... and') is placed at its start, with only 'invalid syntax'",
    "expr_multiline": "the message quotes a folded condition with its final newline: one diagnostic, two lines",
    "expr_keyword_argument": "round() with a named argument: \"'round' is not a function here (known: ..., round)\"",
    "expr_text_name_in_condition": "a text-only name (us.name) in a condition is called an unknown name",
    "expr_unknown_level": "an unknown level in `level >= 'x'` is placed at the start of the expression, "
                          "not at 'x' (level_side is given the other operand)",
    "expr_unknown_level_reversed": "as expr_unknown_level, for `'x' <= level`",
    "template_level_compared_with_date": "crash: AttributeError in expr.level_side, which reads 'date' "
                                         "with no game state",
    "warning_inject_turn_list": "the warning for a turn in a list of turns is placed at the list, not the turn",
    "several_errors_after_reader_error": "an error in a required top-level part (here the ladder) stops every "
                                         "cross-check, so the unknown effect track is never reported",
}

# Known bugs that also break the run of the command line over the whole directory.
CLI_BREAKERS = {
    "template_level_compared_with_date": "the validator crashes with a traceback",
    "expr_multiline": "a diagnostic is printed over two lines",
}


def expected(path: Path) -> list[str]:
    """The `# expect:` lines of the file's leading comment."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        match = EXPECT_LINE.match(line)
        if match:
            found.append(match.group(1))
    return found


def actual(path: Path) -> list[str]:
    return [f"{d.loc.line}:{d.loc.col}: {d.severity}: {d.message}" for d in validate(path).sorted()]


def _case(path: Path):
    reason = KNOWN_BUGS.get(path.stem)
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(path, id=path.stem, marks=marks)


@pytest.mark.parametrize("path", [_case(p) for p in FILES])
def test_broken_scenario(path: Path):
    want = expected(path)
    assert want, f"{path.name} has no '# expect:' lines"
    for line in want:
        assert DIAGNOSTIC.match(line), f"{path.name}: malformed expect line {line!r}"
    assert actual(path) == want


def test_corpus_and_valid_base():
    assert len(FILES) >= 30
    assert [str(d) for d in validate(BASE).sorted()] == []
    stems = {p.stem for p in FILES}
    assert not KNOWN_BUGS.keys() - stems, "KNOWN_BUGS names files that do not exist"
    assert not CLI_BREAKERS.keys() - KNOWN_BUGS.keys()


def _run_cli(*paths: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "game", "validate", *paths],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )


def _check_cli_output(result: subprocess.CompletedProcess) -> list[str]:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr[-2000:]
    assert result.returncode == 1, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    line_format = re.compile(r"tests/broken/[a-z0-9_]+\.yaml:\d+:\d+: (error|warning): \S.*\Z")
    bad = [line for line in lines if not line_format.match(line)]
    assert not bad, f"lines not in the form path:line:col: severity: message: {bad}"
    return lines


@pytest.mark.xfail(
    bool(CLI_BREAKERS.keys() & KNOWN_BUGS.keys()),
    reason="; ".join(f"{name}.yaml: {why}" for name, why in CLI_BREAKERS.items() if name in KNOWN_BUGS),
    strict=True,
)
def test_cli_over_the_whole_directory():
    lines = _check_cli_output(_run_cli("tests/broken"))
    assert any(": error: " in line for line in lines)
    reported = {line.split(":", 1)[0] for line in lines}
    missing = {f"tests/broken/{p.name}" for p in FILES if p.stem not in KNOWN_BUGS} - reported
    assert not missing, "every broken file is reported"


def test_cli_prints_what_validate_reports():
    """The command line, over every file its known bugs do not break, prints
    exactly the diagnostics of `validate()`, in file order."""
    paths = [f"tests/broken/{p.name}" for p in FILES if p.stem not in CLI_BREAKERS]
    lines = _check_cli_output(_run_cli(*paths))
    want = [f"{path}:{d.loc.line}:{d.loc.col}: {d.severity}: {d.message}"
            for path in paths for d in validate(ROOT / path).sorted()]
    assert lines == want
