"""Commands: everything a game's players and facilitator tell the engine.

A save is the scenario, the seed and this list; executing the same commands on
a new game with the same seed gives the same log, event for event.

Commands are plain data: treat them as immutable. Like events, they are not frozen
dataclasses, because those cost twice as much to create and bots give thousands of
orders a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from game.engine.records import ADDED_LATER, from_dict, to_dict

# A team's one-line reasoning ("why", "what do you think they intend?") is at most this long.
MAX_REASONING = 300


@dataclass(slots=True)
class Command:
    kind: ClassVar[str] = "command"
    by_facilitator: ClassVar[bool] = False

    def to_dict(self) -> dict[str, Any]:
        return to_dict(self)


@dataclass(slots=True)
class Begin(Command):
    """Leave setup: the briefings are read."""

    kind: ClassVar[str] = "begin"


@dataclass(slots=True)
class StartPlay(Command):
    """Leave the briefings: turn 1 opens for orders."""

    kind: ClassVar[str] = "start_play"


@dataclass(slots=True)
class Submit(Command):
    """A team's orders. `why` is the team's one-line reason for them and `intent`
    what it thinks the other teams intend (asked when the scenario says so);
    both stay the team's own until the debrief."""

    kind: ClassVar[str] = "submit"
    role: str
    actions: tuple[str, ...]
    player: str = "human"
    reasons: tuple[str, ...] = ()
    why: str = field(default="", metadata=ADDED_LATER)
    intent: str = field(default="", metadata=ADDED_LATER)

    def __post_init__(self) -> None:  # commands can come from a hand-edited save
        # One test of the common case, then the message: every order a bot gives is checked.
        if _texts(self.actions) and _texts(self.reasons) and type(self.why) is str and type(self.intent) is str:
            return
        if not _texts(self.actions):
            raise ValueError("'actions' of an order should be a list of text")
        if not _texts(self.reasons):
            raise ValueError("'reasons' of an order should be a list of text")
        if not isinstance(self.why, str):
            raise ValueError("'why' of an order should be text")
        if not isinstance(self.intent, str):
            raise ValueError("'intent' of an order should be text")


def _texts(value: object) -> bool:
    """Whether `value` is a tuple of text. A loop, not all() of a generator: every
    order a bot gives is checked, and a generator costs more than a few items do."""
    if not isinstance(value, tuple):
        return False
    for item in value:  # noqa: SIM110
        if not isinstance(item, str):
            return False
    return True


@dataclass(slots=True)
class Resolve(Command):
    """Adjudicate the turn once every team has given its orders."""

    kind: ClassVar[str] = "resolve"


@dataclass(slots=True)
class ForceInject(Command):
    kind: ClassVar[str] = "force_inject"
    by_facilitator: ClassVar[bool] = True
    inject: str


@dataclass(slots=True)
class OverrideRoll(Command):
    kind: ClassVar[str] = "override_roll"
    by_facilitator: ClassVar[bool] = True
    key: str
    success: bool
    reason: str


@dataclass(slots=True)
class UndoTurn(Command):
    """Take back the last finished turn. With `fresh_dice` (the default) the turn
    is played again with new dice, so nobody knows in advance what will fail."""

    kind: ClassVar[str] = "undo_turn"
    by_facilitator: ClassVar[bool] = True
    reason: str
    fresh_dice: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.fresh_dice, bool):
            raise ValueError("'fresh_dice' of an undo should be true or false")


@dataclass(slots=True)
class PostNews(Command):
    kind: ClassVar[str] = "post_news"
    by_facilitator: ClassVar[bool] = True
    text: str


@dataclass(slots=True)
class Note(Command):
    """Record a White Cell act that does not change the game (a reveal, a pause)."""

    kind: ClassVar[str] = "note"
    by_facilitator: ClassVar[bool] = True
    text: str


@dataclass(slots=True)
class EndGame(Command):
    kind: ClassVar[str] = "end_game"
    by_facilitator: ClassVar[bool] = True
    outcome: str
    reason: str


COMMAND_TYPES = {cls.kind: cls for cls in Command.__subclasses__()}


# Fields added after saves were first written, with what a save without them meant.
_BEFORE_THE_FIELD = {"undo_turn": {"fresh_dice": False}}  # undo kept the same dice then


def command_from_dict(data: dict[str, Any]) -> Command:
    """Raises KeyError/TypeError/ValueError on a malformed command."""
    old_meaning = _BEFORE_THE_FIELD.get(data.get("kind", ""), {})
    if any(name not in data for name in old_meaning):
        data = {**{k: v for k, v in old_meaning.items() if k not in data}, **data}
    return from_dict(COMMAND_TYPES, data)
