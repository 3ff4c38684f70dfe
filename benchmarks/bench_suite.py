"""Test-suite benchmark: how long `make test` takes, and where the time goes.

Run:  .venv/bin/python benchmarks/bench_suite.py [--workers N] [--top 15] [pytest args...]

Times the checks (`make check`: ruff, mypy, import-linter) and then the suite the way
`make test` runs it (pytest-xdist, `--dist loadgroup`, Python's bytecode cache on), with a
small plugin that records each test's wall time and CPU time (its worker's, and that of the
processes it started). It prints

- the wall time of each step and of the whole, the figure issue 13 bounds (3 minutes);
- the CPU time the suite used, and how much of the workers' wall time was spent idle
  (waiting on sleeps, timers and Textual's pilot, which waits for the app to go idle):
  idle is what a third worker could fill;
- the files and the tests that cost the most CPU time.

Wall time depends on what else the machine runs; CPU time much less so.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"

# Loaded into each pytest worker with `-p`; writes one JSON file per worker.
PLUGIN = """
import json, os, resource, time
import pytest

_rows = []

def _cpu():
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    wall, (own, children) = time.perf_counter(), _cpu()
    yield
    own_after, children_after = _cpu()
    _rows.append((item.nodeid, time.perf_counter() - wall, own_after - own, children_after - children))

def pytest_sessionfinish(session):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with open(os.path.join(os.environ["SUITE_TIMES"], worker + ".json"), "w") as f:
        json.dump(_rows, f)
"""


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Run `command`; its wall time and exit status. Failures it reports are printed."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    for line in result.stdout.splitlines():
        if line.startswith(("FAILED", "ERROR")) or result.returncode and "error" in line.lower():
            print(line)
    return time.perf_counter() - start, result.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    workers = str((os.cpu_count() or 1) + 1)
    parser.add_argument("--workers", default=workers, help=f"pytest-xdist workers (default: {workers}, as make test)")
    parser.add_argument("--top", type=int, default=15, help="how many files and tests to list")
    parser.add_argument("--no-check", action="store_true", help="time the suite only")
    args, pytest_args = parser.parse_known_args()

    check = 0.0
    if not args.no_check:
        check, status = timed(["make", "-s", "check"])
        if status:
            print("make check failed: fix it first", file=sys.stderr)
            return 2

    with tempfile.TemporaryDirectory() as times:
        Path(times, "suite_timer.py").write_text(PLUGIN)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env |= {"SUITE_TIMES": times, "PYTHONPATH": times}
        command = [str(BIN / "python"), "-m", "pytest", "-q", "-n", args.workers, "--dist", "loadgroup"]
        suite, status = timed([*command, "-p", "suite_timer", *pytest_args], env)
        rows = []
        for path in Path(times).glob("gw*.json"):
            rows += json.loads(path.read_text())

    by_file: dict[str, list[float]] = collections.defaultdict(lambda: [0.0, 0.0, 0])
    for nodeid, wall, own, children in rows:
        cost = by_file[nodeid.split("::")[0]]
        cost[0] += wall
        cost[1] += own + children
        cost[2] += 1
    cpu = sum(own + children for _, _, own, children in rows)
    busy = sum(wall for _, wall, _, _ in rows)
    print(f"make check      {check:6.1f} s")
    print(f"pytest          {suite:6.1f} s  ({len(rows)} tests, exit status {status})")
    print(f"make test       {check + suite:6.1f} s  (wall)")
    print(f"CPU in tests    {cpu:6.1f} s; tests' wall time {busy:.1f} s, of it idle {max(busy - cpu, 0):.1f} s")
    print(f"\nFiles by CPU time (top {args.top}):")
    for name, (wall, spent, count) in sorted(by_file.items(), key=lambda kv: -kv[1][1])[: args.top]:
        print(f"  {spent:6.1f} s CPU  {wall:6.1f} s wall  {count:4d} tests  {name}")
    print(f"\nTests by CPU time (top {args.top}):")
    for nodeid, wall, own, children in sorted(rows, key=lambda r: -(r[2] + r[3]))[: args.top]:
        print(f"  {own + children:6.1f} s CPU  {wall:6.1f} s wall  {nodeid}")
    return status


if __name__ == "__main__":
    sys.exit(main())
