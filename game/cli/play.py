"""`crisis play`: the game in the terminal."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.cli.common import is_file, saves_folder_ok, shipped_scenarios_dir, unescaped


def cmd_play(args: argparse.Namespace) -> int:
    if args.scenario and not is_file(Path(args.scenario)):
        print(f"crisis play: error: {args.scenario}: no such scenario file", file=sys.stderr)
        return 2
    if not saves_folder_ok(args.saves, "play"):
        return 2
    from game.tui.app import CrisisApp

    app = CrisisApp(shipped_scenarios_dir(), Path(args.saves), Path(args.scenario) if args.scenario else None)
    escaping = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = unescaped(sys.stdout), unescaped(sys.stderr)  # the interface draws the screen itself
    try:
        app.run()
    finally:
        sys.stdout, sys.stderr = escaping
    return app.return_code or 0


def register(sub) -> None:
    p = sub.add_parser("play", help="play in the terminal (default: choose a scenario)")
    p.add_argument("scenario", nargs="?", metavar="SCENARIO", help="go straight to this scenario's setup")
    p.add_argument("--saves", metavar="DIR", default="saves", help="where games are saved (default: saves/)")
    p.set_defaults(run=cmd_play)
