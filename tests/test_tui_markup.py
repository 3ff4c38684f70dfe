"""Scenario text is never markup on the terminal screens: brackets in titles, labels,
team names and news show as written, and a `[@click=...]` is text, not an action."""

import asyncio

import yaml
from helpers import ROOT, mini_data
from test_tui_play import screen_text, settle, start_with_passphrase

from game.tui.app import CrisisApp
from game.tui.screens.end import EndScreen
from game.tui.screens.orders import OrdersScreen
from game.tui.screens.results import ResultsScreen
from game.tui.screens.review import ReviewScreen

HOSTILE = "[@click=app.quit]"


def hostile_scenario(folder):
    data = mini_data()
    data["title"] = "Mini [bold]crisis[/]"
    data["turns"]["max"] = 1
    data["roles"][0]["name"] = "Alpha [joint] command"
    data["roles"][0]["actions"][0]["label"] = f"Calm down {HOSTILE}"
    data["roles"][0]["actions"][0]["results"][0]["news"] = "Alpha says [red on blue]no[/] to war."
    data["roles"][0]["private_briefing"] = ["Alpha's secret [/] plan."]
    path = folder / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_brackets_in_scenario_text_are_shown_as_written_and_never_act(tmp_path):
    async def run():
        path = hostile_scenario(tmp_path)
        app = CrisisApp(
            ROOT / "scenarios", tmp_path / "saves", scenario=path, seed=2, handover_delay=0, handover_key="enter"
        )
        async with app.run_test(size=(100, 30)) as pilot:
            await start_with_passphrase(pilot)
            assert "Mini [bold]crisis[/]" in screen_text(app)
            await pilot.press("enter", "enter")  # the public briefing, the hand-over
            assert "Alpha's secret [/] plan." in screen_text(app)
            await pilot.press("enter")
            assert isinstance(app.screen, OrdersScreen)
            assert f"Calm down {HOSTILE}" in screen_text(app)
            assert "Alpha [joint] command" in screen_text(app)
            await pilot.click("#actions")  # a click on the label must not quit
            await pilot.press("home", "space", "c", "enter")
            await settle(app, pilot)
            assert app.is_running
            if not isinstance(app.screen, ResultsScreen):  # the bot's team, Bravo, was human: one more turn
                await pilot.press("enter", "space", "c", "enter")
                await settle(app, pilot)
            assert isinstance(app.screen, ResultsScreen)
            assert "Alpha says [red on blue]no[/] to war." in screen_text(app)
            await pilot.press("enter")
            assert isinstance(app.screen, EndScreen)
            await pilot.press("enter")
            assert isinstance(app.screen, ReviewScreen)
            assert f"Calm down {HOSTILE}" in screen_text(app) and app.is_running

    asyncio.run(run())
