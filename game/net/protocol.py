"""The messages between `crisis host` and its clients (docs/protocol.md).

Every message is one JSON object in one WebSocket text message, with the
protocol's version `v` and a `type`. A client's first message is `hello`,
with its seat's code; after that it sends `command`s, each with an id of its
own and the turn it was made on. The host answers each command with `ack` or
`error`, and pushes `frame`s (what the seat's screen shows now) and
`message`s (a line for that seat only), numbered per seat.

Everything a client sends is read here, strictly: unknown fields, wrong
types, over-long text and commands a seat may not give are refused with a
`ProtocolError` before anything reaches the game.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

VERSION = 1
MAX_MESSAGE = 64 * 1024  # bytes a client may send in one message
MAX_FRAME = 8 * 1024 * 1024  # bytes a client accepts from the host (a late game's frame and report: ~150 KB)
DEFAULT_PORT = 8765

# WebSocket close codes (4000-4999 are the application's own).
CLOSE_BAD_HELLO = 4400  # the first message was not a hello this host understands
CLOSE_WRONG_CODE = 4401
CLOSE_TAKEN_OVER = 4409  # the same seat was opened from another connection
CLOSE_TOO_MANY = 4429  # too many wrong codes, or messages too fast
CLOSE_SHUTDOWN = 1001  # the host is stopping (going away)

# Seat kinds
TEAM = "team"
WHITE_CELL = "facilitator"
ROOM_SEAT = "room"

TEXT = 500  # characters of a news item or a reason
LINE = 200  # characters of a team's why and intent (the confirm dialog's limit)
NAME = 100  # characters of an id (an action, an inject, a roll, a role, a bot)
MAX_ACTIONS = 20

# command -> {argument: (type, longest text or list)}; every argument is required.
TEAM_COMMANDS: dict[str, dict[str, tuple[type, int]]] = {
    "read_public": {},
    "read_private": {},
    "draft": {"actions": (list, MAX_ACTIONS)},
    "submit": {"actions": (list, MAX_ACTIONS), "why": (str, LINE), "intent": (str, LINE)},
    "seen_results": {"turn": (int, 0)},
}
WHITE_CELL_COMMANDS: dict[str, dict[str, tuple[type, int]]] = {
    "pause": {"paused": (bool, 0)},
    "reveal": {},
    "preview_inject": {"inject": (str, NAME)},
    "fire_inject": {"inject": (str, NAME)},
    "post_news": {"text": (str, TEXT)},
    "override": {"key": (str, NAME), "reason": (str, TEXT)},
    "undo": {"reason": (str, TEXT), "fresh_dice": (bool, 0)},
    "hand_to_bot": {"role": (str, NAME), "kind": (str, NAME)},
    "start_now": {},
    "end": {"outcome": (str, NAME), "reason": (str, TEXT)},
}
COMMANDS = {TEAM: TEAM_COMMANDS, WHITE_CELL: WHITE_CELL_COMMANDS, ROOM_SEAT: {}}


class ProtocolError(Exception):
    """A message the host (or a client) cannot accept; `code` names the kind for the other side."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Hello:
    code: str
    seat: str | None  # the seat the client believes the code is for (optional)
    tab: str | None = None  # a browser tab's ticket, from the join client the web front started for it


@dataclass(frozen=True, slots=True)
class Command:
    id: str
    turn: int
    do: str
    args: dict[str, Any]


def dumps(message: dict[str, Any]) -> str:
    return json.dumps({"v": VERSION, **message}, ensure_ascii=False, separators=(",", ":"))


def loads(text: str | bytes) -> dict[str, Any]:
    """One message as a JSON object of this protocol's version; ProtocolError otherwise."""
    if isinstance(text, bytes):
        raise ProtocolError("bad_message", "messages are JSON text, not binary")
    try:
        message = json.loads(text)
    except (ValueError, RecursionError):
        raise ProtocolError("bad_message", "not JSON") from None
    if not isinstance(message, dict):
        raise ProtocolError("bad_message", "a message is a JSON object")
    if message.get("v") != VERSION:
        raise ProtocolError("version", f"this host speaks version {VERSION} of the protocol")
    if not isinstance(message.get("type"), str):
        raise ProtocolError("bad_message", "a message needs a type")
    return message


