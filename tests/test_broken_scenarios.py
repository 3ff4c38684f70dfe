"""The broken-scenario corpus: every mistake an author can make, and what the
validator must say about it.

Each `tests/broken/*.yaml` (except `_valid_base.yaml`, the valid scenario they
are all copied from) holds one deliberate mistake, or a few to show that one
pass reports them all. Its leading comment says what is wrong and lists, one
`# expect: line:col: severity: message` line per diagnostic, exactly what the
validator should print, in the order it prints them (sorted by position).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import expected_diagnostics

from game.scenario import validate

ROOT = Path(__file__).resolve().parents[1]
BROKEN = ROOT / "tests" / "broken"
BASE = BROKEN / "_valid_base.yaml"
FILES = sorted(p for p in BROKEN.glob("*.yaml") if p != BASE)

DIAGNOSTIC = re.compile(r"\d+:\d+: (error|warning): \S.*\Z")


def actual(path: Path) -> list[str]:
    return [f"{d.loc.line}:{d.loc.col}: {d.severity}: {d.message}" for d in validate(path).sorted()]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_broken_scenario(path: Path):
    want = expected_diagnostics(path)
    assert want, f"{path.name} has no '# expect:' lines"
    for line in want:
        assert DIAGNOSTIC.match(line), f"{path.name}: malformed expect line {line!r}"
    assert actual(path) == want


def test_corpus_and_valid_base():
    assert len(FILES) >= 30
    assert [str(d) for d in validate(BASE).sorted()] == []


def _run_cli(*paths: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "game", "validate", *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _check_cli_output(result: subprocess.CompletedProcess) -> list[str]:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr[-2000:]
    assert result.returncode == 1, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    line_format = re.compile(r"tests/broken/[a-z0-9_]+\.yaml:\d+:\d+: (error|warning): \S.*\Z")
    bad = [line for line in lines if not line_format.match(line)]
    assert not bad, f"lines not in the form path:line:col: severity: message: {bad}"
    return lines


def test_cli_over_the_whole_directory():
    lines = _check_cli_output(_run_cli("tests/broken"))
    assert any(": error: " in line for line in lines)
    reported = {line.split(":", 1)[0] for line in lines}
    missing = {f"tests/broken/{p.name}" for p in FILES} - reported
    assert not missing, "every broken file is reported"


def test_cli_prints_what_validate_reports():
    """The command line, over every file, prints exactly the diagnostics of
    `validate()`, in file order."""
    paths = [f"tests/broken/{p.name}" for p in FILES]
    lines = _check_cli_output(_run_cli(*paths))
    want = [
        f"{path}:{d.loc.line}:{d.loc.col}: {d.severity}: {d.message}"
        for path in paths
        for d in validate(ROOT / path).sorted()
    ]
    assert lines == want
