"""Fidelity of the flagship: do its dynamics teach what really happened? (issue 8)

Run:  .venv/bin/python benchmarks/fidelity.py [--seeds 1000] [--strategy-seeds 200]
                                               [--workers 2] [--json]

Measures the targets the flagship is calibrated to, and says for each whether it holds:

- the historical line (tests/playthroughs/baghdad-historical.yaml, the real moves as
  closely as the action menu allows) over --seeds seeds: open or regional war in at most
  25% of games, a pause or calm the most common class of ending, and an attack tempo of
  8-14 attacks a week (the record: about 11);
- a coalition timetable signed within the eight weeks in at most 10% of games with
  doctrine bots (the real one came in September 2024);
- against doctrine bots, no role's best strategy is to give no orders (passive), and no
  single pure strategy (all-out pressure, pure restraint, or one action whenever it can)
  beats the doctrine bot's own play and every other strategy by a point or more;
- every outcome reached with random bots; no outcome above 70% with any uniform bot type
  (random, doctrine, heuristic; all passive is shown, not judged).

Orders of the historical line that are not available in a game (the 2 February strike
needs American deaths) are dropped, and the share of games that dropped each is shown.
The same seeds give the same figures, whatever --workers.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.analysis.playthrough import read_playthrough  # noqa: E402
from game.engine import Game, Seat  # noqa: E402
from game.engine.dice import derive_seed  # noqa: E402
from game.players import BOT_ONLY_PLAYER, Decision, Player, make_bot, play_game  # noqa: E402
from game.players.base import Picker  # noqa: E402
from game.scenario import load  # noqa: E402
from game.scenario.loader import Loaded  # noqa: E402

SCENARIO = ROOT / "scenarios" / "baghdad-2023.yaml"
HISTORICAL = ROOT / "tests" / "playthroughs" / "baghdad-historical.yaml"

# Classes of ending: what the targets speak of.
CLASSES = {
    "negotiated_calm": "pause or calm",
    "fragile_quiet": "pause or calm",
    "open_conflict": "war",
    "regional_war": "war",
    "drawdown_agreement": "settlement",
    "expulsion": "settlement",
    "stalemate": "stalemate",
}

# Pure strategies: a role that always orders the first actions of one list that it can.
PURE = {
    "us": {
        "all-out pressure": [
            "multi_site_strike",
            "strike_iran",
            "targeted_killing",
            "strike_facilities",
            "self_defence_strike",
            "syria_strike",
            "dollar_pressure",
            "sanctions",
            "public_attribution",
        ],
        "pure restraint": [
            "call_sudani",
            "back_hmc",
            "agree_timetable",
            "message_tehran",
            "demand_arrests",
            "reinforce",
            "escort_shipping",
        ],
    },
    "iraq": {
        "all-out pressure": [
            "order_withdrawal",
            "un_complaint",
            "protest_strikes",
            "arrest_cell",
            "pmf_command",
            "hold_pmf_budget",
            "sovereignty_address",
        ],
        "pure restraint": [
            "mediate_factions",
            "condemn_pursue",
            "open_hmc",
            "hmc_round",
            "fund_pmf",
            "secure_sites",
            "energy_payments",
        ],
    },
    "militias": {
        "all-out pressure": [
            "jordan_attack",
            "heavy_attack",
            "embassy_attack",
            "rocket_attack",
            "syria_attacks",
            "claim_attacks",
            "houthi_coordination",
        ],
        "pure restraint": ["announce_pause", "endorse_exit", "deny_attacks", "lobby_pmf", "disperse"],
    },
}
DOMINANCE_MARGIN = 1.0  # points, as `crisis check` counts a dominant strategy


# ------------------------------------------------------------------ players


class PriorityPlayer(Player):
    """Orders the first actions of a fixed list that it can: a pure strategy."""

    kind = "pure"

    def __init__(self, actions: list[str]):
        self.actions = actions

    def decide(self, seat: Seat) -> Decision:
        picker = Picker(seat)
        for action_id in self.actions:
            if picker.full:
                break
            option = next((o for o in picker.open_options() if o.action.id == action_id), None)
            if option is not None:
                picker.pick(option, "pure strategy")
        return picker.decision()


class HistoricalPlayer(Player):
    """The historical line's orders for one role; an order the game does not offer at
    that moment is dropped (and counted), as a team would have to."""

    kind = "scripted"

    def __init__(self, script: dict[int, list[str]], dropped: Counter):
        self.script = script
        self.dropped = dropped

    def decide(self, seat: Seat) -> Decision:
        picker = Picker(seat)
        for action_id in self.script.get(seat.game.turn, []):
            option = next((o for o in picker.open_options() if o.action.id == action_id), None)
            if option is None:
                self.dropped[f"{seat.role}.{action_id}"] += 1
            else:
                picker.pick(option, "historical line")
        return picker.decision()


def player(spec: str) -> Player:
    """'doctrine', 'random', 'heuristic', 'passive' or 'pure:a,b,c' (a priority list)."""
    if spec.startswith("pure:"):
        return PriorityPlayer(spec.removeprefix("pure:").split(","))
    return make_bot(spec)


# ------------------------------------------------------------------ games


@dataclass
class Record:
    outcome: str
    turns: int
    scores: dict[str, int]
    attacks: float  # attacks added during the game
    dropped: list[str] = field(default_factory=list)


def play_record(loaded: Loaded, seed: int, specs: dict[str, str], history: dict | None = None) -> Record:
    game = Game(loaded, seed)
    dropped: Counter = Counter()
    players = {}
    for role in game.rules.role_ids:
        if history is not None and role in history:
            players[role] = HistoricalPlayer(history[role], dropped)
        else:
            default = BOT_ONLY_PLAYER if game.rules.roles[role].bot_only else "doctrine"
            players[role] = player(specs.get(role, default))
    start = game.state.values["attacks"]
    play_game(game, players)
    end = next(e for e in reversed(game.log) if e.kind == "game_ended")
    return Record(
        game.state.outcome,
        game.state.turn,
        dict(end.scores),
        game.state.values["attacks"] - start,
        sorted(dropped),
    )


_worker: dict = {}


def _init(path: str) -> None:
    _worker["loaded"] = load(path)


def _job(job: tuple) -> list[Record]:
    specs, history, seeds = job
    return [play_record(_worker["loaded"], s, specs, history) for s in seeds]


class Runner:
    """Plays batches of games, on worker processes when asked; records in seed order."""

    def __init__(self, path: Path, workers: int):
        self.path = path
        self.loaded = load(path)
        self.workers = workers
        self.pool = None
        if workers > 1:
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            self.pool = multiprocessing.get_context(method).Pool(workers, _init, (str(path),))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool.join()

    def games(self, count: int, specs: dict[str, str], history: dict | None = None, seed: int = 1) -> list[Record]:
        seeds = [derive_seed(seed, i) for i in range(count)]
        if self.pool is None:
            return [play_record(self.loaded, s, specs, history) for s in seeds]
        size = max(10, count // (self.workers * 4))
        jobs = [(specs, history, seeds[i : i + size]) for i in range(0, count, size)]
        return [r for part in self.pool.map(_job, jobs) for r in part]


# ------------------------------------------------------------------ measures


def shares(records: list[Record], loaded: Loaded) -> dict[str, float]:
    counts = Counter(r.outcome for r in records)
    return {o.id: counts[o.id] / len(records) for o in loaded.scenario.outcomes}


def class_shares(outcome_shares: dict[str, float]) -> dict[str, float]:
    out: Counter = Counter()
    for outcome, share in outcome_shares.items():
        out[CLASSES[outcome]] += share
    return dict(out)


def figures(runner: Runner, seeds: int, strategy_seeds: int, progress=None) -> dict:
    """Every figure the targets speak of: the historical line's endings and tempo, the
    endings with each uniform bot type, each role's strategies against doctrine bots."""
    loaded = runner.loaded
    roles = [r.id for r in loaded.scenario.roles if not r.bot_only]
    say = progress or (lambda text: None)

    say(f"the historical line, {seeds} games")
    line = read_playthrough(HISTORICAL)
    history = {
        role: {t: list(by_role[role]) for t, by_role in line.orders.items() if role in by_role} for role in roles
    }
    records = runner.games(seeds, {}, history)
    hist_shares = shares(records, loaded)
    dropped = Counter(key for r in records for key in r.dropped)

    bots = {}
    for kind in ("random", "doctrine", "heuristic", "passive"):
        say(f"{seeds} games with {kind} bots")
        bots[kind] = shares(runner.games(seeds, {r: kind for r in roles}), loaded)

    strategies: dict[str, dict[str, float]] = {}
    for role in loaded.scenario.roles:
        if role.bot_only or not strategy_seeds:
            continue
        say(f"strategies of {role.id} against doctrine bots, {strategy_seeds} games each")
        plays = {"doctrine": "doctrine", "passive": "passive", "random": "random", "heuristic": "heuristic"}
        plays |= {name: "pure:" + ",".join(actions) for name, actions in PURE.get(role.id, {}).items()}
        plays |= {f"only {a.id}": f"pure:{a.id}" for a in role.actions}
        means = {}
        for name, spec in plays.items():
            games = runner.games(strategy_seeds, {role.id: spec})
            means[name] = statistics.fmean(r.scores[role.id] for r in games)
        strategies[role.id] = means

    return {
        "seeds": seeds,
        "strategy_seeds": strategy_seeds,
        "historical": {
            "outcomes": hist_shares,
            "classes": class_shares(hist_shares),
            "attacks_per_week": statistics.fmean(r.attacks / r.turns for r in records),
            "orders_dropped": {k: v / seeds for k, v in sorted(dropped.items())},
        },
        "bots": bots,
        "strategies": strategies,
    }


