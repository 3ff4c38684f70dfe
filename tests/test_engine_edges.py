"""The rules at their edges: chances at and past 0 and 100, rolls equal to the chance,
bounds, limits on use, multi-level pushes, scores, and what the White Cell's undo and
overrides keep or discard.

Each test states its expected figures worked out by hand from the scenario it builds,
and goes through the game's public commands only (no engine internals), so it holds
however the engine is split into modules.
"""

from __future__ import annotations

import pytest
from helpers import from_data, mini, mini_data

from game.engine import Game, IllegalOrder, PhaseError, Seat
from game.engine import events as ev
from game.engine.dice import d100
from game.scenario.calendar import game_date


def started(loaded, seed=1):
    game = Game(loaded, seed)
    game.begin()
    game.start_play()
    return game


def turn(game, a=("calm_down",), b=("wait",)):
    game.submit("a", list(a))
    game.submit("b", list(b))
    game.resolve()


def rolls(game, key):
    return [e for e in game.log if isinstance(e, ev.RollMade) and e.key == key]


def escalate_with(chance=50, modifiers=(), effects=None, cost=None):
    """The mini scenario with Alpha's `escalate` changed: its chance, modifiers, effects, cost."""
    data = mini_data()
    action = data["roles"][0]["actions"][1]
    result = action["results"][0]
    result["chance"] = chance
    result["modifiers"] = list(modifiers)
    if effects is not None:
        result["effects"] = effects
    if cost is not None:
        action["cost"] = cost
    return data


# ------------------------------------------------------------------ chances


def test_a_chance_pushed_past_100_by_modifiers_is_100_and_needs_no_die():
    # 50 + 70 = 120, kept at 100: a certain success, recorded with its modifier.
    data = escalate_with(50, [{"when": "tension >= 50", "add": 70, "reason": "primed"}])
    game = started(from_data(data))
    turn(game, a=["escalate"])
    (roll,) = rolls(game, "a.escalate#0")
    assert (roll.base, roll.modifiers, roll.chance) == (50, (("primed", 70),), 100)
    assert roll.roll is None and roll.success and roll.rules_success
    assert game.state.values["tension"] == 70  # 50 + 20


def test_a_chance_pushed_below_0_by_modifiers_is_0_and_needs_no_die():
    # 50 - 80 = -30, kept at 0: a certain failure.
    data = escalate_with(50, [{"when": "tension >= 50", "add": -80, "reason": "deterred"}])
    game = started(from_data(data))
    turn(game, a=["escalate"])
    (roll,) = rolls(game, "a.escalate#0")
    assert (roll.chance, roll.roll, roll.success) == (0, None, False)
    news = [e.text for e in game.log if isinstance(e, ev.NewsPublished)]
    assert "Alpha's move fizzles." in news and "Alpha escalates." not in news


@pytest.mark.parametrize("chance, succeeds", [(0, False), (100, True)])
def test_a_certain_result_rolls_no_die_and_records_no_roll(chance, succeeds):
    game = started(from_data(escalate_with(chance)))
    turn(game, a=["escalate"])
    assert rolls(game, "a.escalate#0") == []
    assert (game.state.values["tension"] == 70) == succeeds


def seed_rolling(value: int, key: str = "a.escalate#0") -> int:
    """A seed whose die for `key` in turn 1 shows `value`."""
    return next(s for s in range(1, 5000) if d100(s, 1, key) == value)


@pytest.mark.parametrize("die", [37, 99])
def test_a_roll_equal_to_the_chance_succeeds_and_one_above_fails(die):
    seed = seed_rolling(die)
    at = started(from_data(escalate_with(die)), seed)
    turn(at, a=["escalate"])
    below = started(from_data(escalate_with(die - 1)), seed)
    turn(below, a=["escalate"])
    assert [(r.roll, r.chance, r.success) for r in rolls(at, "a.escalate#0")] == [(die, die, True)]
    assert [(r.roll, r.chance, r.success) for r in rolls(below, "a.escalate#0")] == [(die, die - 1, False)]


