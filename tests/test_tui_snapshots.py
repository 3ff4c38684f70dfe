"""Snapshots of the main screens at 80x24, the size a workshop laptop gives.

Each snapshot is an SVG in tests/__snapshots__/; a change to a screen shows as
a failing test with a visual diff (pytest --snapshot-report). After an intended
change, update them with: .venv/bin/python -m pytest tests/test_tui_snapshots.py --snapshot-update
Textual is pinned exactly in pyproject.toml because its rendering changes between
releases. The games use a fixed seed, so the dice are the same every run.
"""

import pytest
from helpers import ROOT, finished_tutorial

from game.tui.app import CrisisApp

SIZE = (80, 24)
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"


@pytest.fixture
def app(tmp_path):
    return CrisisApp(ROOT / "scenarios", tmp_path / "saves", seed=3, handover_delay=0, handover_key="enter")


@pytest.fixture
def tutorial_app(tmp_path):
    return CrisisApp(
        ROOT / "scenarios", tmp_path / "saves", scenario=TUTORIAL, seed=3, handover_delay=0, handover_key="enter"
    )


async def start(pilot):
    """Start from setup with a typed passphrase (a made-up one would differ each run)."""
    pilot.app.screen.query_one("#passphrase").value = "umpiring"
    await pilot.press("ctrl+g")


async def to_first_orders(pilot):
    await start(pilot)
    await pilot.press("enter", "enter", "enter")  # public briefing, hand-over, private briefing
    await pilot.pause()


def test_title_screen(snap_compare, app):
    """The title screen lists the shipped scenarios, the flagship first, with its details."""

    async def run_before(pilot):
        await pilot.app.workers.wait_for_complete()  # the scenarios are read behind the screen
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_setup_screen(snap_compare, tutorial_app):
    """Setup: a human team or a bot for each role, the seed, turns and the timer."""
    assert snap_compare(tutorial_app, terminal_size=SIZE)


def test_public_briefing(snap_compare, tutorial_app):
    """The public briefing marks reported facts and fiction in words, not colour."""

    async def run_before(pilot):
        await start(pilot)

    assert snap_compare(tutorial_app, terminal_size=SIZE, run_before=run_before)


def test_hand_over(snap_compare, tutorial_app):
    """The hand-over screen shows nothing but whose turn it is."""

    async def run_before(pilot):
        await start(pilot)
        await pilot.press("enter")

    assert snap_compare(tutorial_app, terminal_size=SIZE, run_before=run_before)


def test_orders_screen(snap_compare, tutorial_app):
    """The turn screen: one order chosen ([x]), one not available ( - ) with the reason."""

    async def run_before(pilot):
        await to_first_orders(pilot)
        await pilot.press("space", "down")

    assert snap_compare(tutorial_app, terminal_size=SIZE, run_before=run_before)


def test_situation_tab(snap_compare, tutorial_app):
    """The situation tab: the ladder with the current level marked, tracks as bars."""

    async def run_before(pilot):
        await to_first_orders(pilot)
        await pilot.press("2")

    assert snap_compare(tutorial_app, terminal_size=SIZE, run_before=run_before)


def test_results_screen(snap_compare, tutorial_app):
    """Results: every team's orders revealed, the dice with chance and roll, the news."""

    async def run_before(pilot):
        await to_first_orders(pilot)
        await pilot.press("space", "c", "enter", "enter")  # choose, confirm, why, intent
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(tutorial_app, terminal_size=SIZE, run_before=run_before)


def test_white_cell_menu(snap_compare, tutorial_app):
    """The facilitator's menu, reached with w and the passphrase."""

    async def run_before(pilot):
        await to_first_orders(pilot)
        await pilot.press("w", *"umpiring", "enter")

    assert snap_compare(tutorial_app, terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare, app):
    """Help explains the marks and lists every key."""

    async def run_before(pilot):
        await pilot.press("f1")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


async def resume_finished_tutorial(pilot, saves):
    """A finished game resumed (its "Loaded" notice cleared). It was played without the
    screens the way they play it (`helpers.tutorial_played`): the snapshots taken when it
    was played through them still match, byte for byte."""
    pilot.app.resume(finished_tutorial(saves, seed=3))
    await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.pause()


def test_end_screen(snap_compare, tutorial_app, tmp_path):
    """The end: the outcome with its debrief text, and each team's objectives and score."""

    async def run_before(pilot):
        await resume_finished_tutorial(pilot, tmp_path / "saves")

    assert snap_compare(tutorial_app, terminal_size=SIZE, run_before=run_before)


def test_review_escalation_tab(snap_compare, tutorial_app, tmp_path):
    """The after-action review: the escalation chart over the game and the ladder by turn."""

    async def run_before(pilot):
        await resume_finished_tutorial(pilot, tmp_path / "saves")
        await pilot.press("enter", "2")

    assert snap_compare(tutorial_app, terminal_size=SIZE, run_before=run_before)


def test_orders_screen_on_a_wide_terminal(snap_compare, tutorial_app):
    """On a wide screen the situation and the news stand beside the orders."""
    assert snap_compare(tutorial_app, terminal_size=(150, 40), run_before=to_first_orders)


def test_orders_screen_in_the_light_theme(snap_compare, tutorial_app):
    """The turn screen in Textual's light theme: marks and bars read the same as in the dark one."""

    async def run_before(pilot):
        pilot.app.theme = "textual-light"
        await to_first_orders(pilot)
        await pilot.press("space", "down")

    assert snap_compare(tutorial_app, terminal_size=SIZE, run_before=run_before)


def test_every_snapshot_file_belongs_to_a_test():
    """A renamed or removed test leaves its snapshot behind, and under pytest-xdist (as
    `make test` runs) syrupy cannot report it: this test does. An extra file is one to
    delete; a missing one is written by `--snapshot-update`."""
    files = {path.stem for path in (ROOT / "tests" / "__snapshots__" / "test_tui_snapshots").glob("*")}
    snapshot_tests = {name for name, value in globals().items() if name.startswith("test_") and callable(value)}
    snapshot_tests.discard("test_every_snapshot_file_belongs_to_a_test")
    assert files == snapshot_tests
