"""The game beside the record: a scenario's real timeline (`history`), turn by turn.

Turn n of a game stands for the `days` from the scenario's date + (n - 1) x days.
Each dated entry of the scenario's history falls in the turn whose days cover
it; entries before the start are background, entries after the last turn are
what came next. The review screen and the reports read it from here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from game.engine import Game
from game.scenario.model import Scenario


@dataclass(frozen=True, slots=True)
class RealEvent:
    """One entry of the real timeline, as the reports show it."""

    date: str  # YYYY-MM-DD
    when: str  # "8 December 2023"
    text: str
    basis: str  # "reported" or "disputed"
    cite: tuple[str, ...]  # source ids
    note: str | None


@dataclass(frozen=True, slots=True)
class RealTimeline:
    """The real events before the game's start, in each turn (`turns[n - 1]`
    for turn n) and after its last turn."""

    before: tuple[RealEvent, ...]
    turns: tuple[tuple[RealEvent, ...], ...]
    after: tuple[RealEvent, ...]

    def for_turn(self, turn: int) -> tuple[RealEvent, ...]:
        """What really happened in the days turn `turn` stands for (none outside the game)."""
        return self.turns[turn - 1] if 1 <= turn <= len(self.turns) else ()

    @property
    def empty(self) -> bool:
        return not (self.before or self.after or any(self.turns))


def turn_of(start: str, days: int, date: str) -> int:
    """The turn whose days cover `date` (0 or less: before the game's start)."""
    offset = (dt.date.fromisoformat(date) - dt.date.fromisoformat(start)).days
    return offset // days + 1


def real_timeline(scenario: Scenario, max_turns: int) -> RealTimeline:
    """The scenario's history laid out over a game of `max_turns` turns, in date order."""
    before: list[RealEvent] = []
    turns: list[list[RealEvent]] = [[] for _ in range(max_turns)]
    after: list[RealEvent] = []
    for entry in sorted(scenario.history, key=lambda e: e.date):
        p = entry.provenance
        day = dt.date.fromisoformat(entry.date)
        event = RealEvent(
            entry.date, f"{day.day} {day:%B %Y}", " ".join(entry.text.split()), p.basis, tuple(p.cite), p.note
        )
        turn = turn_of(scenario.date, scenario.turns.days, entry.date)
        if turn < 1:
            before.append(event)
        elif turn > max_turns:
            after.append(event)
        else:
            turns[turn - 1].append(event)
    return RealTimeline(tuple(before), tuple(tuple(t) for t in turns), tuple(after))


def game_beside_the_record(game: Game) -> RealTimeline:
    """The real timeline of `game`'s scenario over its turns: `.for_turn(n)` is
    what really happened in the days turn n stands for (for the review screen)."""
    return real_timeline(game.scenario, game.max_turns)
