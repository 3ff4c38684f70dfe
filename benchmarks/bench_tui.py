"""Terminal UI benchmark: start-up time, and the work done per key press.

Run:  .venv/bin/python benchmarks/bench_tui.py [--first-paint-only]

- First paint: `crisis play` run in a terminal (a pseudo-terminal of 80x24), from
  launch to the title screen's first frame written to the terminal, and to the
  scenario list filled in (the last scenario's title on screen). What a user sees.
- Start-up: the whole `crisis play` process, from launch to the first
  interactive screen (the title screen mounted and ready), then exit. Also a
  bare Textual app the same way, for comparison.
- Per key press: CPU time the process spends on one key press on the turn
  screen (our handler, Textual's dispatch and the re-render). Pilot waits for
  the screen to settle after each press; waiting costs no CPU time, so the
  process's CPU time per press is the work done, without Pilot's waiting.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
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


FIRST_FRAME = b"r: resume a game"  # the title screen's hint line, drawn with the screen
LIST_FILLED = b"Tutorial: Rockets"  # the title of the scenario read last (shipped order)


def first_paint_seconds(saves: str, timeout: float = 20) -> tuple[float, float]:
    """One `crisis play` in a fresh 80x24 pseudo-terminal: seconds from launch to the
    title screen's first frame, and to the scenario list filled in. Then ctrl+q."""
    main_fd, seat_fd = os.openpty()
    fcntl.ioctl(seat_fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = dict(os.environ, TERM="xterm-256color")
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "game", "play", "--saves", saves],
        stdin=seat_fd,
        stdout=seat_fd,
        stderr=seat_fd,
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    os.close(seat_fd)
    shown: dict[bytes, float] = {}
    screen = b""
    try:
        while len(shown) < 2 and time.perf_counter() - started < timeout:
            if not select.select([main_fd], [], [], 0.05)[0]:
                continue
            try:
                screen += os.read(main_fd, 1 << 16)
            except OSError:  # the app ended
                break
            for marker in (FIRST_FRAME, LIST_FILLED):
                if marker not in shown and marker in screen:
                    shown[marker] = time.perf_counter() - started
        os.write(main_fd, b"\x11")  # ctrl+q: at the title screen the app ends without a question
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(main_fd)
    if len(shown) < 2:
        raise SystemExit(f"the title screen did not show within {timeout} s")
    return shown[FIRST_FRAME], shown[LIST_FILLED]


def first_paint(repeats: int = 7) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        runs = [first_paint_seconds(tmp) for _ in range(repeats)]
    frame = statistics.median(r[0] for r in runs)
    filled = statistics.median(r[1] for r in runs)
    print(
        f"`crisis play` in an 80x24 terminal, median of {repeats}: title screen drawn after "
        f"{frame * 1000:.0f} ms, scenario list filled after {filled * 1000:.0f} ms"
    )


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
            ROOT / "scenarios",
            Path(tmp),
            scenario=ROOT / "scenarios" / "baghdad-2023.yaml",
            seed=1,
            handover_delay=0,
            handover_key="enter",
        )
        costs: dict[str, list[float]] = {
            "f12 (no binding: the floor)": [],
            "down (move in the list)": [],
            "space (choose an order)": [],
            "2 / 3 (between info tabs)": [],
            "2 / 1 (info tab <-> orders)": [],
        }
        async with app.run_test(size=(80, 24)) as pilot:
            # A passphrase of the facilitator's own: no made-up one to show on a page first.
            app.screen.query_one("#passphrase").value = "umpiring"
            await pilot.press("ctrl+g", "enter", "enter", "enter")
            await pilot.pause()
            screen = type(app.screen).__name__
            assert screen == "OrdersScreen", f"the key costs would be measured on {screen}"
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first-paint-only", action="store_true", help="measure only the time to the title screen")
    args = parser.parse_args()
    first_paint()
    if args.first_paint_only:
        return
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
