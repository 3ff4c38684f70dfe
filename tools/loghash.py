"""A digest of many games' logs and commands: proof that an engine change moves no game.

Run:  .venv/bin/python tools/loghash.py

Plays 60 seeds of every shipped scenario with each kind of bot at every seat (720 games)
and prints one SHA-256 over every event (with its hidden fields) and every command. A change
that is meant to leave the rules alone (a speed-up, a refactor) must leave the digest as it
was: run it before and after. The golden transcripts cover one game per scenario; this
covers hundreds, with every bot's choices.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.engine import Game  # noqa: E402
from game.players import make_bot, play_game  # noqa: E402
from game.scenario import load  # noqa: E402

BOT_KINDS = ("random", "doctrine", "heuristic", "passive")
SEEDS = 60


def main() -> None:
    digest = hashlib.sha256()
    games = 0
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        loaded = load(str(path))
        roles = [role.id for role in loaded.scenario.roles]
        for kind in BOT_KINDS:
            for seed in range(SEEDS):
                game = play_game(Game(loaded, seed), {role: make_bot(kind) for role in roles})
                digest.update(json.dumps([event.to_dict(full=True) for event in game.log]).encode())
                digest.update(json.dumps([command.to_dict() for command in game.commands]).encode())
                games += 1
    print(f"{games} games: {digest.hexdigest()}")


if __name__ == "__main__":
    main()
