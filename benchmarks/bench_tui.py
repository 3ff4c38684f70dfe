"""Terminal UI benchmark: start-up time, and the work done per key press.

Run:  .venv/bin/python benchmarks/bench_tui.py

- Start-up: the whole `crisis play` process, from launch to the first
  interactive screen (the title screen mounted and ready), then exit. Also a
  bare Textual app the same way, for comparison.
- Per key press: CPU time the process spends on one key press on the turn
  screen (our handler, Textual's dispatch and the re-render). Pilot waits for
  the screen to settle after each press; waiting costs no CPU time, so the
  process's CPU time per press is the work done, without Pilot's waiting.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STARTUP = """
import sys
from pathlib import Path
from game.tui.app import CrisisApp
from game.tui.screens.title import TitleScreen


app = CrisisApp(Path(sys.argv[1]) / "scenarios", Path(sys.argv[2]))

async def auto_pilot(pilot):
    await pilot.pause()
    assert isinstance(app.screen, TitleScreen)
    app.exit()

app.run(headless=True, auto_pilot=auto_pilot, size=(80, 24))
"""

BARE = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("hello")

async def auto_pilot(pilot):
    await pilot.pause()
    pilot.app.exit()

Bare().run(headless=True, auto_pilot=auto_pilot, size=(80, 24))
"""


def process_seconds(code: str, *args: str, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code, *args], check=True, cwd=ROOT)
        times.append(time.perf_counter() - started)
    return min(times)


async def key_press_costs() -> dict[str, list[float]]:
    from game.tui.app import CrisisApp

    with tempfile.TemporaryDirectory() as tmp:
        app = CrisisApp(
            ROOT / "scenarios", Path(tmp), scenario=ROOT / "scenarios" / "baghdad-2023.yaml", seed=1, handover_delay=0
        )
        costs: dict[str, list[float]] = {
            "f12 (no binding: the floor)": [],
            "down (move in the list)": [],
            "space (choose an order)": [],
            "2 / 3 (between info tabs)": [],
            "2 / 1 (info tab <-> orders)": [],
        }
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("ctrl+g", "enter", "enter", "enter")
            await pilot.pause()
            for _ in range(15):
                for key, name in (
                    ("f12", "f12 (no binding: the floor)"),
                    ("down", "down (move in the list)"),
                    ("space", "space (choose an order)"),
                    ("space", "space (choose an order)"),
                    ("2", "2 / 1 (info tab <-> orders)"),
                    ("3", "2 / 3 (between info tabs)"),
                    ("2", "2 / 3 (between info tabs)"),
                    ("1", "2 / 1 (info tab <-> orders)"),
                ):
                    started = time.process_time()
                    await pilot.press(key)
                    costs[name].append(time.process_time() - started)
        return costs


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ours = process_seconds(STARTUP, str(ROOT), tmp)
    bare = process_seconds(BARE)
    print(
        f"`crisis play` to the first interactive screen, whole process: {ours * 1000:.0f} ms "
        f"(a bare Textual app: {bare * 1000:.0f} ms)"
    )
    costs = asyncio.run(key_press_costs())
    print("CPU time per key press on the turn screen (flagship, 80x24):")
    for name, values in costs.items():
        print(
            f"  {name:<26} mean {statistics.fmean(values) * 1000:5.1f} ms, "
            f"max {max(values) * 1000:5.1f} ms ({len(values)} presses)"
        )


if __name__ == "__main__":
    main()
