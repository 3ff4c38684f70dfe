"""Reading a YAML file into a node tree, safely and with located errors.

Only PyYAML's safe loader is used (the C one when available). We never construct
Python objects from the tree here: the schema walker reads the nodes itself, so
every value keeps its line and column, duplicate keys are caught, and YAML 1.1
surprises (`no` meaning false) cannot change a text field.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from game.scenario.diagnostics import Loc, Report

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 4 * 1024 * 1024
# Deeper than any sensible scenario; the C composer recurses on the C stack and
# crashes on very deep input, so depth is checked on the event stream first.
MAX_DEPTH = 64

MERGE_TAG = "tag:yaml.org,2002:merge"


def mark_loc(mark) -> Loc:
    return Loc(mark.line + 1, mark.column + 1)


def node_loc(node: yaml.Node) -> Loc:
    return mark_loc(node.start_mark)


def _index_loc(text: str, index: int) -> Loc:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return Loc(line, col)


def read_text(path: Path, report: Report) -> str | None:
    """The file's text, or None with an error in `report`."""
    data = read_bytes(path, report)
    return None if data is None else decode(data, report)


def read_bytes(path: Path, report: Report) -> bytes | None:
    """The file's bytes, or None with an error in `report`."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            report.error(None, "is a directory, not a scenario file")
            return None
        if size > MAX_FILE_BYTES:
            report.error(
                None,
                f"file is too large ({size / 1e6:.1f} MB); "
                f"a scenario file may be at most {MAX_FILE_BYTES // (1024 * 1024)} MB",
            )
            return None
        return path.read_bytes()
    except FileNotFoundError:
        report.error(None, "no such file")
    except OSError as exc:
        report.error(None, f"cannot read file: {exc.strerror or exc}")
    return None


def decode(data: bytes, report: Report) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", errors="replace")
        report.error(
            _index_loc(good, len(good)),
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded "
            "(scenario files must be saved as UTF-8)",
        )
        return None


def _check_shape(text: str, report: Report) -> bool:
    """Walk the event stream (iterative, in C) to refuse input nested too deeply."""
    depth = 0
    for event in yaml.parse(text, Loader=SafeLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                report.error(
                    mark_loc(event.start_mark),
                    f"nested more than {MAX_DEPTH} levels deep",
                )
                return False
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return True


def compose(text: str, report: Report) -> yaml.Node | None:
    """The document's root node, or None with located errors in `report`."""
    try:
        if not _check_shape(text, report):
            return None
        root = yaml.compose(text, Loader=SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and "end of stream" in (exc.problem or ""):
            mark = exc.context_mark  # e.g. an unclosed quote: point where it opened
        message = exc.problem or "invalid YAML"
        if exc.context and exc.problem:
            message = f"{exc.problem} ({exc.context})"
        report.error(mark_loc(mark) if mark else None, f"YAML syntax error: {message}")
        return None
    except yaml.reader.ReaderError as exc:
        report.error(
            _index_loc(text, exc.position),
            f"character {exc.character!r} is not allowed in a YAML file",
        )
        return None
    except yaml.YAMLError as exc:  # any other PyYAML error has no mark
        report.error(None, f"YAML error: {exc}")
        return None
    if root is None:
        report.error(None, "the file is empty; expected a scenario (a mapping of keys)")
    return root


def load_node(path: str | os.PathLike, report: Report) -> yaml.Node | None:
    text = read_text(Path(path), report)
    if text is None:
        return None
    return compose(text, report)


def mapping_pairs(node: yaml.MappingNode, report: Report, seen: set[int] | None = None):
    """The key/value node pairs of a mapping, with `<<` merges applied.

    Explicit keys override merged ones (as in YAML's merge-key spec); a key
    given twice explicitly is an error at the second occurrence.
    """
    seen = seen if seen is not None else set()
    merged: list[tuple[yaml.Node, yaml.Node]] = []
    explicit: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key, value in node.value:
        if key.tag == MERGE_TAG:
            sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    report.error(node_loc(source), "a '<<' merge needs a mapping (or a list of mappings)")
                    continue
                if id(source) in seen:
                    continue  # a merge cycle; its keys are already here
                merged.extend(mapping_pairs(source, report, seen | {id(node)}))
            continue
        if not isinstance(key, yaml.ScalarNode):
            report.error(node_loc(key), "a key must be plain text, not a list or mapping")
            continue
        if key.value in explicit:
            first = node_loc(explicit[key.value][0])
            report.error(
                node_loc(key),
                f"duplicate key '{key.value}' (first given at line {first.line}, column {first.col})",
            )
            continue
        explicit[key.value] = (key, value)
    pairs = [(k, v) for k, v in merged if k.value not in explicit]
    # Later merge sources do not override earlier ones.
    unique: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for k, v in pairs:
        unique.setdefault(k.value, (k, v))
    return list(unique.values()) + list(explicit.values())