# Strategies that are a bot's play, not a pure strategy.
BOT_PLAYS = ("doctrine", "passive", "random", "heuristic")


def judge(result: dict) -> list[dict]:
    """Each target, its value and whether it holds."""
    targets = []

    def target(name: str, value: str, ok: bool) -> None:
        targets.append({"target": name, "value": value, "ok": bool(ok)})

    h = result["historical"]
    war = h["classes"].get("war", 0)
    target("historical line: open or regional war at most 25%", f"{war:.1%}", war <= 0.25)
    top = max(h["classes"], key=h["classes"].get)
    target(
        "historical line: a pause or calm the most common ending",
        f"{top} ({h['classes'][top]:.1%})",
        top == "pause or calm",
    )
    tempo = h["attacks_per_week"]
    target("historical line: 8-14 attacks a week", f"{tempo:.1f} a week", 8 <= tempo <= 14)
    bots = result["bots"]
    timetable = bots["doctrine"]["drawdown_agreement"]
    target("doctrine bots: a signed timetable at most 10%", f"{timetable:.1%}", timetable <= 0.10)
    for role, means in result["strategies"].items():
        best = max(means, key=means.get)
        target(f"{role}: the best strategy is not passive", f"best: {best} ({means[best]:.2f})", best != "passive")
        pure = [name for name in means if name not in BOT_PLAYS]
        dominant = [
            name
            for name in pure
            if all(means[name] >= other + DOMINANCE_MARGIN for o, other in means.items() if o != name)
        ]
        target(
            f"{role}: no pure strategy dominates",
            f"{dominant[0]} dominates" if dominant else f"top pure: {max(pure, key=means.get)}",
            not dominant,
        )
    never = [o for o, share in bots["random"].items() if share == 0]
    target(
        "random bots: every outcome reached", "all reached" if not never else f"never: {', '.join(never)}", not never
    )
    for kind in ("random", "doctrine", "heuristic"):
        outcome = max(bots[kind], key=bots[kind].get)
        share = bots[kind][outcome]
        target(f"{kind} bots: no outcome above 70%", f"{outcome} {share:.1%}", share <= 0.70)
    return targets


