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


# Hostile or careless playthrough files: each is one clear error line through
# `crisis playthrough`, never a traceback or a hang, and never a silent pass.
TUTORIAL = Path(__file__).parent.parent / "scenarios" / "tutorial.yaml"
BAD_PLAYTHROUGHS = {
    "facts_not_a_list": ("expect: {facts: 5}", "'expect.facts' must be a list"),
    "facts_null": ("expect: {facts: null}", "'expect.facts' must be a list"),
    "events_text": ("expect: {events: abc}", "'expect.events' must be a list of mappings"),
    "no_events_lists": ("expect: {no_events: [[1]]}", "'expect.no_events' must be a list of mappings"),
    "orders_not_lists": ("orders: {1: {us: 5}}\nexpect: {turns: 1}", "the orders of us in turn 1"),
    "seed_infinite": ("seed: .inf\nexpect: {turns: 1}", "'seed' must be a whole number"),
    "seed_fraction": ("seed: 1.5\nexpect: {turns: 1}", "'seed' must be a whole number"),
    "duplicate_key": ("seed: 1\nseed: 2\nexpect: {turns: 1}", ":3:1: duplicate key 'seed'"),
    "misspelt_role": ("orders: {1: {uss: [x]}}\nexpect: {turns: 1}", "no role 'uss' in the scenario"),
    "role_a_number": ("bots: {1: random, zz: doctrine}\nexpect: {turns: 1}", "no role '1' in the scenario"),
    "turn_past_the_end": ("orders: {99: {us: [x]}}\nexpect: {turns: 1}", "orders for turn 99, but the game"),
    "expect_typo": ("expect: {outcom: calm}", "unknown keys in 'expect'"),
    "deep": ("expect: " + "[" * 200, "nested more than 64 levels deep"),
}


@pytest.mark.parametrize("name", BAD_PLAYTHROUGHS)
def test_a_hostile_playthrough_is_one_clear_error(tmp_path, capsys, name):
    from game.cli.main import main

    body, message = BAD_PLAYTHROUGHS[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"scenario: {TUTORIAL}\n{body}\n", encoding="utf-8")
    assert main(["playthrough", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path} ERROR" in out and message in out and "Traceback" not in out


@pytest.mark.parametrize("kind", ["fifo", "device", "too_large"])
def test_a_playthrough_that_is_no_file_is_refused_at_once(tmp_path, capsys, kind):
    import os

    from game.cli.main import main

    path = tmp_path / "p.yaml"
    if kind == "fifo":
        os.mkfifo(path)  # reading it would block for ever
    elif kind == "device":
        path.symlink_to("/dev/zero")  # reading it would never end
    else:
        path.write_bytes(b"# " + b"x" * (5 * 1024 * 1024))
    assert main(["playthrough", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path} ERROR" in out and ("not a regular file" in out or "too large" in out)
