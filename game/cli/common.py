"""What the commands share: finding scenarios and saves, reporting their errors, writing output."""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
SCENARIO_SUFFIXES = (".yaml", ".yml")


def shipped_scenarios_dir() -> Path:
    """`scenarios/` beside the package (a source checkout or an editable install)."""
    return PACKAGE_DIR.parent / "scenarios"


def default_scenario() -> Path:
    return shipped_scenarios_dir() / "baghdad-2023.yaml"


def is_dir(path: Path) -> bool:
    """Whether `path` is a directory; False for a name too long or otherwise unusable."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def is_file(path: Path) -> bool:
    """Whether `path` is a regular file; False for a name too long or otherwise unusable."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def expand_paths(paths: list[str]) -> tuple[list[Path], list[str]]:
    """Files to validate: directories give their scenario files, sorted."""
    files, problems = [], []
    for raw in paths:
        path = Path(raw)
        if is_dir(path):
            try:
                found = sorted(p for p in path.iterdir() if p.suffix in SCENARIO_SUFFIXES and is_file(p))
            except OSError as exc:
                problems.append(f"{raw}: error: cannot list this directory: {exc.strerror or exc}")
                continue
            if not found:
                problems.append(f"{raw}: error: no .yaml files in this directory")
            files.extend(found)
        else:
            files.append(path)
    return files, problems


def count(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def writable_file(output: str, command: str, inputs: Iterable[str] = ()) -> bool:
    """Whether `output` names a file that may be written (a new one in an existing
    folder, or a regular file to replace, not one of the command's `inputs`); says why not."""
    kind = _kind_of(Path(output))
    if kind == "file":
        kind = _overwrites(Path(output), inputs, saves=False) or kind
    if kind not in ("new", "file"):
        print(f"crisis {command}: error: {kind}", file=sys.stderr)
        return False
    return True


def _overwrites(path: Path, inputs: Iterable[str], saves: bool = True) -> str | None:
    """Why writing over the existing file `path` would lose work: it is one of the
    command's `inputs` (a scenario, a save), or (with `saves`) a saved game."""
    for given in inputs:
        with contextlib.suppress(OSError, ValueError):
            if os.path.samefile(path, given):
                return f"{path} is what this command reads; give another file to write to"
    if saves:
        with contextlib.suppress(OSError, ValueError), open(path, "rb") as existing:
            if SAVE_MARK.search(existing.read(4096)):
                return f"{path} is a saved game; crisis does not write over it (give another file)"
    return None


# How a save file begins (game.workshop.saves writes its format first).
SAVE_MARK = re.compile(rb'\A\s*\{\s*"format"\s*:\s*"crisis-sim save"')


def write_output(text: str, output: str | None, command: str, inputs: Iterable[str] = (), private: bool = False) -> int:
    """Write `text` to standard output (no -o, or `-o -`) or to the file given with -o
    (`private`: readable by its owner only, for text that holds every team's secrets).

    A regular file (or a symbolic link to one) is replaced atomically, unless it is one
    of the command's `inputs` or a saved game; a new one is created in an existing
    folder. A terminal, a pipe or /dev/null is written as a stream. Anything else is
    refused rather than replaced."""
    if not output or output == "-":
        sys.stdout.write(text)
        return 0
    from game.workshop.saves import atomic_write

    text = terminal_safe(text)  # a file is read in a terminal too
    path = Path(output)
    mode = 0o600 if private else None
    problem = None
    try:
        kind = _kind_of(path)
        if kind == "new":
            atomic_write(path, text.encode("utf-8"), mode=mode)
        elif kind == "file" and (problem := _overwrites(path, inputs)) is None:
            atomic_write(Path(os.path.realpath(path)), text.encode("utf-8"), mode=mode)  # a link stays a link
        elif kind == "stream":
            with open(path, "w", encoding="utf-8") as stream:
                stream.write(text)
        elif kind != "file":
            problem = kind
    except OSError as exc:
        problem = f"cannot write {output}: {exc.strerror or exc}"
    except ValueError:
        problem = f"cannot write {output}: not a usable file name"
    if problem:
        print(f"crisis {command}: error: {problem}", file=sys.stderr)
        return 1
    return 0


def _kind_of(path: Path) -> str:
    """'new' (in an existing folder), 'file' (regular), 'stream' (a terminal,
    pipe or character device), or why crisis will not write there."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            return f"{path} is a symbolic link to a missing file; give the file itself"
        return "new" if is_dir(path.parent) else f"no folder {path.parent} to write {path.name} in"
    except OSError as exc:
        return f"cannot write {path}: {exc.strerror or exc}"
    except ValueError:
        return f"cannot write {path}: not a usable file name"
    if stat.S_ISDIR(info.st_mode):
        return f"{path} is a directory; give a file name"
    if stat.S_ISREG(info.st_mode):
        return "file"
    if stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode):
        return "stream"
    return f"{path} is not a regular file, a terminal or a pipe; crisis will not write over it"


def saves_folder_ok(saves: str, command: str) -> bool:
    """Whether --saves names a folder (or nothing yet: it is made at the first save); says why not.
    A game whose autosaves cannot be written would be lost with the program."""
    if os.path.exists(saves) and not os.path.isdir(saves):
        print(f"crisis {command}: error: --saves {saves}: not a folder", file=sys.stderr)
        return False
    return True


def load_or_report(path: Path):
    """The loaded scenario, or None after printing its errors."""
    from game.scenario import ScenarioError, load

    try:
        return load(path)
    except ScenarioError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        return None


# Characters that a terminal acts on rather than shows: C0 and C1 controls
# (escape sequences, carriage return, backspace, bell), DEL, and the Unicode
# line separators and bidirectional overrides that reorder or split a line;
# and lone surrogates, which no terminal encoding can write. Line feeds and
# tabs stay: they are the layout of the output.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def terminal_safe(text: str) -> str:
    """`text` with every control character written as a visible escape (\\x1b)."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class EscapingWriter:
    """A text stream that writes control characters as visible escapes: every
    command prints scenario text, saves and paths that could otherwise recolour
    the screen, set the window title or overwrite a line."""

    def __init__(self, stream):
        self.unescaped = stream  # for what the program itself draws (a progress bar)

    def write(self, text: str) -> int:
        self.unescaped.write(terminal_safe(text))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self.unescaped, name)