def measure(runner: Runner, seeds: int, strategy_seeds: int, progress=None) -> dict:
    """The figures and the targets judged on them."""
    result = figures(runner, seeds, strategy_seeds, progress)
    result["targets"] = judge(result)
    return result


def format_report(result: dict) -> str:
    lines = [f"Historical line, {result['seeds']} seeds"]
    h = result["historical"]
    for outcome, share in h["outcomes"].items():
        lines.append(f"  {outcome:<20} {share:6.1%}   ({CLASSES[outcome]})")
    lines.append(f"  attacks a week: {h['attacks_per_week']:.1f}")
    for key, share in h["orders_dropped"].items():
        lines.append(f"  dropped (not available): {key} in {share:.1%} of games")
    lines += ["", f"Uniform bots, {result['seeds']} games each"]
    outcomes = list(h["outcomes"])
    lines.append("  " + " " * 10 + "".join(f"{o[:12]:>13}" for o in outcomes))
    for kind, by_outcome in result["bots"].items():
        lines.append(f"  {kind:<10}" + "".join(f"{by_outcome[o]:>13.1%}" for o in outcomes))
    lines += ["", f"Mean score against doctrine bots, {result['strategy_seeds']} games each"]
    for role, means in result["strategies"].items():
        ranked = sorted(means.items(), key=lambda kv: -kv[1])
        lines.append(f"  {role}: " + ", ".join(f"{name} {mean:.2f}" for name, mean in ranked))
    lines += ["", "Targets"]
    for t in result["targets"]:
        lines.append(f"  [{'pass' if t['ok'] else 'FAIL'}] {t['target']}: {t['value']}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=1000, help="games of the historical line and per bot type")
    parser.add_argument("--strategy-seeds", type=int, default=200, help="games per strategy in the dominance table")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--scenario", type=Path, default=SCENARIO)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    runner = Runner(args.scenario, args.workers)
    try:
        result = measure(runner, args.seeds, args.strategy_seeds, lambda text: print(f"... {text}", file=sys.stderr))
    finally:
        runner.close()
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result, indent=2) if args.json else format_report(result) + f"\n\n{result['seconds']} s")
    return 0 if all(t["ok"] for t in result["targets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
