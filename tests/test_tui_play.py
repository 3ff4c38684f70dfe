"""The terminal game driven with key presses only, as a workshop plays it.

These drive the real app (Textual's Pilot) at 80x24 from the title screen to
the after-action review, and check what is on the screen at each step; above
all, that one team's secret orders never show while the next team plays.
"""

import asyncio
import subprocess
import sys

from helpers import ROOT
from textual.widgets import OptionList, Static

from game.engine import events as ev
from game.tui.app import CrisisApp
from game.tui.screens.briefing import (
    HandOverScreen,
    PrivateBriefingScreen,
    PublicBriefingScreen,
)
from game.tui.screens.end import EndScreen
from game.tui.screens.orders import OrdersScreen
from game.tui.screens.results import ResultsScreen
from game.tui.screens.review import ReviewScreen
from game.tui.screens.setup import SetupScreen
from game.tui.screens.title import TitleScreen
from game.workshop.saves import autosave_path

SIZE = (80, 24)


def screen_text(app) -> str:
    """Everything the current screen shows as text: statics, labels, lists, title."""
    parts = [str(app.screen.title or ""), str(app.screen.sub_title or "")]
    for widget in app.screen.query("*"):
        if isinstance(widget, Static):
            parts.append(str(widget.content))
        elif isinstance(widget, OptionList):
            parts += [str(widget.get_option_at_index(i).prompt) for i in range(widget.option_count)]
    return "\n".join(parts)


def new_app(tmp_path, **kwargs):
    return CrisisApp(ROOT / "scenarios", tmp_path / "saves", seed=7, handover_delay=0, **kwargs)


async def settle(app, pilot):
    await app.workers.wait_for_complete()
    await pilot.pause()


async def choose_first_orders(app, pilot):
    """Choose the first available actions up to the limit, then confirm."""
    screen = app.screen
    assert isinstance(screen, OrdersScreen)
    wanted = screen.seat.orders_per_turn
    for index, option in enumerate(screen.options()):
        if len(screen.chosen) >= wanted:
            break
        if option.available and option.action.id not in screen.chosen:
            await pilot.press("home", *["down"] * index, "space")
    chosen = list(screen.chosen)
    await pilot.press("c")
    assert "Send these orders" in screen_text(app)
    await pilot.press("y")
    await settle(app, pilot)
    return chosen


def test_one_human_and_two_bots_play_the_flagship_from_title_to_review(tmp_path):
    async def run():
        app = new_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            assert isinstance(app.screen, TitleScreen)
            assert "Baghdad, December 2023" in screen_text(app)  # the flagship is listed first
            await pilot.press("enter")
            assert isinstance(app.screen, SetupScreen)
            await pilot.press("ctrl+g")  # defaults: US human, Iraq and militias doctrine bots
            assert isinstance(app.screen, PublicBriefingScreen)
            assert "[disputed]" in screen_text(app) and "mortar" in screen_text(app)
            await pilot.press("enter")
            assert isinstance(app.screen, HandOverScreen)
            assert "United States" in screen_text(app)
            await pilot.press("enter")
            assert isinstance(app.screen, PrivateBriefingScreen)
            assert "Your objectives" in screen_text(app)
            await pilot.press("enter")
            turns = 0
            # The US team has the keyboard after its briefing: no hand-over before turn 1.
            assert isinstance(app.screen, OrdersScreen)
            while not isinstance(app.screen, EndScreen):
                if app.session.game.turn > 1:  # after the results everyone looked at
                    assert isinstance(app.screen, HandOverScreen), type(app.screen)
                    await pilot.press("enter")
                assert isinstance(app.screen, OrdersScreen)
                assert f"Turn {app.session.game.turn} of 8" in screen_text(app)
                chosen = await choose_first_orders(app, pilot)
                assert isinstance(app.screen, ResultsScreen)
                text = screen_text(app)
                assert "What each team ordered" in text and "dice: chance" in text
                game = app.session.game
                revealed = next(e for e in reversed(game.log) if isinstance(e, ev.OrdersRevealed))
                assert dict(revealed.orders)["us"] == tuple(chosen)
                turns += 1
                await pilot.press("enter")
            assert turns == app.session.game.turn
            outcome = app.session.game.rules.outcomes[app.session.game.state.outcome]
            assert outcome.title in screen_text(app) and "Scores" in screen_text(app)
            await pilot.press("enter")
            assert isinstance(app.screen, ReviewScreen)
            assert "Turn 1" in screen_text(app)
        # The game was autosaved as it went.
        assert autosave_path(app.session.loaded, tmp_path / "saves").is_file()

    asyncio.run(run())


def test_hot_seat_teams_never_see_each_others_orders(tmp_path):
    async def run():
        app = new_app(tmp_path, scenario=ROOT / "scenarios" / "tutorial.yaml")
        async with app.run_test(size=SIZE) as pilot:
            assert isinstance(app.screen, SetupScreen)
            # The US is a human team by default; make the other two human as well.
            await pilot.press("tab", "enter", "up", "enter", "tab", "enter", "up", "enter")
            seating = app.screen.settings().seating
            assert seating == {"us": "human", "iraq": "human", "militias": "human", "tehran": "doctrine"}
            await pilot.press("ctrl+g")
            await pilot.press("enter")  # public briefing
            for _ in range(3):  # each team's private briefing, behind a hand-over
                assert isinstance(app.screen, HandOverScreen)
                await pilot.press("enter")
                assert isinstance(app.screen, PrivateBriefingScreen)
                await pilot.press("enter")
            labels = {}
            await pilot.press("enter")  # the first team sits down
            for role in ("us", "iraq", "militias"):
                assert isinstance(app.screen, OrdersScreen) and app.screen.role == role
                own = [o.action.label for o in app.screen.options()]
                chosen = await choose_first_orders(app, pilot)
                labels[role] = [a.label for a in app.session.game.rules.roles[role].actions if a.id in chosen]
                if role != "militias":
                    # The next team's hand-over and turn screen show nothing of these orders.
                    assert isinstance(app.screen, HandOverScreen)
                    assert not any(label in screen_text(app) for label in labels[role])
                    await pilot.press("enter")
                    theirs = {o.action.label for o in app.screen.options()}
                    shown = screen_text(app)
                    assert not any(label in shown for label in labels[role] if label not in theirs)
                    assert app.screen.seat.view().my_orders is None
                assert own
            assert isinstance(app.screen, ResultsScreen)
            actions = app.session.game.rules.actions
            for role, names in labels.items():
                for action in (a for a in app.session.game.rules.roles[role].actions if a.label in names):
                    # Public orders are revealed to all once the turn resolves; covert ones never are.
                    shown = action.label in screen_text(app)
                    assert shown == (actions[f"{role}.{action.id}"].visibility == "public"), action.id

    asyncio.run(run())


def test_the_rules_never_import_textual():
    """Every module outside game/tui stays free of the user interface (and of rich, which comes with it)."""
    code = (
        "import sys, pkgutil, importlib, game; "
        "[importlib.import_module(m.name) for m in pkgutil.walk_packages(game.__path__, 'game.') "
        "if not m.name.startswith(('game.tui', 'game.__main__'))]; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
