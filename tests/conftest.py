"""How `make test` spreads the suite over the cores (pytest-xdist).

The tests that take seconds each (whole games through the terminal interface or the
network, hundreds of bot games, property tests) start first, longest first, so that no
core is left running a long test alone at the end while the other idles. Modules whose
tests share an expensive module fixture say so with `xdist_group`, so that the fixture
is built once, on one worker (`--dist loadgroup`, in the Makefile).

Python's cyclic garbage collector runs less often here than by default: the screens'
tests make millions of short-lived objects (Textual's strips, styles, messages), and
with the default thresholds (700, 10, 10) the collector ran so often that the full
walks of a worker's large heap cost a fifth of the suite's CPU time (the TUI, fuzz and
secrets files: 89 s of CPU by default, 71-73 s with these; about 85 MB more memory a
worker). Nothing is left uncollected: the collector still runs, on larger batches.

Textual's pilot waits for the app to go idle after every key it presses, twice: it
sleeps in steps of 20 ms until a step passes with under 1 ms of CPU used. That floor of
40-60 ms a key, with the CPU idle, was most of the screens' tests' time (a third of the
suite's wall time was waiting). The steps are 5 ms here, and idle is under 0.5 ms of CPU
in a step: the same test of idleness (a tenth of the step busy at most, against a
twentieth), at a finer grain. It is no weaker a synchronisation: the pilot still waits
for every message queue to drain before it checks for idleness.

The White Cell's passphrase is hashed with scrypt at a cost that makes every guess slow
(about 70 ms of CPU); the suite sets and checks passphrases some seventy times, so here
the cost is low. `real_scrypt_cost` gives a test the cost the game uses.
"""

from __future__ import annotations

import gc

import pytest
import textual._wait

from game.workshop import passphrase

GC_THRESHOLDS = (50_000, 50, 100)  # allocations before a young collection; young, middle collections before an older
IDLE_STEP = 0.005  # seconds the pilot sleeps before it checks the CPU again (Textual: 0.02)
IDLE_CPU = 0.0005  # seconds of CPU in a step under which the app is idle (Textual: 0.001)
GAME_SCRYPT_COST = (passphrase._N, passphrase._R, passphrase._P)
CHEAP_SCRYPT_COST = (2**4, 8, 1)

# Measured with `pytest --durations=0`, longest file first.
LONG_FIRST = (
    "test_tui_workshop.py",
    "test_tui_play.py",
    "test_tui_snapshots.py",
    "test_tui_key_bursts.py",
    "test_net_host.py",
    "test_secrets_scan.py",
    "test_property_play.py",
    "test_fuzz_scenarios.py",
    "test_net_browser.py",
    "test_tower22.py",
    "test_simulate_and_branches.py",
    "test_net_join.py",
    "test_engine_properties.py",
)


def pytest_configure(config: pytest.Config) -> None:
    gc.set_threshold(*GC_THRESHOLDS)  # in each xdist worker too: each loads this file
    # Module globals that `wait_for_idle` reads on each call (its default argument keeps
    # 0.02 as the least total wait, but the pilot passes 0 after a key and in `pause`).
    textual._wait.SLEEP_GRANULARITY = IDLE_STEP
    textual._wait.SLEEP_IDLE = IDLE_CPU
    passphrase._N, passphrase._R, passphrase._P = CHEAP_SCRYPT_COST


@pytest.fixture
def real_scrypt_cost(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scrypt cost the game uses, for a test of the passphrase's hash itself."""
    for name, value in zip(("_N", "_R", "_P"), GAME_SCRYPT_COST, strict=True):
        monkeypatch.setattr(passphrase, name, value)


def pytest_sessionfinish(session: pytest.Session) -> None:
    # At exit pytest runs five full collections, to report exceptions raised in finalizers;
    # over a worker's large heap they took 2 s, and on a busy machine over the 5 s that
    # xdist's transport waits before it interrupts the worker (a KeyboardInterrupt warning
    # in CI's log). One collection here frees what the last tests left (so their finalizers
    # still run, and their exceptions are still reported); frozen, what is left is not
    # walked again.
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONG_FIRST.index(name) if name in LONG_FIRST else len(LONG_FIRST)

    items.sort(key=rank)  # stable: each file keeps its own order
