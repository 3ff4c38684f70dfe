"""Help: how to play, and every key."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from game.tui.screens.dialogs import TextScreen

TURN_AT_ONE_TABLE = """\
How a turn works
Each team, in turn, takes the keyboard and secretly chooses its orders. When a team confirms, a hand-over \
screen hides them before the next team sits down; the next team opens it with the digit it shows (a new one \
each time, so keys typed ahead cannot open it). Bots choose at once. Then """

TURN_ON_OWN_SCREENS = """\
How a turn works
Each team chooses its orders secretly, on its own screen; the others see only that it has sent them. Bots \
choose at once. When every team has sent its orders (or its time has run out), """

TURN_RESOLVES = """\
the turn resolves: the orders \
play out with dice (a roll of 1-100 at or under the chance succeeds; chance, modifiers and the roll are all \
shown), news events arrive, and the escalation ladder may move. Orders are public, private (only your team \
learns of them) or covert (their effects show, but not whose they were). The game ends on a terminal level of the ladder, when an outcome's condition is met, or \
when the turns run out.

Marks
  [x] a chosen order       [ ] available
   -  not available (the reason is shown)
  [reported] a sourced fact     [disputed] sources disagree
  [fiction] written for play
  ✔ objective met    ✘ not met    ▶ the ladder's current level
  █ the share of a track's range
"""

TURN_SCREEN_KEYS = """
Turn screen
  ↑↓ move      space or enter: choose or unchoose
  c: confirm   1 Orders  2 Situation  3 News  4 Team
"""

KEYS_AT_ONE_TABLE = (
    """
Keys everywhere
  f1 this help            ctrl+p commands, light/dark theme
  i sources               ctrl+s save the game
  w the White Cell        ctrl+q quit (it asks first)
"""
    + TURN_SCREEN_KEYS
    + """
White Cell (the facilitator)
Press w, then the White Cell passphrase (typed at setup, 8 characters or more, or made up and shown once to the \
facilitator when the game began, after the teams are asked to look away; if it is lost, close the game and run `crisis passphrase` on its save): pause the clock, see every team's view, fire any \
inject or a news item, override a roll (with a reason), undo the last turn, or end the game. Every act \
shows in the after-action review beside what the rules would have given.

Saves
The game saves itself after every team's orders and every turn, each game to its own file \
(saves/autosave-*.json); ctrl+s saves a copy under a name. The title screen lists both with their time and \
state. r on a scenario resumes its game in progress (with several, it asks which: the newest first); \
r or Enter on a saved game opens that one.
"""
)

KEYS_ON_OWN_SCREENS = (
    """
Keys everywhere
  f1 this help            ctrl+p commands, light/dark theme
  i sources               ctrl+q leave (it asks first; your code lets you back in)
"""
    + TURN_SCREEN_KEYS
    + """
White Cell (the facilitator)
The facilitator's own screen, opened with the White Cell's code, shows every team and acts with w: pause \
the clocks, see every team's view, fire an inject or a news item, override a roll, undo the last turn, hand \
a team to a bot, or end the game. Every act shows in the after-action review.

Saves
The host saves the game after every step; if this terminal closes, join again with the same code and \
your screen, and what you had chosen, come back. At the end, d on the after-action report saves a copy.
"""
)


def help_text(own_screens: bool) -> str:
    """How to play and the keys: at one shared table (hot seat), or each seat on its own screen."""
    if own_screens:
        return TURN_ON_OWN_SCREENS + TURN_RESOLVES + KEYS_ON_OWN_SCREENS
    return TURN_AT_ONE_TABLE + TURN_RESOLVES + KEYS_AT_ONE_TABLE


class HelpScreen(TextScreen):
    BINDINGS = [Binding("escape,f1,q", "close", "Close")]

    def __init__(self, own_screens: bool = False):
        super().__init__(Text.assemble(("Help\n\n", "bold"), Text(help_text(own_screens))), text_id="help-text")
