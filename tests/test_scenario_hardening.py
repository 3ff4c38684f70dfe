"""A scenario that validates plays (issue 10, classes 1-5): arithmetic stays
finite and in bounds, text is never markup, validation bounds what play costs,
hostile YAML costs little, and text that shows another team's secrets is flagged."""

from __future__ import annotations

import math

import pytest
import yaml
from helpers import from_data, hard_time_limit, mini_data
from hostile import (
    base60_number,
    duplicate_keys,
    empty_merge_bomb,
    star_ladder,
    tiny_values,
    unknown_keys,
    unknown_keys_at_the_cap,
    wide_roles,
)

from game.analysis.transcript import record_transcript
from game.engine import Game
from game.engine import events as ev
from game.players import make_bot, play_game
from game.reports.timeline import timeline
from game.scenario import ScenarioError, load_bytes
from game.scenario.describe import describe
from game.scenario.diagnostics import Report
from game.scenario.expr import NUM, Symbol, Symbols, compile_expression
from game.scenario.fields import keys_of
from game.scenario.loader import check_text
from game.scenario.model import Scenario

# ------------------------------------------------------------- 1. arithmetic

BIG = "1000000000000"  # 10^12, the largest constant a formula may hold
_THIRTEEN = " * ".join(["999999999999"] * 13)
HUGE_INT = f"({_THIRTEEN}) * ({_THIRTEEN})"  # about 10^312 as a Python int: too large for a float
INFINITE = "1e12 / 1e-300"  # 10^312 as a float: infinity


def formula_value(source: str, **values: float) -> float:
    symbols = Symbols()
    for name in values:
        symbols.add(name, Symbol(NUM, lambda s, n=name: s.values[n]))
    fn, _ = compile_expression(source, symbols, NUM)

    class State:
        pass

    state = State()
    state.values = values
    return fn(state)


@pytest.mark.parametrize(
    "source, expected",
    [
        # Each step saturates at +-10^12, so these are worked out step by step.
        (f"{BIG} * {BIG}", 1e12),
        (f"0 - {BIG} * {BIG}", -1e12),
        (f"{BIG} * {BIG} / {BIG}", 1.0),
        (HUGE_INT, 1e12),
        (f"({HUGE_INT}) // 0.5", 1e12),
        (f"{INFINITE} - {INFINITE}", 0.0),  # inf - inf would be NaN
        (f"({INFINITE}) * 0", 0.0),  # inf * 0 would be NaN
        (f"round({INFINITE})", 1e12),
        (f"max({INFINITE}, 1) - min(0 - {INFINITE}, 1)", 1e12),
    ],
    ids=lambda v: v[:40] if isinstance(v, str) else None,
)
def test_arithmetic_saturates_and_never_makes_nan_or_overflows(source, expected):
    value = formula_value(source)
    assert math.isfinite(value) and value == expected


def test_a_formula_that_used_to_overflow_or_make_nan_plays_and_stays_in_bounds():
    data = mini_data()
    results = data["roles"][0]["actions"][0]["results"]
    results[0]["effects"] = {"tension": f"{INFINITE} - {INFINITE}", "a.cash": HUGE_INT}
    results[0]["news"] = "Tension {" + HUGE_INT + "}, cash {a.cash - " + INFINITE + "}."
    loaded = from_data(data)
    for kind in ("random", "doctrine", "heuristic"):
        game = play_game(Game(loaded, 3), {"a": make_bot(kind), "b": make_bot(kind)})
        for key, value in game.state.values.items():
            low, high = game.rules.bounds[key]
            assert math.isfinite(value) and low <= value <= high, (key, value)
        news = [e.text for e in game.log if isinstance(e, ev.NewsPublished) and e.text.startswith("Tension")]
        assert all("nan" not in text and "inf" not in text for text in news)


def test_a_ladder_effect_is_bounded_by_the_ladder_at_load():
    data = mini_data()
    data["roles"][0]["actions"][0]["results"][0]["effects"] = {"ladder": 1e12}
    with pytest.raises(ScenarioError, match="'ladder' moves at most 3 levels"):
        from_data(data)


