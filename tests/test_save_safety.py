"""Saves no file can turn against the user (issue 10, classes 6-10): a reader
that trusts nothing, scenarios found safely, secrets at rest, one autosave per
game, listing a poisoned folder, and the leftovers of killed saves."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
import stat
import time
import typing
import unicodedata

import pytest
from helpers import TUTORIAL, hard_time_limit, shipped
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine import Game
from game.engine.commands import COMMAND_TYPES
from game.players import RandomBot
from game.players.base import play_turn
from game.reports.timeline import timeline
from game.workshop.passphrase import _scrypt, _scrypt_bytes, check_passphrase, hash_passphrase
from game.workshop.saves import (
    ENDED,
    IN_PROGRESS,
    MAX_WORKSHOP_BYTES,
    UNREADABLE,
    SaveError,
    list_saves,
    new_autosave_path,
    read_save,
    remove_stale_temporary_files,
    resolve_scenario,
    restore,
    save_game,
    verify,
)

BOTS = {r: RandomBot() for r in ("us", "iraq", "militias")}


def played(turns: int = 1, seed: int = 9) -> Game:
    game = Game(shipped(TUTORIAL), seed)
    game.begin()
    game.start_play()
    for _ in range(turns):
        if game.phase == "orders":
            play_turn(game, BOTS)
    return game


@pytest.fixture(scope="module")
def good_document(tmp_path_factory) -> dict:
    path = save_game(played(), tmp_path_factory.mktemp("good") / "g.json", {r: "random" for r in BOTS})
    return json.loads(path.read_text(encoding="utf-8"))


def with_checksum(document: dict) -> bytes:
    """The document as a careful hand-editor would write it: the checksum recomputed."""
    body = {k: v for k, v in document.items() if k != "checksum"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    body["checksum"] = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return json.dumps(body, ensure_ascii=False).encode("utf-8", "surrogatepass")


def edited(good: dict, change) -> bytes:
    document = json.loads(json.dumps(good))
    change(document)
    return with_checksum(document)


def read_bytes_as_save(tmp_path, data: bytes, name: str = "s.json"):
    path = tmp_path / name
    path.write_bytes(data)
    return read_save(path)


# ------------------------------------------------------- 6. a reader that trusts nothing


def test_special_files_are_refused_without_opening_them(tmp_path):
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.json"
    zero.symlink_to("/dev/zero")
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "nowhere.json")
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    expected = {
        fifo: "not a regular file",
        zero: "not a regular file",
        dangling: "a symbolic link to a file that does not exist",
        loop: "a loop of symbolic links",
        tmp_path: "is a directory",
    }
    with hard_time_limit(10):
        for path, message in expected.items():
            with pytest.raises(SaveError, match=message):
                read_save(path)


def test_a_symbolic_link_to_a_save_is_read(tmp_path):
    real = save_game(played(), tmp_path / "real.json")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert read_save(link).summary["turn"] == 2


@pytest.mark.parametrize(
    "data, message",
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested"),
        (b'{"format": "crisis-sim save", "x": ' + b"[" * 40 + b"]" * 40 + b"}", "nested more than 32"),
        (b'{"format": "crisis-sim save", "seed": ' + b"7" * 5000 + b"}", "a number of 5000 digits"),
        (b'{"format": "crisis-sim save", "seed": 1e999}', "too large"),
        (b'{"format": "crisis-sim save", "seed": NaN}', "'NaN' is not a number"),
        (b'{"format": "crisis-sim save", "version": 1, "x": "\\ud800"}', "checksum"),
        (b"x" * (5 * 1024 * 1024), "too large to be a save file"),
    ],
    ids=["deep", "deep-but-parsable", "5000-digits", "1e999", "NaN", "lone-surrogate", "5MB"],
)
def test_deep_huge_and_strange_json_is_a_clear_error(tmp_path, data, message):
    with hard_time_limit(10), pytest.raises(SaveError, match=message):
        read_bytes_as_save(tmp_path, data)


WRONG_VALUES = [5, 1.5, True, None, "text", [1, 2], ["a", 3], {"a": 1}, "x" * 20_000]


def field_types(kind: str) -> dict[str, type]:
    """Each field of a command kind, with the type JSON gives it: str, bool or list."""
    hints = typing.get_type_hints(COMMAND_TYPES[kind])
    return {f.name: typing.get_origin(hints[f.name]) or hints[f.name] for f in dataclasses.fields(COMMAND_TYPES[kind])}


RIGHT = {str: "t", bool: True, tuple: ["a"]}


def command_fields():
    for kind in sorted(COMMAND_TYPES):
        for name in field_types(kind):
            yield kind, name


@pytest.mark.parametrize("kind, name", list(command_fields()))
def test_every_command_field_of_the_wrong_type_is_refused_when_read(tmp_path, good_document, kind, name):
    types = field_types(kind)
    for wrong in WRONG_VALUES:
        right = RIGHT[types[name]]
        if type(wrong) is type(right) and (not isinstance(wrong, str) or len(wrong) <= 10_000):
            continue  # the right type: not what this test is about
        if isinstance(right, list) and isinstance(wrong, list) and all(isinstance(v, str) for v in wrong):
            continue
        command = {"kind": kind, **{n: RIGHT[t] for n, t in types.items()}, name: wrong}
        data = edited(good_document, lambda d, c=command: d["commands"].append(c))
        with pytest.raises(SaveError, match=f"command \\d+ \\({kind}\\) is malformed: '{name}' has the wrong type"):
            read_bytes_as_save(tmp_path, data)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["commands"].append({"kind": "launch_missiles"}), "of no known kind"),
        (lambda d: d["commands"].append({"kind": "note", "text": "x", "extra": 1}), "unknown field 'extra'"),
        (lambda d: d["commands"].append({"kind": "note"}), "missing 'text'"),
        (lambda d: d["commands"].append(["not", "a", "mapping"]), "not a mapping"),
        (lambda d: d["summary"].update(turn="two"), "summary's 'turn'"),
        (lambda d: d["players"].update(us=["doctrine"]), "played by"),
        (lambda d: d["settings"].update(white_cell_lock="plain passphrase"), "not a stored passphrase"),
        (lambda d: d.update(workshop=[1, 2]), "'workshop' should be a mapping"),
        (lambda d: d.update(workshop={"notes": "x" * MAX_WORKSHOP_BYTES}), "larger than 256 KB"),
        (lambda d: d["scenario"].update(sha256="../../etc/passwd"), "not a hash"),
        (lambda d: d.update(seed=10**19), "seed is too large"),
        (lambda d: d.update(seed=True), "'seed' should be a whole number"),
    ],
)
def test_values_of_the_wrong_type_or_size_are_refused_when_read(tmp_path, good_document, change, message):
    with pytest.raises(SaveError, match=message):
        read_bytes_as_save(tmp_path, edited(good_document, change))


def test_a_seat_for_a_role_the_scenario_lacks_is_refused(tmp_path, good_document):
    save = read_bytes_as_save(tmp_path, edited(good_document, lambda d: d["players"].update(spies="human")))
    with pytest.raises(SaveError, match="seats role 'spies'"):
        restore(save, shipped(TUTORIAL))


# ------------------------------------------------------------------ fuzzing

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


def replay_if_readable(path) -> None:
    """read, restore, verify and print: a SaveError anywhere is the only way out."""
    try:
        save = read_save(path)
        game = restore(save, shipped(TUTORIAL))
    except SaveError as exc:
        assert str(exc)
        return
    verify(save, game)
    timeline(game)


def good_bytes(good: dict) -> bytes:
    return with_checksum(good)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_saves_are_read_or_refused_never_crash(tmp_path, good_document, data):
    raw = bytearray(good_bytes(good_document))
    how = data.draw(st.sampled_from(["flip", "truncate", "insert", "value", "command", "deep", "huge"]))
    if how == "flip":
        for _ in range(data.draw(st.integers(1, 8))):
            i = data.draw(st.integers(0, len(raw) - 1))
            raw[i] ^= 1 << data.draw(st.integers(0, 7))
    elif how == "truncate":
        del raw[data.draw(st.integers(0, len(raw) - 1)) :]
    elif how == "insert":
        i = data.draw(st.integers(0, len(raw)))
        raw[i:i] = data.draw(st.binary(min_size=1, max_size=20))
    elif how in ("value", "command"):
        document = json.loads(json.dumps(good_document))
        target = document
        if how == "command":
            target = data.draw(st.sampled_from(document["commands"]))
        else:
            for _ in range(data.draw(st.integers(0, 2))):
                if isinstance(target, dict) and target:
                    target = target[data.draw(st.sampled_from(sorted(target)))]
                elif isinstance(target, list) and target:
                    target = target[data.draw(st.integers(0, len(target) - 1))]
        if isinstance(target, dict) and target:
            target[data.draw(st.sampled_from(sorted(target)))] = data.draw(JSON_VALUES)
        raw = bytearray(with_checksum(document))
    elif how == "deep":
        depth = data.draw(st.integers(30, 5000))
        raw = bytearray(b'{"format": "crisis-sim save", "w": ' + b"[" * depth + b"]" * depth + b"}")
    else:
        digits = data.draw(st.integers(15, 6000))
        raw = bytearray(b'{"format": "crisis-sim save", "version": ' + b"9" * digits + b"}")
    path = tmp_path / "fuzz.json"
    path.write_bytes(bytes(raw))
    with hard_time_limit(20):
        replay_if_readable(path)


# ------------------------------------------------- 7. the scenario a save names


def test_a_save_naming_another_file_never_reads_it_into_an_error(tmp_path, capsys):
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2\nnot: [a scenario\n", encoding="utf-8")
    path = save_game(played(), tmp_path / "g.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    document["scenario"]["path"] = str(secret)
    document["scenario"]["sha256"] = "0" * 64  # the save cannot know the secret file's digest
    save = read_bytes_as_save(tmp_path, with_checksum(document), "evil.json")
    with pytest.raises(SaveError) as raised:
        resolve_scenario(save)
    assert "hunter2" not in str(raised.value) and "cannot find scenario 'tutorial'" in str(raised.value)
    from game.cli import main

    assert main(["replay", str(tmp_path / "evil.json")]) == 1
    out = capsys.readouterr()
    assert "hunter2" not in out.out + out.err and "password" not in out.out + out.err


def test_a_save_naming_a_pipe_or_a_device_does_not_hang(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    save = read_save(save_game(played(), tmp_path / "g.json"))
    for named in (str(fifo), "/dev/zero", "/dev/stdin"):
        save.scenario_path = named
        with hard_time_limit(10):
            # Not found there: the shipped scenario with the recorded digest is used.
            assert resolve_scenario(save, [TUTORIAL.parent]).path == str(TUTORIAL)


def test_the_scenario_is_found_by_its_content_wherever_it_moved(tmp_path):
    moved = tmp_path / "elsewhere" / "renamed.yml"
    moved.parent.mkdir()
    moved.write_bytes(TUTORIAL.read_bytes())
    save = read_save(save_game(played(), tmp_path / "g.json"))
    save.scenario_path = str(tmp_path / "gone.yaml")
    loaded = resolve_scenario(save, [moved.parent])
    assert loaded.path == str(moved) and loaded.digest == save.scenario_digest
    restore(save, loaded)


# ---------------------------------------------------------- 8. secrets at rest


def test_saves_are_readable_by_their_owner_only(tmp_path):
    old = os.umask(0o022)
    try:
        existing = tmp_path / "saves" / "g.json"
        game = played()
        save_game(game, existing)
        existing.chmod(0o644)
        save_game(game, existing)  # replacing an ordinary file
        assert stat.S_IMODE(existing.stat().st_mode) == 0o600
        assert stat.S_IMODE(existing.parent.stat().st_mode) == 0o700  # a new saves folder
    finally:
        os.umask(old)


def test_a_passphrase_is_salted_slow_and_checked(real_scrypt_cost):
    # The cost is scrypt's with N=2**14, r=8, p=1: RFC 7914's test vector for those (the
    # first 32 of its 64 bytes, as the hash is 32 bytes long).
    assert _scrypt("pleaseletmein", b"SodiumChloride").hex() == (
        "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"
    )
    first, second = hash_passphrase("tigers"), hash_passphrase("tigers")
    assert first != second and re.fullmatch(r"scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}", first)
    assert "tigers" not in first
    assert check_passphrase("tigers", first) and check_passphrase("tigers", second)
    assert not check_passphrase("tiger", first) and not check_passphrase("", first)


def test_an_accented_passphrase_opens_however_the_keyboard_sends_its_accents():
    """'é' is one character or an 'e' and a combining accent, depending on the keyboard
    and the terminal: both are the same passphrase. A lock made before (of the
    characters as typed) still opens with them."""
    composed, decomposed = "journée-café", "journe\u0301e-cafe\u0301"
    assert composed != decomposed and unicodedata.normalize("NFC", decomposed) == composed
    for made_with, typed in [(composed, decomposed), (decomposed, composed), (decomposed, decomposed)]:
        assert check_passphrase(typed, hash_passphrase(made_with))
    assert not check_passphrase("journee-cafe", hash_passphrase(composed))
    salt = bytes(16)  # a lock from before: the decomposed characters hashed as typed
    older = f"scrypt${salt.hex()}${_scrypt_bytes(decomposed, salt).hex()}"
    assert check_passphrase(decomposed, older)


def test_a_lock_from_an_older_save_still_opens_with_the_right_passphrase():
    legacy = hashlib.sha256(b"crisis-sim white cell:tigers").hexdigest()
    assert check_passphrase("tigers", legacy)
    assert not check_passphrase("lions", legacy)


@pytest.mark.parametrize(
    "stored",
    [
        "scrypt$1048576$8$1$" + "00" * 16 + "$" + "00" * 32,  # costs are not read from a save
        "scrypt$" + "00" * 16 + "$" + "00" * 31,
        "scrypt$" + "0" * 31 + "$" + "00" * 32,  # half a byte of salt
        "scrypt$zz$" + "00" * 32,
        "SCRYPT$" + "00" * 16 + "$" + "00" * 32,
        "md5$whatever",
        "",
        "x" * 100_000,
    ],
)
def test_a_malformed_or_too_costly_lock_never_opens(stored):
    with hard_time_limit(5):
        assert not check_passphrase("anything", stored)


def test_the_passphrase_is_nowhere_in_the_save(tmp_path):
    lock = hash_passphrase("white-cell-only")
    path = save_game(played(), tmp_path / "g.json", settings={"white_cell_lock": lock})
    assert b"white-cell-only" not in path.read_bytes()
    assert check_passphrase("white-cell-only", read_save(path).settings["white_cell_lock"])


def mid_turn_save(tmp_path):
    game = played()
    game.submit("us", ["demand_arrests"], "human")  # a secret order: the turn has not resolved
    return save_game(game, tmp_path / "mid.json", {r: "human" for r in BOTS}), game


def test_replay_does_not_print_the_pending_orders_of_an_unfinished_turn(tmp_path, capsys):
    from game.cli import main

    path, game = mid_turn_save(tmp_path)
    label = game.rules.actions["us.demand_arrests"].label
    assert main(["replay", str(path)]) == 0
    out = capsys.readouterr().out
    turn_two = out.split("Turn 2", 1)[1]
    assert label not in turn_two and "US orders" not in turn_two
    assert "not yet resolved, from US, are not shown; --show-pending shows them" in out
    assert main(["replay", str(path), "--show-pending"]) == 0
    assert f"US orders (human): {label}" in capsys.readouterr().out.split("Turn 2", 1)[1]


# --------------------------------------------- 9. one autosave per game, and listing


def test_each_game_gets_its_own_autosave_named_by_scenario_date_and_time(tmp_path):
    loaded = shipped(TUTORIAL)
    started = dt.datetime(2025, 3, 4, 9, 5, 7)
    first = new_autosave_path(loaded, tmp_path, started)
    assert first == tmp_path / "autosave-tutorial-20250304-090507.json"
    save_game(played(), first)
    second = new_autosave_path(loaded, tmp_path, started)
    assert second == tmp_path / "autosave-tutorial-20250304-090507-2.json"
    second.symlink_to(tmp_path / "nowhere")  # a dangling link takes the name too
    assert new_autosave_path(loaded, tmp_path, started).name.endswith("-3.json")
    assert new_autosave_path(loaded, tmp_path, started + dt.timedelta(seconds=1)).name.endswith("090508.json")


def poison(folder) -> dict[str, str]:
    """A saves folder with one file of every bad kind; name -> the reason expected."""
    folder.mkdir(exist_ok=True)
    (folder / "empty.json").write_bytes(b"")
    (folder / "binary.json").write_bytes(bytes(range(256)))
    (folder / "truncated.json").write_bytes(b'{"format": "crisis-sim save", "vers')
    (folder / "deep.json").write_bytes(b"[" * 50_000 + b"]" * 50_000)
    (folder / "huge-number.json").write_bytes(b'{"format": "crisis-sim save", "version": ' + b"9" * 5000 + b"}")
    os.mkfifo(folder / "pipe.json")
    (folder / "zero.json").symlink_to("/dev/zero")
    (folder / "dangling.json").symlink_to(folder / "nowhere.json")
    (folder / "dir.json").mkdir()
    (folder / "escape\x1b]0;pwned\x07.json").write_bytes(b"{}")
    return {
        "empty.json": "empty",
        "binary.json": "not text",
        "truncated.json": "truncated",
        "deep.json": "nested",
        "huge-number.json": "digits",
        "pipe.json": "not a regular file",
        "zero.json": "not a regular file",
        "dangling.json": "does not exist",
        "dir.json": "is a directory",
        "escape\x1b]0;pwned\x07.json": "not a crisis-sim save",
    }


def test_a_poisoned_saves_folder_is_listed_file_by_file(tmp_path):
    folder = tmp_path / "saves"
    expected = poison(folder)
    game = played()
    save_game(game, folder / "in-progress.json")
    while game.phase == "orders":
        play_turn(game, BOTS)
    save_game(game, folder / "ended.json")
    with hard_time_limit(20):
        entries = list_saves(folder)
    by_name = {e.path.name: e for e in entries}
    assert set(by_name) == set(expected) | {"in-progress.json", "ended.json"}
    for name, reason in expected.items():
        assert by_name[name].status == UNREADABLE and reason in by_name[name].reason, (name, by_name[name].reason)
    going, ended = by_name["in-progress.json"], by_name["ended.json"]
    assert (going.status, going.turn, going.title) == (IN_PROGRESS, 2, game.scenario.title)
    assert ended.status == ENDED and ended.save.summary["outcome"]
    assert going.saved_at.tzinfo is not None and abs(going.saved_at - dt.datetime.now(dt.UTC)).total_seconds() < 600
    path, save = going  # still unpacks as (path, save or error)
    assert path == going.path and save is going.save
    assert isinstance(tuple(by_name["pipe.json"])[1], SaveError)


def test_listing_a_folder_that_is_missing_or_a_file_gives_nothing(tmp_path):
    assert list_saves(tmp_path / "nowhere") == []
    (tmp_path / "file").write_text("x")
    assert list_saves(tmp_path / "file") == []


def test_the_workshop_state_is_saved_and_given_back_as_it_was(tmp_path):
    state = {"keyboard": "iraq", "briefings_read": ["us"], "paused": True, "deadline": 12.5}
    path = save_game(played(), tmp_path / "g.json", workshop=state)
    assert read_save(path).workshop == state
    assert read_save(save_game(played(), tmp_path / "h.json")).workshop is None
    with pytest.raises(ValueError, match="larger than"):
        save_game(played(), tmp_path / "i.json", workshop={"x": "y" * MAX_WORKSHOP_BYTES})


# -------------------------------------------------- 10. leftovers of killed saves


def test_temporary_files_of_killed_saves_are_removed_when_stale(tmp_path):
    old = time.time() - 3600
    stale = tmp_path / ".autosave-tutorial.json.ab12cd_9.tmp"
    fresh = tmp_path / ".autosave-tutorial.json.zz12cd_9.tmp"
    other = tmp_path / "notes.tmp"
    link = tmp_path / ".g.json.abcdefgh.tmp"
    for path in (stale, fresh, other):
        path.write_bytes(b"{")
    link.symlink_to(other)
    for path in (stale, other):
        os.utime(path, (old, old))
    os.utime(link, (old, old), follow_symlinks=False)
    assert remove_stale_temporary_files(tmp_path) == [stale]
    assert fresh.exists() and other.exists() and link.is_symlink()


def test_listing_the_saves_cleans_up_after_a_killed_save(tmp_path):
    save_game(played(), tmp_path / "g.json")
    leftover = tmp_path / ".g.json.k1ll3d00.tmp"
    leftover.write_bytes(b'{"format"')
    os.utime(leftover, (time.time() - 3600,) * 2)
    assert [e.path.name for e in list_saves(tmp_path)] == ["g.json"]
    assert not leftover.exists()


def test_a_saves_folder_that_is_a_file_is_an_error_not_a_hang(tmp_path, capsys):
    """`crisis host --saves notes.txt` looked for a free autosave name for ever: every
    name 'existed' (lstat said 'not a directory', taken for 'cannot tell')."""
    from game.cli.main import main
    from game.workshop.session import Session, Settings

    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("mine\n")
    loaded = shipped(TUTORIAL)
    with hard_time_limit(10):
        session = Session.new(loaded, Settings({r.id: "human" for r in loaded.scenario.roles}, 1), not_a_folder)
        assert session.autosave_error and "autosave failed" in session.autosave_error
        assert main(["host", "--port", "0", "--saves", str(not_a_folder), str(TUTORIAL)]) == 1
    assert "--saves " + str(not_a_folder) + ": not a folder" in capsys.readouterr().err
    assert main(["play", "--saves", str(not_a_folder)]) == 2  # before the interface starts
    assert "crisis play: error: --saves " + str(not_a_folder) + ": not a folder" in capsys.readouterr().err
    assert not_a_folder.read_text() == "mine\n"


def test_a_game_being_served_cannot_be_resumed_by_a_second_host(tmp_path, capsys):
    """Two hosts on one autosave would each write it over the other's: one game lost."""
    from game.cli.main import main
    from game.workshop.saves import claim
    from game.workshop.session import Session, Settings

    loaded = shipped(TUTORIAL)
    session = Session.new(loaded, Settings({r.id: "human" for r in loaded.scenario.roles}, 1), tmp_path, table=False)
    autosave = session.autosave_to
    before = autosave.read_bytes()
    first = claim(autosave)  # as the first host holds it while it serves
    assert first is not None and claim(autosave) is None
    with hard_time_limit(10):
        assert main(["host", "--port", "0", "--saves", str(tmp_path), "--resume", str(autosave)]) == 1
    assert "is being served by another host already" in capsys.readouterr().err
    assert autosave.read_bytes() == before
    first.close()  # the first host stopped: its game may be resumed again
    again = claim(autosave)
    assert again is not None
    again.close()
