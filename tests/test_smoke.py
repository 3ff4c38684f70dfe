"""The shipped scenarios validate, from the command line as an author runs it."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_shipped_scenarios_validate_from_the_command_line():
    result = subprocess.run(
        [sys.executable, "-m", "game", "validate", "scenarios"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stderr