# ---------------------------------------------------------------- 2. markup

MARKUP = "[@click=app.quit]Quit[/] [bold red]loud[/] [joint]"


def test_scenario_text_is_never_markup_in_the_engine_reports_or_cli_text():
    data = mini_data()
    data["title"] = f"Title {MARKUP}"
    data["roles"][0]["name"] = f"Alpha {MARKUP}"
    data["roles"][0]["short_name"] = "[A]"
    data["roles"][0]["actions"][0]["label"] = f"Calm {MARKUP}"
    data["roles"][0]["actions"][0]["results"][0]["news"] = f"News {MARKUP} {{{{literal}}}}"
    loaded = from_data(data)
    game = Game(loaded, 1)
    transcript = record_transcript(game, {"a": make_bot("doctrine"), "b": make_bot("doctrine")})
    assert f"News {MARKUP} {{literal}}" in transcript
    assert f"Calm {MARKUP}" in transcript
    assert "[A] orders" in timeline(game)
    assert f"Alpha {MARKUP} (a)" in describe(loaded.scenario)


# ------------------------------------------------------------------ 3. size


def evaluate_transitions(game: Game) -> int:
    event = game.rules.ladder.events.get("evaluate")
    return sum(len(t) for t in event.transitions.values()) if event else 0


def test_transitions_from_any_level_are_not_copied_to_every_level_at_the_start():
    loaded = load_bytes(star_ladder(levels=100, stars=100))
    game = Game(loaded, 1)
    game.begin()
    game.start_play()
    assert evaluate_transitions(game) == 0  # nothing is built before the first escalation
    play_game(game, {"a": make_bot("random"), "b": make_bot("random")})
    visited = {game.scenario.ladder.start} | {e.new for e in game.log if isinstance(e, ev.LadderMoved)}
    # Only the levels the game escalated from got their transitions (100 stars + the file's own).
    assert evaluate_transitions(game) <= len(visited) * 102 < 100 * 100


def test_the_first_transition_in_file_order_wins_whether_from_a_level_or_from_any():
    data = mini_data()
    data["ladder"]["transitions"] = [
        {"from": "mid", "to": "high", "when": "tension >= 0"},
        {"from": "*", "to": "peace", "when": "tension >= 0"},
    ]
    game = play_game(Game(from_data(data), 1), {"a": make_bot("random"), "b": make_bot("random")})
    assert next(e for e in game.log if isinstance(e, ev.LadderMoved)).new == "high"
    data["ladder"]["transitions"].reverse()
    game = play_game(Game(from_data(data), 1), {"a": make_bot("random"), "b": make_bot("random")})
    assert next(e for e in game.log if isinstance(e, ev.LadderMoved)).new == "peace"


def validate_bytes(data: bytes) -> Report:
    report = Report("scenario.yaml")
    check_text(data.decode(), "scenario.yaml", report)
    return report


def test_validate_refuses_a_ladder_too_costly_to_play():
    report = validate_bytes(star_ladder(levels=200, stars=200))
    (error,) = report.errors
    # 201 transitions from '*' (the file had one) at 202 levels that are not terminal, and one from 'high'.
    assert "may start from 40,603 (level, transition) pairs; at most 20,000" in error.message
    assert error.loc.line > 1  # at the ladder's transitions
    assert validate_bytes(star_ladder(levels=100, stars=100)).ok


def test_validate_refuses_turns_too_costly_to_play():
    report = validate_bytes(wide_roles(actions=400, objectives=400))
    (error,) = report.errors
    assert "a turn of this scenario would take about" in error.message
    # 400 + 2 actions; 400 + 1 objectives, and the way into 'peace', an outcome that scores for 'a'.
    assert "role 'a': 402 actions, each weighed against 402 goals by the heuristic bot" in error.message
    assert validate_bytes(wide_roles(actions=100, objectives=100)).ok


# ------------------------------------------------------------------ 4. YAML


def load_errors(data: bytes, seconds: float = 20.0) -> list[str]:
    with hard_time_limit(seconds), pytest.raises(ScenarioError) as raised:
        load_bytes(data)
    return [d.message for d in raised.value.diagnostics]


