"""Saved games: the scenario, the seed and the commands, in a versioned JSON file.

A save holds what is needed to rebuild the game exactly (commands are replayed
on a new game with the same seed) plus a summary to list saves without
replaying them, and checksums: of the file's body, to catch damage and
hand-editing, and of the event log, so that a replay can prove it reproduced
the game. Writes are atomic; loading never changes the file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.engine import Game, GameError
from game.engine.commands import command_from_dict
from game.players import BOTS
from game.scenario.loader import Loaded

SAVE_FORMAT = "crisis-sim save"
SAVE_VERSION = 1
MAX_SAVE_BYTES = 50 * 1024 * 1024
SAVES_DIR = Path("saves")


class SaveError(Exception):
    """A save that cannot be used; the message says why, for the user."""


@dataclass(slots=True)
class SaveFile:
    scenario_id: str
    scenario_digest: str
    scenario_path: str
    seed: int
    max_turns: int
    players: dict[str, str]  # role -> "human" or a bot kind
    commands: list[dict[str, Any]]
    settings: dict[str, Any] = field(default_factory=dict)  # the workshop's timer and White Cell lock
    summary: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None


def log_digest(game: Game) -> str:
    text = json.dumps([e.to_dict() for e in game.log], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def summarise(game: Game) -> dict[str, Any]:
    state, rules = game.state, game.rules
    summary = {
        "title": game.scenario.title,
        "turn": state.turn,
        "max_turns": state.max_turns,
        "phase": game.phase,
        "level": rules.levels[state.level].name,
        "outcome": rules.outcomes[state.outcome].title if state.outcome else None,
        "events": len(game.log),
        "log_sha256": log_digest(game),
        "saved_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    return summary


def _body(game: Game, players: dict[str, str], settings: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": SAVE_FORMAT,
        "version": SAVE_VERSION,
        "scenario": {"id": game.scenario.id, "sha256": game.loaded.digest, "path": game.loaded.path},
        "seed": game.seed,
        "max_turns": game.max_turns,
        "players": dict(players),
        "settings": dict(settings),
        "commands": [c.to_dict() for c in game.commands],
        "summary": summarise(game),
    }


def _checksum(body: dict[str, Any]) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def save_game(
    game: Game, path: str | os.PathLike, players: dict[str, str] | None = None, settings: dict[str, Any] | None = None
) -> Path:
    """Write `game` to `path` atomically; the previous file survives any failure."""
    players = players or {r: "human" for r in game.rules.role_ids}
    body = _body(game, players, settings or {})
    document = {**body, "checksum": _checksum(body)}
    data = (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode()
    path = Path(path)
    atomic_write(path, data)
    return path


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it
    over `path`: a crash leaves either the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), 0o644 & ~_umask())  # mkstemp makes it private; saves are ordinary files
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    try:  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def autosave_path(loaded: Loaded, directory: Path = SAVES_DIR) -> Path:
    """One autosave per scenario file: its id and the start of its content hash,
    so a copied scenario that kept the id does not overwrite the original's."""
    return directory / f"autosave-{loaded.scenario.id}-{loaded.digest[:8]}.json"


def read_save(path: str | os.PathLike) -> SaveFile:
    """Read and check a save file, or raise SaveError saying what is wrong."""
    path = Path(path)
    try:
        if path.is_dir():
            raise SaveError(f"{path}: is a directory, not a save file")
        if path.stat().st_size > MAX_SAVE_BYTES:
            raise SaveError(f"{path}: too large to be a save file")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SaveError(f"{path}: no such file") from None
    except OSError as exc:
        raise SaveError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not raw.strip():
        raise SaveError(f"{path}: the file is empty (an interrupted save?)")
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SaveError(f"{path}: not a crisis-sim save (not text)") from None
    except json.JSONDecodeError as exc:
        if exc.pos == len(raw) - len(raw.lstrip()):  # not even the start of JSON: some other file
            raise SaveError(f"{path}: not a crisis-sim save (invalid JSON from its first character)") from None
        raise SaveError(
            f"{path}: damaged or truncated: invalid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})"
        ) from None
    if not isinstance(document, dict) or document.get("format") != SAVE_FORMAT:
        raise SaveError(f"{path}: not a crisis-sim save")
    version = document.get("version")
    if not isinstance(version, int):
        raise SaveError(f"{path}: damaged: the save has no version number")
    if version > SAVE_VERSION:
        raise SaveError(
            f"{path}: made by a newer version of crisis-sim (save version {version}; "
            f"this version reads up to {SAVE_VERSION})"
        )
    checksum = document.pop("checksum", None)
    if checksum != _checksum(document):
        raise SaveError(f"{path}: the save has been edited or damaged (its checksum does not match)")
    try:
        scenario = _field(document, "scenario", dict)
        save = SaveFile(
            scenario_id=_field(scenario, "id", str),
            scenario_digest=_field(scenario, "sha256", str),
            scenario_path=_field(scenario, "path", str),
            seed=_field(document, "seed", int),
            max_turns=_field(document, "max_turns", int),
            players=_field(document, "players", dict),
            commands=_field(document, "commands", list),
            summary=_field(document, "summary", dict),
            path=path,
            settings=_field(document, "settings", dict, {}),
        )
        _check_settings(save)
    except ValueError as exc:
        raise SaveError(f"{path}: damaged: {exc}") from None
    return save


