"""Networked play under load: 10 flagship games x 5 clients on loopback.

Run:  .venv/bin/python benchmarks/bench_net.py [--games 10] [--turns 8] [--think 0.3]

Each game has a host process of its own, as `crisis host` runs one (or all of
them share one process, with --one-process); this process plays every
seat of every game as a client: three teams that give their orders after a
random think time (0 to --think seconds), the White Cell and the room.

Reports, p50 and p99 over all of them:
- order -> ack: from sending a team's orders to the host's ack (after its autosave);
- last order -> every seat's results: from sending the last orders of a turn to the
  moment every seat of that game (3 teams, White Cell, room) has the turn's results.
Aim on a 2-core machine: p99 under 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.net.client import Client  # noqa: E402

FLAGSHIP = ROOT / "scenarios" / "baghdad-2023.yaml"


# ------------------------------------------------------------------ the hosts


async def serve(games: int, turns: int) -> None:
    """Host `games` games; print their ports and codes as one JSON line, then serve until stdin closes."""
    from game.net.codes import Codes
    from game.net.frames import seats_of
    from game.net.host import Host
    from game.scenario import load
    from game.workshop.session import Session, Settings

    loaded = load(FLAGSHIP)
    roles = [r.id for r in loaded.scenario.roles]
    saves = Path(tempfile.mkdtemp(prefix="bench-net-"))
    hosts, out = [], []
    for i in range(games):
        session = Session.new(
            loaded, Settings(dict.fromkeys(roles, "human"), 100 + i, turns), saves / str(i), table=False
        )
        codes, plain = Codes.issue(seats_of(session))  # a bot-only party (Tehran) has no seat
        host = Host(session, codes, log=lambda line: None)
        port = await host.start("127.0.0.1", 0)
        hosts.append(host)
        out.append({"port": port, "codes": plain})
    print(json.dumps(out), flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)  # until the benchmark is done
    for host in hosts:
        await host.stop()


# ---------------------------------------------------------------- the clients


class Game:
    def __init__(self, port: int, codes: dict[str, str], think: float, acks: list[float], results: list[float]):
        self.uri = f"ws://127.0.0.1:{port}"
        self.codes = codes
        self.think = think
        self.acks, self.results = acks, results
        self.frames: dict[str, dict] = {}
        self.arrived: dict[tuple[str, int], float] = {}  # (seat, turn) -> when its results came
        self.changed = asyncio.Event()
        self.clients = {
            seat: Client(self.uri, code, on_frame=lambda f, s=seat: self.on_frame(s, f)) for seat, code in codes.items()
        }
        self.teams = [s for s in codes if s not in ("facilitator", "room")]

    def on_frame(self, seat: str, frame: dict) -> None:
        self.frames[seat] = frame
        done = results_turn(seat, frame)
        if done and (seat, done) not in self.arrived:
            self.arrived[(seat, done)] = time.perf_counter()
        self.changed.set()

    async def wait(self, test, seconds: float = 60) -> None:
        end = time.monotonic() + seconds
        while not test():
            if time.monotonic() > end:
                raise TimeoutError({s: f["stage"] for s, f in self.frames.items()})
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), 1)

    def stage(self, seat: str) -> tuple[str, int]:
        frame = self.frames.get(seat)
        return (frame["stage"]["kind"], frame["stage"]["turn"]) if frame else ("", -1)

    async def play(self) -> None:
        tasks = [asyncio.create_task(c.run()) for c in self.clients.values()]
        await self.wait(lambda: len(self.frames) == len(self.clients))
        for role in self.teams:
            await self.clients[role].command("read_public")
            await self.wait(lambda r=role: self.stage(r)[0] == "private_briefing")
            await self.clients[role].command("read_private")
        while True:
            await self.wait(lambda: all(self.stage(r)[0] in ("orders", "end") for r in self.teams))
            if any(self.stage(r)[0] == "end" for r in self.teams):
                break
            turn = self.frames[self.teams[0]]["turn"]
            sent: list[float] = []
            await asyncio.gather(*(self.order(role, sent) for role in self.teams))
            last = max(sent)
            await self.wait(lambda t=turn: all((s, t) in self.arrived for s in self.clients))
            self.results.append(max(self.arrived[(s, turn)] for s in self.clients) - last)
            for role in self.teams:
                await self.clients[role].command("seen_results", {"turn": turn})
        for client in self.clients.values():
            await client.close()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def order(self, role: str, sent: list[float]) -> None:
        await asyncio.sleep(random.uniform(0, self.think))
        view = self.frames[role]["views"]["orders"]
        actions = [a["id"] for a in view["actions"] if a["available"]][:1]
        start = time.perf_counter()
        sent.append(start)
        await self.clients[role].command("submit", {"actions": actions, "why": "", "intent": ""})
        self.acks.append(time.perf_counter() - start)


def results_turn(seat: str, frame: dict) -> int:
    """The turn whose results this frame shows the seat (0: none)."""
    stage = frame["stage"]
    if seat == "facilitator":
        return frame.get("last_resolved", 0)
    if seat == "room":
        return (frame["views"].get("results") or {}).get("turn", 0) if stage["kind"] != "end" else frame["turn"]
    return stage["turn"] if stage["kind"] == "results" else 0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def bench(games: int, turns: int, think: float, profile: str | None, one_process: bool) -> None:
    # As at a workshop, each game has a host process of its own (or all in one, with --one-process).
    command = [sys.executable, __file__, "--serve", "--turns", str(turns)] + (["--profile", profile] if profile else [])
    counts = [games] if one_process else [1] * games
    servers = [
        subprocess.Popen([*command, "--games", str(n)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for n in counts
    ]
    try:
        hosted = [game for server in servers for game in json.loads(server.stdout.readline())]
        acks: list[float] = []
        results: list[float] = []
        random.seed(1)
        started = time.perf_counter()
        await asyncio.gather(*(Game(g["port"], g["codes"], think, acks, results).play() for g in hosted))
        took = time.perf_counter() - started
    finally:
        for server in servers:
            server.stdin.close()
            server.wait(30)
    ms = lambda v: f"{v * 1000:6.1f} ms"  # noqa: E731
    hosts = "one host process" if one_process else "a host process each"
    print(
        f"{games} games x 5 clients ({hosts}), {len(results)} turns in {took:.1f} s (think time 0-{think * 1000:.0f} ms)"
    )
    print(f"order -> ack (after the autosave), {len(acks)} orders:")
    print(
        f"  p50 {ms(percentile(acks, 50))}   p99 {ms(percentile(acks, 99))}   max {ms(max(acks))}   mean {ms(statistics.mean(acks))}"
    )
    print(f"last order -> every seat's results, {len(results)} turns:")
    print(
        f"  p50 {ms(percentile(results, 50))}   p99 {ms(percentile(results, 99))}   max {ms(max(results))}   mean {ms(statistics.mean(results))}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--games", type=int, default=10)
    parser.add_argument("--turns", type=int, default=8)
    parser.add_argument("--think", type=float, default=0.3, help="longest think time before a team's orders (s)")
    parser.add_argument("--one-process", action="store_true", help="host every game in one process")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile", metavar="FILE", help="profile the hosts' process into FILE (pstats)")
    args = parser.parse_args()
    if args.serve:
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.runcall(asyncio.run, serve(args.games, args.turns))
            profiler.dump_stats(args.profile)
        else:
            asyncio.run(serve(args.games, args.turns))
    else:
        asyncio.run(bench(args.games, args.turns, args.think, args.profile, args.one_process))


if __name__ == "__main__":
    main()
