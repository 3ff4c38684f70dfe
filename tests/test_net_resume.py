"""`crisis host` as a real process: killed with SIGKILL in the middle of a turn,
then `crisis host --resume`. Every order confirmed before the kill is still
there, a command sent while the host was down is applied once it is back, a
command retried with its id is not applied twice, and every client comes back
by itself."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import socket
import sys
from pathlib import Path

from helpers import ROOT, TUTORIAL
from net_harness import Seat, run_bounded, through_briefings
from websockets.asyncio.client import connect

from game.net import protocol as p
from game.workshop.saves import read_save

CODE = re.compile(r"^\s+(.+?)\s{2,}([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})$")
SEATS = {
    "United States": "us",
    "Government of Iraq": "iraq",
    "Iran-aligned militias": "militias",
    "White Cell (the facilitator)": "facilitator",
    "The room (the projector)": "room",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def start_host(tmp_path, *args: str) -> tuple[asyncio.subprocess.Process, list[str]]:
    """`crisis host ...` in its own process; its lines up to the last of its greeting."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "game", "host", *args, "--saves", str(tmp_path / "saves"),
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    lines: list[str] = []
    while not lines or not lines[-1].startswith("Ctrl+C"):
        line = await asyncio.wait_for(process.stdout.readline(), 30)
        if not line:
            raise AssertionError("the host stopped: " + (await process.stderr.read()).decode())
        lines.append(line.decode().rstrip("\n"))
    return process, lines


async def submit_raw(uri: str, code: str, ident: str, actions: list[str], turn: int = 1) -> dict:
    """A command sent by hand with an id of our own; the host's answer."""
    async with connect(uri) as ws:
        await ws.send(p.dumps({"type": "hello", "code": code}))
        args = {"actions": actions, "why": "", "intent": ""}
        await ws.send(p.dumps({"type": "command", "id": ident, "turn": turn, "do": "submit", "args": args}))
        while True:
            message = p.loads(await asyncio.wait_for(ws.recv(), 10))
            if message["type"] in ("ack", "error"):
                return message


def test_kill_9_mid_turn_then_resume_loses_nothing_and_the_clients_come_back(tmp_path):
    port = free_port()
    uri = f"ws://127.0.0.1:{port}"

    async def run():
        host, lines = await start_host(tmp_path, str(TUTORIAL), "--port", str(port), "--seed", "5")
        codes = {SEATS[m.group(1)]: m.group(2) for line in lines if (m := CODE.match(line))}
        assert set(codes) == set(SEATS.values())
        autosave = next(line.split(": ", 1)[1] for line in lines if line.startswith("Autosave: "))
        seats = {name: Seat(uri, code, name) for name, code in codes.items() if name != "us"}
        for seat in seats.values():
            await seat.until(lambda f: True)
        us = Seat(uri, codes["us"], "us")
        seats["us"] = us
        await through_briefings(seats, ["us", "iraq", "militias"])
        # Two teams confirm their orders (one of them by hand, with an id of its own).
        us_orders = us.available()[: us.frame["views"]["orders"]["orders_per_turn"]]
        answer = await submit_raw(uri, codes["us"], "us-orders-1", us_orders)
        assert answer == {"v": 1, "type": "ack", "id": "us-orders-1", "result": None}
        # The raw connection took the US seat over: the US client stops, as it should.
        await asyncio.wait_for(asyncio.gather(us.task, return_exceptions=True), 5)
        iraq_orders = seats["iraq"].available()[:1]
        await seats["iraq"].do("submit", actions=iraq_orders, why="Iraq's reason", intent="")
        await seats["militias"].do("draft", actions=seats["militias"].available()[:1])

        host.send_signal(signal.SIGKILL)
        await host.wait()
        militias = seats["militias"]
        await militias.until(lambda f: militias.client.status == "reconnecting")
        # Sent while the host is down: it waits, and goes again when the host is back.
        militia_orders = militias.available()[:1]
        late = asyncio.create_task(militias.do("submit", actions=militia_orders, why="", intent=""))
        await asyncio.sleep(0.3)
        assert not late.done()

        host, lines = await start_host(tmp_path, "--resume", autosave)  # the saved port
        assert any("the same as when this game was first hosted" in line for line in lines)
        assert not any(CODE.match(line) for line in lines)  # the old codes are not printed again, and still work
        try:
            assert await asyncio.wait_for(late, 15) is None
            for name in ("iraq", "militias", "room", "facilitator"):  # each back by itself
                await seats[name].until(lambda f, seat=seats[name]: seat.welcomes == 2)
            # The retry of a command applied before the kill is answered, not applied again.
            again = await submit_raw(uri, codes["us"], "us-orders-1", us_orders)
            assert again["type"] == "ack" and again["again"] is True
            await seats["iraq"].at("results", 1)
            await seats["room"].until(lambda f: "results" in f["views"])
            results = seats["room"].frame["views"]["results"]
            assert results["turn"] == 1 and [o["team"] for o in results["orders"]][:3] == ["US", "Iraq", "Militias"]
            save = read_save(Path(autosave))
            submits = [c for c in save.commands if c["kind"] == "submit" and c["role"] != "tehran"]  # Tehran: a bot
            assert [(c["role"], c["actions"]) for c in submits] == [
                ("us", us_orders),
                ("iraq", iraq_orders),
                ("militias", militia_orders),
            ]
            assert submits[1]["why"] == "Iraq's reason"
            assert json.dumps(save.workshop["host"]["applied"]).count("us-orders-1") == 1
        finally:
            host.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(host.wait(), 15) == 0
            for seat in seats.values():
                await seat.close()

    run_bounded(run(), 60)  # two host processes to start


def test_a_resumed_host_listens_where_the_first_did_and_its_line_says_so():
    """The line a host prints for a restart left out --bind and --web: resumed with it, a
    host first opened to the LAN listened on this machine only, and no team could reach it."""
    from argparse import Namespace

    from game.cli.net import listen_settings, resume_line

    given = Namespace(bind="0.0.0.0", port=9000, web=9001)
    nothing = Namespace(bind=None, port=None, web=None)
    assert listen_settings(given, {}) == ("0.0.0.0", 9000, 9001)
    assert listen_settings(nothing, {}) == ("127.0.0.1", p.DEFAULT_PORT, None)
    saved = {"bind": "0.0.0.0", "port": 9000, "web": 9001}
    assert listen_settings(nothing, saved) == ("0.0.0.0", 9000, 9001)
    assert listen_settings(Namespace(bind="127.0.0.1", port=9100, web=None), saved) == ("127.0.0.1", 9100, 9001)
    hand_edited = {"bind": "example.com; rm -rf /", "port": 70000, "web": True}
    assert listen_settings(nothing, hand_edited) == ("127.0.0.1", p.DEFAULT_PORT, None)

    line = resume_line("/tmp/my saves/autosave-x.json", "0.0.0.0", 9000, 9001)
    assert line == "crisis host --resume '/tmp/my saves/autosave-x.json' --port 9000 --bind 0.0.0.0 --web 9001"
    assert resume_line("s.json", "127.0.0.1", 8765, None) == "crisis host --resume s.json --port 8765"
