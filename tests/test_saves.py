"""Saves: exact round trips, atomic writes, and clear errors for bad files."""

import json
import os

import pytest
from helpers import TUTORIAL, mini, shipped

from game.engine import Game
from game.players import RandomBot, play_game
from game.players.base import play_turn
from game.workshop.saves import (
    SaveError,
    autosave_path,
    read_save,
    restore,
    save_game,
    summarise,
    verify,
)

BOTS = {r: RandomBot() for r in ("us", "iraq", "militias")}


def half_played(seed=9):
    game = Game(shipped(TUTORIAL), seed)
    game.begin()
    game.start_play()
    play_turn(game, BOTS)
    return game


def test_a_save_replays_to_the_same_game_and_can_be_continued(tmp_path):
    game = half_played()
    path = save_game(game, tmp_path / "g.json", {r: "random" for r in BOTS})
    save = read_save(path)
    assert save.summary["turn"] == 2 and save.players["us"] == "random"
    again = restore(save, shipped(TUTORIAL))
    assert [e.to_dict() for e in again.log] == [e.to_dict() for e in game.log]
    assert verify(save, again) == []
    play_game(game, BOTS)
    play_game(again, BOTS)
    assert [e.to_dict() for e in again.log] == [e.to_dict() for e in game.log]


def test_saving_replaces_the_file_atomically_and_keeps_the_old_one_on_failure(tmp_path, monkeypatch):
    game = half_played()
    path = save_game(game, tmp_path / "g.json")
    before = path.read_bytes()
    play_turn(game, BOTS)

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        save_game(game, path)
    assert path.read_bytes() == before
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def damaged(tmp_path, text):
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda good: good[: len(good) // 2], "damaged or truncated: invalid JSON"),
        (lambda good: "", "empty"),
        (lambda good: "\x00\x01binary", "invalid JSON"),
        (lambda good: json.dumps({"hello": 1}), "not a crisis-sim save"),
        (lambda good: good.replace('"seed": 9', '"seed": 10'), "edited or damaged"),
        (lambda good: good.replace('"version": 1', '"version": 7'), "newer version of crisis-sim"),
    ],
)
def test_a_bad_save_is_reported_and_left_untouched(tmp_path, make, message):
    good = save_game(half_played(), tmp_path / "good.json").read_text(encoding="utf-8")
    path = damaged(tmp_path, make(good))
    before = path.read_bytes()
    with pytest.raises(SaveError, match=message):
        read_save(path)
    assert path.read_bytes() == before


def test_a_save_for_another_or_a_changed_scenario_is_refused(tmp_path):
    save = read_save(save_game(half_played(), tmp_path / "g.json"))
    with pytest.raises(SaveError, match="for scenario 'tutorial', not 'mini'"):
        restore(save, mini())
    changed = shipped(TUTORIAL)
    save.scenario_digest = "0" * 64
    with pytest.raises(SaveError, match="has changed since this game was saved"):
        restore(save, changed)


def test_missing_files_and_directories_are_errors(tmp_path):
    with pytest.raises(SaveError, match="no such file"):
        read_save(tmp_path / "nope.json")
    with pytest.raises(SaveError, match="is a directory"):
        read_save(tmp_path)


def test_the_summary_names_the_turn_level_and_outcome():
    game = Game(shipped(TUTORIAL), 2)
    play_game(game, BOTS)
    summary = summarise(game)
    assert summary["phase"] == "debrief" and summary["outcome"]
    loaded = shipped(TUTORIAL)
    assert autosave_path(loaded).name == f"autosave-tutorial-{loaded.digest[:8]}.json"


def test_a_save_with_a_command_of_the_wrong_shape_is_an_error(tmp_path):
    import hashlib

    good = json.loads(save_game(half_played(), tmp_path / "g.json").read_text(encoding="utf-8"))
    submit = next(c for c in good["commands"] if c["kind"] == "submit")
    submit["reasons"] = 5
    good.pop("checksum")
    text = json.dumps(good, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    good["checksum"] = hashlib.sha256(text.encode()).hexdigest()  # a careful hand-edit
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(good), encoding="utf-8")
    with pytest.raises(SaveError, match="malformed"):
        restore(read_save(path), shipped(TUTORIAL))


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["settings"].update(timer_minutes="abc"), "timer_minutes"),
        (lambda d: d["players"].update(us="alien"), "played by 'alien'"),
        (lambda d: d.pop("commands"), "'commands' is missing"),
        (
            lambda d: next(c for c in d["commands"] if c["kind"] == "submit").update(actions="abcdefghijklmn"),
            "malformed",
        ),
    ],
)
def test_carefully_edited_saves_with_bad_settings_are_errors(tmp_path, change, message):
    import hashlib

    document = json.loads(save_game(half_played(), tmp_path / "g.json").read_text(encoding="utf-8"))
    document.pop("checksum")
    change(document)
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    document["checksum"] = hashlib.sha256(text.encode()).hexdigest()
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(SaveError, match=message):
        restore(read_save(path), shipped(TUTORIAL))
