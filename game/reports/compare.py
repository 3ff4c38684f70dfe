"""Several games of one scenario side by side: outcomes, scores, and where they diverged.

For workshops that run the same scenario with several groups. Each game is
compared with the first one given: the first turn in which they differ, and
what differed first in it (a team's orders, the dice, an event from outside,
the White Cell, the ladder).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from game.engine import Game
from game.reports.debrief import TurnRecord
from game.reports.report import Report, build_report, outcome_line


@dataclass(frozen=True, slots=True)
class Divergence:
    """Where a game parts from the first one: `turn` is None when they are the same game."""

    label: str
    turn: int | None
    what: str


@dataclass(frozen=True, slots=True)
class Compared:
    label: str  # how the game is named (its save's file name)
    report: Report

    @property
    def outcome(self) -> str:
        return outcome_line(self.report)

    def score(self, role: str) -> int | None:
        return next((s.total for s in self.report.debrief.scores if s.role == role), None)


@dataclass(frozen=True, slots=True)
class Comparison:
    title: str
    scenario_id: str
    roles: tuple[tuple[str, str], ...]  # (role id, name)
    games: tuple[Compared, ...]
    divergences: tuple[Divergence, ...]  # each game after the first, against the first
    outcomes: tuple[tuple[str, int], ...]  # outcome title -> number of games, most frequent first

    @property
    def turns(self) -> int:
        return max((len(g.report.debrief.turns) for g in self.games), default=0)


def build_comparison(games: Sequence[tuple[str, Game, dict[str, str] | None]]) -> Comparison:
    """The comparison of `games` (label, game, seating); they must share a scenario."""
    if not games:
        raise ValueError("no games to compare")
    first = games[0][1].scenario
    for label, game, _ in games[1:]:
        if game.scenario.id != first.id:
            raise ValueError(
                f"{label} is a game of '{game.scenario.id}', not of '{first.id}': compare games of one scenario"
            )
    compared = tuple(Compared(label, build_report(game, players)) for label, game, players in games)
    outcomes = Counter(g.report.debrief.outcome.title if g.report.debrief.outcome else "not finished" for g in compared)
    return Comparison(
        title=first.title,
        scenario_id=first.id,
        roles=tuple((r.id, r.name) for r in first.roles),
        games=compared,
        divergences=tuple(divergence(compared[0], other) for other in compared[1:]),
        outcomes=tuple(sorted(outcomes.items(), key=lambda kv: (-kv[1], kv[0]))),
    )


def divergence(first: Compared, other: Compared) -> Divergence:
    """The first turn where `other` differs from `first`, and what differed first."""
    mine, theirs = first.report.turns, other.report.turns
    for number in range(1, max(len(mine), len(theirs)) + 1):
        if number > len(mine) or number > len(theirs):
            shorter = first if number > len(mine) else other
            return Divergence(other.label, number, f"{shorter.label} had ended after turn {number - 1}")
        what = first_difference(mine[number - 1], theirs[number - 1], first.label, other.label)
        if what:
            return Divergence(other.label, number, what)
    if outcome_line(first.report) != outcome_line(other.report):  # e.g. the White Cell ended one of them
        return Divergence(
            other.label, len(mine), f"the ending: {first.outcome} in {first.label}, {other.outcome} in {other.label}"
        )
    return Divergence(other.label, None, f"the same game as {first.label}")


def first_difference(a: TurnRecord, b: TurnRecord, a_label: str, b_label: str) -> str | None:
    for x, y in zip(a.orders, b.orders):
        if [o.action for o in x.orders] != [o.action for o in y.orders]:
            return (
                f"the orders: {x.name} ordered {', '.join(o.label for o in x.orders) or 'nothing'} in {a_label}, "
                f"{', '.join(o.label for o in y.orders) or 'nothing'} in {b_label}"
            )
    rolls_a = {r.key: r for r in a.rolls}
    for r in b.rolls:
        mine = rolls_a.get(r.key)
        if mine is not None and mine.success != r.success:
            verdict = lambda roll: "succeeded" if roll.success else "failed"  # noqa: E731
            return f"the dice: {r.label} {verdict(mine)} in {a_label} and {verdict(r)} in {b_label}"
    if [r.key for r in a.rolls] != [r.key for r in b.rolls]:
        return "the dice: the rolls made differ"
    if [i.id for i in a.injects] != [i.id for i in b.injects]:
        only = [i.title for i in a.injects if i.id not in {j.id for j in b.injects}]
        only_b = [i.title for i in b.injects if i.id not in {j.id for j in a.injects}]
        parts = [f"{', '.join(only)} only in {a_label}"] if only else []
        parts += [f"{', '.join(only_b)} only in {b_label}"] if only_b else []
        return "events from outside: " + ("; ".join(parts) or "in another order")
    if [x.text for x in a.facilitator_acts] != [x.text for x in b.facilitator_acts]:
        return "the White Cell's acts"
    if a.level_end.id != b.level_end.id:
        return f"the ladder: {a.level_end.name} in {a_label}, {b.level_end.name} in {b_label}"
    return None
