"""Sweep benchmark: the same small sweep serially, on the process pool and on Dask.

Run:  .venv/bin/python benchmarks/bench_sweep.py [--runs N] [--workers N] [--scenario PATH]

Plays every variant of `tension.start=30,50,70` with random bots through each
executor (Dask only where it is installed), reports wall time and games per
second, and checks that every executor gives the same results, byte for byte.
Dask's time includes starting its local cluster, as `--executor dask` does.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.analysis.executors import ExecutorError, make_executor  # noqa: E402
from game.analysis.sweep import run_sweep, to_json  # noqa: E402
from game.analysis.variants import parse_sets  # noqa: E402
from game.scenario import load  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "baghdad-2023.yaml"))
    parser.add_argument("--runs", type=int, default=200, help="games per variant (default 200)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    loaded = load(args.scenario)
    bots = {r.id: "random" for r in loaded.scenario.roles}
    sets = parse_sets(["tension.start=30,50,70"])
    games = args.runs * 3
    results = {}
    for name in ("serial", "process", "dask"):
        started = time.perf_counter()
        try:
            with make_executor(name, args.workers) as executor:
                ready = time.perf_counter()
                results[name] = to_json(run_sweep(loaded, sets, args.runs, 1, bots, executor))
        except ExecutorError as exc:
            print(f"{name:8} skipped: {exc}")
            continue
        done = time.perf_counter()
        print(
            f"{name:8} {done - started:6.2f} s for {games} games ({games / (done - started):6.0f} games/s;"
            f" start-up {ready - started:.2f} s, {args.workers if name != 'serial' else 1} worker(s))"
        )
    same = len(set(results.values())) == 1
    print("results identical across executors:", "yes" if same else "NO")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
