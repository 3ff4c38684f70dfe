"""The `crisis` command line: one face of the game, holding no rules.

Exit codes: 0 success, 1 a problem with the user's files (a scenario that
does not validate, a save that cannot be loaded), 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SCENARIO_SUFFIXES = (".yaml", ".yml")


def shipped_scenarios_dir() -> Path:
    """`scenarios/` beside the package (a source checkout or an editable install)."""
    return PACKAGE_DIR.parent / "scenarios"


def default_scenario() -> Path:
    return shipped_scenarios_dir() / "baghdad-2023.yaml"


def expand_paths(paths: list[str]) -> tuple[list[Path], list[str]]:
    """Files to validate: directories give their scenario files, sorted."""
    files, problems = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in SCENARIO_SUFFIXES and p.is_file())
            if not found:
                problems.append(f"{raw}: error: no .yaml files in this directory")
            files.extend(found)
        else:
            files.append(path)
    return files, problems


def cmd_validate(args: argparse.Namespace) -> int:
    from game.scenario import validate

    files, problems = expand_paths(args.paths)
    for problem in problems:
        print(problem)
    errors = warnings = bad_files = 0
    for path in files:
        report = validate(path)
        for diagnostic in report.sorted():
            if diagnostic.severity == "warning" and args.quiet:
                continue
            print(diagnostic)
        file_errors = len(report.errors)
        errors += file_errors
        warnings += len(report.diagnostics) - file_errors
        bad_files += bool(file_errors)
    if not args.quiet:
        print(
            f"{len(files)} file{'s' * (len(files) != 1)} checked: "
            f"{_count(errors, 'error')}, {_count(warnings, 'warning')}",
            file=sys.stderr,
        )
    return 1 if bad_files or problems else 0


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def write_output(text: str, output: str | None, command: str) -> int:
    """Write to the file given with -o (which must be in an existing folder), or to standard output."""
    if not output:
        sys.stdout.write(text)
        return 0
    from game.workshop.saves import atomic_write

    path = Path(output)
    if path.is_dir():
        print(f"crisis {command}: error: {output} is a directory; give a file name", file=sys.stderr)
        return 1
    if not path.parent.is_dir():
        print(f"crisis {command}: error: no folder {path.parent} to write {path.name} in", file=sys.stderr)
        return 1
    try:
        atomic_write(path, text.encode("utf-8"))
    except OSError as exc:
        print(f"crisis {command}: error: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from game.scenario.schema import scenario_schema

    return write_output(json.dumps(scenario_schema(), indent=2) + "\n", args.output, "schema")


def cmd_play(args: argparse.Namespace) -> int:
    if args.scenario and not Path(args.scenario).is_file():
        print(f"crisis play: error: {args.scenario}: no such scenario file", file=sys.stderr)
        return 2
    from game.tui.app import CrisisApp

    app = CrisisApp(shipped_scenarios_dir(), Path(args.saves), Path(args.scenario) if args.scenario else None)
    app.run()
    return app.return_code or 0


def cmd_describe(args: argparse.Namespace) -> int:
    from game.scenario import ScenarioError, load
    from game.scenario.describe import describe

    path = Path(args.scenario) if args.scenario else default_scenario()
    try:
        loaded = load(path)
    except ScenarioError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        return 1
    print(describe(loaded.scenario))
    return 0


def _load_or_report(path: Path):
    """The loaded scenario, or None after printing its errors."""
    from game.scenario import ScenarioError, load

    try:
        return load(path)
    except ScenarioError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        return None


class Progress:
    """A one-line progress bar on a terminal's standard error; silent otherwise."""

    def __init__(self, total: int, enabled: bool):
        self.total = total
        self.enabled = enabled and total > 0
        self.shown = -1

    def __call__(self, done: int) -> None:
        if not self.enabled:
            return
        percent = done * 100 // self.total
        if percent != self.shown:
            self.shown = percent
            filled = percent * 30 // 100
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{self.total}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 50 + "\r")
            sys.stderr.flush()