def unescaped(stream):
    """The stream under an EscapingWriter (or the stream itself)."""
    return getattr(stream, "unescaped", stream)


def usable_workers(requested: int) -> int:
    """`requested`, but no more than the processors this process may use: each
    game runs on one processor, so more processes only add memory (about 50 MB
    each) and start-up time."""
    try:
        processors = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        processors = os.cpu_count() or 1
    return max(1, min(requested, processors))


class Progress:
    """A one-line progress bar on a terminal's standard error; silent otherwise."""

    def __init__(self, total: int, enabled: bool):
        self.total = total
        self.enabled = enabled and total > 0
        self.shown = -1

    def __call__(self, done: int) -> None:
        if not self.enabled:
            return
        percent = done * 100 // self.total
        if percent != self.shown:
            self.shown = percent
            filled = percent * 30 // 100
            err = unescaped(sys.stderr)  # the bar redraws itself with a carriage return
            err.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{self.total}")
            err.flush()

    def close(self) -> None:
        if self.enabled:
            err = unescaped(sys.stderr)
            err.write("\r" + " " * 50 + "\r")
            err.flush()


def scenario_and_bots(args: argparse.Namespace, command: str):
    """(loaded scenario, bots per role), or the exit code after saying what is wrong."""
    from game.analysis.simulate import parse_bots

    loaded = load_or_report(Path(args.scenario))
    if loaded is None:
        return None, 1
    try:
        roles = loaded.scenario.roles
        return (loaded, parse_bots(args.bots, [r.id for r in roles], [r.id for r in roles if r.bot_only])), 0
    except ValueError as exc:
        print(f"crisis {command}: error: {exc}", file=sys.stderr)
        return None, 2


def restore_save(args: argparse.Namespace, command: str):
    """(save, replayed game) for args.save, or None after saying what is wrong."""
    return restore_path(args.save, args.scenario, command)


def restore_path(path: str, scenario: str | None, command: str):
    """(save, replayed game) for the save at `path`, or None after saying what is wrong.

    The scenario is `scenario` if given, else the file the save names or a
    shipped one, each only if its content is the one the save was played with."""
    from game.scenario import ScenarioError
    from game.workshop.saves import SaveError, read_save, resolve_scenario, restore

    try:
        save = read_save(path)
        loaded = resolve_scenario(save, [shipped_scenarios_dir()], scenario)
        return save, restore(save, loaded)
    except ScenarioError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
    except SaveError as exc:
        print(f"crisis {command}: error: {exc}", file=sys.stderr)
    return None


def positive(text: str) -> int:
    """A whole number of 1 or more (argparse names this function in its errors)."""
    return _at_least(text, 1)


# Games one command may play: each game's record stays in memory until the report
# (about 10 KB), so a mistyped --runs 1000000000 would fill memory before the first game.
MAX_RUNS = 100_000
RUNS_HINT = " (each game is kept in memory until the report; play more with several --seed values)"


def runs(text: str) -> int:
    """A number of games: 1 to MAX_RUNS (argparse names this function in its errors)."""
    return _at_most(_at_least(text, 1), MAX_RUNS, RUNS_HINT)


def runs_or_none(text: str) -> int:
    """A number of games: 0 to MAX_RUNS."""
    return _at_most(_at_least(text, 0), MAX_RUNS, RUNS_HINT)


def port_number(text: str) -> int:
    """A TCP port: 0 (any free one) to 65535."""
    return _at_most(_at_least(text, 0), 65535)


def turn_count(text: str) -> int:
    """A number of turns: 1 to 100, as a scenario's turns.max."""
    return _at_most(_at_least(text, 1), 100)


def minutes(text: str) -> float:
    """Minutes on a clock: 0 (none) to a day."""
    return _number_within(text, 0, 24 * 60, "0 (no timer) to 1440 minutes")


def poll_seconds(text: str) -> float:
    """How often to look at a file: a hundredth of a second to a minute."""
    return _number_within(text, 0.01, 60, "0.01 to 60 seconds")


def _number_within(text: str, low: float, high: float, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not low <= value <= high:  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be {what}, not {text}")
    return value


def _at_most(value: int, most: int, hint: str = "") -> int:
    if value > most:
        raise argparse.ArgumentTypeError(f"must be {most:,} or less, not {value:,}{hint}")
    return value


def non_negative(text: str) -> int:
    """A whole number of 0 or more (argparse names this function in its errors)."""
    return _at_least(text, 0)


def _at_least(text: str, least: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"must be {least} or more, not {value}")
    return value
