"""The state of a workshop's flow that is not in the game itself: who has read
what, who has the keyboard, which results each seat has seen, what each team
has chosen so far, and the clocks. It is saved with the game, so a resumed
workshop picks up exactly where it stopped.

Seats: each team (a role id), the facilitator (`FACILITATOR`) and the room's
projector (`ROOM`). At a hot-seat table the teams share one screen, called
the `TABLE` where it shows what everyone may see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

FACILITATOR = "facilitator"
ROOM = "room"
TABLE = "table"

Clock = Callable[[], float]  # seconds, from any fixed origin (time.monotonic in play)


@dataclass(slots=True)
class TeamClock:
    """One team's turn timer: a deadline while it runs, the time left while paused."""

    deadline: float | None = None
    left: float | None = None  # seconds left, while paused or not yet started


class Clocks:
    """Each team's turn timer as a deadline on an injected clock, with a pause
    that freezes them all. Nothing here ticks: whoever asks gets the truth."""

    def __init__(self, clock: Clock, seconds: float):
        self.clock = clock
        self.seconds = seconds  # 0: no timer
        self.paused = False
        self.teams: dict[str, TeamClock] = {}
        self.reading: TeamClock | None = None  # the results' reading time, before any team's clock runs
        # A team's own reading time, before its clock runs: a seat handed back to people mid-turn
        # reads its briefing first, but its clock starts at the latest when this runs out.
        self.readers: dict[str, TeamClock] = {}

    def start_reading(self, left: float) -> None:
        """The results are out: every team's clock starts at the latest in `left` seconds."""
        if self.seconds:
            self.reading = self._timer(left)

    def reading_left(self) -> float | None:
        """Seconds of reading time left, or None when there is none (no timer, or a clock runs)."""
        return _left(self.reading, self.clock())

    def reading_over(self) -> bool:
        """The reading time has run out (never while paused)."""
        reading = self.reading
        return (
            not self.paused
            and reading is not None
            and reading.deadline is not None
            and reading.deadline <= self.clock()
        )

    def start_reading_for(self, role: str, left: float) -> None:
        """`role` reads before its orders: its clock starts at the latest in `left` seconds."""
        if self.seconds:
            self.readers[role] = self._timer(left)

    def reader_left(self, role: str) -> float | None:
        """Seconds of `role`'s own reading time left, or None when it has none."""
        return _left(self.readers.get(role), self.clock())

    def readers_done(self) -> list[str]:
        """Teams whose own reading time has run out (never while paused)."""
        return self._due(self.readers)

    def start(self, role: str, left: float | None = None) -> None:
        """Start `role`'s timer (with a full turn, or `left` seconds); its reading time is over."""
        if not self.seconds:
            return
        self.readers.pop(role, None)
        self.teams[role] = self._timer(self.seconds if left is None else left)

    def _timer(self, left: float) -> TeamClock:
        return TeamClock(None, left) if self.paused else TeamClock(self.clock() + left, None)

    def running(self, role: str) -> bool:
        return role in self.teams

    def stop(self, role: str) -> None:
        self.teams.pop(role, None)
        self.readers.pop(role, None)

    def clear(self) -> None:
        self.teams.clear()
        self.readers.clear()
        self.reading = None

    def left(self, role: str) -> float | None:
        """Seconds left for `role`, or None when it has no timer."""
        return _left(self.teams.get(role), self.clock())

    def pause(self, paused: bool) -> None:
        if paused == self.paused:
            return
        now = self.clock()
        for team in [*self.teams.values(), *self.readers.values(), *([self.reading] if self.reading else [])]:
            if paused:
                team.left, team.deadline = max((team.deadline or now) - now, 0.0), None
            else:
                team.deadline, team.left = now + (team.left or 0.0), None
        self.paused = paused

    def expired(self) -> list[str]:
        """Teams whose time has run out (never while paused)."""
        return self._due(self.teams)

    def _due(self, timers: dict[str, TeamClock]) -> list[str]:
        if self.paused:
            return []
        now = self.clock()
        return [role for role, team in timers.items() if team.deadline is not None and team.deadline <= now]

    def saved(self) -> dict[str, float]:
        return {role: round(self.left(role) or 0.0, 1) for role in self.teams}

    def saved_readers(self) -> dict[str, float]:
        return {role: round(self.reader_left(role) or 0.0, 1) for role in self.readers}


def _left(team: TeamClock | None, now: float) -> float | None:
    if team is None:
        return None
    if team.deadline is None:
        return max(team.left or 0.0, 0.0)
    return max(team.deadline - now, 0.0)


@dataclass(slots=True)
class Flow:
    """What the workshop tracks beside the game; saved and restored whole."""

    public_read: set[str] = field(default_factory=set)  # seats that have read the public briefing
    private_read: set[str] = field(default_factory=set)  # teams that have read their private briefing
    results_seen: dict[str, int] = field(default_factory=dict)  # seat -> last turn whose results it has seen
    keyboard: str | None = None  # hot seat: the team at the keyboard (None: the whole table)
    drafts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # orders a team has chosen, not yet sent

    def saved(self) -> dict[str, Any]:
        return {
            "public_read": sorted(self.public_read),
            "private_read": sorted(self.private_read),
            "results_seen": dict(sorted(self.results_seen.items())),
            "keyboard": self.keyboard,
            "drafts": {role: list(actions) for role, actions in sorted(self.drafts.items())},
        }

    @classmethod
    def restored(cls, data: Any, seats: set[str]) -> Flow:
        """The flow saved as `data`; ValueError when it is not what `saved` writes."""
        if not isinstance(data, dict):
            raise ValueError("the workshop's state should be a mapping")

        def names(key: str) -> set[str]:
            value = data.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) and v in seats for v in value):
                raise ValueError(f"'{key}' should be a list of seats")
            return set(value)

        seen = data.get("results_seen", {})
        if not isinstance(seen, dict) or not all(
            k in seats and isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 1000 for k, v in seen.items()
        ):
            raise ValueError("'results_seen' should map seats to turns")
        keyboard = data.get("keyboard")
        if keyboard is not None and keyboard not in seats:
            raise ValueError("'keyboard' should be a team or nothing")
        drafts = data.get("drafts", {})
        if not isinstance(drafts, dict) or not all(
            k in seats and isinstance(v, list) and all(isinstance(a, str) for a in v) for k, v in drafts.items()
        ):
            raise ValueError("'drafts' should map teams to lists of actions")
        return cls(
            names("public_read"),
            names("private_read"),
            dict(seen),
            keyboard,
            {k: tuple(v) for k, v in drafts.items()},
        )
