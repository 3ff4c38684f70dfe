"""The rules of the game: pure, deterministic, no I/O and no user interface.

Everything is driven by commands and recorded as events; see `game.Game`.
"""

from game.engine.errors import GameError, IllegalOrder, NotYourRole, PhaseError
from game.engine.game import Game, Option
from game.engine.views import RoleView, Seat

__all__ = ["Game", "GameError", "IllegalOrder", "NotYourRole", "Option", "PhaseError", "RoleView", "Seat"]
