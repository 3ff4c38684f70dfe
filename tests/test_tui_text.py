"""The small text pieces the screens are built of (game/tui/text.py)."""

from game.engine.views import TrackView
from game.tui.text import track_line


def track(value: float, high: float, unit: str) -> TrackView:
    return TrackView("attacks", "Attacks this game", value, 0, high, unit, "public", None)


def test_a_track_line_gives_its_unit_once_after_the_scale():
    """'0 attacks/50 attacks' read twice the word it needs at 80 columns: '0/50 attacks'."""
    assert track_line(track(0, 50, " attacks")).plain.endswith(" 0/50 attacks")
    assert track_line(track(45, 100, "")).plain.endswith(" 45/100")
    assert track_line(track(7.5, 10, "%")).plain.endswith(" 7.5/10%")
