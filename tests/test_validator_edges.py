"""Values at the edges of what the format allows: the validator accepts the limit itself
and refuses one step past it."""

from __future__ import annotations

import pytest
import yaml
from helpers import mini_data

from game.scenario import load_bytes, validate


def diagnostics(data, tmp_path):
    path = tmp_path / "edge.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return [f"{d.severity}: {d.message}" for d in validate(path).sorted()]


@pytest.mark.parametrize("start", [0, 100, 37.5])
def test_a_track_may_start_at_either_end_of_its_range(tmp_path, start):
    data = mini_data()
    data["tracks"][0]["start"] = start
    assert diagnostics(data, tmp_path) == []


@pytest.mark.parametrize("start", [-1, 100.5])
def test_a_track_may_not_start_outside_its_range(tmp_path, start):
    data = mini_data()
    data["tracks"][0]["start"] = start
    assert diagnostics(data, tmp_path) == [f"error: track 'tension': start {start:g} is outside its range 0..100"]


def test_a_track_whose_min_equals_its_max_is_refused(tmp_path):
    data = mini_data()
    data["tracks"][0].update(min=50, max=50, start=50)
    assert diagnostics(data, tmp_path) == ["error: track 'tension': max (50) must be above min (50)"]


def sourced(basis, cite):
    data = mini_data()
    data["sources"] = [{"id": "wire", "title": "t", "outlet": "o", "date": "2024-01-01"}]
    data["situation"] = [{"text": "A fact.", "provenance": {"basis": basis, "date": "2024-01-01", "cite": cite}}]
    return data


@pytest.mark.parametrize("basis", ["reported", "disputed"])
def test_a_reported_or_disputed_fact_needs_a_source(tmp_path, basis):
    assert diagnostics(sourced(basis, ["wire"]), tmp_path) == []
    assert diagnostics(sourced(basis, []), tmp_path) == [
        f"error: a {basis} fact needs 'cite' with at least one source",
        "warning: source 'wire' is never cited",
    ]


@pytest.mark.parametrize("turn, warned", [(1, False), (3, False), (4, True), (0, True)])
def test_an_inject_may_be_scheduled_for_any_turn_of_the_game(tmp_path, turn, warned):
    data = mini_data()
    data["injects"] = [{"id": "storm", "title": "Storm", "turn": turn, "news": "A storm."}]
    expected = [f"warning: inject 'storm' is scheduled for turn {turn}, but the game has 3 turns"] if warned else []
    assert diagnostics(data, tmp_path) == expected


def test_values_at_their_lower_bounds_are_accepted():
    data = mini_data()
    data["turns"] = {"max": 1, "days": 1}
    data["orders_per_turn"] = 1
    action = data["roles"][0]["actions"][1]
    action["max_uses"] = 1
    action["results"][0]["chance"] = 0
    action["results"][0]["modifiers"] = [{"when": "talks", "add": -100, "reason": "r"}]
    data["roles"][0]["objectives"][0]["points"] = -100
    loaded = load_bytes(yaml.safe_dump(data, sort_keys=False).encode(), "edge.yaml")
    assert loaded.scenario.turns.max == 1 and loaded.warnings == []


@pytest.mark.parametrize(
    "path, value, message",
    [
        (("turns", "max"), 0, "'max' of turns must be between 1 and 100, got 0"),
        (("orders_per_turn",), 0, "'orders_per_turn' of scenario 'mini' must be between 1 and 10, got 0"),
    ],
)
def test_values_below_their_lower_bounds_are_refused(tmp_path, path, value, message):
    data = mini_data()
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert f"error: {message}" in diagnostics(data, tmp_path)
