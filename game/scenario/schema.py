"""The JSON Schema of the scenario format, for editors (yaml-language-server).

Written from the model classes, as the reader reads them: the schema accepts the
values `crisis validate` accepts, read the same way (YAML 1.2, see `scalars.py`).
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import MISSING
from typing import Literal

from game.scenario.expr import Condition, Formula
from game.scenario.fields import (
    ID_REGEX,
    MAX_NUMBER,
    TEXT_KINDS,
    Date,
    Id,
    PartialDate,
    Ref,
    fields_of,
    is_required,
    key_of,
    union_args,
)
from game.scenario.model import FORMAT_VERSION, Scenario

SCHEMA_ID = "https://crisis-sim.example/schema/scenario-v1.json"


def scenario_schema() -> dict:
    schema = json_schema(Scenario, title=f"crisis-sim scenario (format {FORMAT_VERSION})", schema_id=SCHEMA_ID)
    schema["$defs"]["Scenario"]["properties"]["format"]["const"] = FORMAT_VERSION
    return schema


def json_schema(root: type, *, title: str, schema_id: str) -> dict:
    """A JSON Schema (draft 2020-12) for the model rooted at `root`."""
    defs: dict[str, dict] = {}
    top = _schema_for(root, defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        "title": title,
        **top,
        "$defs": defs,
    }


def _schema_for(tp, defs: dict) -> dict:
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # reserve first: models may refer to themselves
            props, required = {}, []
            for f, ftp in fields_of(tp):
                prop = dict(_schema_for(ftp, defs))
                prop["description"] = f.metadata.get("doc", "")
                for key, bound in (("minimum", "ge"), ("maximum", "le")):
                    if f.metadata.get(bound) is not None:
                        prop[key] = f.metadata[bound]
                default = f.default if f.default is not MISSING else None
                if default is not None and isinstance(default, (str, int, float, bool)):
                    prop["default"] = default
                props[key_of(f)] = prop
                if is_required(f):
                    required.append(key_of(f))
            defs[name] = {
                "type": "object",
                "description": (tp.__doc__ or "").strip().splitlines()[0],
                "properties": props,
                "required": required,
                "additionalProperties": False,
            }
        return {"$ref": f"#/$defs/{name}"}
    args = union_args(tp)
    if args is not None:
        options = [_schema_for(a, defs) for a in args if a is not type(None)]
        if type(None) in args:
            options.append({"type": "null"})
        return options[0] if len(options) == 1 else {"anyOf": options}
    origin = typing.get_origin(tp)
    if origin is list:
        return {"type": "array", "items": _schema_for(typing.get_args(tp)[0], defs)}
    if origin is dict:
        return {"type": "object", "additionalProperties": _schema_for(typing.get_args(tp)[1], defs)}
    if origin is Literal:
        return {"enum": list(typing.get_args(tp))}
    # Editors read YAML 1.2, as the reader does (see scalars.py): the schema accepts
    # exactly the values `crisis validate` accepts, read the same way.
    if tp is bool:
        return {"type": "boolean"}
    if tp in (int, float):
        return {"type": "integer" if tp is int else "number", "minimum": -MAX_NUMBER, "maximum": MAX_NUMBER}
    if tp is Id:
        return {"type": "string", "pattern": f"^{ID_REGEX}$"}
    if tp is Date:
        return {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    if tp is PartialDate:  # a year alone may be left unquoted: YAML reads it as a number
        return {
            "anyOf": [
                {"type": "string", "pattern": r"^\d{4}(-\d{2}){0,2}$"},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ]
        }
    if tp is Condition:  # `when: true` is the condition "true"
        return {"type": ["string", "boolean"]}
    if tp in (Ref, Formula):
        return {"type": "string"}
    if tp in TEXT_KINDS:  # text takes any scalar as written: `label: 2024`
        return {"type": ["string", "number", "boolean"]}
    raise TypeError(f"no schema for {tp!r}")
