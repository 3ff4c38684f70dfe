"""How a scenario's numbers, true/false and empty values are read: YAML 1.2.

PyYAML reads YAML 1.1, where `yes`, `no`, `on` and `off` are true/false, `010`
is 8 and `1e3` is text. Editors (the YAML language server behind `crisis
schema`) read YAML 1.2, where those are text, 10 and 1000. A scenario must mean
the same in both, so the reader takes values as YAML 1.2's core schema reads
them (spec 1.2.2, section 10.3.2) and warns where a YAML 1.1 tool would read
another value. Text fields are unaffected: they take any scalar as written.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import yaml
from yaml.resolver import Resolver

NULL, BOOL, INT, FLOAT, STR = "null", "bool", "int", "float", "str"

_CORE = [
    (NULL, re.compile(r"(?:null|Null|NULL|~|)\Z")),
    (BOOL, re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z")),
    (INT, re.compile(r"(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\Z")),
    (
        FLOAT,
        re.compile(
            r"(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?(?:\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN)\Z"
        ),
    ),
]
_TAG_KINDS = {f"tag:yaml.org,2002:{kind}": kind for kind in (NULL, BOOL, INT, FLOAT, STR)}
_resolver = Resolver()


def kind_of(node: yaml.ScalarNode) -> str:
    """null, bool, int, float or str: what the scalar is in YAML 1.2's core schema.

    Quoted scalars are text; an explicit tag (`!!str 12`) is obeyed."""
    return STR if node.style else _plain_kind(node.tag, node.value)


@lru_cache(maxsize=4096)
def _plain_kind(tag: str, value: str) -> str:
    core = next((kind for kind, pattern in _CORE if pattern.match(value)), STR)
    if tag != _resolver.resolve(yaml.ScalarNode, value, (True, False)):
        # Written with an explicit tag (`!!str 12`): obeyed when the value fits it.
        wanted = _TAG_KINDS.get(tag, STR)
        return wanted if wanted in (STR, core) or (wanted, core) == (FLOAT, INT) else STR
    return core


@lru_cache(maxsize=4096)
def number(text: str) -> int | float:
    """The value of a scalar that `kind_of` calls int or float."""
    if text.startswith("0o"):
        return int(text[2:], 8) if len(text) <= 40 else math.inf
    if text.startswith("0x"):
        return int(text[2:], 16) if len(text) <= 40 else math.inf
    if re.fullmatch(r"[-+]?[0-9]+", text):
        if len(text) > 40:  # far past any limit; Python refuses to convert the longest
            return -math.inf if text.startswith("-") else math.inf
        return int(text)
    lowered = text.lower()
    if lowered.endswith(".inf"):
        return -math.inf if lowered.startswith("-") else math.inf
    if lowered == ".nan":
        return math.nan
    return float(text)


def boolean(text: str) -> bool:
    return text.lower() == "true"


def yaml11_reading(node: yaml.ScalarNode) -> str | None:
    """How a YAML 1.1 tool (PyYAML, many older editors) reads a plain number
    differently from YAML 1.2, in words ('8', 'text'); None when they agree."""
    if node.style or kind_of(node) not in (INT, FLOAT):
        return None
    return _yaml11_reading(node.value)


_constructor = yaml.constructor.SafeConstructor()


def yaml11_kind(value: str) -> str:
    """What a plain scalar is to YAML 1.1 (PyYAML's resolver): null, bool, int, float or str."""
    return _TAG_KINDS.get(_resolver.resolve(yaml.ScalarNode, value, (True, False)), STR)


@lru_cache(maxsize=4096)
def _yaml11_reading(value: str) -> str | None:
    kind = yaml11_kind(value)
    if kind not in (INT, FLOAT):
        return "text"
    node = yaml.ScalarNode(f"tag:yaml.org,2002:{kind}", value)
    try:
        old = _constructor.construct_yaml_int(node) if kind == INT else _constructor.construct_yaml_float(node)
    except (ValueError, OverflowError):
        return "text"
    new = number(value)
    if old == new or (isinstance(old, float) and isinstance(new, float) and math.isnan(old) and math.isnan(new)):
        return None
    return str(old)
