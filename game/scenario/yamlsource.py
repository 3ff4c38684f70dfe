"""Reading a YAML file into a node tree, safely and with located errors.

Only PyYAML's safe loader is used (the C one when available). We never construct
Python objects from the tree here: the schema walker reads the nodes itself, so
every value keeps its line and column, duplicate keys are caught, and YAML 1.1
surprises (`no` meaning false) cannot change a text field.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from game.scenario.diagnostics import Loc, Report

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # PyYAML built without libyaml: the pure-Python loader, about 9x slower
    from yaml import SafeLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 4 * 1024 * 1024
# Deeper than any sensible scenario; the C composer recurses on the C stack and
# crashes on very deep input, so depth is checked on the event stream first.
MAX_DEPTH = 64
# Values (and keys) as written in the file, before aliases expand. The flagship
# holds about 6,000; the cap keeps the cost of loading any 4 MB file to a few seconds.
MAX_WRITTEN_NODES = 100_000
STR_TAG = "tag:yaml.org,2002:str"


class _Loader(SafeLoader):
    """The safe loader with a memo for resolving plain scalars' tags: PyYAML's
    resolver runs in Python for every scalar, and files repeat their values."""

    def __init__(self, stream):
        super().__init__(stream)
        self._tags: dict[str, str] = {}

    def resolve(self, kind, value, implicit):
        if kind is not yaml.ScalarNode:
            return super().resolve(kind, value, implicit)
        if not implicit[0]:  # quoted, or tagged '!': always text
            return STR_TAG
        tag = self._tags.get(value)
        if tag is None:
            tag = self._tags[value] = super().resolve(kind, value, implicit)
        return tag


MERGE_TAG = "tag:yaml.org,2002:merge"
# PyYAML's words for what is, nine times out of ten, a line indented wrongly.
INDENTATION_SIGNS = (
    "expected '-' indicator",
    "mapping values are not allowed",
    "expected <block end>",
    "could not find expected ':'",
)
BRACKET_SIGNS = ("expected ',' or ']'", "expected ',' or '}'")


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
        if not path.is_file():  # a pipe or a device: it could block or never end
            report.error(None, "is not a regular file")
            return None
        if too_large(size, report):
            return None
        return path.read_bytes()
    except FileNotFoundError:
        report.error(None, "no such file")
    except OSError as exc:
        report.error(None, f"cannot read file: {exc.strerror or exc}")
    except ValueError:  # e.g. a NUL character in the path
        report.error(None, "this is not a usable file name")
    return None


def too_large(size: int, report: Report) -> bool:
    if size > MAX_FILE_BYTES:
        report.error(
            None,
            f"file is too large ({size / 1e6:.1f} MB); "
            f"a scenario file may be at most {MAX_FILE_BYTES // (1024 * 1024)} MB",
        )
        return True
    return False


def decode(data: bytes, report: Report) -> str | None:
    if too_large(len(data), report):
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", errors="replace")
        report.error(
            _index_loc(good, len(good)),
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded (scenario files must be saved as UTF-8)",
        )
        return None


_OPENING = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSING = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_NODES = (yaml.ScalarEvent, yaml.AliasEvent)


def _check_shape(text: str, report: Report) -> bool:
    """Walk the event stream (iterative, in C) to refuse input nested too deeply
    or holding too many values, before any node is built."""
    depth = nodes = 0
    for event in yaml.parse(text, Loader=SafeLoader):
        if isinstance(event, _NODES):
            nodes += 1
        elif isinstance(event, _OPENING):
            nodes += 1
            depth += 1
            if depth > MAX_DEPTH:
                report.error(mark_loc(event.start_mark), f"nested more than {MAX_DEPTH} levels deep")
                return False
        elif isinstance(event, _CLOSING):
            depth -= 1
        if nodes > MAX_WRITTEN_NODES:
            report.error(
                mark_loc(event.start_mark),
                f"the file holds more than {MAX_WRITTEN_NODES:,} values; a scenario needs far fewer",
            )
            return False
    return True


def compose(text: str, report: Report) -> yaml.Node | None:
    """The document's root node, or None with located errors in `report`."""
    try:
        if not _check_shape(text, report):
            return None
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and "end of stream" in (exc.problem or ""):
            mark = exc.context_mark  # e.g. an unclosed quote: point where it opened
        message = exc.problem or "invalid YAML"
        if exc.context and exc.problem:
            message = f"{exc.problem} ({exc.context})"
        if any(sign in message for sign in INDENTATION_SIGNS):
            message += "; check the indentation of this line and the one before it"
        elif any(sign in message for sign in BRACKET_SIGNS):
            message += "; is a bracket or a brace left open?"
        report.error(mark_loc(mark) if mark else None, f"YAML syntax error: {message}")
        return None
    except yaml.reader.ReaderError as exc:
        # libyaml counts the position in UTF-8 bytes; the location is in characters.
        position = len(text.encode("utf-8")[: exc.position].decode("utf-8", errors="ignore"))
        report.error(
            _index_loc(text, position),
            f"character {_code_point(exc.character)} is not allowed in a YAML file",
        )
        return None
    except yaml.YAMLError as exc:  # any other PyYAML error has no mark
        report.error(None, f"YAML error: {exc}")
        return None
    if root is None:
        report.error(None, "the file is empty; expected a scenario (a mapping of keys)")
    return root


def _code_point(character: int | str) -> str:
    """'U+0007': the C reader gives the character's number, the Python one the character."""
    return f"U+{character if isinstance(character, int) else ord(character):04X}"


class TooLarge(Exception):
    """The document expands (through aliases and merges) past the budget."""


class Budget:
    """How many values a document may expand to: a small file with nested
    aliases or merges ("billion laughs") would otherwise expand without end."""

    def __init__(self, limit: int):
        self.left = limit

    def spend(self, amount: int = 1) -> None:
        self.left -= amount
        if self.left < 0:
            raise TooLarge


MAX_MERGE_DEPTH = 32


def mapping_pairs(
    node: yaml.MappingNode, report: Report, budget: Budget | None = None, seen: frozenset[int] = frozenset()
):
    """The key/value node pairs of a mapping, with `<<` merges applied.

    Explicit keys override merged ones (as in YAML's merge-key spec); a key
    given twice explicitly is an error at the second occurrence. Merged pairs
    are paid for from `budget`, and merges nest at most MAX_MERGE_DEPTH deep.
    """
    merged: list[tuple[yaml.Node, yaml.Node]] = []
    explicit: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key, value in node.value:
        if key.tag == MERGE_TAG:
            sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    report.error(node_loc(source), "a '<<' merge needs a mapping (or a list of mappings)")
                    continue
                if id(source) in seen or id(source) == id(node):
                    continue  # a merge cycle; its keys are already here
                if len(seen) >= MAX_MERGE_DEPTH:
                    report.error(node_loc(value), f"'<<' merges nested more than {MAX_MERGE_DEPTH} deep")
                    continue
                if budget is not None:
                    budget.spend()  # each visit costs, even of an empty mapping: merges can nest exponentially
                pairs = mapping_pairs(source, report, budget, seen | {id(node)})
                if budget is not None:
                    budget.spend(len(pairs))
                merged.extend(pairs)
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
