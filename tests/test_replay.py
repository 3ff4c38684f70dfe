"""`crisis replay` proves a save reproduces its game, and the save reader refuses
values a careful hand-edit could slip past the checksum."""

from __future__ import annotations

import hashlib
import json
import os

import pytest
from helpers import TUTORIAL, shipped

from game.cli.main import main
from game.engine import Game
from game.players import RandomBot, play_game
from game.workshop.saves import SaveError, list_saves, read_save, restore, save_game, verify

ROLES = ("us", "iraq", "militias")


def saved_game(tmp_path, name="game.json", seed=3):
    game = play_game(Game(shipped(TUTORIAL), seed), {r: RandomBot() for r in ROLES})
    return save_game(game, tmp_path / name, {r: "random" for r in ROLES})


def edit(path, change):
    """Change the save's content and give it a matching checksum, as a careful hand-edit would."""
    document = json.loads(path.read_text(encoding="utf-8"))
    document.pop("checksum")
    change(document)
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    document["checksum"] = hashlib.sha256(text.encode()).hexdigest()
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_replay_of_a_faithful_save_succeeds(tmp_path, capsys):
    path = saved_game(tmp_path)
    assert main(["replay", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "GAME OVER" in out and "the game matches the save" in err and "MISMATCH" not in err


def test_replay_detects_a_game_that_replays_differently_from_its_save(tmp_path, capsys):
    # What a save records of its game (the digest of its event log) no longer agrees with
    # what its commands replay to, as when the rules changed since the game was saved.
    path = edit(saved_game(tmp_path), lambda d: d["summary"].update(log_sha256="0" * 64))
    assert main(["replay", str(path)]) == 1
    _, err = capsys.readouterr()
    assert "crisis replay: MISMATCH: the replayed event log differs from the one recorded" in err
    assert "matches the save" not in err


def test_verify_names_each_difference_from_the_saves_summary(tmp_path):
    path = edit(saved_game(tmp_path), lambda d: d["summary"].update(events=1, turn=99))
    save = read_save(path)
    problems = verify(save, restore(save, shipped(TUTORIAL)))
    assert problems[0].startswith("turn: saved 99, replayed ")
    assert problems[1].startswith("events: saved 1, replayed ")
    assert len(problems) == 2


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.update(max_turns=0), "max_turns is 0"),
        (lambda d: d.update(max_turns=101), "max_turns is 101"),
        (lambda d: d.update(seed=True), "the field 'seed' should be a whole number"),
        (lambda d: d.update(max_turns=False), "the field 'max_turns' should be a whole number"),
    ],
)
def test_a_save_with_impossible_numbers_is_damaged(tmp_path, change, message):
    path = edit(saved_game(tmp_path), change)
    with pytest.raises(SaveError, match=f"damaged: {message}"):
        read_save(path)


def test_saves_are_listed_newest_first(tmp_path):
    old = saved_game(tmp_path, "old.json", seed=1)
    new = saved_game(tmp_path, "new.json", seed=2)
    middle = saved_game(tmp_path, "middle.json", seed=4)
    for path, when in ((old, 1_000_000), (middle, 2_000_000), (new, 3_000_000)):
        os.utime(path, (when, when))
    assert [entry.path.name for entry in list_saves(tmp_path)] == ["new.json", "middle.json", "old.json"]
