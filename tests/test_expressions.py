"""The condition language's arithmetic and the text templates, by value."""

from __future__ import annotations

from functools import cache
from types import SimpleNamespace

import pytest
from helpers import mini

from game.scenario.diagnostics import NOWHERE
from game.scenario.expr import compile_expression
from game.scenario.text import Template


@cache
def symbols():
    return mini().symbols


def state(tension=50, talks=False):
    return SimpleNamespace(
        values={"tension": tension, "a.cash": 2, "b.morale": 5},
        flags={"talks": talks},
        orders=frozenset(),
        turn=2,
        max_turns=3,
        level_index=1,
    )


@pytest.mark.parametrize(
    "source, value",
    [
        ("tension / 4", 12.5),
        ("tension // 4", 12),
        ("tension % 7", 1),
        ("tension / 0", 0),  # dividing by zero gives 0 rather than stopping a game
        ("tension // (turn - 2)", 0),
        ("tension % 0", 0),
        ("max(tension, 70) - min(a.cash, 1)", 69),
        ("-tension + abs(-3) * 2", -44),
        ("round(tension / 3)", 17),
    ],
)
def test_arithmetic(source, value):
    fn, _ = compile_expression(source, symbols(), want=None)
    assert fn(state()) == value


@pytest.mark.parametrize(
    "source, talks, text",
    [
        ("Talks open: {talks}.", True, "Talks open: yes."),
        ("Talks open: {talks}.", False, "Talks open: no."),
        ("Tension {tension / 4}, {{braces}}, level {level}.", False, "Tension 12.5, {braces}, level Middle."),
        ("{a.name} has {a.cash} cash on turn {turn} of {max_turns}.", False, "Alpha has 2 cash on turn 2 of 3."),
    ],
)
def test_templates_render_values_as_players_read_them(source, talks, text):
    template = Template(source, NOWHERE)
    template.compile(symbols())
    assert template.render(state(talks=talks)) == text
