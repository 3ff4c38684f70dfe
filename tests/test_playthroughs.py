"""Every scripted playthrough in tests/playthroughs/ plays out as written."""

from pathlib import Path

import pytest

from game.analysis.playthrough import check, play, read_playthrough

FILES = sorted((Path(__file__).parent / "playthroughs").glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_playthrough(path):
    playthrough = read_playthrough(path)
    game = play(playthrough)
    assert check(playthrough, game) == []


def test_a_wrong_expectation_is_reported(tmp_path):
    path = tmp_path / "wrong.yaml"
    path.write_text(
        f"scenario: {FILES[0].parent.parent.parent / 'scenarios' / 'tutorial.yaml'}\n"
        "seed: 1\nexpect:\n  outcome: no_such_outcome\n  facts: ['tension > 1000']\n"
        "  events: [{kind: inject_fired, inject: nope}]\n"
    )
    playthrough = read_playthrough(path)
    problems = check(playthrough, play(playthrough))
    assert len(problems) == 3
    assert problems[0].startswith("outcome: expected no_such_outcome")