def _field(data: dict, name: str, kind: type, default: Any = None) -> Any:
    if name not in data:
        if default is not None:
            return default
        raise ValueError(f"the field '{name}' is missing")
    value = data[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"the field '{name}' should be {_KIND_NAMES[kind]}")
    return value


_KIND_NAMES = {dict: "a mapping", list: "a list", str: "text", int: "a whole number"}
PLAYER_KINDS = ("human", *BOTS)


def _check_settings(save: SaveFile) -> None:
    if not 1 <= save.max_turns <= 100:
        raise ValueError(f"max_turns is {save.max_turns}")
    for role, kind in save.players.items():
        if kind not in PLAYER_KINDS:
            raise ValueError(f"role '{role}' is played by '{kind}', which is not one of {', '.join(PLAYER_KINDS)}")
    settings = save.settings
    timer = settings.get("timer_minutes", 0)
    if not isinstance(timer, int | float) or isinstance(timer, bool) or not 0 <= timer <= 120:
        raise ValueError("timer_minutes should be a number of minutes from 0 to 120")
    if settings.get("on_expiry", "keep") not in ("keep", "bot"):
        raise ValueError("on_expiry should be 'keep' or 'bot'")
    lock = settings.get("white_cell_lock")
    if lock is not None and not isinstance(lock, str):
        raise ValueError("white_cell_lock should be text")


def restore(save: SaveFile, loaded: Loaded) -> Game:
    """Rebuild the saved game by replaying its commands on `loaded`."""
    where = save.path or "save"
    if loaded.scenario.id != save.scenario_id:
        raise SaveError(f"{where}: this save is for scenario '{save.scenario_id}', not '{loaded.scenario.id}'")
    if loaded.digest != save.scenario_digest:
        raise SaveError(
            f"{where}: the scenario file {loaded.path} has changed since this game was "
            "saved, so the game cannot be replayed exactly"
        )
    game = Game(loaded, save.seed, save.max_turns)
    for number, data in enumerate(save.commands, 1):
        try:
            command = command_from_dict(data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise SaveError(f"{where}: damaged: command {number} is malformed ({exc})") from None
        try:
            game.execute(command)
        except GameError as exc:
            raise SaveError(f"{where}: command {number} ({command.kind}) does not replay: {exc}") from None
        except (TypeError, ValueError, AttributeError, KeyError):  # a hand-made command of the wrong shape
            raise SaveError(f"{where}: damaged: command {number} ({command.kind}) is malformed") from None
    return game


def verify(save: SaveFile, game: Game) -> list[str]:
    """Differences between the replayed `game` and what the save recorded."""
    problems = []
    recorded = save.summary.get("log_sha256")
    if recorded and recorded != log_digest(game):
        problems.append("the replayed event log differs from the one recorded when the game was saved")
    for key in ("turn", "phase", "events"):
        if key in save.summary and save.summary[key] != summarise(game)[key]:
            problems.append(f"{key}: saved {save.summary[key]!r}, replayed {summarise(game)[key]!r}")
    return problems


def list_saves(directory: Path = SAVES_DIR) -> list[tuple[Path, SaveFile | SaveError]]:
    """Every save in `directory`, newest first; unreadable ones with their error."""
    if not directory.is_dir():
        return []
    found = []
    for path in sorted(directory.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True):
        try:
            found.append((path, read_save(path)))
        except SaveError as exc:
            found.append((path, exc))
    return found
