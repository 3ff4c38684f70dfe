"""Headless batches of complete games, for authors and tests.

`simulate` plays N games with bots and reports the outcome distribution, how
long games last, the scores, and coverage: what no game ever visited (actions
never chosen or never available, injects never fired, levels and outcomes
never reached), in the spirit of ChoiceScript's randomtest. Game i of a batch
always gets the same seed, so the numbers are the same whatever the number of
worker processes.

With `detail`, each record also says why its game went as it did (for `crisis
check`): which ladder transitions were taken, what ended it, the doctrine rules
that chose orders, the tracks at the end of each turn. Batches run here, or as
`Job`s (many seeds each, with the scenario's bytes and digest) through an
executor (`executors.py`): a process pool, or a Dask cluster.
"""

from __future__ import annotations

import gc
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter

from game.analysis import variants
from game.analysis.executors import Executor, ProcessPool
from game.engine import Game, Seat
from game.engine import events as ev
from game.engine.dice import derive_seed
from game.players import BOT_ONLY_PLAYER, make_bot
from game.players.base import Decision, Picker, Player, play_turn
from game.scenario.loader import Loaded, load_bytes


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
    # With `detail` (for `crisis check`):
    reason: str = ""  # why the game ended: terminal level, condition, turn limit
    ended_by: str = ""  # what ended it: "transition:N", "outcome:ID" (its when), "default"
    orders: Counter[str] = field(default_factory=Counter)  # "role.action" -> times ordered
    rules: Counter[str] = field(default_factory=Counter)  # "role#N" -> orders doctrine rule N chose
    transitions: Counter[int] = field(default_factory=Counter)  # ladder transition index -> times taken
    objectives: set[str] = field(default_factory=set)  # "role.objective" held at the end
    tracks: list[dict[str, float]] = field(default_factory=list)  # every value at the end of each turn


class OnlyAction(Player):
    """A pure strategy: order one action whenever it can be ordered, and nothing else."""

    kind = "pure"

    def __init__(self, action_id: str):
        self.action_id = action_id

    def decide(self, seat: Seat) -> Decision:
        picker = Picker(seat)
        option = next((o for o in picker.open_options() if o.action.id == self.action_id), None)
        if option is not None:
            picker.pick(option, f"always {self.action_id}")
        return picker.decision()


def make_player(kind: str) -> Player:
    """A bot by kind (the passive bot is the passive strategy), or 'only:ACTION' (a pure strategy)."""
    if kind.startswith("only:"):
        return OnlyAction(kind.removeprefix("only:"))
    return make_bot(kind)


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


option_key = attrgetter("key")


def play_one(loaded: Loaded, seed: int, bots: dict[str, str], detail: bool = False) -> GameRecord:
    game = Game(loaded, seed)
    players = {role: make_player(kind) for role, kind in bots.items()}
    available: set[str] = set()
    tracks: list[dict[str, float]] = []
    game.begin()
    game.start_play()
    while game.phase == "orders":
        for role in game.rules.role_ids:
            available.update(map(option_key, game.open_options(role, {})))
        play_turn(game, players)
        if detail:
            tracks.append(dict(game.state.values))
    outcome = game.state.outcome
    assert outcome is not None, "orders are given until the game is over, and a game over has an outcome"
    # What was ordered and fired, from the state: its uses and fired injects count every
    # ActionTaken and InjectFired of the log (a bot's game is never taken back). Of the log,
    # only the levels the ladder passed through and the end are read (`events_of`: the
    # other events are not built).
    state = game.state
    record = GameRecord(
        seed, outcome, state.turn, {}, chosen=set(state.uses), available=available, injects=set(state.fired)
    )
    record.levels.add(loaded.scenario.ladder.start)
    record.levels.update([event.new for event in game.events_of(ev.LadderMoved)])
    ended = game.last_of(ev.GameEnded)
    assert ended is not None, "a game over has ended"
    record.scores = dict(ended.scores)
    if detail:
        record.tracks = tracks
        _add_detail(record, game)
    return record


