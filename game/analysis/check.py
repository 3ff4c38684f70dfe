"""`crisis check`: why a scenario plays as it does, for its author.

Validation and lint first; then batches of bot games with each bot type (through
`simulate.run_batch`, with the detail it records), then each role's pure and
passive strategies against the other roles' bots. The report says, for each
bot type: when and how games end (which transition or condition ended them),
how each track spreads turn by turn, how often each objective is met and each
doctrine rule fires, how often each action is ordered and how that relates to
outcomes and scores. Problems (content never reached, games that always run to
the turn limit or always end in turn 1, a strategy that dominates) come last as
located findings, `file:line:col: warning: ...`, as `validate` prints them.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from game.analysis.executors import Executor
from game.analysis.simulate import GameRecord, run_batch
from game.players import BOT_ONLY_PLAYER
from game.scenario.describe import plural
from game.scenario.diagnostics import Diagnostic, Loc, Report
from game.scenario.loader import Loaded
from game.scenario.text import format_number

BOT_KINDS = ("random", "doctrine", "heuristic")
# A strategy "dominates" when it beats the bots' own play and every other strategy of
# its role by at least this many points on average.
DOMINANCE_MARGIN = 1.0


@dataclass
class BotRun:
    kind: str
    records: list[GameRecord]


@dataclass
class Strategy:
    role: str
    name: str  # "passive", "only:ACTION" or the bot kind
    label: str
    mean: float


@dataclass
class CheckResult:
    loaded: Loaded
    runs: int
    seed: int
    bot_runs: list[BotRun]
    against: str  # the bot the others play in the dominance table
    dominance_runs: int
    strategies: list[Strategy] = field(default_factory=list)
    findings: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0


def run_check(
    loaded: Loaded,
    runs: int = 100,
    seed: int = 1,
    bot_kinds: tuple[str, ...] = BOT_KINDS,
    dominance_runs: int | None = None,
    against: str = "doctrine",
    executor: Executor | None = None,
    progress: Callable[[str], None] | None = None,
) -> CheckResult:
    """Play the games a check needs and find what an author should look at."""
    started = time.perf_counter()
    bot_runs = []
    for kind in bot_kinds:
        if progress:
            progress(f"{runs} games with {kind} bots")
        records = run_batch(loaded, runs, seed, _seats(loaded, kind), executor=executor, detail=True)
        bot_runs.append(BotRun(kind, records))
    n = dominance_runs if dominance_runs is not None else max(10, runs // 4)
    result = CheckResult(loaded, runs, seed, bot_runs, against, n)
    if n:
        result.strategies = _dominance(loaded, n, seed, against, executor, progress)
    result.findings = find_problems(result)
    result.seconds = time.perf_counter() - started
    return result


def _seats(loaded: Loaded, kind: str) -> dict[str, str]:
    """Every role played by `kind`, but those no team may take (`bot_only`) by their doctrine."""
    return {r.id: BOT_ONLY_PLAYER if r.bot_only else kind for r in loaded.scenario.roles}


def _dominance(loaded, n, seed, against, executor, progress) -> list[Strategy]:
    """Each role's pure strategies (one action whenever it can) and passive one
    (nothing), against the other roles' `against` bots, as mean scores over n games.
    Roles no team may take are left out: nobody chooses their strategy."""
    out = []
    for role in (r for r in loaded.scenario.roles if not r.bot_only):
        if progress:
            progress(f"strategies of {role.id} against {against} bots")
        plays = [(against, f"the {against} bot"), ("passive", "passive (no orders)")] + [
            (f"only:{a.id}", f"always '{a.id}'") for a in role.actions
        ]
        for name, label in plays:
            bots = _seats(loaded, against)
            bots[role.id] = name
            records = run_batch(loaded, n, seed, bots, executor=executor)
            out.append(Strategy(role.id, name, label, statistics.fmean(r.scores.get(role.id, 0) for r in records)))
    return out


# ------------------------------------------------------------------ findings


def find_problems(result: CheckResult) -> list[Diagnostic]:
    loaded, s = result.loaded, result.loaded.scenario
    report = Report(loaded.path)
    everything = [r for run in result.bot_runs for r in run.records]
    kinds = ", ".join(run.kind for run in result.bot_runs)
    games = f"{len(everything)} games ({kinds} bots)"
    if not everything:
        return []
    chosen = set().union(*(r.chosen for r in everything))
    available = set().union(*(r.available for r in everything))
    fired = set().union(*(r.injects for r in everything))
    levels = set().union(*(r.levels for r in everything))
    outcomes = Counter(r.outcome for r in everything)
    taken = sum((r.transitions for r in everything), Counter())
    for role in s.roles:
        for action in role.actions:
            key = f"{role.id}.{action.id}"
            if key not in available:
                report.warning(action.where("id"), f"action '{key}' was never available in {games}")
            elif key not in chosen:
                report.warning(action.where("id"), f"action '{key}' was never ordered in {games}")
    for inject in s.injects:
        if inject.id not in fired:
            report.warning(inject.where("id"), f"inject '{inject.id}' never fired in {games}")
    for level in s.ladder.levels:
        if level.id not in levels:
            report.warning(level.where("id"), f"ladder level '{level.id}' was never reached in {games}")
    for index, t in enumerate(s.ladder.transitions):
        if not taken[index]:
            report.warning(t.loc, f"ladder transition {index + 1} (to '{t.to}') was never taken in {games}")
    for outcome in s.outcomes:
        if not outcomes[outcome.id]:
            report.warning(outcome.where("id"), f"outcome '{outcome.id}' never happened in {games}")
    for run in result.bot_runs:
        if run.kind == "doctrine":
            rules = sum((r.rules for r in run.records), Counter())
            for role in s.roles:
                for number, rule in enumerate(role.doctrine, 1):
                    if not rules[f"{role.id}#{number}"]:
                        report.warning(
                            rule.loc,
                            f"doctrine rule {number} of '{role.id}' never chose an order in "
                            f"{len(run.records)} doctrine games",
                        )
        _ending_problems(run, result, report)
    _dominance_problems(result, report)
    return report.sorted()


def _ending_problems(run: BotRun, result: CheckResult, report: Report) -> None:
    s = result.loaded.scenario
    n = len(run.records)
    limit = sum(r.reason == "turn limit" for r in run.records)
    if n and limit == n:
        report.warning(
            s.turns.where("max"),
            f"every game with {run.kind} bots ran to the turn limit: no transition or outcome ended one early",
        )
    first = [r for r in run.records if r.turns == 1]
    if n and len(first) * 2 > n:
        cause, count = Counter(r.ended_by for r in first).most_common(1)[0]
        share = "every game" if len(first) == n else f"{len(first) * 100 // n}% of the games"
        verb = "ends" if len(first) == n else "end"
        report.warning(
            ended_by_loc(result.loaded, cause),
            f"{share} with {run.kind} bots {verb} in turn 1 ({count} by {ended_by_words(result.loaded, cause)})",
        )


def _dominance_problems(result: CheckResult, report: Report) -> None:
    s = result.loaded.scenario
    for role in s.roles:
        plays = [p for p in result.strategies if p.role == role.id]
        if len(plays) < 3:
            continue
        bot, others = plays[0], plays[1:]
        best = max(others, key=lambda p: p.mean)
        rest = [p.mean for p in plays if p is not best]
        if best.mean >= max(rest) + DOMINANCE_MARGIN:
            where = role.loc
            if best.name.startswith("only:"):
                action = next(a for a in role.actions if a.id == best.name.removeprefix("only:"))
                where = action.where("id")
            report.warning(
                where,
                f"for '{role.id}', {best.label} scores {best.mean:.2f} on average against {result.against} bots, "
                f"at least {DOMINANCE_MARGIN:g} more than the {bot.name} bot's own play ({bot.mean:.2f}) "
                "and every other strategy: it dominates",
            )


def ended_by_words(loaded: Loaded, cause: str) -> str:
    s = loaded.scenario
    if cause.startswith("transition:"):
        index = cause.split(":")[1]
        if index == "None":
            return "a ladder move"
        t = s.ladder.transitions[int(index)]
        sources = t.source if isinstance(t.source, list) else [t.source]
        return f"transition {int(index) + 1} ({', '.join(sources)} -> {t.to}, when {_one_line(t.when.source)})"
    if cause.startswith("outcome:"):
        outcome = loaded.scenario.outcomes[[o.id for o in s.outcomes].index(cause.split(":", 1)[1])]
        if outcome.when is None:
            return f"the facilitator ending it as '{outcome.id}'"
        return f"outcome '{outcome.id}' (when {_one_line(outcome.when.source)})"
    if cause == "default":
        return f"the turn limit (default outcome '{next(o.id for o in s.outcomes if o.default)}')"
    return cause or "?"


def ended_by_loc(loaded: Loaded, cause: str) -> Loc:
    s = loaded.scenario
    if cause.startswith("transition:") and cause != "transition:None":
        return s.ladder.transitions[int(cause.split(":")[1])].loc
    if cause.startswith("outcome:"):
        return next(o.loc for o in s.outcomes if o.id == cause.split(":", 1)[1])
    return s.turns.where("max")


def _one_line(text: str) -> str:
    return " ".join(text.split())


# -------------------------------------------------------------------- report


def format_check(result: CheckResult, validation: list[Diagnostic] | None = None, brief: bool = False) -> str:
    """The report; `brief` keeps how games end and the findings only."""
    loaded, s = result.loaded, result.loaded.scenario
    out = [f'crisis check: "{s.title}" ({loaded.path})', ""]
    warnings = validation or []
    out.append(f"Validation: valid, {plural(len(warnings), 'warning')} (listed with the findings)")
    for run in result.bot_runs:
        out += ["", f"== {len(run.records)} games with {run.kind} bots (seed {result.seed})", ""]
        out += _outcomes_by_turn(loaded, run.records)
        out += ["", "What ended the games"]
        causes = Counter(r.ended_by for r in run.records)
        for cause, count in causes.most_common():
            out.append(
                f"  {_pct(count, len(run.records))}  {ended_by_words(loaded, cause)}  [line {ended_by_loc(loaded, cause).line}]"
            )
        if brief:
            continue
        out += ["", "Tracks by turn (median, then min-max, at the end of each turn)"]
        out += _tracks_by_turn(loaded, run.records)
        out += ["", "Objectives met at the end"]
        for role in s.roles:
            for o in role.objectives:
                held = sum(f"{role.id}.{o.id}" in r.objectives for r in run.records)
                out.append(f"  {_pct(held, len(run.records))}  {role.id}.{o.id}: {o.text}  [line {o.loc.line}]")
        if run.kind == "doctrine":
            out += ["", "Doctrine rules (share of each role's turns in which the rule chose an order)"]
            rules = sum((r.rules for r in run.records), Counter())
            turns = sum(r.turns for r in run.records)
            for role in s.roles:
                if not role.doctrine:
                    out.append(f"  {role.id} has no doctrine: the doctrine bot plays it as the heuristic bot")
                for number, rule in enumerate(role.doctrine, 1):
                    fired = rules[f"{role.id}#{number}"]
                    out.append(
                        f"  {_pct(fired, turns)}  {role.id} rule {number}: {rule.reason}  [line {rule.loc.line}]"
                    )
        out += ["", "Orders: share of turns ordered; games with it; the role's mean score with/without it;"]
        out += ["        the outcome most above its usual share in games with it"]
        out += _orders(loaded, run.records)
    if result.strategies and not brief:
        out += [
            "",
            f"== Strategies against {result.against} bots: each role's mean score over "
            f"{result.dominance_runs} games (seed {result.seed})",
        ]
        for role in s.roles:
            out.append(f"  {role.id}")
            for p in (p for p in result.strategies if p.role == role.id):
                out.append(f"    {p.mean:7.2f}  {p.label}")
    out += ["", "Findings"]
    findings = sorted(warnings + result.findings, key=lambda d: (d.loc.line, d.loc.col))
    out += [f"  {d}" for d in findings] or ["  none"]
    games = sum(len(run.records) for run in result.bot_runs) + result.dominance_runs * len(result.strategies)
    out += ["", f"{plural(len(findings), 'finding')}; {games} games in {result.seconds:.1f} s"]
    return "\n".join(out) + "\n"


def check_data(result: CheckResult, validation: list[Diagnostic] | None = None) -> dict:
    """The check as plain data (`crisis check --json`), for CI and other tools."""
    loaded, s = result.loaded, result.loaded.scenario
    findings = sorted((validation or []) + result.findings, key=lambda d: (d.loc.line, d.loc.col))
    runs = []
    for run in result.bot_runs:
        records = run.records
        rules = sum((r.rules for r in records), Counter())
        runs.append(
            {
                "bots": run.kind,
                "games": len(records),
                "outcomes_by_turn": {
                    o.id: dict(sorted(Counter(r.turns for r in records if r.outcome == o.id).items()))
                    for o in s.outcomes
                },
                "ended_by": [
                    {
                        "cause": cause,
                        "what": ended_by_words(loaded, cause),
                        "line": ended_by_loc(loaded, cause).line,
                        "games": count,
                    }
                    for cause, count in Counter(r.ended_by for r in records).most_common()
                ],
                "objectives_met": {
                    f"{role.id}.{o.id}": sum(f"{role.id}.{o.id}" in r.objectives for r in records)
                    for role in s.roles
                    for o in role.objectives
                },
                "doctrine_rules": {key: count for key, count in sorted(rules.items())},
                "orders": {
                    key: sum(r.orders[key] for r in records)
                    for key in (f"{role.id}.{a.id}" for role in s.roles for a in role.actions)
                },
            }
        )
    return {
        "scenario": s.id,
        "path": loaded.path,
        "seed": result.seed,
        "runs": runs,
        "strategies": [
            {
                "role": p.role,
                "strategy": p.name,
                "against": result.against,
                "games": result.dominance_runs,
                "mean_score": round(p.mean, 4),
            }
            for p in result.strategies
        ],
        "findings": [
            {"line": d.loc.line, "column": d.loc.col, "severity": d.severity, "message": d.message} for d in findings
        ],
    }


def _pct(count: int, total: int) -> str:
    return f"{count * 100 / total:5.1f}%" if total else "    -"


def _outcomes_by_turn(loaded: Loaded, records: list[GameRecord]) -> list[str]:
    s = loaded.scenario
    n = len(records)
    turns = sorted({r.turns for r in records})
    width = max([len(o.title) for o in s.outcomes] + [8])
    out = ["Outcomes by the turn they came (share of all games)"]
    out.append("  " + "outcome".ljust(width) + "".join(f"{'t' + str(t):>7}" for t in turns) + "    all")
    for o in s.outcomes:
        cells = []
        for t in turns:
            count = sum(r.outcome == o.id and r.turns == t for r in records)
            cells.append(f"{count * 100 / n:6.0f}%" if count else "      .")
        total = sum(r.outcome == o.id for r in records)
        out.append("  " + o.title.ljust(width) + "".join(cells) + f" {_pct(total, n)}")
    return out


def _tracks_by_turn(loaded: Loaded, records: list[GameRecord]) -> list[str]:
    s = loaded.scenario
    keys = [(t.id, t.label) for t in s.tracks] + [
        (f"{role.id}.{t.id}", f"{role.id}: {t.label}") for role in s.roles for t in role.tracks
    ]
    turns = max((len(r.tracks) for r in records), default=0)
    rows = []
    for key, label in keys:
        medians, spreads = [], []
        for t in range(turns):
            values = [r.tracks[t][key] for r in records if len(r.tracks) > t]
            medians.append(format_number(statistics.median(values)))
            spreads.append(f"{format_number(min(values))}-{format_number(max(values))}")
        rows.append((label if len(label) <= 30 else label[:29] + "…", medians, spreads))
    name_width = max((len(name) for name, _, _ in rows), default=0) + 1
    col = max([len(cell) for _, m, sp in rows for cell in m + sp] + [4]) + 2
    out = ["  " + " " * name_width + "".join(f"t{t + 1}".rjust(col) for t in range(turns))]
    for name, medians, spreads in rows:
        out.append("  " + name.ljust(name_width) + "".join(cell.rjust(col) for cell in medians))
        out.append("  " + " " * name_width + "".join(cell.rjust(col) for cell in spreads))
    return out


def _orders(loaded: Loaded, records: list[GameRecord]) -> list[str]:
    s = loaded.scenario
    n = len(records)
    turns = sum(r.turns for r in records)
    overall = Counter(r.outcome for r in records)
    titles = {o.id: o.title for o in s.outcomes}
    out = []
    for role in s.roles:
        for action in role.actions:
            key = f"{role.id}.{action.id}"
            with_it = [r for r in records if r.orders[key]]
            without = [r for r in records if not r.orders[key]]
            line = f"  {key:<28} {_pct(sum(r.orders[key] for r in records), turns)} of turns  in {_pct(len(with_it), n)} of games"
            if with_it and without:
                line += f"  score {_mean_score(with_it, role.id):.2f}/{_mean_score(without, role.id):.2f}"
                shares = Counter(r.outcome for r in with_it)
                lift, outcome = max((shares[o] / len(with_it) - overall[o] / n, o) for o in shares)
                if lift >= 0.05:
                    line += (
                        f"  -> {titles[outcome]} {shares[outcome] * 100 / len(with_it):.0f}%"
                        f" (vs {overall[outcome] * 100 / n:.0f}%)"
                    )
            out.append(line + f"  [line {action.loc.line}]")
    return out


def _mean_score(records: list[GameRecord], role: str) -> float:
    return statistics.fmean(r.scores.get(role, 0) for r in records)


# --------------------------------------------------------------------- watch


def watch(
    path: Path,
    run: Callable[[], object],
    poll: float = 0.5,
    keep_going: Callable[[], bool] = lambda: True,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Call `run` now and again after every save of `path` (its modification
    time or size changes), while `keep_going()`."""

    def stamp():
        try:
            st = path.stat()
            return (st.st_mtime_ns, st.st_size)
        except OSError:
            return None

    seen = stamp()
    run()
    while keep_going():
        sleep(poll)
        now = stamp()
        if now != seen:
            seen = now
            run()
