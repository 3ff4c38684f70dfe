"""Small scenarios built in code, for tests of single rules."""

from __future__ import annotations

import copy
import re
import signal
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from game.scenario import Loaded, load, load_bytes

if TYPE_CHECKING:
    from game.workshop.session import Session

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
FLAGSHIP = ROOT / "scenarios" / "baghdad-2023.yaml"

BASE = {
    "format": 1,
    "id": "mini",
    "title": "Mini",
    "date": "2024-01-01",
    "summary": "A scenario for tests.",
    "turns": {"max": 3},
    "orders_per_turn": 1,
    "situation": ["Tension is {tension}."],
    "tracks": [{"id": "tension", "label": "Tension", "start": 50}],
    "flags": [{"id": "talks", "description": "Talks are open."}],
    "roles": [
        {
            "id": "a",
            "name": "Alpha",
            "public_briefing": ["Alpha."],
            "private_briefing": ["Alpha's secret."],
            "tracks": [{"id": "cash", "label": "Cash", "start": 2, "max": 5}],
            "objectives": [{"id": "calm", "text": "Calm.", "when": "tension < 50", "points": 2}],
            "actions": [
                {
                    "id": "calm_down",
                    "label": "Calm down",
                    "category": "diplomatic",
                    "description": "d",
                    "results": [{"effects": {"tension": -10}, "news": "Alpha calms things."}],
                },
                {
                    "id": "escalate",
                    "label": "Escalate",
                    "category": "military",
                    "description": "d",
                    "cost": {"cash": 2},
                    "results": [
                        {
                            "chance": 50,
                            "effects": {"tension": 20, "ladder": 1},
                            "news": "Alpha escalates.",
                            "failure": {"news": "Alpha's move fizzles."},
                        }
                    ],
                },
            ],
        },
        {
            "id": "b",
            "name": "Bravo",
            "public_briefing": ["Bravo."],
            "private_briefing": ["Bravo's secret."],
            "tracks": [{"id": "morale", "label": "Morale", "start": 5, "visibility": "public"}],
            "actions": [
                {
                    "id": "wait",
                    "label": "Wait",
                    "category": "information",
                    "description": "d",
                    "results": [{"news": "Bravo waits."}],
                },
                {
                    "id": "talk",
                    "label": "Talk",
                    "category": "diplomatic",
                    "description": "d",
                    "available_when": "not talks",
                    "max_uses": 1,
                    "results": [{"effects": {"talks": True, "tension": -5}}],
                },
            ],
        },
    ],
    "ladder": {
        "start": "mid",
        "levels": [
            {"id": "peace", "name": "Peace", "description": "d", "outcome": "peace"},
            {"id": "mid", "name": "Middle", "description": "d"},
            {"id": "high", "name": "High", "description": "d"},
            {"id": "war", "name": "War", "description": "d", "outcome": "war"},
        ],
        "transitions": [
            {"from": "*", "to": "peace", "when": "tension <= 10"},
            {"from": "high", "to": "war", "when": "tension >= 90"},
        ],
    },
    "injects": [],
    "outcomes": [
        {"id": "peace", "title": "Peace", "summary": "Peace.", "scores": {"a": 3}},
        {"id": "war", "title": "War", "summary": "War.", "scores": {"b": 1}},
        {"id": "draw", "title": "Draw", "summary": "Nothing settled.", "default": True},
    ],
}


def started(loaded: Loaded, seed: int = 1):
    """A new game of `loaded`, briefed and open for turn 1's orders."""
    from game.engine import Game

    game = Game(loaded, seed)
    game.begin()
    game.start_play()
    return game


def mini(**changes) -> Loaded:
    """The base scenario with top-level keys replaced (deep-copied first)."""
    data = copy.deepcopy(BASE)
    data.update(copy.deepcopy(changes))
    return load_bytes(yaml.safe_dump(data, sort_keys=False).encode(), "mini.yaml")


def mini_data() -> dict:
    return copy.deepcopy(BASE)


def from_data(data: dict) -> Loaded:
    return load_bytes(yaml.safe_dump(data, sort_keys=False).encode(), "mini.yaml")


EXPECT_LINE = re.compile(r"#\s*expect:\s*(.*?)\s*\Z")


