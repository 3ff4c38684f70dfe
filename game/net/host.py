"""The host: one process owns a workshop session and serves each seat over WebSockets.

The session (engine, bots, timers, autosave) is touched only by one worker
thread, one job at a time; the event loop only reads and writes sockets, so
it always answers keepalive pings, even while a turn resolves or a save is
written. Each connection authenticates with its seat's code in its first
message; after that it may send the commands its seat may give, and is sent
frames of its own screen, built from its own views (`game.net.frames`).

Guarantees (docs/protocol.md): a command is answered with `ack` only once it
is applied and autosaved, with `error` otherwise; a command retried with the
same id is applied once (the ids are kept in the autosave, so this holds
across a `kill -9` and `--resume`); frames and messages are numbered per seat (on each connection).
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import json
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from game.engine import GameError
from game.net import protocol as p
from game.net.codes import Codes, Throttle, WebTabs
from game.net.frames import Reports, build_frame, seat_kind, seats_of
from game.workshop.flow import FACILITATOR, ROOM
from game.workshop.present import Presenter, to_data
from game.workshop.session import Session

KEPT_IDS = 100  # command ids remembered per seat (in the autosave) to apply a retry once
KEPT_ANSWERS = 200  # answers remembered per seat (in memory) to repeat them to a retry
MAX_CONNECTIONS = 200
MAX_ROOM_VIEWS = 8  # room views open at once: a projector or two, the facilitator's preview, another room
OUTBOX = 256  # messages waiting for a slow client before it is cut off
COMMANDS_FIRST = 0.05  # seconds the screens may wait for commands being applied


@dataclass(slots=True)
class Bucket:
    """Messages a connection may send: `rate` a second, bursts of `burst`."""

    rate: float
    burst: float
    tokens: float = 0.0
    at: float = 0.0
    dropped: int = 0

    def take(self, now: float) -> bool:
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        self.dropped += 1
        return False


@dataclass(eq=False, slots=True)
class Link:
    """One authenticated connection, with the queue of what it is still to be sent."""

    ws: ServerConnection
    seat: str
    kind: str
    bucket: Bucket
    grace: float = 2.0  # seconds a client that is cut off has to answer the close, before it is dropped
    outbox: asyncio.Queue[str] = field(default_factory=lambda: asyncio.Queue(OUTBOX))
    writer: asyncio.Task[None] | None = None
    last: str | None = None  # the last frame sent, with its clock's shape but not its seconds
    n: int = 0  # the number of the last frame or message sent on this connection

    def send(self, text: str) -> None:
        try:
            self.outbox.put_nowait(text)
        except asyncio.QueueFull:  # a client that reads nothing is cut off, not waited for
            asyncio.get_running_loop().create_task(self.cut(p.CLOSE_TOO_MANY, "too slow to read"))

    async def cut(self, code: int, reason: str) -> None:
        """Close the connection now: a client that does not read must not hold the host up."""
        if self.writer is not None:
            self.writer.cancel()
        try:
            async with asyncio.timeout(self.grace):
                await self.ws.close(code, reason)
        except TimeoutError:
            self.ws.transport.abort()

    async def write(self) -> None:
        with contextlib.suppress(ConnectionClosed):
            while True:
                await self.ws.send(await self.outbox.get())


@dataclass(slots=True)
class SeatState:
    links: list[Link] = field(default_factory=list)  # one, but the room may have several screens
    outbox: list[dict[str, Any]] = field(default_factory=list)  # messages kept while the seat is away

    @property
    def link(self) -> Link | None:
        """The seat's connection (the first of the room's)."""
        return self.links[0] if self.links else None


class Host:
    """Serves one session to its seats: each team, the facilitator and the room."""

    def __init__(
        self,
        session: Session,
        codes: Codes,
        *,
        throttle: Throttle | None = None,
        wrong_code_delay: float = 0.5,
        hello_timeout: float = 10.0,
        close_grace: float = 2.0,
        rate: float = 20.0,
        burst: float = 40.0,
        tick: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
        log: Callable[[str], None] | None = None,
    ):
        self.session = session
        self.codes = codes
        self.throttle = throttle or Throttle()
        self.web_tabs = WebTabs()  # filled by the web front (`crisis host --web`), when there is one
        self.wrong_code_delay = wrong_code_delay
        self.hello_timeout = hello_timeout
        self.close_grace = close_grace
        self.rate, self.burst = rate, burst
        self.tick_every = tick
        self.clock = clock
        self.log = log or (lambda line: print(line, file=sys.stderr, flush=True))
        self.seats = seats_of(session)
        self.state = {seat: SeatState() for seat in self.seats}
        self.answers: dict[str, collections.OrderedDict[str, dict[str, Any]]] = {
            s: collections.OrderedDict() for s in self.seats
        }
        self.reports = Reports()
        self._presenter_key: tuple | None = None
        self._presenter_cache: Presenter | None = None
        self.worker = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="crisis-session")
        self.server: Server | None = None
        self.port = 0
        self.connections = 0
        self._dirty: set[str] = set()
        self._wake = asyncio.Event()
        self._commands = 0  # commands waiting for the session's thread
        self._commands_done = asyncio.Event()
        self._commands_done.set()
        self._tasks: list[asyncio.Task[None]] = []
        self._keep_codes()

    # ------------------------------------------------------------ running

    async def start(self, bind: str = "127.0.0.1", port: int = p.DEFAULT_PORT) -> int:
        """Listen on `bind`:`port` (0: any free port); returns the port."""
        self.server = await serve(
            self._connection,
            bind,
            port,
            max_size=p.MAX_MESSAGE,
            origins=[None],  # no browser talks to the host itself: browser tabs go through `--web`'s clients
            max_queue=16,
            compression=None,  # frames are small for a LAN, and compressing them cost the loop more than sending
        )
        self.port = self.server.sockets[0].getsockname()[1] if self.server.sockets else port
        await self.work(self.session.autosave)  # the codes' hashes are in the save before anyone joins
        self._tasks = [
            asyncio.create_task(self._pusher(), name="host: pusher"),
            asyncio.create_task(self._ticker(), name="host: ticker"),
        ]
        self._mark()
        return self.port

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close(close_connections=True)
            await self.server.wait_closed()
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            # `wait`, not `await task`: a CancelledError here is stop()'s own, and goes on up.
            await asyncio.wait(self._tasks)
        for task in self._tasks:
            if not task.cancelled() and task.exception() is not None:
                self.log(f"host: {task.get_name()} had stopped on an error: {task.exception()!r}")
        await asyncio.get_running_loop().run_in_executor(None, self.worker.shutdown)

    async def work(self, job: Callable[..., Any], *args: Any) -> Any:
        """Run `job` in the session's worker thread (one job at a time) and wait for it."""
        return await asyncio.get_running_loop().run_in_executor(self.worker, job, *args)

    def presence(self) -> dict[str, int]:
        """Each seat's open connections: 0 or 1, or the room's views."""
        return {seat: len(state.links) for seat, state in self.state.items()}

    # -------------------------------------------------------- connections

    async def _connection(self, ws: ServerConnection) -> None:
        self.connections += 1
        link = None
        try:
            if self.connections > MAX_CONNECTIONS:
                await ws.close(p.CLOSE_TOO_MANY, "too many connections")
                return
            link = await self._hello(ws)
            if link is not None:
                await self._serve(link)
        except ConnectionClosed:
            pass
        finally:
            self.connections -= 1
            if link is not None:
                await self._leave(link)

    async def _hello(self, ws: ServerConnection) -> Link | None:
        address = str(ws.remote_address[0]) if ws.remote_address else "?"
        try:
            async with asyncio.timeout(self.hello_timeout):
                first = await ws.recv()
            hello = p.parse_hello(first)
        except TimeoutError:
            await ws.close(p.CLOSE_BAD_HELLO, "no hello")
            return None
        except p.ProtocolError as exc:
            await ws.send(p.dumps({"type": "error", "code": exc.code, "message": exc.message}))
            await ws.close(p.CLOSE_BAD_HELLO, exc.code)
            return None
        browser = self.web_tabs.browser(address, hello.tab)
        counted = browser or address  # the address its wrong codes count against
        if browser is not None:
            address = f"a browser at {browser}"
        wait = self.throttle.wait(counted, self.clock())
        if wait > 0:
            await ws.send(p.dumps({"type": "error", "code": "too_many_tries", "message": _wait_text(wait)}))
            await ws.close(p.CLOSE_TOO_MANY, "too many wrong codes")
            return None
        seat = self.codes.seat_of(hello.code)
        if seat is None or (hello.seat is not None and hello.seat != seat):
            self.throttle.failed(counted, self.clock())
            self.log(f"host: a wrong code from {address}")
            await asyncio.sleep(self.wrong_code_delay)
            await ws.send(
                p.dumps({"type": "error", "code": "wrong_code", "message": "That code is not one of this game's."})
            )
            await ws.close(p.CLOSE_WRONG_CODE, "wrong code")
            return None
        state = self.state[seat]
        if seat == ROOM and len(state.links) >= MAX_ROOM_VIEWS:
            # Every room view gets the same public frames: more of them are only more to send.
            too_many = f"Too many room views are open ({MAX_ROOM_VIEWS}): close one first."
            self.log(f"host: a room view from {address} refused: {MAX_ROOM_VIEWS} are open")
            await ws.send(p.dumps({"type": "error", "code": "too_many_rooms", "message": too_many}))
            await ws.close(p.CLOSE_TOO_MANY, "too many room views")
            return None
        if seat != ROOM and state.links:
            old = state.links.pop()
            await old.cut(p.CLOSE_TAKEN_OVER, "this seat was opened from another connection")
            # The White Cell hears of it: a code typed at the wrong table takes a seat silently.
            name = self.session.name(seat)
            taken = (
                f"{name[:1].upper()}{name[1:]} was opened from another terminal ({address}); the one before was closed."
            )
            self.log("host: " + taken)
            self._number_and_send(FACILITATOR, {"type": "message", "text": taken, "severity": "warning"})
        bucket = Bucket(self.rate, self.burst, self.burst, self.clock())
        link = Link(ws, seat, seat_kind(self.session, seat), bucket, self.close_grace)
        link.writer = asyncio.create_task(link.write(), name=f"host: writer to {seat}")
        state.links.append(link)  # a new connection gets the whole frame (its `last` is None)
        link.send(
            p.dumps(
                {
                    "type": "welcome",
                    "seat": seat,
                    "kind": link.kind,
                    "name": self.session.name(seat),
                    "scenario": self.session.scenario.title,
                }
            )
        )
        for message in state.outbox:
            self._number_and_send(seat, message)
        state.outbox.clear()
        self.log(f"host: {self.session.name(seat)} joined from {address}")
        if seat == ROOM and len(state.links) > 1:
            # Told as a take-over is: the room's code typed on a team's machine shows nothing
            # secret, but the White Cell should know where the room's screens are.
            more = f"Another screen shows the room's view ({address}): {len(state.links)} are open."
            self.log("host: " + more)
            self._number_and_send(FACILITATOR, {"type": "message", "text": more, "severity": "information"})
        self._mark(seat, FACILITATOR)
        return link

    async def _serve(self, link: Link) -> None:
        """Read as fast as the client sends, so the rate it sends at is what counts, and apply
        the commands in order, one at a time, in another task."""
        queue: asyncio.Queue[str] = asyncio.Queue(int(self.burst))
        applier = asyncio.create_task(self._apply_in_order(link, queue), name=f"host: applier for {link.seat}")
        try:
            async for raw in link.ws:
                if link not in self.state[link.seat].links:
                    return  # taken over
                if not link.bucket.take(self.clock()) or queue.full():
                    if link.bucket.dropped > 4 * self.burst:
                        await link.cut(p.CLOSE_TOO_MANY, "too many messages")
                        return
                    if link.bucket.dropped == 1:
                        link.send(_error(None, "too_fast", "Too many messages: some were dropped."))
                    continue
                queue.put_nowait(raw if isinstance(raw, str) else "")
        finally:
            applier.cancel()

    async def _apply_in_order(self, link: Link, queue: asyncio.Queue[str]) -> None:
        while True:
            raw = await queue.get()
            try:
                command = p.parse_command(raw, link.kind)
            except p.ProtocolError as exc:
                link.send(_error(p.command_id(raw), exc.code, exc.message))
                continue
            self._commands += 1
            self._commands_done.clear()
            applying = asyncio.get_running_loop().run_in_executor(self.worker, self._apply, link.seat, command)
            applying.add_done_callback(self._after_command)
            # Shielded: a connection that drops now stops this task, not the command (already
            # under way in the session's thread), nor the screens it changes (`_after_command`).
            try:
                answer, _ = await asyncio.shield(applying)
            except Exception:  # a bug must not leave this seat's commands unanswered
                self.log("host: a command failed:\n" + traceback.format_exc())
                # The error itself goes to the host's log only: its text may quote what the
                # game holds (another team's orders or tracks), which this seat may not see.
                answer = _answer_error(command.id, "refused", "the host failed on it: the facilitator's log says why")
            link.send(p.dumps(answer))

    def _after_command(self, applying: asyncio.Future[tuple[dict[str, Any], tuple[str, ...] | None]]) -> None:
        """A command is done: the screens it changed are rebuilt, whoever is still connected."""
        self._commands -= 1
        if not self._commands:
            self._commands_done.set()
        if not applying.cancelled() and applying.exception() is None:
            _, changed = applying.result()
            if changed:
                self._mark(*changed)

    async def _leave(self, link: Link) -> None:
        if link.writer is not None:
            link.writer.cancel()
        state = self.state[link.seat]
        if link in state.links:
            state.links.remove(link)
            self.log(f"host: {self.session.name(link.seat)} left" + (" (a room view)" if link.seat == ROOM else ""))
            self._mark(FACILITATOR)

    # ------------------------------------------------------------ pushing

    def _mark(self, *seats: str) -> None:
        """`seats` (all, if none are named) may see something new: rebuild and send their frames."""
        self._dirty.update(seats or self.seats)
        self._wake.set()

    async def _pusher(self) -> None:
        while True:
            await self._wake.wait()
            # Commands first: teams sending orders together get their acks without waiting for
            # screens rebuilt in between (but a stream of commands holds the screens back 50 ms at most).
            # `timeout`, not `wait_for`: Python 3.11's wait_for loses a cancel (the host stopping)
            # that comes just as the wait ends, and the host then never stops.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(COMMANDS_FIRST):
                    await self._commands_done.wait()
            self._wake.clear()
            dirty, self._dirty = self._dirty, set()
            present = self.presence()
            wanted = [seat for seat in dirty if present[seat]]
            try:
                frames, messages = await self.work(self._refresh, wanted, present)
            except Exception:  # a bug must not stop the game: say it, and go on
                self.log("host: could not build the frames:\n" + traceback.format_exc())
                continue
            for seat, items in messages.items():
                for item in items:
                    self._number_and_send(seat, item)
            for seat, (body, clock, shape) in frames.items():
                self._send_frame(seat, body, clock, shape)

    def _send_frame(self, seat: str, body: str, clock: str, shape: str) -> None:
        """Send a frame (its JSON without its clock, and the clock's) unless the seat has it already.
        A clock that only counts down is not news (the client counts it down); one that starts,
        stops, pauses or restarts is: `shape` says which clocks run, and the pause."""
        state = self.state[seat]
        fresh = body + shape
        for link in state.links:
            if link.last != fresh:
                link.last = fresh
                link.n += 1
                link.send(f'{body[:-1]},"clock":{clock},"n":{link.n}}}')

    def _number_and_send(self, seat: str, message: dict[str, Any]) -> None:
        state = self.state[seat]
        if not state.links:
            if message.get("type") == "message":
                state.outbox.append(message)
            return
        for link in state.links:
            link.n += 1
            link.send(p.dumps({**message, "n": link.n}))

    async def _ticker(self) -> None:
        """Run out the turn timers."""
        while True:
            await asyncio.sleep(self.tick_every)
            try:
                expired, started = await self.work(self._tick)
            except Exception:
                self.log("host: the clock failed:\n" + traceback.format_exc())
                continue
            if expired:
                self.log("host: time ran out for " + ", ".join(self.session.name(r) for r in expired))
            if expired or started:
                self._mark()

    # ------------------------------------------------ in the worker thread

    def _tick(self) -> tuple[list[str], bool]:
        """The session's clocks: the teams whose time ran out, and whether a clock started
        (a reading time ran out: the results', or a seat's given back mid-turn)."""
        clocks = self.session.clocks
        running = set(clocks.teams)
        expired = self.session.tick()
        return expired, bool(set(clocks.teams) - running)

    def _refresh(
        self, seats: list[str], present: dict[str, int]
    ) -> tuple[dict[str, tuple[str, str, str]], dict[str, list]]:
        """Bots play and turns resolve when they can; then the frames of `seats` and every seat's messages."""
        session = self.session
        while session.ready() and not session.game.over:
            session.resolve()
        for role in session.humans():
            if not present.get(role):
                session.team_away(role)
        messages: dict[str, list[dict[str, Any]]] = {}
        for seat in self.seats:
            for message in session.take_messages(seat):
                messages.setdefault(seat, []).append(
                    {"type": "message", "text": message.text, "severity": message.severity}
                )
        presenter = self._presenter()
        frames = {}
        for seat in seats:  # JSON made here, off the event loop
            frame = build_frame(session, presenter, seat, present, self.reports)
            clock = frame.pop("clock", None)
            frames[seat] = (p.dumps(frame), json.dumps(clock), json.dumps(_shape(clock)))
        return frames, messages

    def _presenter(self) -> Presenter:
        """One presenter as long as the log and the seating stay the same (the review data it builds is costly)."""
        game, players = self.session.game, self.session.players()
        key = (id(game), len(game.log), tuple(players.items()))
        cached = self._presenter_cache
        if cached is None or self._presenter_key != key:
            cached = self._presenter_cache = Presenter(game, players)
            self._presenter_key = key
        return cached

    def _apply(self, seat: str, command: p.Command) -> tuple[dict[str, Any], tuple[str, ...] | None]:
        """Apply one command once; its answer, and the seats that may see a change (None: none)."""
        session = self.session
        answers = self.answers[seat]
        if command.id in answers:
            return {**answers[command.id], "again": True}, None
        applied = self._applied(seat)
        if command.id in applied:  # applied before the host restarted; its answer is gone
            return {"type": "ack", "id": command.id, "result": None, "again": True}, None
        if command.turn != session.game.turn:
            return _answer_error(
                command.id, "stale", f"that was for turn {command.turn}; the game is at turn {session.game.turn}"
            ), None
        applied.append(command.id)
        del applied[:-KEPT_IDS]
        try:
            result, changed = self._do(seat, command)
        except (GameError, ValueError, KeyError) as exc:
            applied.remove(command.id)
            answer = _answer_error(command.id, "refused", _reason(exc))
            changed = None
        else:
            if session.autosave_error:
                answer = _answer_error(command.id, "not_saved", f"applied, but {session.autosave_error}")
            else:
                answer = {"type": "ack", "id": command.id, "result": result}
        answers[command.id] = answer
        while len(answers) > KEPT_ANSWERS:
            answers.popitem(last=False)
        return answer, changed

    def _do(self, seat: str, command: p.Command) -> tuple[Any, tuple[str, ...]]:
        session, a = self.session, command.args
        everyone: tuple[str, ...] = tuple(self.seats)
        if seat_kind(session, seat) == p.TEAM:
            if command.do in ("draft", "submit") and not session.is_human(seat):
                raise ValueError("the White Cell has handed your team to a bot")
            if command.do == "read_public":
                session.read_public(seat)
                return None, (seat, FACILITATOR)
            if command.do == "read_private":
                session.read_private(seat)
                return None, everyone  # the last team to read starts turn 1
            if command.do == "draft":
                session.draft(seat, a["actions"])
                return None, (seat, FACILITATOR)
            if command.do == "submit":
                session.submit(seat, a["actions"], a["why"], a["intent"])
                # Every seat: the teams already waiting say whom they still wait for (public,
                # as on the room's screen); a team still choosing gets the same frame, not sent.
                return None, everyone
            if command.do == "seen_results":
                if not 0 < a["turn"] <= session.last_resolved_turn():
                    raise ValueError(f"there are no results of turn {a['turn']} yet")
                session.seen_results(seat, a["turn"])
                return None, everyone  # the first team to leave the results starts every clock
        return self._white_cell(command), everyone

    def _white_cell(self, command: p.Command) -> Any:
        session, a = self.session, command.args
        do = command.do
        if do == "pause":
            return session.pause(a["paused"])
        if do == "reveal":
            session.reveal()
            return to_data(Presenter(session.game, session.players()).reveal(session.flow.drafts))
        if do in ("preview_inject", "fire_inject") and a["inject"] not in session.game.rules.injects:
            raise ValueError(f"there is no inject '{a['inject']}'")
        if do == "preview_inject":
            return session.preview_inject(a["inject"])
        if do == "fire_inject":
            return session.fire_inject(a["inject"])
        if do == "post_news":
            return session.post_news(a["text"])
        if do == "override":
            return session.override(a["key"], a["reason"])
        if do == "undo":
            return session.undo(a["reason"], fresh_dice=a["fresh_dice"])
        if do == "hand_to_bot":
            return session.hand_to_bot(a["role"], a["kind"])
        if do == "start_now":
            return session.start_now()
        if do == "end":
            if a["outcome"] not in session.game.rules.outcomes:
                raise ValueError(f"there is no outcome '{a['outcome']}'")
            return session.end(a["outcome"], a["reason"])
        raise ValueError(f"unknown command {do}")  # parse_command lets none through

    def _applied(self, seat: str) -> list[str]:
        applied = self.session.host.setdefault("applied", {})
        ids = applied.get(seat)
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            ids = applied[seat] = []
        return ids

    def _keep_codes(self) -> None:
        """The codes' hashes go into the autosave, so that a resumed host knows them."""
        self.session.host["codes"] = self.codes.saved()


def _shape(clock: Any) -> Any:
    """A clock without its seconds: which clocks there are, and the pause."""
    if isinstance(clock, dict):
        return {k: _shape(v) for k, v in clock.items()}
    is_seconds = isinstance(clock, int | float) and not isinstance(clock, bool)
    return True if is_seconds else clock


def _error(ident: str | None, code: str, message: str) -> str:
    return p.dumps(_answer_error(ident, code, message))


def _answer_error(ident: str | None, code: str, message: str) -> dict[str, Any]:
    return {"type": "error", "id": ident, "code": code, "message": message}


def _reason(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return f"unknown: {exc.args[0] if exc.args else ''}"
    return str(exc)


def _wait_text(seconds: float) -> str:
    return f"Too many wrong codes from this machine: try again in {int(seconds + 0.999)} seconds."
