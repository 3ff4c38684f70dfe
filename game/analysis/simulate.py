"""Headless batches of complete games, for authors and tests.

`simulate` plays N games with bots and reports the outcome distribution, how
long games last, the scores, and coverage: what no game ever visited (actions
never chosen or never available, injects never fired, levels and outcomes
never reached), in the spirit of ChoiceScript's randomtest. Game i of a batch
always gets the same seed, so the numbers are the same whatever the number of
worker processes.
"""

from __future__ import annotations

import multiprocessing
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from game.engine import Game
from game.engine import events as ev
from game.engine.dice import derive_seed
from game.players import BOT_ONLY_PLAYER, make_bot
from game.players.base import play_turn
from game.scenario.loader import Loaded, load


@dataclass(slots=True)
class GameRecord:
    seed: int
    outcome: str
    turns: int
    scores: dict[str, int]
    chosen: set[str] = field(default_factory=set)
    available: set[str] = field(default_factory=set)
    injects: set[str] = field(default_factory=set)
    levels: set[str] = field(default_factory=set)


def parse_bots(spec: str, role_ids: list[str], bot_only: Iterable[str] = ()) -> dict[str, str]:
    """'random' for every role, or 'us=doctrine,iraq=random' (others: random).

    Roles in `bot_only` play by their doctrine unless the spec names them."""
    fixed = set(bot_only)
    if "=" not in spec:
        make_bot(spec)  # raises ValueError for an unknown kind
        return {r: BOT_ONLY_PLAYER if r in fixed else spec for r in role_ids}
    kinds = {r: BOT_ONLY_PLAYER if r in fixed else "random" for r in role_ids}
    for part in spec.split(","):
        role, _, kind = part.partition("=")
        role, kind = role.strip(), kind.strip()
        if role not in kinds:
            raise ValueError(f"unknown role '{role}' (roles: {', '.join(role_ids)})")
        make_bot(kind)
        kinds[role] = kind
    return kinds


def play_one(loaded: Loaded, seed: int, bots: dict[str, str]) -> GameRecord:
    game = Game(loaded, seed)
    players = {role: make_bot(kind) for role, kind in bots.items()}
    available: set[str] = set()
    game.begin()
    game.start_play()
    while game.phase == "orders":
        for role in game.rules.role_ids:
            available.update(o.key for o in game.options(role) if o.available)
        play_turn(game, players)
    record = GameRecord(seed, game.state.outcome, game.state.turn, {}, available=available)
    record.levels.add(loaded.scenario.ladder.start)
    for event in game.log:
        kind = type(event)
        if kind is ev.ActionTaken:
            record.chosen.add(f"{event.role}.{event.action}")
        elif kind is ev.InjectFired:
            record.injects.add(event.inject)
        elif kind is ev.LadderMoved:
            record.levels.add(event.new)
        elif kind is ev.GameEnded:
            record.scores = dict(event.scores)
    return record


# Worker processes load the scenario once, in their initializer.
_worker: dict = {}


def _init_worker(path: str, bots: dict[str, str]) -> None:
    _worker["loaded"] = load(path)
    _worker["bots"] = bots


def _play_seeds(seeds: list[int]) -> list[GameRecord]:
    return [play_one(_worker["loaded"], s, _worker["bots"]) for s in seeds]


