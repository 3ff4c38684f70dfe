"""What a facilitator's review of the hot seat found, driven at 80x24: one short
pilot test per finding (the rules behind them are tested without the screens)."""

import asyncio

from helpers import ROOT
from test_tui_play import SIZE, new_app, screen_text
from textual.widgets import Input

from game.tui.screens.briefing import PublicBriefingScreen
from game.tui.screens.setup import SetupScreen

TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
MADE_UP = "heron-granite-lotus-42"


def whole_screen(app) -> str:
    """Every character the terminal shows, dialogs and the screens under them included."""
    return app.export_screenshot().replace("&#160;", " ")


def test_a_made_up_passphrase_shows_only_when_the_facilitator_asks_and_a_short_one_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("game.tui.screens.setup.generate_passphrase", lambda: MADE_UP)

    async def run():
        app = new_app(tmp_path, scenario=TUTORIAL)
        async with app.run_test(size=SIZE) as pilot:
            assert isinstance(app.screen, SetupScreen)
            app.screen.query_one("#passphrase", Input).value = "ab"
            await pilot.press("ctrl+g")
            assert isinstance(app.screen, SetupScreen) and app.session is None
            assert "needs at least 8 characters (this one has 2)" in screen_text(app)
            app.screen.query_one("#passphrase", Input).value = ""
            await pilot.press("ctrl+g")
            # The room sees the screen: first only the request to look away.
            shown = whole_screen(app)
            assert "look away" in shown and MADE_UP not in shown and "All teams" not in shown
            await pilot.press("s")
            assert MADE_UP in whole_screen(app)
            await pilot.press("s")
            assert MADE_UP not in whole_screen(app)
            await pilot.press("escape")
            assert isinstance(app.screen, PublicBriefingScreen)
            assert app.session.settings.opens_white_cell(MADE_UP)

    asyncio.run(run())
