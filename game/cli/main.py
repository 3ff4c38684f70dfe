"""The `crisis` command line: one face of the game, holding no rules.

Exit codes: 0 success, 1 a problem with the user's files (a scenario that
does not validate, a save that cannot be loaded), 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys

from game.cli import authoring, games, net, play, reports
from game.cli.common import EscapingWriter

# Each module adds its subcommands, in the order `crisis --help` lists them.
COMMAND_MODULES = [authoring, games, reports, play, net]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crisis",
        description="A text-based tabletop crisis simulation for the terminal.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    # Everything printed passes through EscapingWriter: scenario text, saves and
    # paths are data, and their control characters must not reach the terminal.
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = EscapingWriter(sys.stdout), EscapingWriter(sys.stderr)
    try:
        return _run(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _run(argv: list[str] | None) -> int:
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
    except OSError as exc:  # a path the commands did not foresee (too long, unreadable...)
        where = f": {exc.filename}" if exc.filename else ""
        print(f"crisis {args.command}: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
