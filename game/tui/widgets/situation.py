"""The situation panel: the escalation ladder, the public tracks as bars, and
a small history chart of the headline track (the scenario's first track)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Sparkline, Static

from game.engine import Game
from game.engine import events as ev
from game.engine.views import public_tracks
from game.tui.text import track_line


def ladder_text(game: Game, width: int = 36) -> Text:
    """The ladder, top rung first; the current level marked with an arrow and words."""
    out = Text()
    levels = game.scenario.ladder.levels
    current = game.state.level
    for level in reversed(levels):
        here = level.id == current
        prefix = "▶ " if here else "  "
        end = " (ends game)" if level.outcome else ""
        name = level.name if len(level.name) + len(end) + 2 <= width else level.name[: width - len(end) - 3] + "…"
        out.append(prefix + name + end + ("  ◀ now" if here else "") + "\n",
                   style="bold reverse" if here else ("dim" if level.outcome else ""))
    return out


def headline_history(game: Game) -> list[float]:
    """The headline track at the start and after each turn (undone turns left out)."""
    if not game.scenario.tracks:
        return []
    key = game.scenario.tracks[0].id
    start = next(t.start for t in game.scenario.tracks if t.id == key)
    by_turn: dict[int, float] = {0: start}
    value = start
    for e in game.log:
        if type(e) is ev.TurnUndone:
            value = by_turn.get(e.undone - 1, start)
            for t in [t for t in by_turn if t >= e.undone]:
                del by_turn[t]
        elif type(e) is ev.TrackChanged and e.track == key:
            value = e.new
            by_turn[e.turn] = value
    series, last = [], start
    for turn in range(0, game.state.turn + 1):
        last = by_turn.get(turn, last)
        series.append(last)
    return series


class SituationPanel(Vertical):
    """Public information every team may see."""

    def __init__(self, game: Game, **kwargs):
        super().__init__(**kwargs)
        self.game = game

    def compose(self) -> ComposeResult:
        yield Static(Text("Escalation ladder", style="bold underline"))
        yield Static(ladder_text(self.game), id="ladder")
        yield Static(Text("Situation", style="bold underline"))
        yield Static(self.tracks_text(), id="tracks")
        headline = self.game.scenario.tracks[0].label if self.game.scenario.tracks else ""
        history = headline_history(self.game)
        yield Static(Text(f"{headline} over the turns: " + " → ".join(f"{v:g}" for v in history[-6:]),
                          style="dim"), id="history-label")
        yield Sparkline(history if len(history) > 1 else history * 2, id="history")

    def tracks_text(self) -> Text:
        out = Text()
        for track in public_tracks(self.game):
            out.append_text(track_line(track))
            out.append("\n")
        return out
