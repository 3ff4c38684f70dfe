"""`crisis preview`: every briefing and text template as players will read it.

Templates are filled in when they are shown, so a turn-4 briefing can read
"demand stands at 0 out of 10" when the author pictured turn 1. The preview
renders each briefing paragraph, and every other template with placeholders, at
the start of the game, then with each track it reads at its lowest and at its
highest (the other values as at the start), and at the last turn when it reads
the turn or the date.
"""

from __future__ import annotations

import ast
import dataclasses
import warnings
from collections.abc import Iterator

from game.engine.state import GameState
from game.scenario.fields import INTERNAL_FIELDS, Model
from game.scenario.lint import dotted_name
from game.scenario.loader import Loaded
from game.scenario.model import Paragraph, Scenario
from game.scenario.text import Template, format_number

BRIEFINGS = ("situation", "public_briefing", "private_briefing")


def names_read(template: Template) -> list[str]:
    """The dotted names the template's placeholders read, in order, once each."""
    names: list[str] = []
    text, i = template.source, 0
    while i < len(text):
        if text.startswith(("{{", "}}"), i):
            i += 2
            continue
        if text[i] == "{":
            end = text.find("}", i + 1)
            try:
                with warnings.catch_warnings():  # compiled already: only its names are wanted here
                    warnings.simplefilter("ignore")
                    tree = ast.parse(text[i + 1 : end].strip(), mode="eval")
            except SyntaxError:
                tree = None
            for node in ast.walk(tree) if tree else []:
                name = dotted_name(node)
                if name and name not in names:
                    names.append(name)
            i = end + 1
            continue
        i += 1
    return names


def templates(scenario: Scenario) -> Iterator[tuple[str, Template]]:
    """(where, template) for every briefing paragraph and every template with placeholders."""
    yield from _walk(scenario, "")


def _walk(model: Model, where: str) -> Iterator[tuple[str, Template]]:
    name = getattr(model, "id", None)
    here = f"{where} {model.noun} '{name}'".strip() if isinstance(name, str) else (where or model.noun)
    for f in dataclasses.fields(model):
        if f.name in INTERNAL_FIELDS:
            continue
        value = getattr(model, f.name)
        items = value if isinstance(value, list) else [value]
        for number, item in enumerate(items, 1):
            label = f"{here}, {f.name}" + (f" {number}" if isinstance(value, list) else "")
            if isinstance(item, Paragraph):
                yield label, item.text
            elif isinstance(item, Template):
                if f.name in BRIEFINGS or "{" in item.source.replace("{{", ""):
                    yield label, item
            elif isinstance(item, Model):
                yield from _walk(item, here if not isinstance(getattr(item, "id", None), str) else where)


def preview(loaded: Loaded, width: int = 78) -> str:
    s = loaded.scenario
    bounds = {t.id: (t.min, t.max) for t in s.tracks}
    for role in s.roles:
        bounds.update({f"{role.id}.{t.id}": (t.min, t.max) for t in role.tracks})
    start = GameState(loaded)
    start.turn = 1
    out = [f'Preview of "{s.title}": each text at the start, then at the extremes of what it reads', ""]
    for where, template in templates(s):
        out.append(f"line {template.loc.line}: {where}")
        out.append(f"  at the start: {_render(template, start)}")
        for name in names_read(template):
            if name in bounds:
                for word, value in zip(("lowest", "highest"), bounds[name]):
                    state = start.copy()
                    state.values[name] = value
                    out.append(f"  {name} at its {word} ({format_number(value)}): {_render(template, state)}")
            elif name in ("turn", "date"):
                state = start.copy()
                state.turn = state.max_turns
                out.append(f"  in the last turn ({state.max_turns}): {_render(template, state)}")
        out.append("")
    return "\n".join(out)


def _render(template: Template, state: GameState) -> str:
    return " ".join(template.render(state).split())
