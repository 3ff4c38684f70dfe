"""Commands for scenario authors: validate, schema, describe."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from game.cli.common import count, default_scenario, expand_paths, write_output


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
