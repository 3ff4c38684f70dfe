"""Loading a scenario file: read, check, compile, with every problem reported."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from game.scenario.checks import check
from game.scenario.diagnostics import Diagnostic, Report
from game.scenario.expr import Symbols
from game.scenario.lint import lint
from game.scenario.model import Scenario
from game.scenario.reader import Reader
from game.scenario.yamlsource import compose, decode, read_bytes, read_text


@dataclass(slots=True)
class Loaded:
    """A checked scenario with what the engine needs beside it."""

    scenario: Scenario
    symbols: Symbols
    digest: str  # sha256 of the file's bytes: saves record it
    path: str
    warnings: list[Diagnostic] = field(default_factory=list)
    # What the engine builds once per scenario (its rules and state machines).
    cache: dict = field(default_factory=dict, repr=False, compare=False)
    data: bytes = field(default=b"", repr=False, compare=False)  # the file's bytes: batches of games carry them


class ScenarioError(Exception):
    """A scenario that failed to load; `diagnostics` says why, with locations."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))


def check_text(text: str, path: str, report: Report) -> tuple[Scenario | None, Symbols | None]:
    root = compose(text, report)
    if root is None:
        return None, None
    reader = Reader(report)
    scenario = reader.read(Scenario, root)
    if scenario is None:
        return None, None
    symbols = check(scenario, report, reader.broken_ids, reader.dropped)
    if not report.ok:
        return None, None
    lint(scenario, report)  # warnings only, about a scenario that is valid
    return scenario, symbols


def validate(path: str | os.PathLike) -> Report:
    """Every error and warning for the file at `path`."""
    report = Report(str(path))
    text = read_text(Path(path), report)
    if text is not None:
        check_text(text, str(path), report)
    return report


def load(path: str | os.PathLike) -> Loaded:
    """The checked scenario at `path`, or ScenarioError."""
    report = Report(str(path))
    data = read_bytes(Path(path), report)
    if data is None:
        raise ScenarioError(report.sorted())
    return load_bytes(data, str(path))


def load_bytes(data: bytes, path: str = "<scenario>") -> Loaded:
    report = Report(path)
    text = decode(data, report)
    scenario, symbols = check_text(text, path, report) if text is not None else (None, None)
    if scenario is None or symbols is None:
        raise ScenarioError(report.sorted())
    digest = hashlib.sha256(data).hexdigest()
    warnings = [d for d in report.sorted() if d.severity == "warning"]
    return Loaded(scenario, symbols, digest, path, warnings, data=data)
