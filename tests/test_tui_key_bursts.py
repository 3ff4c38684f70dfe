"""Keys typed in bursts land where they were typed.

A terminal hands the app everything typed since its last read at once: a fast
typist, a paste, or `tmux send-keys` with several keys. These tests feed the
very bytes a terminal (tmux at 80x24) sends through Textual's own terminal
parser into the running app, all before the app has handled the first one, as
the real driver does; Pilot.press cannot show the problem, as it waits for each
key's effect before sending the next.
"""

import asyncio

from helpers import ROOT, TUTORIAL
from textual._xterm_parser import XTermParser
from textual.widgets import Input

from game.tui.app import CrisisApp
from game.tui.screens.setup import SetupScreen

SIZE = (80, 24)
# What tmux sends for its key names (captured from a pane: `tmux send-keys Tab End BSpace 4`).
TAB, END, BACKSPACE = "\t", "\x1b[4~", "\x7f"


async def typed(pilot, data: str) -> list[str]:
    """Feed `data`, as read from the terminal in one read, to the app, and wait until it
    has handled it all. Returns the keys Textual's parser found in it."""
    app = pilot.app
    keys = []
    for event in XTermParser().feed(data):
        keys.append(getattr(event, "key", type(event).__name__))
        app._driver.process_message(event)  # what the terminal driver does with each one
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    return keys


def setup_app(tmp_path) -> CrisisApp:
    """The game straight on the tutorial's setup screen, with the hand-over protection on."""
    return CrisisApp(ROOT / "scenarios", tmp_path / "saves", scenario=TUTORIAL, seed=17883)


def test_setup_fields_edited_in_one_burst_get_what_was_typed(tmp_path):
    """A facilitator tabs to the seed, fixes its last two digits, tabs to the turns and
    retypes them, all in one quick burst. Each field must end as typed: no character
    lost after a Backspace, none landing in the field left before."""

    async def run():
        app = setup_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            assert isinstance(app.screen, SetupScreen)
            data = TAB * 3 + END + BACKSPACE * 2 + "42" + TAB + END + BACKSPACE + "5"
            keys = await typed(pilot, data)
            assert keys == ["tab"] * 3 + ["end", "backspace", "backspace", "4", "2", "tab", "end", "backspace", "5"]
            screen = app.screen
            assert screen.query_one("#seed", Input).value == "17842"
            assert screen.query_one("#turns", Input).value == "5"
            assert app.focused is screen.query_one("#turns", Input)

    asyncio.run(run())
