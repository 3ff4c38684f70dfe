"""A host and its seats in one test process, on loopback: each seat a `Client`
whose frames and messages are all recorded."""

from __future__ import annotations

import asyncio
import contextlib
import linecache
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from helpers import TUTORIAL, hard_time_limit

from game.net import protocol as p
from game.net.client import Client, CommandRefused, Refused
from game.net.codes import Codes
from game.net.frames import seats_of
from game.net.host import Host
from game.scenario import load
from game.workshop.session import Session, Settings


def run_bounded(test: Coroutine[Any, Any, None], seconds: float = 30) -> None:
    """Run an async test; one still running after `seconds` FAILS, saying where each seat and
    task was waiting, even if it then ends quietly when cancelled (`wait_for` would return its
    result: a test that swallowed the cancel would pass after idling out its bound)."""
    with hard_time_limit(seconds + 15):
        asyncio.run(_bounded(test, seconds))


ROOT = Path(__file__).resolve().parent.parent
OURS = ("game/", "tests/")  # the tasks worth showing wait in code of ours
_seats: list[Seat] = []  # the seats of the test that is running, to say where each was waiting


async def _bounded(test: Coroutine[Any, Any, None], seconds: float) -> None:
    _seats.clear()
    task = asyncio.create_task(test, name="the test")
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if done:
        return task.result()
    where = waiting(task)
    task.cancel()
    await asyncio.wait({task}, timeout=5)  # let it clean up (close its host); its outcome is no matter
    raise AssertionError(f"still running after {seconds} s.\n{where}")


def waiting(test: asyncio.Task[None]) -> str:
    """Where each seat and each task of ours is waiting: the seats' last frames and unanswered
    commands, then each task's chain of awaits (the test's first)."""
    lines = ["Seats:"]
    for seat in _seats:
        client = seat.client
        unanswered = [p.loads(text)["do"] for text, _ in client.pending.values()]
        lines.append(
            f"  {seat.name or '?'}: {client.status}, last frame n={client.last_n} stage {seat.frame.get('stage')}"
            f", unanswered commands {unanswered}"
        )
    lines.append("Tasks:")
    others = sorted(asyncio.all_tasks() - {test, asyncio.current_task()}, key=lambda t: t.get_name())
    hidden = 0
    for task in [test, *others]:
        chain = _awaits(task.get_coro())
        if task is not test and not any(line.startswith(OURS) for line in chain):
            hidden += 1  # the library's own (websockets' keepalives and handlers)
            continue
        lines.append(f"  {task.get_name()} ({'cancelling' if task.cancelling() else 'pending'}):")
        lines += [f"    {line}" for line in chain]
    lines.append(f"  and {hidden} tasks of the libraries")
    return "\n".join(lines)


def _awaits(coro: Any) -> list[str]:
    """`coro`'s frame and each one it awaits, down to the innermost (where it is waiting)."""
    lines = []
    while coro is not None:
        frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
        if frame is not None:
            code = frame.f_code
            source = linecache.getline(code.co_filename, frame.f_lineno).strip()
            path = Path(code.co_filename)
            shown = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
            lines.append(f"{shown}:{frame.f_lineno} in {code.co_name}: {source}")
        coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)
    return lines


