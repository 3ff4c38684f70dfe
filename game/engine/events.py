"""The event log: everything that happens in a game, in order.

A game is its log. Every change to the state is an event, made by the event's
`apply`; the state can always be rebuilt by applying the log from the start
(`state.replay`). Events are plain data, easy to print, compare and turn
into JSON. Treat them as immutable; they are not frozen dataclasses only
because those are four times slower to create, and a game makes hundreds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from game.engine.records import ADDED_LATER, from_dict, to_dict


@dataclass(slots=True)
class Event:
    kind: ClassVar[str] = "event"
    turn: int

    def to_dict(self) -> dict[str, Any]:
        return to_dict(self)

    def apply(self, state) -> None:
        """Change the game state as this event says (most events only record)."""


@dataclass(slots=True)
class GameStarted(Event):
    kind: ClassVar[str] = "game_started"
    scenario: str
    seed: int
    max_turns: int
    level: str

    def apply(self, state) -> None:
        state.max_turns = self.max_turns


@dataclass(slots=True)
class TurnBegan(Event):
    kind: ClassVar[str] = "turn_began"

    def apply(self, state) -> None:
        state.turn = self.turn
        state.push = 0


@dataclass(slots=True)
class OrdersOpened(Event):
    """Teams may now give orders; the state here is what an undo returns to."""

    kind: ClassVar[str] = "orders_opened"


@dataclass(slots=True)
class TrackChanged(Event):
    kind: ClassVar[str] = "track_changed"
    track: str
    old: float
    new: float
    cause: str

    def apply(self, state) -> None:
        state.values[self.track] = self.new


@dataclass(slots=True)
class FlagSet(Event):
    kind: ClassVar[str] = "flag_set"
    flag: str
    value: bool
    cause: str

    def apply(self, state) -> None:
        state.flags[self.flag] = self.value


@dataclass(slots=True)
class OrdersSubmitted(Event):
    """A team's secret orders. Only that team's view shows them before they resolve."""

    kind: ClassVar[str] = "orders_submitted"
    role: str
    actions: tuple[str, ...]
    player: str  # "human", "random", "doctrine", "heuristic", "scripted"
    reasons: tuple[str, ...]  # why each action was chosen (bots); "" for humans
    why: str = field(default="", metadata=ADDED_LATER)  # the team's one-line reason (humans)
    intent: str = field(default="", metadata=ADDED_LATER)  # what the team thinks the others intend


@dataclass(slots=True)
class OrdersRevealed(Event):
    kind: ClassVar[str] = "orders_revealed"
    orders: tuple[tuple[str, tuple[str, ...]], ...]  # (role, actions) in role order

    def apply(self, state) -> None:
        state.orders = frozenset(f"{role}.{a}" for role, actions in self.orders for a in actions)


@dataclass(slots=True)
class ActionTaken(Event):
    kind: ClassVar[str] = "action_taken"
    role: str
    action: str

    def apply(self, state) -> None:
        key = f"{self.role}.{self.action}"
        state.uses[key] = state.uses.get(key, 0) + 1


@dataclass(slots=True)
class RollMade(Event):
    """One roll: its base chance, each modifier that applied, the die and the result."""

    kind: ClassVar[str] = "roll_made"
    key: str  # what was rolled for, e.g. "us.strike#0" or "inject:protest"
    label: str  # for people: "US: Strike the launch site"
    base: float
    modifiers: tuple[tuple[str, float], ...]  # (reason, percentage points)
    chance: float
    roll: int | None  # None when the chance was 0 or 100: nothing to roll
    success: bool  # what counts: the dice, or the facilitator's override
    rules_success: bool  # what the dice gave
    override: str | None = None  # the facilitator's reason, when overridden


@dataclass(slots=True)
class NewsPublished(Event):
    kind: ClassVar[str] = "news_published"
    text: str
    source: str  # "action", "inject", "ladder", "facilitator"
    ref: str | None = None  # the action, inject or level it comes from
    basis: str | None = None  # provenance: reported, disputed, fictional


@dataclass(slots=True)
class InjectFired(Event):
    kind: ClassVar[str] = "inject_fired"
    inject: str
    forced: bool = False  # fired by the facilitator

    def apply(self, state) -> None:
        state.fired[self.inject] = state.fired.get(self.inject, 0) + 1


@dataclass(slots=True)
class LadderPushed(Event):
    kind: ClassVar[str] = "ladder_pushed"
    amount: int
    cause: str

    def apply(self, state) -> None:
        state.push += self.amount


@dataclass(slots=True)
class LadderMoved(Event):
    kind: ClassVar[str] = "ladder_moved"
    old: str
    new: str
    cause: str  # "push", "transition" or "facilitator" (a game ended on a terminal level's outcome)

    def apply(self, state) -> None:
        state.level = self.new
        state.level_index = state.level_ids[self.new]


@dataclass(slots=True)
class GameEnded(Event):
    kind: ClassVar[str] = "game_ended"
    outcome: str
    reason: str  # "terminal level", "condition", "turn limit", or "facilitator: <why>"
    scores: tuple[tuple[str, int], ...]  # (role, total)
    objectives: tuple[tuple[str, str, bool, int], ...]  # (role, objective, held, points)

    def apply(self, state) -> None:
        state.outcome = self.outcome


@dataclass(slots=True)
class TurnUndone(Event):
    """The facilitator took back a turn: the state returns to its orders phase."""

    kind: ClassVar[str] = "turn_undone"
    undone: int  # the turn taken back
    reason: str


@dataclass(slots=True)
class FacilitatorNoted(Event):
    """A White Cell act that changes nothing in the game but belongs in the
    record: revealing the teams' views, pausing the clock."""

    kind: ClassVar[str] = "facilitator_noted"
    text: str


@dataclass(slots=True)
class RollOverridden(Event):
    kind: ClassVar[str] = "roll_overridden"
    key: str
    success: bool
    reason: str


EVENT_TYPES = {cls.kind: cls for cls in Event.__subclasses__()}


def event_from_dict(data: dict[str, Any]) -> Event:
    return from_dict(EVENT_TYPES, data)