def run_batch(
    loaded: Loaded,
    runs: int,
    seed: int,
    bots: dict[str, str],
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> list[GameRecord]:
    """Play `runs` games; records come back in game order."""
    seeds = [derive_seed(seed, i) for i in range(runs)]
    records: list[GameRecord] = []
    if workers <= 1:
        for s in seeds:
            records.append(play_one(loaded, s, bots))
            if progress:
                progress(len(records))
        return records
    chunk = max(1, min(200, runs // (workers * 8) or 1))
    chunks = [seeds[i : i + chunk] for i in range(0, len(seeds), chunk)]
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with context.Pool(workers, initializer=_init_worker, initargs=(loaded.path, bots)) as pool:
        for part in pool.imap(_play_seeds, chunks):  # imap keeps the order
            records.extend(part)
            if progress:
                progress(len(records))
    return records


def summarise(loaded: Loaded, records: list[GameRecord], seed: int, bots: dict[str, str]) -> dict:
    s = loaded.scenario
    n = len(records)
    outcomes = Counter(r.outcome for r in records)
    turns = [r.turns for r in records]
    all_actions = [f"{role.id}.{a.id}" for role in s.roles for a in role.actions]
    chosen = set().union(*(r.chosen for r in records)) if records else set()
    available = set().union(*(r.available for r in records)) if records else set()
    fired = set().union(*(r.injects for r in records)) if records else set()
    levels = set().union(*(r.levels for r in records)) if records else set()
    scores = {}
    for role in s.roles:
        values = [r.scores.get(role.id, 0) for r in records]
        scores[role.id] = {
            "mean": round(statistics.fmean(values), 3) if values else 0,
            "min": min(values, default=0),
            "max": max(values, default=0),
            "stdev": round(statistics.pstdev(values), 3) if values else 0,
        }
    return {
        "scenario": s.id,
        "title": s.title,
        "runs": n,
        "seed": seed,
        "bots": bots,
        "outcomes": {
            o.id: {
                "title": o.title,
                "count": outcomes.get(o.id, 0),
                "share": round(outcomes.get(o.id, 0) / n, 4) if n else 0,
            }
            for o in s.outcomes
        },
        "turns": {
            "mean": round(statistics.fmean(turns), 3) if turns else 0,
            "min": min(turns, default=0),
            "max": max(turns, default=0),
            "histogram": {str(t): c for t, c in sorted(Counter(turns).items())},
        },
        "scores": scores,
        "coverage": {
            "actions_never_chosen": [a for a in all_actions if a not in chosen],
            "actions_never_available": [a for a in all_actions if a not in available],
            "injects_never_fired": [i.id for i in s.injects if i.id not in fired],
            "levels_never_reached": [lv.id for lv in s.ladder.levels if lv.id not in levels],
            "outcomes_never_reached": [o.id for o in s.outcomes if not outcomes.get(o.id)],
        },
    }


def format_summary(summary: dict, width: int = 78) -> str:
    lines = [
        f'{summary["runs"]} games of "{summary["title"]}" (seed {summary["seed"]}, bots: '
        f"{_bots_text(summary['bots'])})",
        "",
        "Outcomes",
    ]
    n = max(summary["runs"], 1)
    label_width = max((len(o["title"]) for o in summary["outcomes"].values()), default=10)
    bar_room = max(10, width - label_width - 20)
    for o in summary["outcomes"].values():
        bar = "#" * round(o["count"] / n * bar_room)
        lines.append(f"  {o['title']:<{label_width}} {o['count']:>6} {o['share'] * 100:5.1f}%  {bar}")
    t = summary["turns"]
    lines += [
        "",
        f"Turns to the end: mean {t['mean']:.1f}, min {t['min']}, max {t['max']}",
        "",
        "Scores (mean, min..max)",
    ]
    for role, sc in summary["scores"].items():
        lines.append(f"  {role:<12} {sc['mean']:6.2f}  {sc['min']}..{sc['max']}")
    lines += ["", "Coverage (what no game visited)"]
    names = {
        "actions_never_chosen": "Actions never chosen",
        "actions_never_available": "Actions never available",
        "injects_never_fired": "Injects never fired",
        "levels_never_reached": "Ladder levels never reached",
        "outcomes_never_reached": "Outcomes never reached",
    }
    for key, title in names.items():
        items = summary["coverage"][key]
        lines.append(f"  {title}: {', '.join(items) if items else 'none'}")
    return "\n".join(lines)


def _bots_text(bots: dict[str, str]) -> str:
    kinds = set(bots.values())
    if len(kinds) == 1:
        return next(iter(kinds))
    return ", ".join(f"{r}={k}" for r, k in bots.items())
