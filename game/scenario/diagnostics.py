"""Located messages about a scenario file: `path:line:col: severity: message`."""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import get_close_matches
from typing import Iterable


@dataclass(frozen=True, slots=True, order=True)
class Loc:
    """A 1-based line and column in a source file."""

    line: int
    col: int


NOWHERE = Loc(1, 1)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str
    loc: Loc
    severity: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.loc.line}:{self.loc.col}: {self.severity}: {self.message}"


@dataclass(slots=True)
class Report:
    """Collects every diagnostic for one file, so a single pass reports them all."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, loc: Loc | None, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, loc or NOWHERE, "error", message))

    def warning(self, loc: Loc | None, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, loc or NOWHERE, "warning", message))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def sorted(self) -> list[Diagnostic]:
        # Stable: same-location messages keep the order they were found in.
        return sorted(self.diagnostics, key=lambda d: (d.loc.line, d.loc.col))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a choice is close to `word`, else ''."""
    matches = get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""