def _add_detail(record: GameRecord, game: Game) -> None:
    """Why the game went as it did, read from its log: each doctrine rule that chose an
    order, each ladder transition taken, what ended the game."""
    last_transition = None
    for event in game.log:
        if type(event) is ev.OrdersSubmitted:
            for reason in event.reasons:
                if reason.startswith("doctrine rule "):
                    record.rules[f"{event.role}#{reason.split()[2].rstrip(':')}"] += 1
        elif type(event) is ev.ActionTaken:
            record.orders[f"{event.role}.{event.action}"] += 1
        elif type(event) is ev.LadderMoved and event.cause == "transition":
            last_transition = event.transition
            if last_transition is not None:
                record.transitions[last_transition] += 1
        elif type(event) is ev.GameEnded:
            record.reason = event.reason
            record.objectives = {f"{role}.{objective}" for role, objective, held, _ in event.objectives if held}
            outcome = game.rules.outcomes[event.outcome]
            if event.reason == "terminal level":
                record.ended_by = f"transition:{last_transition}"
            elif event.reason == "turn limit" and (outcome.default and not _holds(outcome, game.state)):
                record.ended_by = "default"
            else:
                record.ended_by = f"outcome:{event.outcome}"


def _holds(outcome, state) -> bool:
    return outcome.when is not None and bool(outcome.when(state))


@dataclass(frozen=True, slots=True)
class Job:
    """A batch of seeds to play: what a worker needs, whatever machine it is on."""

    scenario: bytes  # the scenario file's bytes
    digest: str  # their sha256: the worker checks it
    path: str  # for messages
    seeds: tuple[int, ...]
    bots: tuple[tuple[str, str], ...]  # (role, kind)
    overrides: tuple[tuple[str, str], ...] = ()  # a variant of the scenario (see variants.py)
    detail: bool = False


# Python's cyclic garbage collector runs once this many container objects are made and not
# freed (700 by default). A game keeps hundreds (its events, their tuples) until it is over,
# then reference counting frees them all: at 700, the collector walks them a few times a
# game for nothing, 4% of a game's instructions (bench_engine.py --simulate-path).
GAMES_GC_THRESHOLD = 50_000


@contextmanager
def few_collections() -> Iterator[None]:
    """Run the garbage collector on larger batches while games are played; as before after."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], GAMES_GC_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


_loaded_by_job: dict[tuple, Loaded] = {}  # each worker process loads each scenario variant once


def run_job(job: Job) -> list[GameRecord]:
    key = (job.digest, job.overrides)
    loaded = _loaded_by_job.get(key)
    if loaded is None:
        loaded = load_bytes(job.scenario, job.path)
        if loaded.digest != job.digest:
            raise ValueError(f"{job.path}: the scenario's bytes do not match their digest")
        if job.overrides:
            loaded = variants.apply(loaded, job.overrides)
        if len(_loaded_by_job) >= 8:  # a sweep's variants, a few at a time
            _loaded_by_job.pop(next(iter(_loaded_by_job)))
        _loaded_by_job[key] = loaded
    bots = dict(job.bots)
    with few_collections():
        return [play_one(loaded, seed, bots, job.detail) for seed in job.seeds]


def jobs_for(
    loaded: Loaded,
    seeds: list[int],
    bots: dict[str, str],
    batch: int,
    overrides: tuple[tuple[str, str], ...] = (),
    detail: bool = False,
) -> list[Job]:
    return [
        Job(
            loaded.data, loaded.digest, loaded.path, tuple(seeds[i : i + batch]), tuple(bots.items()), overrides, detail
        )
        for i in range(0, len(seeds), batch)
    ]


def default_batch(runs: int, workers: int) -> int:
    """Seeds per job: about ten jobs per worker, 10 to 200 games each."""
    return max(10, min(200, runs // (max(workers, 1) * 10) or 1))


def run_batch(
    loaded: Loaded,
    runs: int,
    seed: int,
    bots: dict[str, str],
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
    *,
    executor: Executor | None = None,
    batch: int | None = None,
    detail: bool = False,
) -> list[GameRecord]:
    """Play `runs` games; records come back in game order, the same whatever runs them."""
    seeds = [derive_seed(seed, i) for i in range(runs)]
    records: list[GameRecord] = []
    if executor is None and workers <= 1:
        with few_collections():
            for s in seeds:
                records.append(play_one(loaded, s, bots, detail))
                if progress:
                    progress(len(records))
        return records
    own = executor is None
    executor = executor or ProcessPool(workers)
    try:
        jobs = jobs_for(loaded, seeds, bots, batch or default_batch(runs, executor.workers), detail=detail)
        for part in executor.map(run_job, jobs):
            records.extend(part)
            if progress:
                progress(len(records))
    finally:
        if own:
            executor.close()
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
