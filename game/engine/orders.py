"""Orders before they are given: what a set of chosen actions will cost."""

from __future__ import annotations

from collections.abc import Iterable

from game.engine.rules import Rules


def spending(rules: Rules, role: str, actions: Iterable[str]) -> dict[str, float]:
    """What `role`'s chosen `actions` (ids) take from its tracks, by full track key ("us.capital")."""
    spent: dict[str, float] = {}
    for action in actions:
        for track, amount, _low in rules.costs.get(f"{role}.{action}", ()):
            spent[track] = spent.get(track, 0) + amount
    return spent
