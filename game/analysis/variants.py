"""Variants of a scenario for sweeps: `tension.start=30,50,70` and the like.

A variant is the scenario's own bytes plus a list of overrides; whoever plays it
(this process, a worker, a Dask node) loads the bytes, checks their digest and
applies the overrides, so every executor plays exactly the same games.

Keys an override may set:

| key | what |
|---|---|
| `TRACK.start`, `.min`, `.max`, `.per_turn` | a scenario track (`tension.start`) |
| `ROLE.TRACK.start` (and the others) | a role's track (`us.capital.start`) |
| `FLAG.start` | a flag at the start (`true` or `false`) |
| `INJECT.chance` | an inject's chance in percent |
| `turns.max` | the number of turns |
| `orders_per_turn` | orders per team per turn |
"""

from __future__ import annotations

import hashlib
import itertools
import math

from game.scenario.fields import MAX_NUMBER
from game.scenario.loader import Loaded, load_bytes
from game.scenario.text import format_number

TRACK_FIELDS = ("start", "min", "max", "per_turn")
# Every combination is a variant: three --set of 100 values each would be a million
# variants (each one loads the scenario), hours of work for a slip of the keyboard.
MAX_VARIANTS = 1000
Override = tuple[str, str]  # (key, value as written)


class VariantError(ValueError):
    """An override that names nothing in the scenario or gives an impossible value."""


def parse_sets(sets: list[str]) -> list[tuple[str, list[str]]]:
    """`["tension.start=30,50", "turns.max=4"]` -> [("tension.start", ["30", "50"]), ...]."""
    parsed: list[tuple[str, list[str]]] = []
    for item in sets:
        key, sep, values = item.partition("=")
        key = key.strip()
        choices = [v.strip() for v in values.split(",") if v.strip()]
        if not sep or not key or not choices:
            raise VariantError(f"'{item}': write KEY=VALUE[,VALUE...], e.g. tension.start=30,50,70")
        if any(key == k for k, _ in parsed):
            raise VariantError(f"'{key}' is set twice")
        parsed.append((key, choices))
    return parsed


def variants(sets: list[tuple[str, list[str]]]) -> list[tuple[Override, ...]]:
    """Every combination of the values given, in the order given; VariantError past MAX_VARIANTS."""
    count = math.prod(len(v) for _, v in sets)
    if count > MAX_VARIANTS:
        raise VariantError(
            f"{count:,} combinations of the values given; a sweep plays at most {MAX_VARIANTS:,} variants"
        )
    keys = [k for k, _ in sets]
    return [tuple(zip(keys, combo)) for combo in itertools.product(*(v for _, v in sets))]


def label(overrides: tuple[Override, ...]) -> str:
    return ", ".join(f"{k}={v}" for k, v in overrides) or "as written"


def variant_digest(digest: str, overrides: tuple[Override, ...]) -> str:
    return hashlib.sha256((digest + repr(overrides)).encode()).hexdigest()


def apply(base: Loaded, overrides: tuple[Override, ...]) -> Loaded:
    """A fresh copy of the scenario (loaded from its bytes) with `overrides` applied;
    VariantError when one names nothing or gives an impossible value."""
    loaded = load_bytes(base.data, base.path)
    s = loaded.scenario
    for key, raw in overrides:
        parts = key.split(".")
        if key == "turns.max":
            s.turns.max = _whole(key, raw, 1, 100)
        elif key == "orders_per_turn":
            s.orders_per_turn = _whole(key, raw, 1, 10)
        elif len(parts) == 2 and parts[1] == "chance" and parts[0] in {i.id for i in s.injects}:
            inject = next(i for i in s.injects if i.id == parts[0])
            inject.chance = _number(key, raw, (0, 100))
        elif len(parts) == 2 and parts[1] == "start" and parts[0] in {f.id for f in s.flags}:
            if raw not in ("true", "false"):
                raise VariantError(f"{key}: a flag starts true or false, not '{raw}'")
            next(f for f in s.flags if f.id == parts[0]).start = raw == "true"
        elif parts[-1] in TRACK_FIELDS and len(parts) in (2, 3):
            track = _track(loaded, parts[:-1])
            if track is None:
                raise VariantError(f"{key}: no track '{'.'.join(parts[:-1])}' in the scenario")
            setattr(track, parts[-1], _number(key, raw))
            if not track.min <= track.start <= track.max:
                raise VariantError(
                    f"{key}={raw}: the track's start must stay within "
                    f"{format_number(track.min, exact=True)}..{format_number(track.max, exact=True)}"
                    f" (start {format_number(track.start, exact=True)})"
                )
        else:
            raise VariantError(
                f"cannot set '{key}' (TRACK.start|min|max|per_turn, ROLE.TRACK.start..., FLAG.start, "
                "INJECT.chance, turns.max or orders_per_turn)"
            )
    loaded.digest = variant_digest(base.digest, overrides)
    return loaded


def _track(loaded: Loaded, parts: list[str]):
    s = loaded.scenario
    if len(parts) == 1:
        return next((t for t in s.tracks if t.id == parts[0]), None)
    role = next((r for r in s.roles if r.id == parts[0]), None)
    return next((t for t in role.tracks if t.id == parts[1]), None) if role else None


def _number(key: str, raw: str, bounds: tuple[float, float] | None = None) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise VariantError(f"{key}: '{raw}' is not a number") from None
    if not math.isfinite(value):
        raise VariantError(f"{key}: '{raw}' is not a finite number")
    # As far as a scenario file may go: past it the engine's sums lose their units (1e308 + 1).
    bounds = bounds or (-MAX_NUMBER, MAX_NUMBER)
    if not bounds[0] <= value <= bounds[1]:
        low, high = (format_number(b, exact=True) for b in bounds)
        raise VariantError(f"{key}: {raw} is outside {low}..{high}")
    return value


def _whole(key: str, raw: str, low: int, high: int) -> int:
    value = _number(key, raw, (low, high))
    if not value.is_integer():
        raise VariantError(f"{key}: '{raw}' is not a whole number")
    return int(value)
