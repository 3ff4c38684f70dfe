"""Saved games: the scenario, the seed and the commands, in a versioned JSON file.

A save holds what is needed to rebuild the game exactly (commands are replayed
on a new game with the same seed) plus a summary to list saves without
replaying them, and checksums: of the file's body, to catch damage and
hand-editing, and of the event log, so that a replay can prove it reproduced
the game. Writes are atomic and readable by their owner only; loading never
changes the file.

The reader trusts nothing in the file: it reads regular files only, never
more than MAX_SAVE_BYTES, refuses numbers and nesting no game needs, and checks
the type and size of every value before anything else uses it. Whatever the
file holds, the result is a SaveFile or a SaveError that says why, never
another exception or a hang. What a save protects, and what it does not:
docs/saves.md.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import errno
import hashlib
import json
import os
import re
import stat
import tempfile
import time
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.engine import Game, GameError
from game.engine.commands import COMMAND_TYPES, command_from_dict
from game.players import BOTS
from game.scenario.diagnostics import printable
from game.scenario.loader import Loaded, ScenarioError, load, load_bytes
from game.scenario.yamlsource import MAX_FILE_BYTES as MAX_SCENARIO_BYTES
from game.workshop.passphrase import is_stored_passphrase

SAVE_FORMAT = "crisis-sim save"
SAVE_VERSION = 1
SAVES_DIR = Path("saves")

# What a save may hold. A real game of 100 turns is about 1,000 commands and
# 200 KB; these are far beyond that and still cheap to read and replay.
MAX_SAVE_BYTES = 4 * 1024 * 1024
MAX_COMMANDS = 20_000
MAX_TEXT = 10_000  # characters in one text of a command (a news item, a reason)
MAX_ITEMS = 100  # orders in one command, roles in a game
MAX_DEPTH = 32  # nesting of JSON arrays and objects
MAX_NUMBER_DIGITS = 20  # seeds and counts; a 5,000-digit number is not a save
MAX_WORKSHOP_BYTES = 256 * 1024  # the workshop's own state (`workshop`), as JSON
MAX_SEED = 10**18

# Temporary files of writes that were killed; removed once older than this.
STALE_TEMPORARY_SECONDS = 600
_TEMPORARY = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp\Z")

# Listing a folder reads at most this many files and bytes: a folder of huge
# files is listed as partly unread rather than taking minutes.
MAX_LISTED = 200
MAX_LISTED_BYTES = 64 * 1024 * 1024


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
    workshop: dict[str, Any] | None = None  # the workshop's flow state, as the workshop saved it


# ------------------------------------------------------------------ writing


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


def _body(
    game: Game, players: dict[str, str], settings: dict[str, Any], workshop: dict[str, Any] | None
) -> dict[str, Any]:
    body = {
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
    if workshop is not None:
        body["workshop"] = workshop
    return body


def _checksum(body: dict[str, Any]) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def save_game(
    game: Game,
    path: str | os.PathLike,
    players: dict[str, str] | None = None,
    settings: dict[str, Any] | None = None,
    *,
    workshop: dict[str, Any] | None = None,
) -> Path:
    """Write `game` to `path` atomically, readable by its owner only; the
    previous file survives any failure. `workshop` (a JSON object of at most
    MAX_WORKSHOP_BYTES) is the workshop's own state, given back as it was."""
    players = players or {r: "human" for r in game.rules.role_ids}
    if workshop is not None:
        _check_workshop(workshop)
    body = _body(game, players, settings or {}, workshop)
    document = {**body, "checksum": _checksum(body)}
    data = (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8", "surrogatepass")
    path = Path(path)
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # a new saves folder is private too
    atomic_write(path, data, mode=0o600)
    return path


def atomic_write(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it
    over `path`: a crash leaves either the old file or the new one, never half.

    The file gets `mode` (0o600: its owner only), or by default what a new
    file gets from the shell (0o666 less the umask)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), mode if mode is not None else 0o666 & ~_umask())
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


