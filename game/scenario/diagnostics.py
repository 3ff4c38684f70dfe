"""Located messages about a scenario file: `path:line:col: severity: message`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import get_close_matches


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
        return f"{printable(self.path)}:{self.loc.line}:{self.loc.col}: {self.severity}: {self.message}"


def printable(text: str) -> str:
    """`text` on one line with no control codes: messages quote the file, and a
    line break or an escape sequence in it must not forge a line or reach the terminal."""
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii") for c in text
    )


MAX_MESSAGE = 400


def shortened(message: str) -> str:
    """A message that quotes a huge value keeps its start and its end (the hint)."""
    if len(message) <= MAX_MESSAGE:
        return message
    return message[: MAX_MESSAGE // 2] + " ... " + message[-MAX_MESSAGE // 3 :]


@dataclass(slots=True)
class Report:
    """Collects every diagnostic for one file, so a single pass reports them all."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)

    # "Did you mean" compares a word with every choice; a file with thousands of
    # typos against thousands of ids gets suggestions until this many comparisons.
    comparisons_left: int = 20_000

    def error(self, loc: Loc | None, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, loc or NOWHERE, "error", printable(shortened(message))))

    def warning(self, loc: Loc | None, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, loc or NOWHERE, "warning", printable(shortened(message))))

    def suggest(self, word: str, choices: Iterable[str]) -> str:
        """did_you_mean, while the report's budget for suggestions lasts."""
        if self.comparisons_left <= 0:
            return ""
        choices = list(choices)
        if self.comparisons_left < len(choices):
            return ""
        self.comparisons_left -= len(choices)
        return did_you_mean(word, choices)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def sorted(self) -> list[Diagnostic]:
        """By position; the same message at the same place once (an alias or
        merge can lead the reader over one node several times)."""
        unique = list(dict.fromkeys(self.diagnostics))
        # Stable: same-location messages keep the order they were found in.
        return sorted(unique, key=lambda d: (d.loc.line, d.loc.col))


# Comparing words costs the product of their lengths: no id or key is this long.
MAX_SUGGESTED_LENGTH = 64


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a choice is close to `word`, else ''."""
    if len(word) > MAX_SUGGESTED_LENGTH:
        return ""
    matches = get_close_matches(word, [c for c in choices if len(c) <= MAX_SUGGESTED_LENGTH], n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""