def _fields(message: dict[str, Any], required: set[str], optional: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    keys = set(message) - {"v", "type"}
    missing, unknown = required - keys, keys - required - optional
    if missing or unknown:
        raise ProtocolError(
            "bad_message",
            "; ".join(
                part
                for part in (
                    f"missing {', '.join(sorted(missing))}" if missing else "",
                    f"unknown {', '.join(sorted(unknown))}" if unknown else "",
                )
                if part
            ),
        )


def parse_hello(text: str | bytes) -> Hello:
    message = loads(text)
    if message["type"] != "hello":
        raise ProtocolError("bad_hello", "the first message must be a hello with the seat's code")
    _fields(message, {"code"}, {"seat", "tab"})
    code, seat, tab = message["code"], message.get("seat"), message.get("tab")
    if not isinstance(code, str) or len(code) > 64:
        raise ProtocolError("bad_hello", "the code should be text")
    if seat is not None and (not isinstance(seat, str) or len(seat) > NAME):
        raise ProtocolError("bad_hello", "the seat should be text")
    if tab is not None and (not isinstance(tab, str) or len(tab) > 64):
        raise ProtocolError("bad_hello", "the tab should be text")
    return Hello(code, seat, tab)


def command_id(text: str | bytes) -> str | None:
    """The id of a command that could not be read, if it has one, so that its error can name it."""
    try:
        ident = json.loads(text).get("id")
    except (ValueError, RecursionError, AttributeError, TypeError):
        return None
    return ident if isinstance(ident, str) and 0 < len(ident) <= 64 else None


def parse_command(text: str | bytes, kind: str) -> Command:
    """A command from a seat of `kind`, with arguments of the right types and sizes."""
    message = loads(text)
    if message["type"] != "command":
        raise ProtocolError("bad_message", f"unknown message type {message['type']!r:.40}")
    _fields(message, {"id", "turn", "do", "args"})
    ident, turn, do, args = message["id"], message["turn"], message["do"], message["args"]
    if not isinstance(ident, str) or not 1 <= len(ident) <= 64:
        raise ProtocolError("bad_message", "a command's id is text of 1 to 64 characters")
    if type(turn) is not int or not 0 <= turn <= 10_000:
        raise ProtocolError("bad_message", "a command's turn is a whole number")
    if not isinstance(do, str) or not isinstance(args, dict):
        raise ProtocolError("bad_message", "a command has a name (do) and arguments (args)")
    allowed = COMMANDS.get(kind, {})
    if do not in allowed:
        known = any(do in table for table in COMMANDS.values())
        raise ProtocolError("not_allowed" if known else "unknown_command", f"this seat cannot {do!r:.40}")
    spec = allowed[do]
    if set(args) != set(spec):
        raise ProtocolError("bad_message", f"{do} takes {', '.join(sorted(spec)) or 'no arguments'}")
    for name, (kind_of, limit) in spec.items():
        value = args[name]
        if type(value) is not kind_of:
            raise ProtocolError("bad_message", f"{do}: {name} should be {kind_of.__name__}")
        # (isinstance, not `kind_of is`, so that the type checker knows what `value` is)
        if isinstance(value, str) and len(value) > limit:
            raise ProtocolError("bad_message", f"{do}: {name} is longer than {limit} characters")
        if isinstance(value, list) and (
            len(value) > limit or not all(isinstance(v, str) and 0 < len(v) <= NAME for v in value)
        ):
            raise ProtocolError("bad_message", f"{do}: {name} should be at most {limit} action ids")
    return Command(ident, turn, do, dict(args))
