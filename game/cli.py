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
        print(f"{len(files)} file{'s' * (len(files) != 1)} checked: "
              f"{_count(errors, 'error')}, {_count(warnings, 'warning')}", file=sys.stderr)
    return 1 if bad_files or problems else 0


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def cmd_schema(args: argparse.Namespace) -> int:
    from game.scenario.schema import scenario_schema

    text = json.dumps(scenario_schema(), indent=2) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


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

    p = sub.add_parser("play", help="play a scenario (default: the flagship)")
    p.add_argument("scenario", nargs="?", metavar="SCENARIO")
    p.set_defaults(run=cmd_describe)
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
