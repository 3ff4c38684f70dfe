"""The `crisis` command line; see `game.cli.main`."""

from game.cli.main import main

__all__ = ["main"]
