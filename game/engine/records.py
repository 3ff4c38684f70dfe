"""Events and commands as plain dicts (for saves, transcripts and JSON), and back."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

# Metadata of a field added to a record after saves were made: left out of the
# dict while it holds its default, so older records keep their exact form (and
# the checksums of the logs and saves made before the field existed still match).
ADDED_LATER = {"omit_default": True}
# Metadata of a field that spells out for readers what the record already says
# (what a roll was for, beside its key): left out of the dict unless the full
# form is asked for, so the logs of games saved before it existed keep their
# exact form and checksums. Replaying the commands of a save fills it in again.
SPELLED_OUT = {"spelled_out": True}


def to_dict(record: Any, full: bool = False) -> dict[str, Any]:
    """{"kind": ..., field: value...}, tuples as lists; with `full`, spelled-out fields too."""
    data = {"kind": record.kind}
    for f in dataclasses.fields(record):
        if not full and f.metadata.get("spelled_out"):
            continue
        value = getattr(record, f.name)
        if f.metadata.get("omit_default") and value == f.default:
            continue
        data[f.name] = _lists(value)
    return data


def from_dict(types: Mapping[str, type[Any]], data: dict[str, Any]) -> Any:
    """The record `data` describes; KeyError, TypeError or ValueError when it is malformed."""
    cls = types[data["kind"]]
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = set(data) - {"kind"} - names
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)} in a '{cls.kind}' record")
    return cls(**{name: _tuples(value) for name, value in data.items() if name in names})


def _lists(value: Any) -> Any:
    return [_lists(v) for v in value] if isinstance(value, tuple) else value


def _tuples(value: Any) -> Any:
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value
