"""Turning engine data into Rich text for the screens.

Meaning never rests on colour alone: provenance, availability and success are
also written out in words or symbols, so the screens read the same in
monochrome (NO_COLOR) and in any theme.
"""

from __future__ import annotations

from rich.text import Text

from game.engine.views import TrackView
from game.scenario.text import format_number

BASIS_TAG = {"reported": "[reported]", "disputed": "[disputed]", "fictional": "[fiction]"}
BASIS_STYLE = {"reported": "bold", "disputed": "italic", "fictional": "dim italic"}


def basis_tag(basis: str | None) -> Text:
    if not basis:
        return Text("")
    return Text(BASIS_TAG[basis], style=BASIS_STYLE[basis])


def paragraph(text: str, basis: str | None = None, note: str | None = None) -> Text:
    out = Text()
    if basis:
        out.append_text(basis_tag(basis))
        out.append(" ")
    out.append(" ".join(text.split()) if "\n\n" not in text else text.strip())
    if note:
        out.append(f"\n  note: {note}", style="dim")
    return out


def bar(value: float, low: float, high: float, width: int) -> str:
    """A bar of `width` cells; the proportion is in the characters, not the colour."""
    share = 0.0 if high <= low else (value - low) / (high - low)
    filled = round(max(0.0, min(1.0, share)) * width)
    return "█" * filled + "░" * (width - filled)


def track_line(track: TrackView, label_width: int = 22, bar_width: int = 12, basis: bool = True) -> Text:
    """'Tension  ██████░░░░░░  45/100': the bar, then the value with its scale, the unit once
    ('2/50 attacks', not '2 attacks/50 attacks')."""
    label = track.label if len(track.label) <= label_width else track.label[: label_width - 1] + "…"
    value = f"{format_number(track.value)}/{format_number(track.high)}{track.unit}"
    out = Text(f"{label:<{label_width}} ")
    out.append(bar(track.value, track.low, track.high, bar_width), style="bold")
    out.append(f" {value:>8}")
    if track.basis and basis:
        out.append(" ")
        out.append_text(basis_tag(track.basis))
    return out


def mark(ok: bool) -> str:
    return "✔ yes" if ok else "✘ no "
