"""Help: how to play, and every key."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from game.tui.screens.dialogs import TextScreen

HELP = """\
How a turn works
Each team, in turn, takes the keyboard and secretly chooses its orders. When a team confirms, a hand-over \
screen hides them before the next team sits down; the next team opens it with the digit it shows (a new one \
each time, so keys typed ahead cannot open it). Bots choose at once. Then the turn resolves: the orders \
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

Keys everywhere
  f1 this help            ctrl+p commands and themes
  i sources               ctrl+s save the game
  w the White Cell        ctrl+q quit (it asks first)

Turn screen
  ↑↓ move      space or enter: choose or unchoose
  c: confirm   1 Orders  2 Situation  3 News  4 Team

White Cell (the facilitator)
Press w, then the White Cell passphrase (typed at setup, or made up and shown once when the game began; \
if it is lost, close the game and run `crisis passphrase` on its save): pause the clock, see every team's view, fire any \
inject or a news item, override a roll (with a reason), undo the last turn, or end the game. Every act \
shows in the after-action review beside what the rules would have given.

Saves
The game saves itself after every team's orders and every turn, each game to its own file \
(saves/autosave-*.json); ctrl+s saves a copy under a name. The title screen lists both with their time and \
state, and r resumes the highlighted scenario's latest game in progress.
"""


class HelpScreen(TextScreen):
    BINDINGS = [Binding("escape,f1,q", "close", "Close")]

    def __init__(self):
        super().__init__(Text.assemble(("Help\n\n", "bold"), Text(HELP)), text_id="help-text")
