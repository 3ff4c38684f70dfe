"""Hostile and oversized scenario inputs, at any size: the tests use small ones,
`benchmarks/bench_load.py` 4 MB ones. Each returns the file's bytes."""

from __future__ import annotations

import copy

import yaml
from helpers import mini_data

FOUR_MB = 4 * 1024 * 1024 - 4096  # under the file limit, with room for a header


def _fill(line_of, size: int, head: str = "") -> bytes:
    """`head`, then line_of(0), line_of(1)... until `size` bytes."""
    out, total, i = [head], len(head), 0
    while total < size:
        line = line_of(i)
        out.append(line)
        total += len(line)
        i += 1
    return "".join(out).encode()


def merge_bomb(levels: int = 10, width: int = 9, first: str = "{k: v}") -> bytes:
    """`<<` merges nested `levels` deep, each of `width` copies of the one below."""
    lines = ["format: 1", "defs:", f"  - &a0 {first}"]
    lines += [f"  - &a{i} {{<<: [{', '.join([f'*a{i - 1}'] * width)}]}}" for i in range(1, levels)]
    lines.append(f"<<: *a{levels - 1}")
    return "\n".join(lines).encode()


def empty_merge_bomb() -> bytes:
    """Nested merges of empty mappings: nothing to count but the visits (under 1 KB)."""
    return merge_bomb(levels=12, first="{}")


def billion_laughs(levels: int = 9, width: int = 9) -> bytes:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return ("\n".join(lines) + f"\nsituation: *a{levels}\n").encode()


def base60_number(size: int) -> bytes:
    """A YAML 1.1 base-60 integer (`1:0:0:...`): quadratic in PyYAML's constructor."""
    return b"format: 1" + b":0" * ((size - 12) // 2) + b"\n"


def long_number(size: int) -> bytes:
    return b"format: " + b"9" * (size - 10) + b"\n"


def unknown_keys(size: int) -> bytes:
    """Many keys the format does not know, each close to a known one (suggestions)."""
    return _fill(lambda i: f"titel{i}: 1\n", size)


def _letters(i: int) -> str:
    """0 -> 'aaaa', 1 -> 'aaab'...: distinct suffixes that keep a key close to a known one."""
    out = ""
    for _ in range(4):
        i, r = divmod(i, 26)
        out = chr(ord("a") + r) + out
    return out


def unknown_keys_at_the_cap(size: int) -> bytes:
    """As many unknown keys as the values cap allows, each close to 'title' (so
    each would get a suggestion), with values long enough to fill `size`."""
    width = max(8, size // 45_000 - 12)
    return _fill(lambda i: f"title{_letters(i)}: {'x' * width}\n", size)


def duplicate_keys(size: int) -> bytes:
    return _fill(lambda i: "id: x\n", size)


def duplicate_keys_at_the_cap(size: int) -> bytes:
    width = max(4, size // 45_000 - 5)
    return _fill(lambda i: f"id: {'x' * width}\n", size)


def tiny_values(size: int) -> bytes:
    """A flow list of one-character values: the most nodes per byte."""
    return b"situation: [" + b"0," * ((size - 20) // 2) + b"0]\n"


def tiny_values_at_the_cap(size: int) -> bytes:
    """Just under the values cap, each value long enough to fill `size`."""
    count = 99_000
    width = max(1, size // count - 3)
    return b"situation: [" + b",".join([b"x" * width] * count) + b"]\n"


def long_text(size: int) -> bytes:
    """One text value the size of the file."""
    return b"title: " + b"x" * (size - 10) + b"\n"


def deep_flow(size: int) -> bytes:
    half = size // 2
    return b"[" * half + b"]" * half


HOSTILE_KINDS = {
    "empty merge bomb (under 1 KB)": lambda size: empty_merge_bomb(),
    "merge bomb (under 1 KB)": lambda size: merge_bomb(),
    "billion laughs (under 1 KB)": lambda size: billion_laughs(),
    "base-60 number": base60_number,
    "long number": long_number,
    "unknown keys": unknown_keys,
    "unknown keys, at the values cap": unknown_keys_at_the_cap,
    "duplicate keys": duplicate_keys,
    "duplicate keys, at the values cap": duplicate_keys_at_the_cap,
    "tiny values": tiny_values,
    "tiny values, at the values cap": tiny_values_at_the_cap,
    "one long text": long_text,
    "deep nesting": deep_flow,
}


def star_ladder(levels: int, stars: int) -> bytes:
    """The test scenario with `levels` more ladder levels and `stars` transitions
    `from: "*"` (that never apply): levels x stars pairs if expanded."""
    data = mini_data()
    ladder = data["ladder"]
    extra = [{"id": f"l{i}", "name": f"L{i}", "description": "d"} for i in range(levels)]
    ladder["levels"] = ladder["levels"][:3] + extra + ladder["levels"][3:]
    star = [{"from": "*", "to": f"l{i % max(levels, 1)}", "when": "tension > 1000"} for i in range(stars)]
    ladder["transitions"] = star + ladder["transitions"]
    return yaml.safe_dump(data, sort_keys=False).encode()


def wide_roles(actions: int, objectives: int, turns: int = 10) -> bytes:
    """The test scenario with a first role of `actions` actions and `objectives`
    objectives: what the heuristic bot weighs each turn grows with both."""
    data = mini_data()
    data["turns"] = {"max": turns}
    role = data["roles"][0]
    template = role["actions"][0]
    for i in range(actions):
        action = copy.deepcopy(template)
        action["id"] = f"act{i}"
        action["label"] = f"Act {i}"
        role["actions"].append(action)
    for i in range(objectives):
        role["objectives"].append({"id": f"goal{i}", "text": "t", "when": f"tension < {i % 100}", "points": 1})
    return yaml.safe_dump(data, sort_keys=False).encode()