def test_the_dice_give_every_number_from_1_to_100_and_nothing_else():
    faces = [d100(7, turn_number, f"subject{i}") for turn_number in range(1, 4) for i in range(1000)]
    assert set(faces) == set(range(1, 101))
    assert 45 < sum(faces) / len(faces) < 56  # a fair d100 averages 50.5


# ------------------------------------------------------------------- bounds


def test_a_track_falls_no_lower_than_its_minimum():
    data = mini_data()
    data["tracks"][0]["start"] = 15
    data["ladder"]["transitions"] = []  # calm must not end the game: this is about the track
    game = started(from_data(data))
    turn(game)  # 15 - 10 = 5
    turn(game)  # 5 - 10 = -5, kept at 0
    changes = [(e.old, e.new) for e in game.log if isinstance(e, ev.TrackChanged) and e.track == "tension"]
    assert changes == [(15, 5), (5, 0)]
    turn(game)  # already at 0: no change to record
    assert game.state.values["tension"] == 0
    assert len([e for e in game.log if isinstance(e, ev.TrackChanged) and e.track == "tension"]) == 2


def test_an_action_is_refused_once_it_was_ordered_max_uses_times():
    data = mini_data()
    data["turns"]["max"] = 4
    data["roles"][0]["actions"][0]["max_uses"] = 2
    data["ladder"]["transitions"] = []
    game = started(from_data(data))
    for _ in range(2):
        option = next(o for o in game.options("a") if o.action.id == "calm_down")
        assert option.available
        turn(game)
    option = next(o for o in game.options("a") if o.action.id == "calm_down")
    assert (option.available, option.reason) == (False, "can be ordered only 2 times per game")
    with pytest.raises(IllegalOrder, match="only 2 times per game"):
        game.submit("a", ["calm_down"])


def test_the_first_turn_is_the_scenarios_date_and_each_turn_adds_its_days():
    data = mini_data()
    data["turns"]["days"] = 10
    game = started(from_data(data))
    assert Seat(game, "a").view().date == "1 January 2024"
    turn(game)
    assert Seat(game, "a").view().date == "11 January 2024"
    assert game_date("2024-01-01", 10, 3) == "21 January 2024"


# ------------------------------------------------------------------- ladder


def five_levels(push: int):
    """peace (terminal) - low - mid - high - war (terminal); Alpha's escalate pushes `push`."""
    data = escalate_with(100, effects={"ladder": push}, cost={})
    data["ladder"] = {
        "start": "low",
        "levels": [
            {"id": "peace", "name": "Peace", "description": "d", "outcome": "peace"},
            {"id": "low", "name": "Low", "description": "d"},
            {"id": "mid", "name": "Middle", "description": "d"},
            {"id": "high", "name": "High", "description": "d"},
            {"id": "war", "name": "War", "description": "d", "outcome": "war"},
        ],
        "transitions": [{"from": "high", "to": "war", "when": "tension >= 95"}],
    }
    return from_data(data)


def test_a_push_of_two_moves_the_ladder_two_levels_in_one_move():
    game = started(five_levels(2))
    turn(game, a=["escalate"])
    moves = [(e.old, e.new, e.cause) for e in game.log if isinstance(e, ev.LadderMoved)]
    assert moves == [("low", "high", "push")]
    assert game.state.level == "high" and not game.over


def test_a_push_stops_short_of_a_terminal_level_however_large():
    game = started(five_levels(4))  # as long as the ladder: the most a push may be
    turn(game, a=["escalate"])
    assert game.state.level == "high" and not game.over


# ------------------------------------------------------------------- scores


