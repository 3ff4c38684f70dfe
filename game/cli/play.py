"""`crisis play`: the game in the terminal."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.cli.common import shipped_scenarios_dir


def cmd_play(args: argparse.Namespace) -> int:
    if args.scenario and not Path(args.scenario).is_file():
        print(f"crisis play: error: {args.scenario}: no such scenario file", file=sys.stderr)
        return 2
    from game.tui.app import CrisisApp

    app = CrisisApp(shipped_scenarios_dir(), Path(args.saves), Path(args.scenario) if args.scenario else None)
    app.run()
    return app.return_code or 0


def register(sub) -> None:
    p = sub.add_parser("play", help="play in the terminal (default: choose a scenario)")
    p.add_argument("scenario", nargs="?", metavar="SCENARIO", help="go straight to this scenario's setup")
    p.add_argument("--saves", metavar="DIR", default="saves", help="where games are saved (default: saves/)")
    p.set_defaults(run=cmd_play)
