"""The situation panel: the escalation ladder, the public tracks as bars, and
a small history chart of the headline track (the scenario's first track)."""

from __future__ import annotations

from rich.text import Text

from game.engine import Game
from game.engine.views import public_tracks
from game.reports.debrief import build_debrief
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
        out.append(
            prefix + name + end + ("  ◀ now" if here else "") + "\n",
            style="bold reverse" if here else ("dim" if level.outcome else ""),
        )
    return out


def headline_history(game: Game) -> list[float]:
    """The headline track at the start and after each turn played (the
    debrief's series, which leaves out what the White Cell took back)."""
    if not game.scenario.tracks:
        return []
    return list(build_debrief(game).series[game.scenario.tracks[0].id])


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