class Seat:
    """One seat's client, with everything the host ever sent it."""

    def __init__(self, uri: str, code: str, name: str = ""):
        self.name = name
        self.frames: list[dict[str, Any]] = []
        self.messages: list[dict[str, Any]] = []
        self.statuses: list[str] = []
        self.welcomes = 0
        self.client = Client(
            uri,
            code,
            on_welcome=self._welcomed,
            on_frame=self.frames.append,
            on_message=self.messages.append,
            on_status=self.statuses.append,
            first_delay=0.05,
            longest_delay=0.3,
        )
        self.task = asyncio.create_task(self.client.run(), name=f"seat {name or '?'}")
        _seats.append(self)

    def _welcomed(self, welcome: dict[str, Any]) -> None:
        self.welcomes += 1
        self.first_after_welcome = len(self.frames)

    @property
    def frame(self) -> dict[str, Any]:
        return self.frames[-1] if self.frames else {}

    @property
    def stage(self) -> str:
        return self.frame.get("stage", {}).get("kind", "")

    async def until(self, test: Callable[[dict[str, Any]], bool], seconds: float = 10.0) -> dict[str, Any]:
        """Wait for a frame that passes `test`; fail after `seconds`."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self.frames and test(self.frame):
                return self.frame
            if self.task.done():
                self.task.result()  # raise what stopped the client
            await asyncio.sleep(0.01)
        raise AssertionError(f"{self.name}: no such frame; last stage {self.frame.get('stage')}")

    async def at(self, kind: str, turn: int | None = None, seconds: float = 10.0) -> dict[str, Any]:
        return await self.until(
            lambda f: f["stage"]["kind"] == kind and (turn is None or f["stage"]["turn"] == turn), seconds
        )

    async def do(self, command: str, **args: Any) -> Any:
        return await self.client.command(command, args)

    def available(self) -> list[str]:
        return [a["id"] for a in self.frame["views"]["orders"]["actions"] if a["available"]]

    async def close(self) -> None:
        """Close the client and wait for it to stop; a client refused before (taken over) is closed already."""
        await self.client.close()
        done, _ = await asyncio.wait({self.task}, timeout=5)
        if not done:
            raise AssertionError(f"{self.name}: the client did not stop within 5 s of close() ({self.client.status})")
        error = None if self.task.cancelled() else self.task.exception()
        if error is not None and not isinstance(error, Refused):
            raise error


class FakeClock:
    """A clock a test moves by hand (`now += 61`), for the turn timers."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def timed_session(saves: Path, minutes: float) -> tuple[Session, FakeClock]:
    """A session with a turn timer of `minutes` on a clock the test moves."""
    session = new_session(saves, timer_minutes=minutes)
    clock = session.clocks.clock = FakeClock()
    return session, clock


def new_session(saves: Path, scenario: Path = TUTORIAL, seating: dict[str, str] | None = None, seed: int = 3, **kw):
    loaded = load(scenario)
    roles = [r.id for r in loaded.scenario.roles]
    seats = dict.fromkeys(roles, "human") | (seating or {})
    return Session.new(loaded, Settings(seats, seed, **kw), saves, table=False)


@contextlib.asynccontextmanager
async def hosted(saves: Path, session: Session | None = None, **host_options: Any):
    """A host on a free loopback port: (host, codes by seat, its address)."""
    session = session or new_session(saves)
    codes, plain = Codes.issue(seats_of(session))
    host_options.setdefault("wrong_code_delay", 0)
    host_options.setdefault("log", lambda line: None)
    host = Host(session, codes, **host_options)
    port = await host.start("127.0.0.1", 0)
    try:
        yield host, plain, f"ws://127.0.0.1:{port}"
    finally:
        await host.stop()


async def seated(uri: str, plain: dict[str, str]) -> dict[str, Seat]:
    """Every seat joined, each with its first frame."""
    seats = {name: Seat(uri, code, name) for name, code in plain.items()}
    for seat in seats.values():
        await seat.until(lambda f: True)
    return seats


async def settled(host: Host, seats: dict[str, Seat]) -> None:
    """Until the host has sent all it had to, and each of `seats` has received it: no command
    under way, the pusher back at waiting to be woken, then a round trip for each seat (a
    command it may not give: nothing changes, and its answer comes after every frame before it)."""
    pusher = next(t for t in host._tasks if t.get_name() == "host: pusher")

    def waiting_to_be_woken() -> bool:
        awaiting = pusher.get_coro().cr_await  # type: ignore[union-attr]
        return getattr(awaiting, "cr_code", None) is asyncio.Event.wait.__code__ and not host._wake.is_set()

    while host._commands or not waiting_to_be_woken():
        await asyncio.sleep(0.01)
    for seat in seats.values():
        with contextlib.suppress(CommandRefused):
            await seat.client.command("seen_results", {"turn": 0})


async def through_briefings(seats: dict[str, Seat], teams: list[str]) -> None:
    for role in teams:
        await seats[role].do("read_public")
        await seats[role].at("private_briefing")
        await seats[role].do("read_private")
    for role in teams:
        await seats[role].at("orders", 1)
