"""Engine benchmark: how fast complete games run, and where the time goes.

Run:  .venv/bin/python benchmarks/bench_engine.py [--games N] [--scenario PATH]

Reports
- flagship games per second with random bots, in one process (CPU time of the
  process, the median of `--repeats` runs: other work on a shared machine
  inflates wall time, much less CPU time) and with all cores (`--workers`,
  through the same batch code as `crisis simulate`; wall time, as the work
  is spread over processes);
- microseconds per turn;
- a profile of where the time goes: the `transitions` state machines, condition
  and template evaluation, the event log (creating, appending and applying
  events), the dice, the bots, and the rest of the rules;
- memory per finished game (its log and state);
- the cost of saving and loading a game, and of loading and checking the scenario.

With `--instructions N`, it prints instead the instructions one game costs,
counted by valgrind's callgrind over N games (the difference between a run with
N games and one with none, both after the same warm-up): the same figure however
busy the machine is, so a change can be judged on a shared machine. Games in a
loop, as above; with `--simulate-path`, through `crisis simulate`'s batch code
(which also keeps a record of each game, and runs the garbage collector less often).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.analysis.simulate import run_batch  # noqa: E402
from game.engine import Game  # noqa: E402
from game.engine.dice import derive_seed  # noqa: E402
from game.players import RandomBot, play_game  # noqa: E402
from game.scenario import load, validate  # noqa: E402
from game.workshop.saves import read_save, restore, save_game  # noqa: E402

CATEGORIES = [
    ("transitions dispatch", ("/transitions/",)),
    ("conditions and templates", ("game/scenario/expr.py", "game/scenario/text.py")),
    ("event log", ("game/engine/events.py", "game/engine/state.py", "<string>")),
    ("dice", ("game/engine/dice.py", "hashlib")),
    ("bots", ("game/players/",)),
    ("rules (engine modules)", ("game/engine/game.py", "game/engine/adjudication.py", "game/engine/rules.py")),
]


def play(loaded, seed: int) -> Game:
    return play_game(Game(loaded, seed), {r: RandomBot() for r in loaded.cache["roles"]})


def median_rate(fn, repeats: int, clock=time.process_time) -> float:
    """The median of a few runs, in items per second (`fn` returns its item count)."""
    rates = []
    for _ in range(repeats):
        started = clock()
        count = fn()
        rates.append(count / (clock() - started))
    return statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "baghdad-2023.yaml"))
    parser.add_argument("--games", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeats", type=int, default=5, help="runs of each measure; the median is reported")
    parser.add_argument("--instructions", type=int, metavar="N", help="count instructions per game over N games")
    parser.add_argument(
        "--simulate-path", action="store_true", help="with --instructions: games played by crisis simulate's code"
    )
    parser.add_argument("--only-play", type=int, metavar="N", help=argparse.SUPPRESS)  # what callgrind runs
    args = parser.parse_args()
    if args.only_play is not None:
        return only_play(args.scenario, args.only_play, args.simulate_path)
    if args.instructions:
        return instructions(args.scenario, args.instructions, args.simulate_path)

    started = time.perf_counter()
    report = validate(args.scenario)
    validate_ms = (time.perf_counter() - started) * 1000
    assert report.ok, "the scenario does not validate"
    loaded = load(args.scenario)
    loaded.cache["roles"] = [r.id for r in loaded.scenario.roles]
    seeds = [derive_seed(1, i) for i in range(args.games)]
    play(loaded, 0)  # warm up: the rules and machines are built once per scenario

    turns = []

    def serial() -> int:
        turns.clear()
        for s in seeds:
            turns.append(play(loaded, s).turn)
        return len(seeds)

    one_core = median_rate(serial, args.repeats)

    def serial_log_read() -> int:
        for s in seeds:
            play(loaded, s).log  # noqa: B018 (read: builds every event the game logged compactly)
        return len(seeds)

    # The engine logs its commonest events as compact records and builds them when the log is
    # read: a game whose whole log is read (a transcript, a save, a playthrough) pays that too.
    log_read = median_rate(serial_log_read, args.repeats)
    bots = {r: "random" for r in loaded.cache["roles"]}
    batch_one = median_rate(lambda: len(run_batch(loaded, args.games, 1, bots, workers=1)), args.repeats)
    wall = time.perf_counter
    batch_one_wall = median_rate(lambda: len(run_batch(loaded, args.games, 1, bots, workers=1)), args.repeats, wall)
    batch_all = median_rate(
        lambda: len(run_batch(loaded, args.games, 1, bots, workers=args.workers)), args.repeats, wall
    )
    mean_turns = statistics.fmean(turns)

    profiler = cProfile.Profile()
    profiler.enable()
    for s in seeds[:300]:
        play(loaded, s)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values())  # tottime
    shares = {name: 0.0 for name, _ in CATEGORIES}
    shares["other"] = 0.0
    for (filename, _, _), row in stats.stats.items():
        for name, needles in CATEGORIES:
            if any(n in filename for n in needles):
                shares[name] += row[2]
                break
        else:
            shares["other"] += row[2]

    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = [play(loaded, s) for s in seeds[:100]]
    events = statistics.fmean(len(g.log) for g in kept)  # a game's log is built when it is read
    per_game_kib = (tracemalloc.get_traced_memory()[0] - before) / len(kept) / 1024
    tracemalloc.stop()

    game = kept[0]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.json"
        save_ms = min(_timed(lambda: save_game(game, path)) for _ in range(20)) * 1000
        load_ms = min(_timed(lambda: restore(read_save(path), loaded)) for _ in range(20)) * 1000
        size_kib = path.stat().st_size / 1024

    print(f"Scenario: {loaded.scenario.title} ({args.scenario})")
    print(f"Validation of the scenario file: {validate_ms:.0f} ms")
    print(f"Games: {args.games}, random bots; mean {mean_turns:.2f} turns, {events:.0f} events per game")
    print()
    print(f"Games per second, median of {args.repeats} runs:")
    print(
        f"One core, games in a loop (CPU):         {one_core:8.0f} games/s  ({1e6 / one_core / mean_turns:.0f} us per turn)"
    )
    print(f"... each game's whole log read (CPU):    {log_read:8.0f} games/s")
    print(f"crisis simulate path, 1 worker (CPU):    {batch_one:8.0f} games/s")
    print(f"crisis simulate path, 1 worker (wall):   {batch_one_wall:8.0f} games/s")
    print(
        f"crisis simulate path, {args.workers} workers (wall):  {batch_all:8.0f} games/s  (x{batch_all / batch_one_wall:.2f})"
    )
    print()
    print("Where the time goes (share of profiled time, 300 games):")
    for name, seconds in sorted(shares.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<28} {seconds / total * 100:5.1f}%")
    print()
    print(f"Memory per finished game (log and state): {per_game_kib:.0f} KiB")
    print(f"Save a finished game: {save_ms:.2f} ms ({size_kib:.0f} KiB file); load and replay it: {load_ms:.2f} ms")


def only_play(scenario: str, games: int, simulate_path: bool = False) -> None:
    """Load, warm up, then play `games` games: all a callgrind run does."""
    loaded = load(scenario)
    loaded.cache["roles"] = [r.id for r in loaded.scenario.roles]
    if simulate_path:
        bots = {r: "random" for r in loaded.cache["roles"]}
        run_batch(loaded, 3, 2, bots)
        run_batch(loaded, games, 1, bots)
        return
    for i in range(3):
        play(loaded, derive_seed(2, i))
    for i in range(games):
        play(loaded, derive_seed(1, i))


def instructions(scenario: str, games: int, simulate_path: bool = False) -> None:
    if shutil.which("valgrind") is None:
        sys.exit("--instructions needs valgrind (callgrind)")

    def count(n: int) -> int:
        command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
        command += [sys.executable, __file__, "--scenario", scenario, "--only-play", str(n)]
        command += ["--simulate-path"] if simulate_path else []
        # A fixed hash seed: dict and set layouts, and so the count, are the same each run.
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
        found = re.search(r"refs:\s*([\d,]+)", done.stderr)
        if found is None:
            sys.exit("callgrind gave no count:\n" + done.stderr[-2000:])
        return int(found.group(1).replace(",", ""))

    per_game = (count(games) - count(0)) / games
    how = "crisis simulate's batch code" if simulate_path else "games in a loop"
    print(f"Instructions per game (callgrind, {games} games, random bots, {how}): {per_game / 1e6:.2f} M")


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