def claim(path: Path) -> typing.IO[bytes] | None:
    """Claim the game saved at `path` for this process, until it ends or the returned
    file is closed: None if another process has claimed it. Two hosts resuming one
    autosave would each write it over the other's, and one of the games be lost.
    (The claim is a lock on a file beside the save; where there is no `fcntl`, it always succeeds.)"""
    handle = open(path.with_name(f".{path.name}.lock"), "ab")  # noqa: SIM115 - held open: the lock lives with it
    try:
        import fcntl
    except ImportError:  # not POSIX
        return handle
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def remove_stale_temporary_files(directory: Path, older_than: float = STALE_TEMPORARY_SECONDS) -> list[Path]:
    """Remove the temporary files that killed writes left in `directory`
    (`.NAME.XXXXXXXX.tmp`, regular, ours, untouched for `older_than` seconds:
    a write in progress takes milliseconds). Returns what was removed."""
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(directory))
    except (OSError, ValueError):
        return removed
    for entry in entries:
        if not _TEMPORARY.match(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid() and now - info.st_mtime > older_than:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


# ----------------------------------------------------------------- autosaves


def autosave_path(loaded: Loaded, directory: Path = SAVES_DIR) -> Path:
    """One autosave per scenario file: its id and the start of its content hash,
    so a copied scenario that kept the id does not overwrite the original's."""
    return directory / f"autosave-{loaded.scenario.id}-{loaded.digest[:8]}.json"


MAX_NAME_ID = 40  # characters of the scenario id in a file name; ids may be longer


def new_autosave_path(loaded: Loaded, directory: Path, started: dt.datetime | None = None) -> Path:
    """The autosave of a game started at `started` (default: now):
    `autosave-<scenario>-<YYYYMMDD>-<HHMMSS>.json`, with `-2`, `-3`... when that
    name is taken (even by a dangling link), so a new game never replaces
    another game's autosave."""
    stamp = (started or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    stem = f"autosave-{loaded.scenario.id[:MAX_NAME_ID]}-{stamp}"
    path = directory / f"{stem}.json"
    number = 1
    while _exists(path):
        number += 1
        path = directory / f"{stem}-{number}.json"
    return path


def _exists(path: Path) -> bool:
    try:
        os.lstat(path)  # a dangling symbolic link is a name taken too
    except (FileNotFoundError, NotADirectoryError):
        return False  # (a folder that is a file: the name is free, the autosave's write says what is wrong)
    except (OSError, ValueError):
        return True  # cannot tell: do not use the name
    return True


# ------------------------------------------------------------------ reading


def read_save(path: str | os.PathLike) -> SaveFile:
    """Read and check a save file, or raise SaveError saying what is wrong."""
    path = Path(path)
    where = printable(str(path))
    raw = _read_bounded(path, MAX_SAVE_BYTES, "save file", where)
    if not raw.strip():
        raise SaveError(f"{where}: the file is empty (an interrupted save?)")
    document = _parse_json(raw, where)
    if not isinstance(document, dict) or document.get("format") != SAVE_FORMAT:
        raise SaveError(f"{where}: not a crisis-sim save")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SaveError(f"{where}: damaged: the save has no version number")
    if version > SAVE_VERSION:
        raise SaveError(
            f"{where}: made by a newer version of crisis-sim (save version {version}; "
            f"this version reads up to {SAVE_VERSION})"
        )
    checksum = document.pop("checksum", None)
    if checksum != _checksum(document):
        raise SaveError(f"{where}: the save has been edited or damaged (its checksum does not match)")
    try:
        scenario = _field(document, "scenario", dict)
        save = SaveFile(
            scenario_id=_text(_field(scenario, "id", str), "the scenario id", 1000),
            scenario_digest=_field(scenario, "sha256", str),
            scenario_path=_text(_field(scenario, "path", str), "the scenario path", 4096),
            seed=_field(document, "seed", int),
            max_turns=_field(document, "max_turns", int),
            players=_field(document, "players", dict),
            commands=_field(document, "commands", list),
            summary=_field(document, "summary", dict),
            path=path,
            settings=_field(document, "settings", dict, {}),
            workshop=_field(document, "workshop", dict, None),
        )
        _check_save(save)
    except ValueError as exc:
        raise SaveError(f"{where}: damaged: {exc}") from None
    return save


def _read_bounded(path: Path, limit: int, what: str, where: str) -> bytes:
    """The bytes of the regular file at `path` (a symbolic link to one is
    followed), at most `limit`; devices, pipes, sockets and directories are
    refused before they are opened, so nothing blocks or reads without end."""
    try:
        info = _stat(path, where)
        if stat.S_ISDIR(info.st_mode):
            raise SaveError(f"{where}: is a directory, not a {what}")
        if not stat.S_ISREG(info.st_mode):
            raise SaveError(f"{where}: is not a regular file (a device, a pipe or a socket), so not a {what}")
        if info.st_size > limit:
            raise SaveError(f"{where}: too large to be a {what} ({info.st_size / 1e6:.1f} MB)")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):  # replaced since the check
                raise SaveError(f"{where}: is not a regular file, so not a {what}")
            data = f.read(limit + 1)
    except FileNotFoundError:
        raise SaveError(f"{where}: no such file") from None
    except OSError as exc:
        raise SaveError(f"{where}: cannot read: {exc.strerror or exc}") from None
    except ValueError:  # a NUL character in the path
        raise SaveError(f"{where}: this is not a usable file name") from None
    if len(data) > limit:
        raise SaveError(f"{where}: too large to be a {what}")
    return data


def _stat(path: Path, where: str) -> os.stat_result:
    """The file's status, following symbolic links, or SaveError saying why not."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise SaveError(f"{where}: a symbolic link to a file that does not exist") from None
        raise
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SaveError(f"{where}: a loop of symbolic links") from None
        raise


class _Refused(ValueError):
    pass


def _whole_number(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _Refused(f"a number of {len(text)} digits")
    return int(text)


def _finite(text: str) -> float:
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise _Refused(f"the number {text[:20]} is too large")
    return value


def _constant(text: str) -> Any:
    raise _Refused(f"'{text}' is not a number a save holds")


def _parse_json(raw: bytes, where: str) -> Any:
    try:
        text = raw.decode("utf-8", "surrogatepass")  # as written: text typed at a terminal may hold lone surrogates
    except UnicodeDecodeError:
        raise SaveError(f"{where}: not a crisis-sim save (not text)") from None
    try:
        document = json.loads(text, parse_int=_whole_number, parse_float=_finite, parse_constant=_constant)
    except _Refused as exc:
        raise SaveError(f"{where}: damaged: {exc}") from None
    except RecursionError:
        raise SaveError(f"{where}: damaged: nested more than {MAX_DEPTH} levels deep") from None
    except json.JSONDecodeError as exc:
        if exc.pos == len(text) - len(text.lstrip()):  # not even the start of JSON: some other file
            raise SaveError(f"{where}: not a crisis-sim save (invalid JSON from its first character)") from None
        raise SaveError(
            f"{where}: damaged or truncated: invalid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})"
        ) from None
    except ValueError as exc:  # anything else json refuses
        raise SaveError(f"{where}: damaged: {exc}") from None
    if _depth(document) > MAX_DEPTH:
        raise SaveError(f"{where}: damaged: nested more than {MAX_DEPTH} levels deep")
    return document


def _depth(value: Any) -> int:
    """How deeply JSON arrays and objects nest in `value` (without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _field(data: dict, name: str, kind: type, default: Any = ...) -> Any:
    if name not in data:
        if default is not ...:
            return default
        raise ValueError(f"the field '{name}' is missing")
    value = data[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"the field '{name}' should be {_KIND_NAMES[kind]}")
    return value


def _text(value: str, what: str, limit: int) -> str:
    if len(value) > limit:
        raise ValueError(f"{what} is longer than {limit} characters")
    return value


_KIND_NAMES = {dict: "a mapping", list: "a list", str: "text", int: "a whole number"}
PLAYER_KINDS = ("human", *BOTS)
_DIGEST = re.compile(r"[0-9a-f]{64}")
# The summary, as listing saves reads it: key -> the types it may have.
_SUMMARY = {
    "title": (str,),
    "turn": (int,),
    "max_turns": (int,),
    "phase": (str,),
    "level": (str,),
    "outcome": (str, type(None)),
    "events": (int,),
    "log_sha256": (str,),
    "saved_at": (str,),
}


def _check_save(save: SaveFile) -> None:
    """Every value a save holds, with the type and size the game expects."""
    if not _DIGEST.fullmatch(save.scenario_digest):
        raise ValueError("the scenario's sha256 is not a hash")
    if not abs(save.seed) < MAX_SEED:
        raise ValueError("the seed is too large")
    if not 1 <= save.max_turns <= 100:
        raise ValueError(f"max_turns is {save.max_turns}")
    if len(save.players) > MAX_ITEMS:
        raise ValueError("too many players")
    for role, kind in save.players.items():
        if not isinstance(kind, str) or kind not in PLAYER_KINDS:
            shown = printable(str(kind)[:40])
            raise ValueError(
                f"role '{printable(role[:40])}' is played by '{shown}', not one of {', '.join(PLAYER_KINDS)}"
            )
    _check_settings(save.settings)
    for key, kinds in _SUMMARY.items():
        value = save.summary.get(key)
        if key in save.summary and (not isinstance(value, kinds) or isinstance(value, bool)):
            raise ValueError(f"the summary's '{key}' has the wrong type")
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise ValueError(f"the summary's '{key}' is too long")
    if len(save.commands) > MAX_COMMANDS:
        raise ValueError(f"more than {MAX_COMMANDS:,} commands")
    for number, command in enumerate(save.commands, 1):
        _check_command(command, number)
    if save.workshop is not None:
        _check_workshop(save.workshop)


def _check_settings(settings: dict[str, Any]) -> None:
    timer = settings.get("timer_minutes", 0)
    if not isinstance(timer, int | float) or isinstance(timer, bool) or not 0 <= timer <= 120:
        raise ValueError("timer_minutes should be a number of minutes from 0 to 120")
    if settings.get("on_expiry", "keep") not in ("keep", "bot"):
        raise ValueError("on_expiry should be 'keep' or 'bot'")
    lock = settings.get("white_cell_lock")
    if lock is not None and not is_stored_passphrase(lock):
        raise ValueError("white_cell_lock is not a stored passphrase")


def _check_command(data: Any, number: int) -> None:
    """A command as the engine's dataclass declares it: known kind and fields,
    each of its type, texts and lists of bounded size."""
    if not isinstance(data, dict):
        raise ValueError(f"command {number} is not a mapping")
    kind = data.get("kind")
    cls = COMMAND_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ValueError(f"command {number} is of no known kind")
    hints = _command_fields(cls)
    for name, value in data.items():
        if name == "kind":
            continue
        if name not in hints:
            raise ValueError(f"command {number} ({cls.kind}) has an unknown field '{printable(str(name)[:40])}'")
        if not _of_type(value, hints[name]):
            raise ValueError(f"command {number} ({cls.kind}) is malformed: '{name}' has the wrong type")
    missing = [name for name, required in _required_fields(cls) if required and name not in data]
    if missing:
        raise ValueError(f"command {number} ({cls.kind}) is missing '{missing[0]}'")


def _command_fields(cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def _required_fields(cls: type) -> list[tuple[str, bool]]:
    return [
        (f.name, f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
        for f in dataclasses.fields(cls)
    ]


def _of_type(value: Any, tp: Any) -> bool:
    if tp is str:
        return isinstance(value, str) and len(value) <= MAX_TEXT
    if tp is bool:
        return isinstance(value, bool)
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if typing.get_origin(tp) is tuple:  # tuple[str, ...]: a list in JSON
        (item,) = [a for a in typing.get_args(tp) if a is not Ellipsis]
        return isinstance(value, list) and len(value) <= MAX_ITEMS and all(_of_type(v, item) for v in value)
    return False  # a field type commands do not use


def _check_workshop(workshop: Any) -> None:
    if not isinstance(workshop, dict):
        raise ValueError("the workshop state should be a mapping")
    try:
        size = len(json.dumps(workshop, ensure_ascii=False, allow_nan=False).encode("utf-8", "surrogatepass"))
    except (TypeError, ValueError, RecursionError):
        raise ValueError("the workshop state is not plain JSON") from None
    if size > MAX_WORKSHOP_BYTES:
        raise ValueError(f"the workshop state is larger than {MAX_WORKSHOP_BYTES // 1024} KB")
    if _depth(workshop) > MAX_DEPTH:
        raise ValueError(f"the workshop state is nested more than {MAX_DEPTH} levels deep")


# ---------------------------------------------------------------- restoring


def restore(save: SaveFile, loaded: Loaded) -> Game:
    """Rebuild the saved game by replaying its commands on `loaded`."""
    where = printable(str(save.path or "save"))
    if loaded.scenario.id != save.scenario_id:
        raise SaveError(
            f"{where}: this save is for scenario '{printable(save.scenario_id)}', not '{loaded.scenario.id}'"
        )
    if loaded.digest != save.scenario_digest:
        raise SaveError(
            f"{where}: the scenario file {printable(loaded.path)} has changed since this game was "
            "saved, so the game cannot be replayed exactly"
        )
    roles = {r.id for r in loaded.scenario.roles}
    unknown = [role for role in save.players if role not in roles]
    if unknown:
        raise SaveError(
            f"{where}: damaged: it seats role '{printable(unknown[0][:40])}', which the scenario does not have"
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


def resolve_scenario(save: SaveFile, search: Iterable[Path] = (), override: str | os.PathLike | None = None) -> Loaded:
    """The scenario a save was played with, found safely.

    `override` is a file the user named, loaded as any scenario. Otherwise the
    path recorded in the save, then the scenario files in `search`, are read
    only if their bytes have the digest the save recorded: a save can name any
    path, and a file whose content does not match is never parsed, so its
    content never shows in an error. Raises SaveError or ScenarioError."""
    if override is not None:
        return load(override)
    candidates = [Path(save.scenario_path)]
    for directory in search:
        with contextlib.suppress(OSError, ValueError):
            candidates += sorted(p for p in Path(directory).iterdir() if p.suffix in (".yaml", ".yml"))
    for path in candidates:
        data = _scenario_bytes(path)
        if data is not None and hashlib.sha256(data).hexdigest() == save.scenario_digest:
            return load_bytes(data, str(path))
    for path in candidates[1:]:  # the scenario, changed since: restore() says so
        with contextlib.suppress(ScenarioError, OSError):
            loaded = load(path)
            if loaded.scenario.id == save.scenario_id:
                return loaded
    raise SaveError(
        f"cannot find scenario '{printable(save.scenario_id)}' (saved from {printable(save.scenario_path)}); "
        "give it with --scenario"
    )


def _scenario_bytes(path: Path) -> bytes | None:
    """The bytes of a scenario file (.yaml or .yml, regular), or None."""
    if path.suffix not in (".yaml", ".yml"):
        return None
    try:
        return _read_bounded(path, MAX_SCENARIO_BYTES, "scenario file", "")
    except SaveError:
        return None


def verify(save: SaveFile, game: Game) -> list[str]:
    """Differences between the replayed `game` and what the save recorded."""
    problems = []
    recorded = save.summary.get("log_sha256")
    if recorded and recorded != log_digest(game):
        problems.append("the replayed event log differs from the one recorded when the game was saved")
    for key in ("turn", "phase", "events"):
        if key in save.summary and save.summary[key] != summarise(game)[key]:
            problems.append(f"{key}: saved {printable(repr(save.summary[key]))}, replayed {summarise(game)[key]!r}")
    return problems


# ----------------------------------------------------------------- listing

IN_PROGRESS, ENDED, UNREADABLE = "in progress", "ended", "unreadable"


@dataclass(frozen=True, slots=True)
class SaveEntry:
    """One file of a saves folder, as the title screen lists it."""

    path: Path
    status: str  # IN_PROGRESS, ENDED or UNREADABLE
    reason: str | None = None  # why it is unreadable
    title: str | None = None  # the scenario's title
    scenario_id: str | None = None
    turn: int | None = None
    max_turns: int | None = None
    saved_at: dt.datetime | None = None  # from the save, else the file's time
    save: SaveFile | None = None

    def __iter__(self):
        """As the pair (path, SaveFile or SaveError) that list_saves used to give."""
        yield self.path
        yield self.save if self.save is not None else SaveError(self.reason or "unreadable")


def list_saves(directory: Path = SAVES_DIR) -> list[SaveEntry]:
    """Every `*.json` file in `directory`, newest first, each with its status:
    in progress, ended, or unreadable with the reason. No file in the folder
    can make this fail or hang. Leftover temporary files of killed saves are
    removed on the way."""
    try:
        if not directory.is_dir():
            return []
        entries = [e for e in os.scandir(directory) if e.name.endswith(".json") and not e.name.startswith(".")]
    except (OSError, ValueError):
        return []
    remove_stale_temporary_files(directory)
    dated = []
    for entry in entries:
        try:
            when = entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            when = 0.0
        dated.append((when, entry.name, Path(entry.path)))
    dated.sort(key=lambda item: (-item[0], item[1]))
    found, budget = [], MAX_LISTED_BYTES
    for number, (when, _, path) in enumerate(dated):
        file_time = dt.datetime.fromtimestamp(when, dt.UTC) if when else None
        if number >= MAX_LISTED or budget <= 0:
            found.append(SaveEntry(path, UNREADABLE, "not read: too many saves in this folder", saved_at=file_time))
            continue
        try:
            save = read_save(path)
        except SaveError as exc:
            found.append(SaveEntry(path, UNREADABLE, str(exc), saved_at=file_time))
            continue
        budget -= _size(path)
        found.append(_entry(path, save, file_time))
    return found


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _entry(path: Path, save: SaveFile, file_time: dt.datetime | None) -> SaveEntry:
    s = save.summary
    ended = s.get("outcome") is not None or s.get("phase") == "debrief"
    return SaveEntry(
        path,
        ENDED if ended else IN_PROGRESS,
        title=s.get("title", save.scenario_id),
        scenario_id=save.scenario_id,
        turn=s.get("turn"),
        max_turns=s.get("max_turns", save.max_turns),
        saved_at=_saved_at(s.get("saved_at")) or file_time,
        save=save,
    )


def _saved_at(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)
