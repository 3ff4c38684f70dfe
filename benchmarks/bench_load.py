"""Load benchmark: how long `crisis validate` takes on hostile 4 MB scenario files.

Run:  .venv/bin/python benchmarks/bench_load.py [--size BYTES] [--only TEXT]

Each kind of hostile input (see tests/hostile.py) is written to a file of about
4 MB (the largest a scenario may be) and validated once; a few small bombs
(aliases and merges that expand) and a ladder that would cost levels x
transitions to start are timed beside them. The target: every one under 5 s
on a 2-core machine. Each line says the time, the target, and the first error.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from hostile import FOUR_MB, HOSTILE_KINDS, star_ladder  # noqa: E402

from game.scenario import validate  # noqa: E402

TARGET_SECONDS = 5.0


def kinds(size: int) -> dict:
    found = {name: (lambda make=make: make(size)) for name, make in HOSTILE_KINDS.items()}
    found["ladder: 3,000 levels x 3,000 from '*' (300 KB)"] = lambda: star_ladder(3000, 3000)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=FOUR_MB, help="bytes per generated file (default: about 4 MB)")
    parser.add_argument("--only", default="", help="run only the kinds whose name contains this text")
    args = parser.parse_args()
    slowest = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in kinds(args.size).items():
            if args.only not in name:
                continue
            path = Path(tmp) / "hostile.yaml"
            data = make()
            path.write_bytes(data)
            started = time.perf_counter()
            report = validate(path)
            seconds = time.perf_counter() - started
            slowest = max(slowest, seconds)
            first = str(report.errors[0]).split(": error: ", 1)[-1] if report.errors else "no error"
            verdict = "ok" if seconds < TARGET_SECONDS else "TOO SLOW"
            print(f"{name:<48} {len(data) / 1e6:5.2f} MB {seconds:6.2f} s  {verdict:<8} {first[:70]}")
    print(f"\nslowest: {slowest:.2f} s (target: under {TARGET_SECONDS:.0f} s each)")
    return 0 if slowest < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
