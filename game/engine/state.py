"""The game state, and how each event changes it.

`GameState` is what conditions read (see `game.scenario.expr`): track values,
flags, the most recent turn's orders, the turn, the ladder level. It changes
only through `apply(state, event)`, so the state is always the log folded up.
"""

from __future__ import annotations

from collections.abc import Iterable

from game.engine import events as ev
from game.scenario.loader import Loaded


class GameState:
    __slots__ = (
        "values",
        "flags",
        "orders",
        "turn",
        "max_turns",
        "level",
        "level_index",
        "uses",
        "fired",
        "push",
        "outcome",
        "level_ids",
        "last_turn",
        "intel",
    )

    def __init__(self, loaded: Loaded, max_turns: int | None = None):
        s = loaded.scenario
        self.values: dict[str, float] = {t.id: t.start for t in s.tracks}
        for role in s.roles:
            for t in role.tracks:
                self.values[f"{role.id}.{t.id}"] = t.start
        self.flags: dict[str, bool] = {f.id: f.start for f in s.flags}
        self.orders: frozenset[str] = frozenset()  # "role.action" of the most recent turn
        self.turn = 0
        self.max_turns = max_turns or s.turns.max
        self.level_ids = loaded.symbols.level_ids
        self.level = s.ladder.start
        self.level_index = self.level_ids[self.level]
        self.uses: dict[str, int] = {}  # "role.action" -> times ordered
        self.fired: dict[str, int] = {}  # inject id -> times fired
        self.push = 0  # net ladder push of the turn so far
        self.outcome: str | None = None
        # Flag id or "role.action" -> the turn it was last set or carried out
        # (flags set from the start count as set in turn 0): what `turns_since` reads.
        self.last_turn: dict[str, int] = {f.id: 0 for f in s.flags if f.start}
        # (team, name) -> what intelligence showed that team: a track's value, or
        # for "role.action" the turn it saw that order given.
        self.intel: dict[tuple[str, str], float] = {}

    @staticmethod
    def start(loaded: Loaded, max_turns: int | None = None) -> GameState:
        """The state a game starts from: a copy of one built once per scenario
        (building it reads the whole scenario; copying it costs a fifth of that)."""
        first = loaded.cache.get("start state")
        if first is None:
            first = loaded.cache["start state"] = GameState(loaded)
        state = first.copy()
        state.max_turns = max_turns or first.max_turns
        return state

    def copy(self) -> GameState:
        """A copy to keep (one per turn, for undo): its own dicts, the rest shared (immutable or read-only).

        Field by field, as a loop over the slots costs twice as much; a slot left out
        here stays unset in the copy and fails loudly at its first read."""
        new = object.__new__(GameState)
        new.values = self.values.copy()
        new.flags = self.flags.copy()
        new.uses = self.uses.copy()
        new.fired = self.fired.copy()
        new.last_turn = self.last_turn.copy()
        new.intel = self.intel.copy()
        new.orders = self.orders  # a frozenset
        new.turn, new.max_turns, new.push, new.outcome = self.turn, self.max_turns, self.push, self.outcome
        new.level, new.level_index, new.level_ids = self.level, self.level_index, self.level_ids
        return new

    def same_as(self, other: GameState) -> bool:
        return all(getattr(self, n) == getattr(other, n) for n in GameState.__slots__)

    def __repr__(self) -> str:
        return f"<GameState turn={self.turn} level={self.level} outcome={self.outcome}>"


def apply(state: GameState, event: ev.Event) -> None:
    """Change `state` as `event` says: events are the only way the state changes."""
    event.apply(state)


class Timeline:
    """Folds events into the state, keeping the state at each turn's orders
    phase so that an undone turn (`TurnUndone`) can return to it."""

    def __init__(self, loaded: Loaded, max_turns: int | None = None):
        self.state = GameState.start(loaded, max_turns)
        self.at_orders: dict[int, GameState] = {}

    def apply(self, event: ev.Event) -> None:
        event.apply(self.state)
        self.mark(event)

    def mark(self, event: ev.Event) -> None:
        """Keep the state at an orders phase, or return to one (after `apply`)."""
        if type(event) is ev.OrdersOpened:
            self.at_orders[event.turn] = self.state.copy()
        elif type(event) is ev.TurnUndone:
            self.state = self.at_orders[event.undone].copy()


def replay(loaded: Loaded, events: Iterable[ev.Event]) -> GameState:
    """The state at the end of `events`."""
    timeline = Timeline(loaded)
    for event in events:
        timeline.apply(event)
    return timeline.state
