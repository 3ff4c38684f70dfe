"""`crisis sweep`: the same batch of games over variants of a scenario.

`--set tension.start=30,50,70 --set turns.max=4,6` makes every combination of
the values (here six variants); each is played with the same seeds and bots, and
the outcome shares are tabulated per variant. The games run through an
executor (`executors.py`) as jobs of many seeds that carry the scenario's bytes
and digest and the variant's overrides: the results are the same, byte for
byte, whatever the executor, its workers or the size of the batches.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from dataclasses import dataclass

from game.analysis import variants
from game.analysis.executors import Executor
from game.analysis.simulate import GameRecord, default_batch, jobs_for, run_job
from game.engine.dice import derive_seed
from game.scenario.loader import Loaded


@dataclass
class VariantResult:
    overrides: tuple[variants.Override, ...]
    records: list[GameRecord]


@dataclass
class SweepResult:
    loaded: Loaded
    runs: int
    seed: int
    bots: dict[str, str]
    results: list[VariantResult]


def run_sweep(
    loaded: Loaded,
    sets: list[tuple[str, list[str]]],
    runs: int,
    seed: int,
    bots: dict[str, str],
    executor: Executor,
    batch: int | None = None,
) -> SweepResult:
    """Play `runs` games of every variant; VariantError before any game if one is impossible."""
    combos = variants.variants(sets)
    for overrides in combos:
        variants.apply(loaded, overrides)  # every variant is checked before the first game
    seeds = [derive_seed(seed, i) for i in range(runs)]
    size = batch or default_batch(runs * len(combos), executor.workers)
    jobs, owners = [], []
    for index, overrides in enumerate(combos):
        for job in jobs_for(loaded, seeds, bots, size, overrides):
            jobs.append(job)
            owners.append(index)
    results = [VariantResult(overrides, []) for overrides in combos]
    for owner, part in zip(owners, executor.map(run_job, jobs)):
        results[owner].records.extend(part)
    return SweepResult(loaded, runs, seed, bots, results)


def summary(result: SweepResult) -> dict:
    s = result.loaded.scenario
    rows = []
    for v in result.results:
        outcomes = Counter(r.outcome for r in v.records)
        rows.append(
            {
                "set": dict(v.overrides),
                "games": len(v.records),
                "outcomes": {o.id: outcomes.get(o.id, 0) for o in s.outcomes},
                "mean_turns": round(statistics.fmean(r.turns for r in v.records), 4) if v.records else 0,
                "mean_scores": {
                    role.id: round(statistics.fmean(r.scores.get(role.id, 0) for r in v.records), 4) if v.records else 0
                    for role in s.roles
                },
            }
        )
    return {
        "scenario": s.id,
        "digest": result.loaded.digest,
        "runs": result.runs,
        "seed": result.seed,
        "bots": result.bots,
        "variants": rows,
    }


def to_json(result: SweepResult) -> str:
    return json.dumps(summary(result), indent=2, sort_keys=True) + "\n"


def format_sweep(result: SweepResult) -> str:
    data = summary(result)
    s = result.loaded.scenario
    titles = [(o.id, o.title) for o in s.outcomes]
    labels = [variants.label(v.overrides) for v in result.results]
    width = max([len(label) for label in labels] + [7])
    col = max([len(t) for _, t in titles] + [6]) + 2
    out = [
        f'Sweep of "{s.title}": {result.runs} games per variant (seed {result.seed}, bots: '
        + ", ".join(sorted(set(result.bots.values())))
        + ")",
        "",
        "variant".ljust(width) + "".join(t.rjust(col) for _, t in titles) + "   turns",
    ]
    for label, row in zip(labels, data["variants"]):
        n = max(row["games"], 1)
        cells = "".join(f"{row['outcomes'][oid] * 100 / n:.1f}%".rjust(col) for oid, _ in titles)
        out.append(label.ljust(width) + cells + f"{row['mean_turns']:8.2f}")
    return "\n".join(out) + "\n"
