"""The event log: everything that happens in a game, in order.

A game is its log. Every change to the state is an event, made by the event's
`apply`; the state can always be rebuilt by applying the log from the start
(`state.replay`). Events are plain data, easy to print, compare and turn
into JSON. Treat them as immutable; they are not frozen dataclasses only
because those are four times slower to create, and a game makes hundreds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeGuard, cast

from game.engine.records import ADDED_LATER, SPELLED_OUT, from_dict, to_dict

# The cause of a change, in the copy of an event shown to an observer who may
# not know which order made it (another team's private or covert order).
UNKNOWN_CAUSE = "unknown"
EXPIRED = "expired"  # the cause of a flag cleared by its `expires`
PER_TURN = "per turn"  # the cause of a track's change at the start of each turn
# The other causes name what made the change: an order's key ("us.strike") for its
# effects, and these two forms for an order's cost and an inject's effects. Read them
# with `paid_for` and `inject_of`, never by slicing the text.
_COST_OF = "cost of "
_INJECT = "inject:"


def cost_cause(action_key: str) -> str:
    """The cause of what an order cost: "cost of us.strike"."""
    return _COST_OF + action_key


def inject_cause(inject_id: str) -> str:
    """The cause of an inject's effects: "inject:protest"."""
    return _INJECT + inject_id


def paid_for(cause: str) -> str | None:
    """The order (its key) whose cost `cause` is, else None."""
    return cause[len(_COST_OF) :] if cause.startswith(_COST_OF) else None


def inject_of(cause: str) -> str | None:
    """The inject whose effects `cause` is, else None."""
    return cause[len(_INJECT) :] if cause.startswith(_INJECT) else None


@dataclass(slots=True)
class Event:
    kind: ClassVar[str] = "event"
    turn: int

    def to_dict(self, full: bool = False) -> dict[str, Any]:
        """The event as a dict. Fields that only spell out what others say (what a
        roll was for) are in it with `full`: send that form to screens elsewhere."""
        return to_dict(self, full)

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
        if self.value:
            state.last_turn[self.flag] = self.turn


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
        state.last_turn[key] = self.turn


@dataclass(slots=True)
class RollMade(Event):
    """One roll: its base chance, each modifier that applied, the die and the result.

    What it was rolled for is given both ways: `key` (kept for old readers) and
    the fields after `override`, which screens should use instead of parsing keys."""

    kind: ClassVar[str] = "roll_made"
    key: str  # what was rolled for, e.g. "us.strike#0" or "inject:protest"
    label: str  # for people: "US: Strike the launch site", with the result's label if it has one
    base: float
    modifiers: tuple[tuple[str, float], ...]  # (reason, percentage points)
    chance: float
    roll: int | None  # None when the chance was 0 or 100: nothing to roll
    success: bool  # what counts: the dice, or the facilitator's override
    rules_success: bool  # what the dice gave
    override: str | None = None  # the facilitator's reason, when overridden
    role: str | None = field(default=None, metadata=SPELLED_OUT)  # whose order it is; None for an inject
    action: str | None = field(default=None, metadata=SPELLED_OUT)  # that order's action id
    result: int | None = field(default=None, metadata=SPELLED_OUT)  # which of its results: 0 is the main one
    result_label: str | None = field(default=None, metadata=SPELLED_OUT)  # the result's name, if it has one
    inject: str | None = field(default=None, metadata=SPELLED_OUT)  # the inject rolled for, if it is one


@dataclass(slots=True)
class NewsPublished(Event):
    kind: ClassVar[str] = "news_published"
    text: str
    source: str  # "action", "inject", "ladder", "facilitator"
    ref: str | None = None  # the action, inject or level it comes from
    basis: str | None = None  # provenance: reported, disputed, fictional


@dataclass(slots=True)
class SignalSent(Event):
    """A public statement made in a team's name by one of its orders (a red line, a
    pause). Every team reads it; which order made it, only as its visibility allows."""

    kind: ClassVar[str] = "signal_sent"
    role: str
    action: str | None  # None in the copy shown to a team that may not see the order
    text: str


@dataclass(slots=True)
class Attributed(Event):
    """Who the world says did a covert order that made news: claimed by someone,
    blamed on someone, or neither (unclaimed). Others see who claims or is blamed,
    never who did it, nor the roll."""

    kind: ClassVar[str] = "attributed"
    role: str | None  # who really did it; None in the copy shown to other teams
    action: str | None
    claimed_by: str | None  # a role or actor id
    blamed_on: str | None
    roll: int | None  # the die that chose the reading; None when there was nothing to roll


@dataclass(slots=True)
class Revealed(Event):
    """What an intelligence result showed one team about another. Only that team
    (and the facilitator) sees it."""

    kind: ClassVar[str] = "revealed"
    role: str  # the team that learned it
    target: str  # the team watched
    orders: tuple[str, ...] | None  # the target's action ids this turn; None when not revealed
    tracks: tuple[tuple[str, float], ...]  # ("militias.strength", value) at the moment of the reveal

    def apply(self, state) -> None:
        for action in self.orders or ():
            state.intel[(self.role, f"{self.target}.{action}")] = self.turn
        for key, value in self.tracks:
            state.intel[(self.role, key)] = value


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
    # With "transition": its index in the scenario's ladder transitions.
    transition: int | None = field(default=None, metadata=SPELLED_OUT)

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
    fresh_dice: bool = field(default=False, metadata=ADDED_LATER)  # the turn is played again with new dice


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


def by_white_cell(e: Event) -> TypeGuard[InjectFired | NewsPublished]:
    """An inject the White Cell fired or news it posted during a turn's orders: the acts an
    override's re-run repeats (`Game._do_override_roll`), and the review lists once."""
    return (type(e) is InjectFired and e.forced) or (type(e) is NewsPublished and e.source == "facilitator")


# The log as a game keeps it while it plays (`Game.log`): each event, or for the kinds the
# adjudication logs by the hundred a compact record, a plain tuple of the event's class then
# its fields in order: `(TrackChanged, 3, "tension", 40, 45, "us.strike")`. Reading the log
# builds the events from their records. A game that is played and never read (thousands of
# games for an outcome count) skips building them: building these events and collecting
# them later cost a seventh of a game's instructions, their tuples a fifth of that (the
# garbage collector stops tracking a tuple of plain values; it tracks every event).
Record = tuple[Any, ...]
COMPACT = frozenset(
    {
        TrackChanged,
        FlagSet,
        RollMade,
        NewsPublished,
        ActionTaken,
        OrdersRevealed,
        SignalSent,
        Attributed,
        InjectFired,
        TurnBegan,
    }
)


def built(logged: Event | Record) -> Event:
    """The event that a log entry stands for: the entry itself, or built from its record."""
    if type(logged) is tuple:
        return logged[0](*logged[1:])
    return cast(Event, logged)


EVENT_TYPES = {cls.kind: cls for cls in Event.__subclasses__()}
# The kinds of event whose `apply` changes the state (the others only record).
CHANGES_STATE = frozenset(cls for cls in EVENT_TYPES.values() if cls.apply is not Event.apply)


def event_from_dict(data: dict[str, Any]) -> Event:
    return from_dict(EVENT_TYPES, data)