def _scenario_and_bots(args: argparse.Namespace, command: str):
    """(loaded scenario, bots per role), or the exit code after saying what is wrong."""
    from game.analysis.simulate import parse_bots

    loaded = _load_or_report(Path(args.scenario))
    if loaded is None:
        return None, 1
    try:
        return (loaded, parse_bots(args.bots, [r.id for r in loaded.scenario.roles])), 0
    except ValueError as exc:
        print(f"crisis {command}: error: {exc}", file=sys.stderr)
        return None, 2


def cmd_simulate(args: argparse.Namespace) -> int:
    import time

    from game.analysis.simulate import format_summary, run_batch, summarise

    found, code = _scenario_and_bots(args, "simulate")
    if found is None:
        return code
    loaded, bots = found
    progress = Progress(args.runs, sys.stderr.isatty())
    started = time.perf_counter()
    records = run_batch(loaded, args.runs, args.seed, bots, args.workers, progress)
    elapsed = time.perf_counter() - started
    progress.close()
    summary = summarise(loaded, records, args.seed, bots)
    if args.json:
        sys.stdout.write(json.dumps(summary, indent=2) + "\n")
    else:
        print(format_summary(summary))
        print(
            f"\n{args.runs} games in {elapsed:.2f} s ({args.runs / max(elapsed, 1e-9):.0f} games/s, "
            f"{args.workers} worker{'s' * (args.workers != 1)})"
        )
    return 0


def find_scenario_for(save, override: str | None) -> Path | None:
    """The scenario file of a save: --scenario, the recorded path, or a shipped one."""
    if override:
        return Path(override)
    recorded = Path(save.scenario_path)
    if recorded.is_file():
        return recorded
    from game.scenario import ScenarioError, load

    for candidate in sorted(shipped_scenarios_dir().glob("*.yaml")):
        try:
            if load(candidate).scenario.id == save.scenario_id:
                return candidate
        except ScenarioError:
            continue
    return None


def _restored(args: argparse.Namespace, command: str):
    """(save, replayed game) for args.save, or None after saying what is wrong."""
    from game.workshop.saves import SaveError, read_save, restore

    try:
        save = read_save(args.save)
        scenario_path = find_scenario_for(save, args.scenario)
        if scenario_path is None:
            raise SaveError(
                f"cannot find scenario '{save.scenario_id}' (saved from {save.scenario_path}); give it with --scenario"
            )
        loaded = _load_or_report(scenario_path)
        return (save, restore(save, loaded)) if loaded is not None else None
    except SaveError as exc:
        print(f"crisis {command}: error: {exc}", file=sys.stderr)
        return None


def cmd_replay(args: argparse.Namespace) -> int:
    from game.reports.timeline import timeline
    from game.workshop.saves import verify

    restored = _restored(args, "replay")
    if restored is None:
        return 1
    save, game = restored
    print(timeline(game))
    problems = verify(save, game)
    if problems:
        for problem in problems:
            print(f"crisis replay: MISMATCH: {problem}", file=sys.stderr)
        return 1
    print(f"\nReplayed {len(save.commands)} commands: the game matches the save.", file=sys.stderr)
    return 0


def cmd_whatif(args: argparse.Namespace) -> int:
    """Replay a saved game with one team's orders changed in one turn."""
    from game.analysis.branches import branch, compare
    from game.engine import GameError
    from game.players import make_bot
    from game.reports.timeline import timeline

    restored = _restored(args, "whatif")
    if restored is None:
        return 1
    save, game = restored
    try:
        # Bots play as they did; human teams repeat what they ordered, where they still can.
        players = {r: (None if kind == "human" else make_bot(kind)) for r, kind in save.players.items()}
        orders = tuple(a.strip() for a in args.orders.split(",") if a.strip())
        other = branch(game, args.turn, args.role, orders, players)
    except (GameError, ValueError) as exc:
        print(f"crisis whatif: error: {exc}", file=sys.stderr)
        return 1
    title = lambda g: g.rules.outcomes[g.state.outcome].title if g.state.outcome else "not ended"  # noqa: E731
    divergence = compare(game, other)
    print(
        f"What if {game.rules.role_label(args.role)} had ordered {', '.join(orders) or 'nothing'} in turn {args.turn}?"
    )
    turns = lambda g: f"{g.state.turn} turn{'s' * (g.state.turn != 1)}"  # noqa: E731
    print(f"  as played: {title(game)} after {turns(game)}")
    print(f"  the branch: {title(other)} after {turns(other)}")
    if divergence.turn is None:
        print("  The two games are the same.")
    else:
        print(f"  They part ways in turn {divergence.turn}. At the end:")
        for line in divergence.differences:
            print(f"    {line}")
    if args.timeline:
        start = next(i for i, e in enumerate(other.log) if e.turn >= args.turn)
        print()
        print(timeline(other, other.log[start:]))
    return 0