def test_an_objective_scores_only_while_it_holds_at_the_end():
    # Alpha wants tension < 50 (2 points). Escalating every turn: 50 -> 70 -> 90 -> 100.
    data = escalate_with(100, effects={"tension": 20}, cost={})
    game = started(from_data(data))
    for _ in range(3):
        turn(game, a=["escalate"])
    end = next(e for e in game.log if isinstance(e, ev.GameEnded))
    assert (end.outcome, dict(end.scores)) == ("draw", {"a": 0, "b": 0})
    assert end.objectives == (("a", "calm", False, 2),)
    # Calming every turn: 50 -> 40 -> 30 -> 20, the objective holds: 2 points.
    game = started(mini())
    for _ in range(3):
        turn(game)
    end = next(e for e in game.log if isinstance(e, ev.GameEnded))
    assert (end.outcome, dict(end.scores)) == ("draw", {"a": 2, "b": 0})


def test_an_inject_without_repeat_fires_once_while_its_condition_keeps_holding():
    data = mini_data()
    data["injects"] = [{"id": "storm", "title": "Storm", "news": "A storm.", "when": "tension >= 10"}]
    game = started(from_data(data))
    for _ in range(3):
        turn(game, a=[])
    assert [(e.turn, e.inject) for e in game.log if isinstance(e, ev.InjectFired)] == [(1, "storm")]


# -------------------------------------------------------------- White Cell


def test_an_undo_discards_the_orders_already_given_for_the_next_turn():
    game = started(mini(), seed=2)
    turn(game)
    game.submit("a", ["escalate"])  # turn 2's orders, given before the White Cell acts
    game.undo_turn("replay turn 1")
    assert (game.turn, game.phase) == (1, "orders")
    assert game.waiting_for() == ["a", "b"]
    assert Seat(game, "a").view().my_orders is None
    turn(game)  # turn 1 again, with calm_down: tension 50 - 10
    assert game.state.values["tension"] == 40


def test_no_roll_can_be_overridden_once_a_team_has_given_orders_for_the_next_turn():
    game = started(mini(), seed=1)
    turn(game, a=["escalate"])
    game.submit("b", ["wait"])
    with pytest.raises(PhaseError, match="before any team gives orders"):
        game.override_roll("a.escalate#0", True, "too late")


def test_no_roll_can_be_overridden_after_other_white_cell_acts_in_the_next_turn():
    game = started(mini(), seed=1)
    turn(game, a=["escalate"])
    game.post_news("Talks rumoured.")
    with pytest.raises(PhaseError, match="before other White Cell acts"):
        game.override_roll("a.escalate#0", True, "too late")


def test_an_undo_of_an_overridden_turn_lets_the_dice_decide_again():
    seed = seed_rolling(80)  # escalate (50%) fails by the dice
    game = started(mini(), seed)
    turn(game, a=["escalate"])
    game.override_roll("a.escalate#0", True, "ruling")
    assert game.state.values["tension"] == 70
    game.undo_turn("start the turn again", fresh_dice=False)
    turn(game, a=["escalate"])
    (*_, last) = rolls(game, "a.escalate#0")
    assert (last.roll, last.success, last.override) == (80, False, None)
    assert game.state.values["tension"] == 50


def test_a_second_override_in_the_same_turn_keeps_the_first():
    data = escalate_with(50, effects={"tension": 20}, cost={})
    data["orders_per_turn"] = 2
    data["roles"][0]["actions"][0]["results"][0]["chance"] = 50
    seed = next(s for s in range(1, 5000) if d100(s, 1, "a.calm_down#0") > 50 and d100(s, 1, "a.escalate#0") > 50)
    game = started(from_data(data), seed)
    turn(game, a=["calm_down", "escalate"])  # both fail by the dice
    game.override_roll("a.calm_down#0", True, "first ruling")
    game.override_roll("a.escalate#0", True, "second ruling")
    counted = {e.key: (e.success, e.override) for e in game.attempt(1) if isinstance(e, ev.RollMade)}
    assert counted == {"a.calm_down#0": (True, "first ruling"), "a.escalate#0": (True, "second ruling")}
    assert game.state.values["tension"] == 60  # 50 - 10 + 20
