"""Commands for scenario authors: validate, schema, describe, check, graph, new, preview, playthrough."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

from game.cli.common import (
    count,
    default_scenario,
    expand_paths,
    load_or_report,
    poll_seconds,
    positive,
    runs,
    runs_or_none,
    usable_workers,
    write_output,
)

# `crisis check` exit codes (README.md): 0 nothing to report, 1 the scenario does not
# validate or a game failed, 3 it plays but there are findings (warnings), 2 a usage error.
CHECK_CLEAN, CHECK_INVALID, CHECK_FINDINGS = 0, 1, 3


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
            f"{count(errors, 'error')}, {count(warnings, 'warning')}",
            file=sys.stderr,
        )
    return 1 if bad_files or problems else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from game.scenario.schema import scenario_schema

    return write_output(json.dumps(scenario_schema(), indent=2) + "\n", args.output, "schema")


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


def cmd_check(args: argparse.Namespace) -> int:
    from game.analysis.check import watch
    from game.players import BOTS

    kinds = tuple(k.strip() for k in args.bots.split(",") if k.strip())
    unknown = [k for k in (*kinds, args.against) if k not in BOTS]
    if unknown or not kinds:
        print(
            f"crisis check: error: unknown bot '{(unknown or [''])[0]}' (choose from {', '.join(BOTS)})",
            file=sys.stderr,
        )
        return 2
    path = Path(args.scenario)
    if not args.watch:
        return check_once(path, args, kinds)
    if not path.is_file():
        print(f"crisis check: error: {path}: no such file", file=sys.stderr)
        return 2

    def run() -> None:
        import time

        print(f"--- {time.strftime('%H:%M:%S')} checking {path} (ctrl+c to stop)", flush=True)
        check_once(path, args, kinds)
        sys.stdout.flush()

    watch(path, run, poll=args.poll)
    return 0


def _status(text: str) -> None:
    """One line of what is under way, on a terminal's standard error (cleared with '')."""
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K" + (text + "..." if text else ""))
        sys.stderr.flush()


def check_once(path: Path, args: argparse.Namespace, kinds: tuple[str, ...]) -> int:
    from game.analysis.check import format_check, run_check
    from game.analysis.executors import ExecutorError, make_executor
    from game.engine import GameError
    from game.scenario import ScenarioError, load

    try:
        loaded = load(path)
    except ScenarioError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic)
        errors = sum(d.severity == "error" for d in exc.diagnostics)
        print(f"crisis check: {path} does not validate: {count(errors, 'error')}", file=sys.stderr)
        return CHECK_INVALID
    try:
        with make_executor(args.executor, usable_workers(args.workers)) as executor:
            result = run_check(
                loaded,
                runs=args.runs,
                seed=args.seed,
                bot_kinds=kinds,
                dominance_runs=args.strategy_runs,
                against=args.against,
                executor=executor,
                progress=_status if sys.stderr.isatty() else None,
            )
        _status("")
    except (ExecutorError, ValueError) as exc:
        print(f"crisis check: error: {exc}", file=sys.stderr)
        return 2
    except GameError as exc:  # a scenario that validates must play: this is a bug to report
        print(f"crisis check: error: a game failed: {exc}", file=sys.stderr)
        return CHECK_INVALID
    if args.json:
        import json

        from game.analysis.check import check_data

        print(json.dumps(check_data(result, loaded.warnings), indent=2))
    else:
        print(format_check(result, loaded.warnings, brief=args.brief), end="")
    return CHECK_FINDINGS if (result.findings or loaded.warnings) else CHECK_CLEAN


def cmd_graph(args: argparse.Namespace) -> int:
    from game.analysis.graph import draw

    loaded = load_or_report(Path(args.scenario))
    if loaded is None:
        return 1
    return write_output(draw(loaded, args.format), args.output, "graph", [args.scenario])


def cmd_preview(args: argparse.Namespace) -> int:
    from game.analysis.preview import preview

    loaded = load_or_report(Path(args.scenario))
    if loaded is None:
        return 1
    return write_output(preview(loaded), args.output, "preview", [args.scenario])


def cmd_new(args: argparse.Namespace) -> int:
    import datetime as dt

    from game.scenario.skeleton import as_id, derived, skeleton

    if not args.name.strip():
        print("crisis new: error: give the new scenario a file name, e.g. crisis new my-crisis", file=sys.stderr)
        return 2
    path = Path(args.name if args.name.endswith((".yaml", ".yml")) else args.name + ".yaml")
    if path.exists():
        print(f"crisis new: error: {path} already exists; choose another name", file=sys.stderr)
        return 1
    scenario_id = as_id(path.stem)
    title = args.title or path.stem.replace("-", " ").replace("_", " ").capitalize()
    if args.source:
        base = load_or_report(Path(args.source))
        if base is None:
            return 1
        text = derived(base, scenario_id, title)
    else:
        text = skeleton(scenario_id, title, str(path), dt.date.today())
    code = write_output(text, str(path), "new")
    if code == 0:
        # quoted, to paste: a name like "x$(id)" must not run anything in the author's shell
        print(f"Wrote {path}. Check it as you write: crisis check {shlex.quote(str(path))} --watch")
    return code


