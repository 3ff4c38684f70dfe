"""How the scenario format is declared: the model classes of `model.py` are built from these.

The kinds of text a field may hold (`Id`, `Ref`, `Date`...), the `Model` base class with
`spec()` to declare a documented field, the questions the reader and the JSON Schema ask
of a model class's fields, and walks over a tree of model objects.
"""

from __future__ import annotations

import copy
import dataclasses
import types
import typing
from collections.abc import Iterator
from dataclasses import MISSING, dataclass
from typing import TYPE_CHECKING, Any, ClassVar, NewType

from game.scenario.diagnostics import NOWHERE, Loc
from game.scenario.expr import Condition, Formula
from game.scenario.text import Template

# Kinds of text, distinguished so that later checks and the JSON Schema know them.
if TYPE_CHECKING:
    # To the type checker an id is text: the engine, its events and the saves carry ids
    # as plain `str`, and look them up in the model's maps (keyed by `Id`).
    Id = str
    Ref = str
else:
    Id = NewType("Id", str)  # a new identifier: lower case, digits, underscores
    Ref = NewType("Ref", str)  # the id of something defined elsewhere in the file
Date = NewType("Date", str)  # YYYY-MM-DD
PartialDate = NewType("PartialDate", str)  # YYYY-MM-DD, YYYY-MM or YYYY: as precise as the source

# An id as the reader and the JSON Schema accept it.
ID_REGEX = "[a-z][a-z0-9_]*"
# Text compiled later, against the scenario's names: kept with its location.
COMPILED_TEXT = (Condition, Formula, Template)
TEXT_KINDS = (str, Id, Ref, Date, PartialDate, *COMPILED_TEXT)

# No scenario needs numbers this large; bigger ones are mistakes (or attempts to overflow).
MAX_NUMBER = 1e12


def spec(
    doc: str, default: Any = MISSING, *, ge: float | None = None, le: float | None = None, key: str | None = None
) -> Any:
    """A documented model field. `key` is its name in YAML when that is a Python
    keyword (`from`). Lists and dicts as defaults are copied per object."""
    meta = {"doc": doc, "ge": ge, "le": le, "key": key}
    if isinstance(default, (list, dict)):
        return dataclasses.field(default_factory=lambda: copy.copy(default), metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


@dataclass(kw_only=True, slots=True)
class Model:
    """Base of every format object: where it was written, and each key's value."""

    noun: ClassVar[str] = "item"
    loc: Loc = dataclasses.field(default=NOWHERE, repr=False, compare=False)
    locs: dict[str, Loc] = dataclasses.field(default_factory=dict, repr=False, compare=False)

    def where(self, field: str) -> Loc:
        """The location of a field's value, or of this object if it was not given."""
        return self.locs.get(field, self.loc)


INTERNAL_FIELDS = {"loc", "locs"}


def loc_of(value: object, default: Loc = NOWHERE) -> Loc:
    """Where in the file a value read from it was written: ids and numbers read by the
    reader remember it; other values (defaults, values built in code) give `default`."""
    return getattr(value, "loc", default)


# Memos by class (not `functools.cache`: mypy takes a model class, whose instances are
# unhashable, for an unhashable argument).
_FIELDS: dict[type, list[tuple[dataclasses.Field, Any]]] = {}


def fields_of(cls: type) -> list[tuple[dataclasses.Field, Any]]:
    """The format fields of a model class with their resolved types, in order."""
    found = _FIELDS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        found = [(f, hints[f.name]) for f in dataclasses.fields(cls) if f.name not in INTERNAL_FIELDS]
        _FIELDS[cls] = found
    return found


_KEYS: dict[type, dict[str, tuple[dataclasses.Field, Any]]] = {}


def keys_of(cls: type) -> dict[str, tuple[dataclasses.Field, Any]]:
    """The model's fields by their keys in YAML."""
    found = _KEYS.get(cls)
    if found is None:
        found = _KEYS[cls] = {key_of(f): (f, tp) for f, tp in fields_of(cls)}
    return found


def key_of(f: dataclasses.Field) -> str:
    """The field's key in the YAML file."""
    return f.metadata.get("key") or f.name


def is_required(f: dataclasses.Field) -> bool:
    return f.default is MISSING and f.default_factory is MISSING


def default_of(f: dataclasses.Field) -> Any:
    if f.default is not MISSING:
        return f.default
    if f.default_factory is not MISSING:
        return f.default_factory()
    return None


def is_optional(tp: Any) -> bool:
    args = union_args(tp)
    return args is not None and type(None) in args


def union_args(tp: Any) -> tuple | None:
    """The options of a union type (`Ref | None`), or None if `tp` is not one."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return typing.get_args(tp)
    return None


# ---------------------------------------------------------------- walking a tree of model objects


def walk(model: Model, kind: type | None = None) -> Iterator:
    """Every model object inside `model` (itself included), of `kind` if given."""
    if kind is None or isinstance(model, kind):
        yield model
    for _, value in walk_values(model):
        if isinstance(value, Model) and (kind is None or isinstance(value, kind)):
            yield value


def walk_values(model: Model) -> Iterator[tuple[Model, object]]:
    """(owner, value) for every field value, and each item of list fields, of `model` and
    of every model object inside it, each object's right after it (depth first)."""
    # A stack of the objects being walked, not generators nested in generators: each value
    # went up through every level of `yield from` (the walks were a tenth of validating).
    stack = [_values(model)]
    while stack:
        for owner, item in stack[-1]:
            yield owner, item
            if isinstance(item, Model):
                stack.append(_values(item))
                break
        else:
            stack.pop()


def _values(model: Model) -> Iterator[tuple[Model, object]]:
    for f, _ in fields_of(type(model)):
        value = getattr(model, f.name)
        if isinstance(value, list):
            for item in value:
                yield model, item
        else:
            yield model, value
