"""The scenario format: model, loading, validation and the safe condition language.

This package never imports the engine or the user interface.
"""

from game.scenario.diagnostics import Diagnostic, Loc, Report
from game.scenario.loader import Loaded, ScenarioError, load, load_bytes, validate
from game.scenario.model import Scenario

__all__ = [
    "Diagnostic",
    "Loc",
    "Loaded",
    "Report",
    "Scenario",
    "ScenarioError",
    "load",
    "load_bytes",
    "validate",
]
