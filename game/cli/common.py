"""What the commands share: finding scenarios and saves, reporting their errors, writing output."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
SCENARIO_SUFFIXES = (".yaml", ".yml")


def shipped_scenarios_dir() -> Path:
    """`scenarios/` beside the package (a source checkout or an editable install)."""
    return PACKAGE_DIR.parent / "scenarios"


def default_scenario() -> Path:
    return shipped_scenarios_dir() / "baghdad-2023.yaml"


def expand_paths(paths: list[str]) -> tuple[list[Path], list[str]]:
    """Files to validate: directories give their scenario files, sorted."""
    files, problems = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in SCENARIO_SUFFIXES and p.is_file())
            if not found:
                problems.append(f"{raw}: error: no .yaml files in this directory")
            files.extend(found)
        else:
            files.append(path)
    return files, problems


def count(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def writable_file(output: str, command: str) -> bool:
    """Whether `output` names a file in an existing folder; says why not."""
    path = Path(output)
    if path.is_dir():
        print(f"crisis {command}: error: {output} is a directory; give a file name", file=sys.stderr)
        return False
    if not path.parent.is_dir():
        print(f"crisis {command}: error: no folder {path.parent} to write {path.name} in", file=sys.stderr)
        return False
    return True


def write_output(text: str, output: str | None, command: str) -> int:
    """Write to the file given with -o (which must be in an existing folder), or to standard output."""
    if not output:
        sys.stdout.write(text)
        return 0
    from game.workshop.saves import atomic_write

    path = Path(output)
    if not writable_file(output, command):
        return 1
    try:
        atomic_write(path, text.encode("utf-8"))
    except OSError as exc:
        print(f"crisis {command}: error: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0


def load_or_report(path: Path):
    """The loaded scenario, or None after printing its errors."""
    from game.scenario import ScenarioError, load

    try:
        return load(path)
    except ScenarioError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        return None


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
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{self.total}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 50 + "\r")
            sys.stderr.flush()


def scenario_and_bots(args: argparse.Namespace, command: str):
    """(loaded scenario, bots per role), or the exit code after saying what is wrong."""
    from game.analysis.simulate import parse_bots

    loaded = load_or_report(Path(args.scenario))
    if loaded is None:
        return None, 1
    try:
        return (loaded, parse_bots(args.bots, [r.id for r in loaded.scenario.roles])), 0
    except ValueError as exc:
        print(f"crisis {command}: error: {exc}", file=sys.stderr)
        return None, 2


def find_scenario_for(save, override: str | None) -> Path | None:
    """The scenario file of a save: --scenario, the recorded path, or a shipped one."""
    if override:
        return Path(override)
    recorded = Path(save.scenario_path)
    if recorded.is_file():
        return recorded
    from game.scenario import ScenarioError, load

    for candidate in sorted(shipped_scenarios_dir().glob("*.yaml")):
        try:
            if load(candidate).scenario.id == save.scenario_id:
                return candidate
        except ScenarioError:
            continue
    return None


def restore_save(args: argparse.Namespace, command: str):
    """(save, replayed game) for args.save, or None after saying what is wrong."""
    return restore_path(args.save, args.scenario, command)


def restore_path(path: str, scenario: str | None, command: str):
    """(save, replayed game) for the save at `path`, or None after saying what is wrong."""
    from game.workshop.saves import SaveError, read_save, restore

    try:
        save = read_save(path)
        scenario_path = find_scenario_for(save, scenario)
        if scenario_path is None:
            raise SaveError(
                f"cannot find scenario '{save.scenario_id}' (saved from {save.scenario_path}); give it with --scenario"
            )
        loaded = load_or_report(scenario_path)
        return (save, restore(save, loaded)) if loaded is not None else None
    except SaveError as exc:
        print(f"crisis {command}: error: {exc}", file=sys.stderr)
        return None


def positive(text: str) -> int:
    """A whole number of 1 or more (argparse names this function in its errors)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value
