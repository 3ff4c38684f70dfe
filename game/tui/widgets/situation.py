"""The situation panel: the escalation ladder, the public tracks as bars, and
a small history chart of the headline track (the scenario's first track)."""

from __future__ import annotations

from rich.text import Text

from game.engine import Game
from game.engine import events as ev
from game.engine.views import public_tracks
from game.tui.text import track_line


def ladder_text(game: Game, width: int = 70) -> Text:
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
    played = game.state.turn if game.phase in ("debrief", "end_check") else game.state.turn - 1
    for turn in range(0, max(played, 0) + 1):
        last = by_turn.get(turn, last)
        series.append(last)
    return series


SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float], low: float, high: float) -> str:
    """A one-line chart: each value as a block whose height is its place in low..high."""
    span = (high - low) or 1
    return "".join(SPARKS[min(len(SPARKS) - 1, max(0, int((v - low) / span * len(SPARKS))))] for v in values)


def situation_text(game: Game, label_width: int = 34, basis: bool = True) -> Text:
    """Public information every team may see: the ladder, the public tracks,
    and the history of the headline track (the scenario's first track)."""
    out = Text("Escalation ladder\n", style="bold underline")
    out.append_text(ladder_text(game))
    out.append("\nSituation\n", style="bold underline")
    for track in public_tracks(game):
        out.append_text(track_line(track, label_width=label_width, basis=basis))
        out.append("\n")
    if game.scenario.tracks:
        headline = game.scenario.tracks[0]
        history = headline_history(game)
        out.append(f"\n{headline.label} over the turns: ", style="bold")
        out.append(sparkline(history, headline.min, headline.max) + "  ")
        out.append(" → ".join(f"{v:g}" for v in history[-6:]) + "\n")
    return out