def test_nested_merges_of_empty_mappings_are_cut_off():
    data = empty_merge_bomb()
    assert len(data) < 1000
    assert any("expands to more than" in m for m in load_errors(data))


def test_base60_numbers_are_refused_before_pyyaml_builds_them():
    data = yaml.safe_dump(mini_data(), sort_keys=False).replace("max: 3", "max: 1:30")
    assert any("'1:30' is a YAML 1.1 base-60 number" in m for m in load_errors(data.encode()))
    load_errors(base60_number(1_000_000))  # quadratic in PyYAML: minutes at this size


@pytest.mark.parametrize("make", [unknown_keys, duplicate_keys, tiny_values], ids=lambda f: f.__name__)
def test_files_with_too_many_values_are_refused_before_they_are_built(make):
    messages = load_errors(make(1_000_000))
    assert messages == ["the file holds more than 100,000 values; a scenario needs far fewer"]


def test_suggestions_for_unknown_keys_have_a_budget():
    messages = load_errors(unknown_keys_at_the_cap(1_000_000))
    unknown = [m for m in messages if m.startswith("unknown key")]
    assert len(unknown) > 40_000
    assert unknown[0] == "unknown key 'titleaaaa' in scenario (did you mean 'title'?)"
    # 20,000 comparisons, each suggestion comparing with every key of a scenario.
    assert sum("did you mean" in m for m in unknown) == 20_000 // len(keys_of(Scenario))


def test_messages_quoting_huge_values_are_shortened():
    data = yaml.safe_dump(mini_data(), sort_keys=False).replace("id: mini", "id: " + "X" * 100_000)
    (message,) = [m for m in load_errors(data.encode()) if "not a valid id" in m]
    assert len(message) < 500 and message.endswith("starting with a letter)")


# ---------------------------------------------------------------- 5. secrets


def secret_data() -> dict:
    data = mini_data()
    data["tracks"].append({"id": "morale_hidden", "label": "Hidden", "start": 1, "visibility": "hidden"})
    data["flags"].append({"id": "coup", "description": "A coup is planned.", "visibility": "hidden"})
    return data


def warnings_of(data: dict) -> list:
    text = yaml.safe_dump(data, sort_keys=False)
    report = validate_bytes(text.encode())
    assert report.ok, report.errors
    return text, [d for d in report.diagnostics if d.severity == "warning"]


def located(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of `needle` in `text`."""
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


@pytest.mark.parametrize(
    "where, placeholder, says",
    [
        (("roles", 1, "private_briefing"), "a.cash", "a private track of role 'a'"),
        (("roles", 0, "public_briefing"), "a.cash", "a private track of role 'a'"),
        (("situation",), "morale_hidden", "a hidden track"),
        (("roles", 1, "private_briefing"), "coup", "a hidden flag"),
    ],
)
def test_text_that_shows_another_teams_secret_is_warned_about_where_it_is(where, placeholder, says):
    data = secret_data()
    target = data
    for key in where:
        target = target[key]
    target.append(f"Look: {{{placeholder}}}.")
    text, warnings = warnings_of(data)
    (warning,) = warnings
    assert says in warning.message
    line, col = located(text, f"{{{placeholder}}}")
    assert (warning.loc.line, warning.loc.col) == (line, col + 1)  # the name, inside the braces


def test_news_of_an_action_showing_a_private_track_is_warned_about():
    data = secret_data()
    data["roles"][1]["actions"][0]["results"][0]["news"] = "Bravo sees cash at {a.cash + 1}."
    _, warnings = warnings_of(data)
    assert [w.message for w in warnings] == [
        "news of action 'b.wait' shows 'a.cash', a private track of role 'a' that other teams may not see"
    ]


def test_text_a_team_may_read_is_not_warned_about():
    data = secret_data()
    data["roles"][0]["private_briefing"].append("Our cash is {a.cash}; tension {tension}; morale {b.morale}.")
    data["outcomes"][0]["summary"] = "In the end: {morale_hidden}, {coup}, {a.cash}."  # the end reveals all
    assert warnings_of(data)[1] == []