def cmd_playthrough(args: argparse.Namespace) -> int:
    import time

    from game.analysis.playthrough import PlaythroughError, check, play, read_playthrough
    from game.engine import GameError
    from game.scenario import ScenarioError

    started = time.perf_counter()
    files, problems = expand_paths(args.files)
    results = {"passed": 0, "failed": 0, "error": 0}
    failures = []
    for problem in problems:
        results["error"] += 1
        failures.append((problem.split(":", 1)[0], "ERROR", [problem.split(": ", 1)[-1]]))
    for path in files:
        try:
            playthrough = read_playthrough(path)
            found = check(playthrough, play(playthrough))
            verdict = "FAILED" if found else "PASSED"
        except ScenarioError as exc:
            verdict, found = "ERROR", [f"its scenario does not load: {d}" for d in exc.diagnostics]
        except (PlaythroughError, GameError, ValueError) as exc:
            verdict, found = "ERROR", [str(exc)]
        results[{"PASSED": "passed", "FAILED": "failed", "ERROR": "error"}[verdict]] += 1
        print(f"{path} {verdict}")
        if found:
            failures.append((str(path), verdict, found))
    if failures:
        print("\n=== what went wrong ===")
        for name, verdict, found in failures:
            print(f"{verdict} {name}")
            for line in found:
                print(f"  {line}")
    parts = [f"{results['passed']} passed", f"{results['failed']} failed"]
    if results["error"]:
        parts.append(count(results["error"], "error"))
    print(f"=== {', '.join(parts)} in {time.perf_counter() - started:.2f}s ===")
    return 0 if not failures else 1


def register(sub) -> None:
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

    p = sub.add_parser(
        "check",
        help="validate, lint and play a scenario with every bot: why it plays as it does",
        description="Validate and lint SCENARIO, play it with each bot type and each role's pure and passive "
        "strategies, and report how games end and why, with file:line of what concerns each finding. "
        "Exit status: 0 no findings, 1 the scenario does not validate (or a game failed), "
        "3 findings (warnings), 2 a usage error.",
    )
    p.add_argument("scenario", metavar="SCENARIO")
    p.add_argument("--runs", type=runs, default=100, help="games per bot type (default 100)")
    p.add_argument("--seed", type=int, default=1, help="seed of the batches (default 1)")
    p.add_argument("--bots", default="random,doctrine,heuristic", help="bot types to play, comma-separated")
    p.add_argument("--against", default="doctrine", help="the bot the other roles play in the strategy table")
    p.add_argument(
        "--strategy-runs",
        type=runs_or_none,
        default=None,
        metavar="N",
        help="games per strategy in the strategy table (default: a quarter of --runs, at least 10; 0: none)",
    )
    p.add_argument("--workers", type=positive, default=1, help="processes to use (default 1)")
    p.add_argument("--executor", default=None, help="serial, process, dask or dask://HOST:PORT")
    p.add_argument("--brief", action="store_true", help="only how games end, and the findings")
    p.add_argument("--json", action="store_true", help="print the check as one JSON document")
    p.add_argument("--watch", action="store_true", help="check again on every save of the file (ctrl+c stops)")
    p.add_argument("--poll", type=poll_seconds, default=0.5, help=argparse.SUPPRESS)
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("graph", help="draw the escalation ladder and the turn flow as the engine runs them")
    p.add_argument("scenario", metavar="SCENARIO")
    p.add_argument("--format", choices=["text", "mermaid", "dot"], default="text", help="default: text")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(run=cmd_graph)

    p = sub.add_parser("new", help="start a new scenario: a short commented skeleton that validates")
    p.add_argument("name", metavar="NAME", help="file to create (NAME.yaml); its id comes from the name")
    p.add_argument("--from", dest="source", metavar="SCENARIO", help="start from a copy of this scenario")
    p.add_argument("--title", help="the scenario's title (default: from the name)")
    p.set_defaults(run=cmd_new)

    p = sub.add_parser("preview", help="every briefing and template as players will read it, at the extremes")
    p.add_argument("scenario", metavar="SCENARIO")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(run=cmd_preview)

    p = sub.add_parser("playthrough", help="play scripted playthrough files and report like pytest")
    p.add_argument("files", nargs="+", metavar="FILE", help="playthrough files or directories of them")
    p.set_defaults(run=cmd_playthrough)
