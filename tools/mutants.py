"""The mutation check: break one line of real behaviour at a time and see whether a test notices.

Each mutant below replaces one snippet of source code, which must occur exactly once in its
file, with a broken version, then runs the tests that should catch it. A mutant is

- killed when those tests fail (what we want: a test guards that behaviour),
- survived when they all pass (a gap in the tests, or a mutant that changes nothing),
- not applicable when its snippet is no longer in the file (the code moved or changed; update
  the mutant rather than let the check crash),
- equivalent when it survives and is marked so: it changes nothing a test could observe (the
  mark says why). Equivalent and not applicable mutants are left out of the figure.

The mutants run in a copy of the repository (never in the working tree), so an interrupted run
leaves nothing broken behind. Usage, from the repository root:

    .venv/bin/python tools/mutants.py                 # every mutant
    .venv/bin/python tools/mutants.py --list          # what each mutant breaks, and where
    .venv/bin/python tools/mutants.py engine.chance_clamped saves.checksum   # a few by id
    .venv/bin/python tools/mutants.py --jobs 2        # two at a time (each in its own copy)

Exit status: 0 when every applicable mutant was killed, 1 when some survived, 2 when the check
could not run (a test target is wrong, or the unmutated tests fail).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PER_MUTANT_TIMEOUT = 600  # seconds; a mutant that makes the tests hang counts as killed
COPY_IGNORE = shutil.ignore_patterns(
    ".venv", ".git", "__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache", "*.egg-info", "saves"
)

# Test groups, by what they exercise. Keep them free of the Textual tests: those are slow and
# test the screens, not the rules a mutant breaks.
ENGINE = (
    "tests/test_engine_rules.py",
    "tests/test_engine_edges.py",
    "tests/test_engine_properties.py",
    "tests/test_views_and_players.py",
)
VALIDATOR = ("tests/test_broken_scenarios.py", "tests/test_validator_messages.py", "tests/test_validator_edges.py")
PLAYERS = ("tests/test_views_and_players.py", "tests/test_players.py")
REPORTS = ("tests/test_debrief.py", "tests/test_reports_text.py")
ANALYSIS = ("tests/test_simulate_and_branches.py", "tests/test_playthroughs.py", "tests/test_analysis.py")
SAVES = ("tests/test_saves.py", "tests/test_replay.py")


@dataclass(frozen=True)
class Mutant:
    id: str
    path: str  # relative to the repository root
    find: str  # a snippet that occurs exactly once in the file
    replace: str
    what: str  # the behaviour it breaks, in a few words
    tests: tuple[str, ...]
    # Why no test can kill it as the code stands (it changes nothing observable); such a
    # mutant is listed, but left out of the figure. If it is ever killed, remove the mark.
    equivalent: str = ""


MUTANTS: list[Mutant] = [
    # ------------------------------------------------------------ scenario: the validator
    Mutant(
        "checks.negative_cost",
        "game/scenario/checks.py",
        "elif amount < 0:",
        "elif amount < -1e9:",
        "a negative cost is rejected",
        VALIDATOR,
    ),
    Mutant(
        "checks.transition_to_itself",
        "game/scenario/checks.py",
        "elif ref == t.to:",
        "elif False:",
        "a transition to the same level is rejected",
        VALIDATOR,
    ),
    Mutant(
        "checks.reserved_word",
        "game/scenario/checks.py",
        "if ident in RESERVED:",
        "if False:",
        "an id that is a reserved word is rejected",
        VALIDATOR,
    ),
    Mutant(
        "checks.track_start_range",
        "game/scenario/checks.py",
        "elif not track.min <= track.start <= track.max:",
        "elif not track.min <= track.start < track.max:",
        "a track may start at its maximum",
        VALIDATOR,
    ),
    Mutant(
        "checks.track_min_max",
        "game/scenario/checks.py",
        "if track.min >= track.max:",
        "if track.min > track.max:",
        "a track whose min equals its max is rejected",
        VALIDATOR,
    ),
    Mutant(
        "checks.all_levels_terminal",
        "game/scenario/checks.py",
        "if len(terminal) == len(levels) and levels:",
        "if False:",
        "a ladder whose every level is terminal is rejected",
        VALIDATOR,
    ),
    Mutant(
        "checks.disputed_needs_cite",
        "game/scenario/checks.py",
        'if prov.basis in ("reported", "disputed") and not prov.cite:',
        'if prov.basis == "reported" and not prov.cite:',
        "a disputed fact needs a source too",
        VALIDATOR,
    ),
    Mutant(
        "checks.second_default",
        "game/scenario/checks.py",
        "for extra in defaults[1:]:",
        "for extra in defaults[2:]:",
        "a second default outcome is rejected",
        VALIDATOR,
    ),
    Mutant(
        "checks.inject_turn_range",
        "game/scenario/checks.py",
        "if max_turns and not 1 <= turn <= max_turns:",
        "if max_turns and not 1 <= turn < max_turns:",
        "an inject may be scheduled for the last turn",
        VALIDATOR,
    ),
    Mutant(
        "reader.range_lower_bound",
        "game/scenario/reader.py",
        "if (ge is not None and value < ge) or (le is not None and value > le):",
        "if (ge is not None and value <= ge) or (le is not None and value > le):",
        "a value equal to its lower bound is accepted",
        VALIDATOR,
    ),
    Mutant(
        "yamlsource.duplicate_key",
        "game/scenario/yamlsource.py",
        "if key.value in explicit:",
        "if False:",
        "a key given twice is an error",
        VALIDATOR,
    ),
    Mutant(
        "expr.divide_by_zero",
        "game/scenario/expr.py",
        "return a / b if b else 0.0",
        "return a / b if b else 1.0",
        "dividing by zero gives 0",
        ("tests/test_expressions.py",),
    ),
    Mutant(
        "text.yes_no",
        "game/scenario/text.py",
        'return lambda s: "yes" if fn(s) else "no"',
        'return lambda s: "no" if fn(s) else "yes"',
        "a true/false placeholder shows yes or no",
        ("tests/test_expressions.py", "tests/test_views_and_players.py"),
    ),
    Mutant(
        "calendar.first_turn_date",
        "game/scenario/calendar.py",
        "days_per_turn * (turn - 1)",
        "days_per_turn * turn",
        "turn 1 is the scenario's date",
        ENGINE,
    ),
    # ------------------------------------------------------------------------ engine
    Mutant(
        "engine.chance_clamped",
        "game/engine/adjudication.py",
        "chance = min(100.0, max(0.0, base + sum(add for _, add in applied)))",
        "chance = base + sum(add for _, add in applied)",
        "the chance is kept within 0-100",
        ENGINE,
    ),
    Mutant(
        "engine.roll_at_the_chance_succeeds",
        "game/engine/adjudication.py",
        "by_rules = roll <= chance",
        "by_rules = roll < chance",
        "a roll equal to the chance succeeds",
        ENGINE,
    ),
    Mutant(
        "engine.certainty_not_rolled",
        "game/engine/adjudication.py",
        "if 0 < chance < 100:",
        "if 0 <= chance < 100:",
        "a chance of 0 is a certain failure, not a roll",
        ENGINE,
    ),
    Mutant(
        "engine.undo_discards_pending_orders",
        "game/engine/game.py",
        "        self.pending = {}\n        self.overrides",
        "        self.overrides",
        "undo discards orders already given for the next turn",
        ENGINE,
    ),
    Mutant(
        "engine.undo_keeps_overrides",
        "game/engine/game.py",
        "self.overrides = {k: v for k, v in self.overrides.items() if k[0] < turn}",
        "self.overrides = {}",
        "undo keeps the White Cell's roll overrides",
        ENGINE,
        equivalent="an undo of turn t keeps only overrides of turns before t, and those turns are never "
        "rolled again (a re-run after an override restores the turn's own rulings itself)",
    ),
    Mutant(
        "engine.undo_drops_overrides_of_the_undone_turn",
        "game/engine/game.py",
        "if k[0] < turn}",
        "if k[0] <= turn}",
        "an undo of an overridden turn lets the dice decide again",
        ENGINE,
    ),
    Mutant(
        "engine.override_after_orders",
        "game/engine/game.py",
        'raise PhaseError("override rolls before any team gives orders for the next turn")',
        "pass",
        "no override once a team has given orders for the next turn",
        ENGINE,
    ),
    Mutant(
        "engine.override_after_white_cell_act",
        "game/engine/game.py",
        'raise PhaseError("a roll can be overridden only before other White Cell acts in the next turn")',
        "pass",
        "no override after other White Cell acts in the next turn",
        ENGINE,
    ),
    Mutant(
        "engine.track_floor",
        "game/engine/adjudication.py",
        "new = op.low if new < op.low else op.high if new > op.high else new",
        "new = op.high if new > op.high else new",
        "a track never falls below its minimum",
        ENGINE,
    ),
    Mutant(
        "engine.max_uses",
        "game/engine/game.py",
        "uses.get(offer.key, 0) >= offer.max_uses:",
        "uses.get(offer.key, 0) > offer.max_uses:",
        "an action is refused once used max_uses times",
        ENGINE,
    ),
    Mutant(
        "engine.push_every_step",
        "game/engine/adjudication.py",
        "for _ in range(abs(state.push)):",
        "for _ in range(min(1, abs(state.push))):",
        "a push of several levels moves the ladder that far",
        ENGINE,
    ),
    Mutant(
        "engine.objective_points_when_held",
        "game/engine/adjudication.py",
        "total += objective.points if held else 0",
        "total += objective.points",
        "an objective scores only when it holds",
        ENGINE,
    ),
    Mutant(
        "engine.inject_fires_once",
        "game/engine/adjudication.py",
        "if not rule.repeat and fired.get(rule.id):",
        "if False:",
        "an inject without repeat fires once",
        ENGINE,
    ),
    Mutant(
        "engine.per_turn_from_turn_two",
        "game/engine/adjudication.py",
        "if turn > 1:",
        "if turn >= 1:",
        "per-turn changes start with the second turn",
        ENGINE,
    ),
    Mutant(
        "dice.range",
        "game/engine/dice.py",
        '"big") % 100 + 1',
        '"big") % 100',
        "a d100 roll is 1..100",
        ENGINE,
    ),
    # ----------------------------------------------------------------------- players
    Mutant(
        "doctrine.rule_condition",
        "game/players/doctrine.py",
        "if rule.when is not None and not rule.when(state):",
        "if rule.when is not None and rule.when(state):",
        "the doctrine bot follows a rule only when its condition holds",
        PLAYERS,
    ),
    Mutant(
        "doctrine.rule_order",
        "game/players/doctrine.py",
        "for number, rule in enumerate(doctrine, 1):",
        "for number, rule in reversed(list(enumerate(doctrine, 1))):",
        "the doctrine bot takes the first rule that applies",
        PLAYERS,
    ),
    Mutant(
        "heuristic.costs_counted",
        "game/players/heuristic.py",
        'probe.values[f"{role}.{track}"] -= amount',
        'probe.values[f"{role}.{track}"] += amount',
        "the heuristic bot counts what an action costs",
        PLAYERS,
    ),
    Mutant(
        "heuristic.only_helpful_extra_orders",
        "game/players/heuristic.py",
        "if picker.actions and gain <= 0:",
        "if False:",
        "after its first order the heuristic bot adds only moves that help",
        PLAYERS,
    ),
    Mutant(
        "heuristic.greater_or_equal_distance",
        "game/players/heuristic.py",
        "return lambda s: max(0.0, b(s) - a(s)) / scale",
        "return lambda s: max(0.0, a(s) - b(s)) / scale",
        "the heuristic bot measures how far `a >= b` is from holding",
        PLAYERS,
    ),
    Mutant(
        "scripted.fallback",
        "game/players/scripted.py",
        "return self.fallback.decide(seat)",
        "return Decision((), ())",
        "a scripted player hands unscripted turns to its fallback",
        PLAYERS + ANALYSIS,
    ),
    # ----------------------------------------------------------------------- reports
    Mutant(
        "debrief.undone_attempt_cut",
        "game/reports/timeline.py",
        "gone.setdefault(j, i)",
        "pass",
        "an undone attempt does not count in the review",
        REPORTS,
    ),
    Mutant(
        "debrief.swing_threshold",
        "game/reports/debrief.py",
        "big = [s for s in swings if s[0] >= SWING_SHARE] or swings[:TOP_SWINGS]",
        "big = swings[:TOP_SWINGS]",
        "every swing past the threshold is a turning point",
        REPORTS,
    ),
    Mutant(
        "debrief.outcome_points",
        "game/reports/debrief.py",
        "outcome.scores.get(role_id, 0), objectives",
        "0, objectives",
        "a score shows the outcome's points",
        REPORTS,
    ),
    Mutant(
        "timeline.modifier_sign",
        "game/reports/timeline.py",
        "f\" {'+' if add >= 0 else '-'} {format_number(abs(add))} ({why})\"",
        'f" + {format_number(abs(add))} ({why})"',
        "a negative modifier is printed with a minus",
        REPORTS,
    ),
    Mutant(
        "timeline.taken_back_marked",
        "game/reports/timeline.py",
        '("  ~ " if i in gone else "  ")',
        '"  "',
        "the timeline marks what an undo took back",
        REPORTS + ANALYSIS,
    ),
    Mutant(
        "charts.clamp",
        "game/reports/charts.py",
        "share = (min(high, max(low, value)) - low) / (high - low)",
        "share = (min(high, value) - low) / (high - low)",
        "the chart draws values below its range at the bottom edge",
        REPORTS,
    ),
    # ---------------------------------------------------------------------- analysis
    Mutant(
        "simulate.outcome_share",
        "game/analysis/simulate.py",
        '"share": round(outcomes.get(o.id, 0) / n, 4) if n else 0,',
        '"share": round(outcomes.get(o.id, 0) / max(n, 1) / 2, 4),',
        "an outcome's share is its count over the number of games",
        ANALYSIS,
    ),
    Mutant(
        "simulate.never_available",
        "game/analysis/simulate.py",
        "available.update(o.key for o in game.open_options(role, {}))",
        "available.update(o.key for o in game.options(role))",
        "coverage lists actions that were never available",
        ANALYSIS,
    ),
    Mutant(
        "branches.first_divergence",
        "game/analysis/branches.py",
        "if type(e) is ev.OrdersSubmitted:\n            continue",
        "if False:\n            continue",
        "a branch parts ways where events differ, not where teams submitted in another order",
        ANALYSIS,
    ),
    Mutant(
        "playthrough.no_events",
        "game/analysis/playthrough.py",
        "if any(all(entry.get(k) == v for k, v in unwanted.items()) for entry in log):",
        "if False:",
        "a playthrough's no_events expectation is checked",
        ANALYSIS,
    ),
    # ------------------------------------------------------------------------- saves
    Mutant(
        "replay.mismatch_detected",
        "game/workshop/saves.py",
        "if recorded and recorded != log_digest(game):",
        "if False:",
        "`crisis replay` detects a replay that differs from the save",
        SAVES + ANALYSIS,
    ),
    Mutant(
        "replay.mismatch_exit_status",
        "game/cli/games.py",
        "    if problems:\n        for problem in problems:",
        "    if False:\n        for problem in problems:",
        "`crisis replay` fails on a mismatched replay",
        SAVES + ANALYSIS,
    ),
    Mutant(
        "saves.checksum",
        "game/workshop/saves.py",
        "if checksum != _checksum(document):",
        "if False:",
        "an edited save is refused",
        SAVES,
    ),
    Mutant(
        "saves.max_turns_range",
        "game/workshop/saves.py",
        "if not 1 <= save.max_turns <= 100:",
        "if False:",
        "a save with an impossible number of turns is refused",
        SAVES,
    ),
    Mutant(
        "saves.bool_is_not_a_number",
        "game/workshop/saves.py",
        "if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):",
        "if not isinstance(value, kind):",
        "true/false in a save is not a number",
        SAVES,
    ),
    Mutant(
        "saves.newest_first",
        "game/workshop/saves.py",
        "dated.sort(key=lambda item: (-item[0], item[1]))",
        "dated.sort(key=lambda item: (item[0], item[1]))",
        "saves are listed newest first",
        SAVES,
    ),
]


# ------------------------------------------------------------------------- running


class Misconfigured(Exception):
    """A mutant whose tests pytest cannot run (a wrong path, no tests collected)."""


@dataclass(frozen=True)
class Result:
    mutant: Mutant
    status: str  # "killed", "survived", "equivalent" (survived as expected), "not applicable"
    detail: str = ""
    seconds: float = 0.0


def applicability(mutant: Mutant, root: Path) -> str | None:
    """Why the mutant cannot be applied under `root`, or None if it can."""
    path = root / mutant.path
    if not path.is_file():
        return f"{mutant.path} does not exist"
    count = path.read_text(encoding="utf-8").count(mutant.find)
    if count == 0:
        return f"its snippet is no longer in {mutant.path}"
    if count > 1:
        return f"its snippet occurs {count} times in {mutant.path}"
    return None


def run_tests(root: Path, targets: tuple[str, ...], timeout: float) -> tuple[int, str]:
    """pytest on `targets` in the copy at `root`: (exit code, last lines of output)."""
    env = dict(os.environ, PYTHONPATH=str(root), PYTHONDONTWRITEBYTECODE="1")
    command = [sys.executable, "-m", "pytest", "-x", "-p", "no:cacheprovider", *targets]
    try:
        done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1, f"timed out after {timeout:.0f} s"
    lines = (done.stdout + done.stderr).strip().splitlines()
    failed = next((line for line in lines if line.startswith(("FAILED ", "ERROR "))), None)
    return done.returncode, failed or (lines[-1] if lines else "")


def missing_targets(mutants: list[Mutant]) -> list[str]:
    return sorted({t for m in mutants for t in m.tests if not (ROOT / t.split("::")[0]).exists()})


def try_mutant(mutant: Mutant, root: Path, timeout: float) -> Result:
    why = applicability(mutant, root)
    if why:
        return Result(mutant, "not applicable", why)
    path = root / mutant.path
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace(mutant.find, mutant.replace), encoding="utf-8")
    started = time.perf_counter()
    try:
        code, last = run_tests(root, mutant.tests, timeout)
    finally:
        path.write_text(original, encoding="utf-8")
    seconds = time.perf_counter() - started
    if code == 0:
        return Result(mutant, "equivalent" if mutant.equivalent else "survived", last, seconds)
    if code in (4, 5):  # usage error, or no tests collected: the mutant's targets are wrong
        raise Misconfigured(f"mutant {mutant.id}: pytest could not run its tests ({last})")
    detail = "tests hang" if code == -1 else (last if code == 1 else f"pytest exit {code}: {last}")
    if mutant.equivalent:
        detail += "; it is marked equivalent, which it is not: remove the mark"
    return Result(mutant, "killed", detail, seconds)


def copy_repository(into: Path) -> Path:
    target = into / "repo"
    shutil.copytree(ROOT, target, ignore=COPY_IGNORE)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ids", nargs="*", help="mutants to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the mutants and whether each applies")
    parser.add_argument("--jobs", type=int, default=1, help="mutants to run at once, each in its own copy")
    parser.add_argument("--timeout", type=float, default=PER_MUTANT_TIMEOUT, help="seconds per mutant")
    args = parser.parse_args(argv)
    # Stopped from outside (`kill PID`): leave through the `with` blocks, so the copies go.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    known = {m.id: m for m in MUTANTS}
    unknown = [i for i in args.ids if i not in known]
    if unknown:
        parser.error(f"unknown mutant(s): {', '.join(unknown)}")
    chosen = [known[i] for i in args.ids] if args.ids else MUTANTS

    if args.list:
        for m in chosen:
            why = applicability(m, ROOT)
            print(f"{m.id:<48} {m.path:<30} {m.what}" + (f"  [not applicable: {why}]" if why else ""))
        return 0

    missing = missing_targets(chosen)
    if missing:
        print(f"mutants: test files that do not exist: {', '.join(missing)}", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="crisis-mutants-") as tmp:
        copies = [copy_repository(Path(tmp) / str(i)) for i in range(max(1, args.jobs))]
        targets = tuple(sorted({t for m in chosen for t in m.tests}))
        code, last = run_tests(copies[0], targets, args.timeout * 2)
        if code != 0:
            print(f"mutants: the tests fail before any mutation ({last}); fix them first", file=sys.stderr)
            return 2

        free = list(copies)
        results: list[Result] = []

        def work(mutant: Mutant) -> Result:
            root = free.pop()
            try:
                return try_mutant(mutant, root, args.timeout)
            finally:
                free.append(root)

        with ThreadPoolExecutor(max_workers=len(copies)) as pool:
            try:
                for result in pool.map(work, chosen):
                    results.append(result)
                    print(f"{result.status.upper():<15} {result.mutant.id:<48} {result.mutant.what}")
                    print(f"{'':<15} {result.detail} ({result.seconds:.0f} s)")
                    sys.stdout.flush()
            except Misconfigured as exc:
                pool.shutdown(cancel_futures=True)  # the mutants not yet started
                print(f"mutants: {exc}", file=sys.stderr)
                return 2

    counted = [r for r in results if r.status in ("killed", "survived")]
    killed = [r for r in counted if r.status == "killed"]
    figure = f"\nKilled {len(killed)} of {len(counted)} mutants"
    if counted:
        figure += f" ({100 * len(killed) / len(counted):.0f}%)"
    others = [f"{sum(r.status == s for r in results)} {s}" for s in ("equivalent", "not applicable")]
    print(figure + "".join(f"; {o}" for o in others if not o.startswith("0 ")))
    for r in results:
        if r.status == "survived":
            print(f"  survived: {r.mutant.id}: {r.mutant.what} ({r.mutant.path})")
        elif r.status == "equivalent":
            print(f"  equivalent: {r.mutant.id}: {r.mutant.equivalent}")
    return 0 if len(killed) == len(counted) else 1


if __name__ == "__main__":
    sys.exit(main())
