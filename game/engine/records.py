"""Events and commands as plain dicts (for saves, transcripts and JSON), and back."""

from __future__ import annotations

import dataclasses
from typing import Any


def to_dict(record: Any) -> dict[str, Any]:
    """{"kind": ..., field: value...}, tuples as lists."""
    data = {"kind": record.kind}
    for f in dataclasses.fields(record):
        data[f.name] = _lists(getattr(record, f.name))
    return data


def from_dict(types: dict[str, type], data: dict[str, Any]) -> Any:
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
