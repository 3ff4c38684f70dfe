"""The calendar of a game: the date each turn stands for."""

from __future__ import annotations

import datetime as dt


def game_date(start: str, days_per_turn: int, turn: int) -> str:
    try:
        day = dt.date.fromisoformat(start) + dt.timedelta(days=days_per_turn * (turn - 1))
    except OverflowError:  # past the year 9999; the checker refuses such scenarios
        return "after the year 9999"
    return f"{day.day} {day:%B %Y}"