def expected_diagnostics(path: Path) -> list[str]:
    """The `# expect: line:col: severity: message` lines of a broken-corpus file's leading comment."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        match = EXPECT_LINE.match(line)
        if match:
            found.append(match.group(1))
    return found


_cache: dict[Path, Loaded] = {}


def shipped(path: Path) -> Loaded:
    if path not in _cache:
        _cache[path] = load(path)
    return _cache[path]


class Hang(Exception):
    pass


@contextmanager
def hard_time_limit(seconds: float):
    """Interrupt the body after `seconds` (SIGALRM, main thread on POSIX only).

    Elsewhere this does nothing and only the callers' own time checks remain.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def on_alarm(signum, frame):
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# The wall-clock guard of `cpu_time_limit` by default: long enough that a loaded machine
# (six jobs on two cores) never trips it for work within its CPU limit, short enough that
# a hang ends the test in a minute.
WALL_GUARD = 60.0


@contextmanager
def cpu_time_limit(cpu_seconds: float, wall_seconds: float | None = None):
    """Interrupt the body with `Hang` once this process has used `cpu_seconds` of CPU time
    (a profiling timer: time the process spends waiting for a busy machine does not count),
    or after `wall_seconds` of real time (a hang that waits without computing, e.g. on a
    pipe); by default the larger of `WALL_GUARD` and ten times the CPU limit.

    For tests that guard against slow algorithms: they fail for the code, not for the load
    of the machine. SIGPROF and SIGALRM, main thread on POSIX only; elsewhere this does nothing.
    """
    wall = wall_seconds if wall_seconds is not None else max(WALL_GUARD, 10 * cpu_seconds)
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def on_cpu(signum, frame):
        raise Hang(f"used more than {cpu_seconds} s of CPU time")

    def on_wall(signum, frame):
        raise Hang(f"still running after {wall} s")

    previous_cpu = signal.signal(signal.SIGPROF, on_cpu)
    previous_wall = signal.signal(signal.SIGALRM, on_wall)
    signal.setitimer(signal.ITIMER_PROF, cpu_seconds)
    signal.setitimer(signal.ITIMER_REAL, wall)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGPROF, previous_cpu)
        signal.signal(signal.SIGALRM, previous_wall)


def child_cpu_seconds() -> float:
    """CPU time (user + system) used so far by this process's finished children: the
    difference around a `subprocess.run` is what that child used."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# ------------------------------------------------ games for the screens' tests


def tutorial_played(saves: Path, turns: int | None = None, seed: int = 5) -> Session:
    """A tutorial game played without the screens, the way the tests play it through them
    (the US, at the keyboard, orders its first available action each turn; doctrine bots
    the rest), for `turns` turns or to its end. Tests of what comes later start from it, as
    a facilitator does who resumes a game: playing it through the screens would test the
    orders screens again, at three times the cost."""
    from game.engine import Seat
    from game.workshop.flow import TABLE
    from game.workshop.session import Session, Settings  # noqa: F811 (at run time)

    loaded = load(TUTORIAL)
    seating = dict.fromkeys((r.id for r in loaded.scenario.roles), "doctrine") | {"us": "human"}
    session = Session.new(loaded, Settings(seating, seed=seed), saves)
    session.read_public()
    session.read_private("us")
    while not session.game.over and (turns is None or session.last_resolved_turn() < turns):
        session.submit("us", [next(o.action.id for o in Seat(session.game, "us").options() if o.available)])
        turn = session.game.turn
        session.resolve()
        session.seen_results(TABLE, turn)
    return session


def finished_tutorial(saves: Path, seed: int = 5) -> Path:
    """The autosave of a tutorial game played to its end (`tutorial_played`)."""
    return tutorial_played(saves, seed=seed).autosave_to


def tick_while_closing(app) -> None:
    """The once-a-second tick, just after the app has removed its screens' widgets on the
    way out (the timer still ran then, and the app failed as it closed)."""
    close_all = app._close_all

    async def close_then_tick() -> None:
        await close_all()
        app.tick()

    app._close_all = close_then_tick


def imported_with(module: str, *watched: str) -> list[str]:
    """Which of the `watched` modules importing `module` imports too, in a fresh Python."""
    import json
    import subprocess
    import sys

    code = f"import json, sys, {module}; print(json.dumps([m for m in {list(watched)!r} if m in sys.modules]))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)