def cmd_transcript(args: argparse.Namespace) -> int:
    from game.analysis.transcript import record_transcript
    from game.engine import Game
    from game.players import make_bot

    found, code = _scenario_and_bots(args, "transcript")
    if found is None:
        return code
    loaded, bots = found
    text = record_transcript(Game(loaded, args.seed), {r: make_bot(k) for r, k in bots.items()})
    return write_output(text, args.output, "transcript")


def positive(text: str) -> int:
    """A whole number of 1 or more (argparse names this function in its errors)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crisis",
        description="A text-based tabletop crisis simulation for the terminal.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", help="check scenario files and report every problem")
    p.add_argument("paths", nargs="+", metavar="PATH", help="scenario files or directories of them")
    p.add_argument("-q", "--quiet", action="store_true", help="errors only, no warnings or summary")
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("schema", help="print the JSON Schema of the scenario format")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(run=cmd_schema)

    p = sub.add_parser("describe", help="summarise a scenario (default: the flagship)")
    p.add_argument("scenario", nargs="?", metavar="SCENARIO")
    p.set_defaults(run=cmd_describe)

    p = sub.add_parser("simulate", help="play many games with bots and report outcomes and coverage")
    p.add_argument("scenario", metavar="SCENARIO")
    p.add_argument("--runs", type=positive, default=100, help="number of games (default 100)")
    p.add_argument("--seed", type=int, default=1, help="seed of the batch (default 1)")
    p.add_argument(
        "--bots",
        default="random",
        help="random, doctrine or heuristic for every role, or per role: us=doctrine,iraq=random",
    )
    p.add_argument("--workers", type=positive, default=1, help="processes to use (default 1)")
    p.add_argument("--json", action="store_true", help="print one JSON document on standard output")
    p.set_defaults(run=cmd_simulate)

    p = sub.add_parser("replay", help="replay a saved game, check it, print its timeline")
    p.add_argument("save", metavar="SAVE")
    p.add_argument("--scenario", metavar="SCENARIO", help="the scenario file, if not where it was")
    p.set_defaults(run=cmd_replay)

    p = sub.add_parser("whatif", help="replay a saved game with one team's orders changed in one turn")
    p.add_argument("save", metavar="SAVE")
    p.add_argument("--turn", type=positive, required=True, help="the turn to change")
    p.add_argument("--role", required=True, help="the team whose orders change, e.g. us")
    p.add_argument("--orders", required=True, help="its orders instead, comma-separated action ids ('' for none)")
    p.add_argument("--timeline", action="store_true", help="also print the branch from that turn on")
    p.add_argument("--scenario", metavar="SCENARIO", help="the scenario file, if not where it was")
    p.set_defaults(run=cmd_whatif)

    p = sub.add_parser("transcript", help="play one game with bots and print everything each team saw and did")
    p.add_argument("scenario", metavar="SCENARIO")
    p.add_argument("--seed", type=int, default=1, help="seed of the game (default 1)")
    p.add_argument("--bots", default="doctrine", help="as for simulate (default: doctrine)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(run=cmd_transcript)

    p = sub.add_parser("play", help="play in the terminal (default: choose a scenario)")
    p.add_argument("scenario", nargs="?", metavar="SCENARIO", help="go straight to this scenario's setup")
    p.add_argument("--saves", metavar="DIR", default="saves", help="where games are saved (default: saves/)")
    p.set_defaults(run=cmd_play)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        args = parser.parse_args(["play", *(argv or sys.argv[1:])])
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `crisis schema | head`
        sys.stderr.close()
        return 0
