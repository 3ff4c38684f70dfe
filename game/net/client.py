"""A seat's connection to `crisis host`: the join client's side of the protocol.

`Client.run()` connects, says hello with the seat's code, and hands each frame
and message to the callbacks; when the connection drops (a network glitch, a
host killed and resumed) it connects again by itself, a little later each
time, and sends again every command not yet answered, with the same id, so
the host applies each once. `Client.command()` sends a command for the turn
of the last frame and waits for its answer. No user interface here: the
Textual join client (`game.tui.join`), the tests and the benchmark use it.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import uuid
from collections.abc import Callable
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from game.net import protocol as p

Callback = Callable[[dict[str, Any]], None]
FINAL = {
    p.CLOSE_WRONG_CODE: "wrong_code",
    p.CLOSE_TOO_MANY: "too_many",
    p.CLOSE_TAKEN_OVER: "taken_over",
    p.CLOSE_BAD_HELLO: "bad_hello",
}
CONNECTING, CONNECTED, RECONNECTING, CLOSED = "connecting", "connected", "reconnecting", "closed"


class Refused(Exception):
    """The host will not have this client (a wrong code, too many tries, the seat opened elsewhere)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class CommandRefused(Exception):
    """The host answered a command with an error; `code` says which kind (docs/protocol.md)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class Client:
    def __init__(
        self,
        uri: str,
        code: str,
        *,
        on_welcome: Callback | None = None,
        on_frame: Callback | None = None,
        on_message: Callback | None = None,
        on_status: Callable[[str], None] | None = None,
        first_delay: float = 0.2,
        longest_delay: float = 2.0,
        tab: str | None = None,
    ):
        self.uri = uri
        self.code = code
        self.tab = tab  # the web front's ticket for the browser tab this client serves
        self.on_welcome = on_welcome or (lambda m: None)
        self.on_frame = on_frame or (lambda m: None)
        self.on_message = on_message or (lambda m: None)
        self.on_status = on_status or (lambda s: None)
        self.first_delay, self.longest_delay = first_delay, longest_delay
        self.status = CONNECTING
        self.welcome: dict[str, Any] | None = None
        self.frame: dict[str, Any] | None = None
        self.last_n = 0
        self.gaps = 0  # numbers skipped (never, over TCP; counted for the tests)
        self.pending: collections.OrderedDict[str, tuple[str, asyncio.Future[Any]]] = collections.OrderedDict()
        self.ws: ClientConnection | None = None
        self.closing = False
        self._closed = asyncio.Event()

    @property
    def turn(self) -> int:
        return self.frame["turn"] if self.frame else 0

    # ------------------------------------------------------------ running

    async def run(self) -> None:
        """Stay connected until `close()`; raises Refused when the host will not have this client."""
        delay = self.first_delay
        try:
            while not self.closing:
                try:
                    async with connect(self.uri, max_size=p.MAX_FRAME, open_timeout=5, close_timeout=2) as ws:
                        self.ws = ws
                        if self.closing:  # close() came while connecting, with no connection to close yet
                            break
                        await self._talk(ws)
                        delay = self.first_delay
                except (OSError, TimeoutError, InvalidHandshake, ConnectionClosed) as exc:
                    self._final(exc)
                finally:
                    self.ws = None
                if self.closing:
                    break
                self._set_status(RECONNECTING)
                with contextlib.suppress(TimeoutError):  # the delay, unless close() ends it sooner
                    async with asyncio.timeout(delay):
                        await self._closed.wait()
                delay = min(delay * 2, self.longest_delay)
        except (Refused, InvalidURI) as exc:
            self._fail_pending(exc if isinstance(exc, Refused) else Refused("bad_uri", str(exc)))
            raise
        finally:
            self._set_status(CLOSED)

    async def close(self) -> None:
        self.closing = True
        self._closed.set()
        if self.ws is not None:
            await self.ws.close()

    async def _talk(self, ws: ClientConnection) -> None:
        hello: dict[str, Any] = {"type": "hello", "code": self.code} | ({"tab": self.tab} if self.tab else {})
        await ws.send(p.dumps(hello))
        try:
            first = p.loads(await ws.recv())
        except p.ProtocolError:  # something else listens there (another WebSocket server)
            raise Refused("bad_hello", "the host did not answer as a crisis-sim host") from None
        if first["type"] == "error":
            raise Refused(str(first.get("code")), str(first.get("message")))
        if first["type"] != "welcome":
            raise Refused("bad_hello", "the host did not answer as a crisis-sim host")
        self.welcome, self.last_n = first, 0
        self._set_status(CONNECTED)
        self.on_welcome(first)
        for text, _ in list(self.pending.values()):  # not answered before the connection dropped
            await ws.send(text)
        async for raw in ws:
            try:
                self._receive(p.loads(raw))
            except p.ProtocolError as exc:
                raise Refused(exc.code, f"the host sent what this client cannot read: {exc.message}") from None
        self._final(None, ws.close_code)

    def _final(self, exc: BaseException | None, close_code: int | None = None) -> None:
        """Raise Refused if the host closed for a reason that trying again would not mend."""
        if isinstance(exc, ConnectionClosed) and exc.rcvd is not None:
            close_code = exc.rcvd.code
        if close_code in FINAL:
            reason = exc.rcvd.reason if isinstance(exc, ConnectionClosed) and exc.rcvd else ""
            raise Refused(FINAL[close_code], reason or FINAL[close_code].replace("_", " "))

    def _receive(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind in ("frame", "message"):
            n = message.get("n")
            if not isinstance(n, int) or n <= self.last_n:
                return  # a repeat
            self.gaps += n - self.last_n - 1
            self.last_n = n
            if kind == "frame":
                self.frame = message
                self.on_frame(message)
            else:
                self.on_message(message)
        elif kind in ("ack", "error") and isinstance(message.get("id"), str) and message["id"] in self.pending:
            _, future = self.pending.pop(message["id"])
            if future.done():
                return
            if kind == "ack":
                future.set_result(message.get("result"))
            else:
                future.set_exception(CommandRefused(str(message.get("code")), str(message.get("message"))))
        elif kind == "error":
            self.on_message({"type": "message", "text": str(message.get("message")), "severity": "error"})

    def _set_status(self, status: str) -> None:
        if status != self.status:
            self.status = status
            self.on_status(status)

    def _fail_pending(self, exc: BaseException) -> None:
        for _, future in self.pending.values():
            if not future.done():
                future.set_exception(exc)
        self.pending.clear()

    # ----------------------------------------------------------- commands

    async def command(self, do: str, args: dict[str, Any] | None = None, turn: int | None = None) -> Any:
        """Send a command for `turn` (default: the last frame's) and wait for its answer;
        raises CommandRefused. While the host is away it waits, and is sent again."""
        ident = uuid.uuid4().hex
        message = {"type": "command", "id": ident, "turn": self.turn if turn is None else turn, "do": do}
        text = p.dumps({**message, "args": args or {}})
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.pending[ident] = (text, future)
        if self.ws is not None and self.status == CONNECTED:
            with contextlib.suppress(ConnectionClosed):
                await self.ws.send(text)
        try:
            return await future
        finally:
            self.pending.pop(ident, None)
