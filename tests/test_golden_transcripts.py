"""Golden transcripts: one recorded game per shipped scenario, regenerated and
compared line by line (as OpenSpiel keeps its playthroughs).

A transcript shows, turn by turn, what each team saw (tracks, objectives, the
actions it could take and why not), what it ordered and why, every roll, the
injects, the ladder and the tracks. Any change to the rules, the bots or a
scenario that changes a game shows up here as a readable diff. After an
intended change, re-record them all with `make golden`.
"""

import difflib
import re
from pathlib import Path

import pytest
from helpers import ROOT, shipped

from game.analysis.transcript import record_transcript
from game.engine import Game
from game.players import make_bot

GOLDEN = ROOT / "tests" / "golden"
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
HEADER = re.compile(r"# seed (\d+); players: (.*)")
# Transcripts of a game as one team saw it (`crisis transcript --as ROLE`): <scenario>--as-<role>.txt
AS_ROLE = sorted(GOLDEN.glob("*--as-*.txt"))


def golden_path(scenario: Path) -> Path:
    return GOLDEN / f"{scenario.stem}.txt"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_every_shipped_scenario_has_a_golden_transcript(scenario):
    assert golden_path(scenario).is_file(), f"record one: make golden (missing {golden_path(scenario)})"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_the_golden_transcript_is_reproduced(scenario):
    path = golden_path(scenario)
    if not path.is_file():
        pytest.skip("no golden transcript (the test above fails)")
    assert_reproduced(path, scenario)


def test_there_is_a_golden_transcript_as_a_team_saw_it():
    assert AS_ROLE, "record one: make golden"


@pytest.mark.parametrize("path", AS_ROLE, ids=lambda p: p.stem)
def test_the_golden_transcript_as_a_team_saw_it_is_reproduced(path):
    scenario, role = path.stem.split("--as-")
    assert_reproduced(path, ROOT / "scenarios" / f"{scenario}.yaml", role)


def assert_reproduced(path: Path, scenario: Path, as_role: str | None = None) -> None:
    recorded = path.read_text(encoding="utf-8")
    seed, players = HEADER.search(recorded).groups()
    bots = dict(part.split("=") for part in players.split(", "))
    players = {r: make_bot(k) for r, k in bots.items()}
    fresh = record_transcript(Game(shipped(scenario), int(seed)), players, as_role=as_role)
    if fresh != recorded:
        diff = "".join(difflib.unified_diff(recorded.splitlines(True), fresh.splitlines(True), str(path), "now", n=2))
        pytest.fail(f"the transcript changed (re-record with `make golden` if intended):\n{diff[:6000]}")
