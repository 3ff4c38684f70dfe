"""The scenario validator against the YAML Test Suite: never a crash, never a hang.

The corpus (github.com/yaml/yaml-test-suite, `data` branch) is not part of this
repository: it is expected in `shared/peer/yaml-test-suite` beside the checkout's
parent folder (where the project's machines keep it), and a plain clone skips these
tests, saying so. None of its inputs is a scenario, so every case must end in a
report with located errors: no exception may escape `validate`, every diagnostic
must point at a line and column inside the file, and inputs the suite marks as
invalid YAML must give at least one error.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from helpers import Hang, hard_time_limit

from game.scenario import Diagnostic, Report, validate

SUITE = Path(__file__).resolve().parents[2] / "shared" / "peer" / "yaml-test-suite"
CASES_DIR = SUITE / "cases"
ABSENT = (
    f"the YAML Test Suite corpus is not at {SUITE}: it is not part of this repository, so a plain "
    "clone skips these tests; to run them, clone https://github.com/yaml/yaml-test-suite "
    "(branch 'data') into that folder"
)

# Seconds one case may take. The whole corpus validates in about 0.1 s, so this
# only trips on a hang or on work that explodes with the input.
BUDGET = 2.0

# The line breaks libyaml counts (YAML 1.1 also breaks lines at NEL, LS and PS).
LINE_BREAK = re.compile("\r\n|\r|\n|\x85|\u2028|\u2029")


def discover_cases() -> list[tuple[str, Path]]:
    """(test id, case directory) for every case: `ID`, or `ID-NN` for sub-cases.

    `cases/name/` and `cases/tags/` are indexes of the suite (files naming
    case ids), not cases: they hold no `in.yaml` and are skipped.
    """
    if not CASES_DIR.is_dir():
        return []
    found = []
    for case in sorted(p for p in CASES_DIR.iterdir() if p.is_dir()):
        if (case / "in.yaml").is_file():
            found.append((case.name, case))
            continue
        for sub in sorted(p for p in case.iterdir() if p.is_dir() and p.name.isdigit()):
            if (sub / "in.yaml").is_file():
                found.append((f"{case.name}-{sub.name}", sub))
    return found


CASES = discover_cases()


def assert_located(report: Report, path: Path, text: str | None) -> None:
    """Every diagnostic is well formed and points at a place inside the file."""
    lines = LINE_BREAK.split(text) if text is not None else None
    for d in report.diagnostics:
        assert isinstance(d, Diagnostic), d
        assert d.severity in ("error", "warning"), d
        assert isinstance(d.message, str) and d.message.strip(), f"empty message: {d!r}"
        assert isinstance(d.loc.line, int) and isinstance(d.loc.col, int), d
        assert d.loc.line >= 1 and d.loc.col >= 1, f"unlocated diagnostic: {d}"
        assert str(d) == f"{path}:{d.loc.line}:{d.loc.col}: {d.severity}: {d.message}"
        if lines is not None:
            # At most one past the last line (the end of the stream) and one past
            # the end of its line (a problem at the end of a line).
            assert d.loc.line <= len(lines) + 1, f"line beyond the end of the file: {d}"
            if d.loc.line <= len(lines):
                assert d.loc.col <= len(lines[d.loc.line - 1]) + 1, f"column beyond the end of the line: {d}"


def test_corpus_is_present():
    if not CASES_DIR.is_dir():
        pytest.skip(ABSENT)
    # The suite (data branch) has 350 case folders and about 400 inputs; a much
    # smaller number means the discovery above broke, not that the corpus shrank.
    assert len(CASES) >= 300, f"only {len(CASES)} cases found under {CASES_DIR}"


@pytest.mark.skipif(not CASES, reason=ABSENT)
@pytest.mark.parametrize("case_dir", [d for _, d in CASES] or [None], ids=[i for i, _ in CASES] or ["none"])
def test_validate_yaml_suite_case(case_dir: Path):
    path = case_dir / "in.yaml"
    invalid_yaml = (case_dir / "error").exists()

    start = time.perf_counter()
    try:
        with hard_time_limit(BUDGET * 2):
            report = validate(path)
    except Hang:
        report = None
    if report is None:
        # Without a traceback: one raised from a signal handler can have frames
        # without a line number, which pytest cannot render.
        pytest.fail(f"validate({path}) did not finish within {BUDGET * 2} s", pytrace=False)
    elapsed = time.perf_counter() - start

    assert elapsed < BUDGET, f"validate took {elapsed:.2f} s (budget {BUDGET} s)"
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None  # then the report's one error is about the encoding
    assert_located(report, path, text)
    # No case is a scenario (a mapping with format, id, roles, ladder...).
    assert not report.ok, f"a YAML test suite case validated as a scenario: {path}"
    if invalid_yaml:
        assert report.errors, f"invalid YAML gave no error: {path}"
