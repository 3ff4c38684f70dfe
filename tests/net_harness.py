"""A host and its seats in one test process, on loopback: each seat a `Client`
whose frames and messages are all recorded."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from helpers import TUTORIAL, hard_time_limit

from game.net.client import Client
from game.net.codes import Codes
from game.net.frames import seats_of
from game.net.host import Host
from game.scenario import load
from game.workshop.session import Session, Settings


def run_bounded(test, seconds: float = 90) -> None:
    """Run an async test; if it hangs, it fails (with where it was waiting) instead of stalling the suite."""
    with hard_time_limit(seconds + 15):
        asyncio.run(asyncio.wait_for(test, seconds))


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
        self.task = asyncio.create_task(self.client.run())

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
        await self.client.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.task, 5)


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
    host = Host(session, codes, log=lambda line: None, **host_options)
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


async def through_briefings(seats: dict[str, Seat], teams: list[str]) -> None:
    for role in teams:
        await seats[role].do("read_public")
        await seats[role].at("private_briefing")
        await seats[role].do("read_private")
    for role in teams:
        await seats[role].at("orders", 1)
