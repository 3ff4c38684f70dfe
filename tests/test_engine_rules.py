"""The rules engine: turn flow, orders, adjudication, injects, ladder, end, facilitator."""

import pytest
from helpers import from_data, mini, mini_data, started

from game.engine import Game, IllegalOrder, NotYourRole, PhaseError
from game.engine import events as ev
from game.engine.dice import d100
from game.engine.errors import GameError
from game.engine.state import replay


def kinds(events, kind):
    return [e for e in events if isinstance(e, kind)]


# ------------------------------------------------------------------ flow


def test_the_turn_flow_goes_through_its_phases_in_order():
    game = Game(mini(), seed=1)
    assert game.phase == "setup"
    game.begin()
    assert game.phase == "briefing"
    game.start_play()
    assert (game.phase, game.turn) == ("orders", 1)
    game.submit("a", ["calm_down"])
    game.submit("b", ["wait"])
    game.resolve()
    assert (game.phase, game.turn) == ("orders", 2)


def test_illegal_steps_raise_domain_errors():
    game = Game(mini(), seed=1)
    with pytest.raises(PhaseError, match="setup phase"):
        game.submit("a", ["calm_down"])
    game.begin()
    with pytest.raises(PhaseError):
        game.resolve()
    game.start_play()
    game.submit("a", ["calm_down"])
    with pytest.raises(PhaseError, match="waiting for orders from Bravo"):
        game.resolve()
    with pytest.raises(PhaseError):
        game.begin()


def test_orders_after_the_game_ended_are_refused():
    game = started(mini(turns={"max": 1}))
    game.submit("a", ["calm_down"])
    game.submit("b", ["wait"])
    game.resolve()
    assert game.phase == "debrief"
    with pytest.raises(PhaseError, match="debrief phase"):
        game.submit("a", ["calm_down"])


def test_orders_for_another_role_are_refused():
    game = started(mini())
    with pytest.raises(NotYourRole, match="order for b, not for a"):
        game.submit("a", ["b.wait"])
    with pytest.raises(NotYourRole):
        game.submit("c", ["wait"])


def test_unavailable_unknown_duplicate_and_too_many_orders_are_refused():
    data = mini_data()
    data["orders_per_turn"] = 2
    game = started(from_data(data))
    with pytest.raises(IllegalOrder, match="has no action 'nope'"):
        game.submit("a", ["nope"])
    with pytest.raises(IllegalOrder, match="ordered twice"):
        game.submit("a", ["calm_down", "calm_down"])
    with pytest.raises(IllegalOrder, match="at most 2 orders"):
        game.submit("a", ["calm_down", "escalate", "calm_down"])
    game.submit("b", ["talk"])
    game.submit("a", ["calm_down"])
    game.resolve()
    # `talk` sets the flag its availability forbids, and may be used once.
    option = next(o for o in game.options("b") if o.action.id == "talk")
    assert not option.available
    with pytest.raises(IllegalOrder, match="not available"):
        game.submit("b", ["talk"])


def test_costs_are_checked_against_the_whole_set_of_orders():
    data = mini_data()
    data["orders_per_turn"] = 2
    data["roles"][0]["actions"].append(
        {
            "id": "spend",
            "label": "Spend",
            "category": "economic",
            "description": "d",
            "cost": {"cash": 1},
            "results": [{"news": "spent"}],
        }
    )
    game = started(from_data(data))
    # cash 2: escalate (2) alone is fine, with spend (1) it is not.
    with pytest.raises(IllegalOrder, match="costs 1 Cash; 0 left"):
        game.submit("a", ["escalate", "spend"])
    game.submit("a", ["escalate"])
    game.submit("b", ["wait"])
    game.resolve()
    assert game.state.values["a.cash"] == 0
    assert "costs 2 Cash; 0 left" in next(o.reason for o in game.options("a") if o.action.id == "escalate")


# --------------------------------------------------------- adjudication


def test_a_roll_records_base_chance_modifiers_die_and_result():
    data = mini_data()
    data["roles"][0]["actions"][1]["results"][0]["modifiers"] = [
        {"when": "tension >= 50", "add": 15, "reason": "already tense"},
        {"when": "talks", "add": -40, "reason": "talks"},
    ]
    game = started(from_data(data), seed=7)
    game.submit("a", ["escalate"])
    game.submit("b", ["wait"])
    game.resolve()
    (roll,) = kinds(game.log, ev.RollMade)
    assert roll.key == "a.escalate#0"
    assert roll.base == 50 and roll.modifiers == (("already tense", 15),) and roll.chance == 65
    assert roll.roll == d100(7, 1, "a.escalate#0")
    assert roll.success == (roll.roll <= 65) == roll.rules_success
    news = [e.text for e in kinds(game.log, ev.NewsPublished)]
    assert ("Alpha escalates." in news) == roll.success
    assert ("Alpha's move fizzles." in news) == (not roll.success)


def test_orders_resolve_by_category_then_role_then_order_given():
    data = mini_data()
    data["orders_per_turn"] = 2
    data["resolution_order"] = ["military", "information", "diplomatic", "legal", "economic"]
    game = started(from_data(data))
    game.submit("a", ["calm_down", "escalate"])
    game.submit("b", ["wait", "talk"])
    game.resolve()
    order = [(e.role, e.action) for e in kinds(game.log, ev.ActionTaken)]
    assert order == [("a", "escalate"), ("b", "wait"), ("a", "calm_down"), ("b", "talk")]


def test_tracks_stay_within_their_bounds():
    data = mini_data()
    data["tracks"][0]["start"] = 95
    data["roles"][0]["actions"][1]["results"][0]["chance"] = 100
    game = started(from_data(data))
    game.submit("a", ["escalate"])
    game.submit("b", ["wait"])
    game.resolve()
    assert game.state.values["tension"] == 100
    change = next(e for e in game.log if isinstance(e, ev.TrackChanged) and e.track == "tension")
    assert (change.old, change.new) == (95, 100)


def test_per_turn_changes_apply_from_the_second_turn():
    data = mini_data()
    data["roles"][0]["tracks"][0]["per_turn"] = 1
    game = started(from_data(data))
    assert game.state.values["a.cash"] == 2
    game.submit("a", ["calm_down"])
    game.submit("b", ["wait"])
    game.resolve()
    assert game.state.values["a.cash"] == 3


def test_formula_effects_use_the_state_when_they_apply():
    data = mini_data()
    data["roles"][0]["actions"][0]["results"][0]["effects"] = {"tension": "-(tension / 10)"}
    game = started(from_data(data))
    game.submit("a", ["calm_down"])
    game.submit("b", ["wait"])
    game.resolve()
    assert game.state.values["tension"] == 45


# ---------------------------------------------------------------- injects


def inject_data(**inject):
    data = mini_data()
    base = {"id": "storm", "title": "Storm", "news": "A storm hits; tension {tension}.", "effects": {"tension": 5}}
    data["injects"] = [{**base, **inject}]
    return data


def play_turns(game, n, a="calm_down", b="wait"):
    for _ in range(n):
        if game.phase != "orders":
            break
        game.submit("a", [a] if a else [])
        game.submit("b", [b] if b else [])
        game.resolve()


def test_a_scheduled_inject_fires_on_its_turn_only_and_once():
    game = started(from_data(inject_data(turn=2)))
    play_turns(game, 1, a=None)
    assert not kinds(game.log, ev.InjectFired)
    play_turns(game, 2, a=None)
    fired = kinds(game.log, ev.InjectFired)
    assert [(e.turn, e.inject) for e in fired] == [(2, "storm")]
    news = [e.text for e in kinds(game.log, ev.NewsPublished) if e.source == "inject"]
    assert news == ["A storm hits; tension 55."]


def test_a_triggered_repeatable_inject_fires_whenever_its_condition_holds():
    game = started(from_data(inject_data(when="tension >= 50", repeat=True)))
    play_turns(game, 3, a=None)
    assert [e.turn for e in kinds(game.log, ev.InjectFired)] == [1, 2, 3]


def test_an_inject_with_a_chance_is_rolled_for_and_recorded():
    game = started(from_data(inject_data(chance=30, repeat=True)), seed=3)
    play_turns(game, 3, a=None)
    rolls = [e for e in kinds(game.log, ev.RollMade) if e.key == "inject:storm"]
    assert len(rolls) == 3
    assert [e.turn for e in kinds(game.log, ev.InjectFired)] == [r.turn for r in rolls if r.success]


# ------------------------------------------------------------------ ladder


def test_pushes_move_the_ladder_but_never_into_a_terminal_level():
    data = mini_data()
    data["roles"][0]["actions"][1]["results"][0]["chance"] = 100
    data["roles"][0]["actions"][1]["results"][0]["effects"] = {"ladder": 3}
    data["roles"][0]["actions"][1]["cost"] = {}
    game = started(from_data(data))
    play_turns(game, 1, a="escalate")
    moves = kinds(game.log, ev.LadderMoved)
    assert [(m.old, m.new, m.cause) for m in moves] == [("mid", "high", "push")]
    assert game.state.level == "high" and game.phase == "orders"


def test_a_transition_into_a_terminal_level_ends_the_game_with_its_outcome():
    game = started(mini())
    play_turns(game, 1, a="calm_down", b="talk")  # tension 50 - 10 - 5 = 35
    play_turns(game, 1, a="calm_down", b="wait")  # 25
    assert game.phase == "orders"
    data = mini_data()
    data["tracks"][0]["start"] = 20
    game = started(from_data(data))
    play_turns(game, 1, a="calm_down", b="wait")  # 10: peace
    assert game.phase == "debrief"
    end = kinds(game.log, ev.GameEnded)[-1]
    assert (end.outcome, end.reason) == ("peace", "terminal level")
    assert dict(end.scores) == {"a": 3 + 2, "b": 0}


def test_the_default_outcome_applies_when_the_turns_run_out():
    game = started(mini())
    play_turns(game, 3, a=None)
    end = kinds(game.log, ev.GameEnded)[-1]
    assert (end.outcome, end.reason, end.turn) == ("draw", "turn limit", 3)


def test_an_outcome_checked_every_turn_ends_the_game_early():
    data = mini_data()
    data["outcomes"].insert(0, {"id": "deal", "title": "Deal", "summary": "A deal.", "when": "talks"})
    game = started(from_data(data))
    play_turns(game, 1, a=None, b="talk")
    assert game.state.outcome == "deal" and game.turn == 1


def test_an_outcome_checked_at_the_turn_limit_waits_for_it():
    data = mini_data()
    data["outcomes"].insert(
        0, {"id": "deal", "title": "Deal", "summary": "A deal.", "when": "talks", "checked": "at_turn_limit"}
    )
    game = started(from_data(data))
    play_turns(game, 1, a=None, b="talk")
    assert game.phase == "orders"
    play_turns(game, 2, a=None)
    assert game.state.outcome == "deal" and game.turn == 3


# -------------------------------------------------------------- the log


def rich():
    """The mini scenario with enough cash to escalate every turn."""
    data = mini_data()
    data["roles"][0]["tracks"][0]["per_turn"] = 2
    return from_data(data)


def test_the_same_seed_and_orders_give_the_same_game():
    def play(seed):
        game = started(rich(), seed)
        play_turns(game, 3, a="escalate")
        return [e.to_dict() for e in game.log]

    assert play(11) == play(11)
    assert any(play(s) != play(11) for s in range(12, 20))


def test_the_state_is_the_log_folded_up():
    game = started(rich(), seed=5)
    play_turns(game, 2, a="escalate")
    assert replay(game.loaded, game.log).same_as(game.state)


def test_events_round_trip_through_dicts():
    game = started(rich(), seed=5)
    play_turns(game, 3, a="escalate")
    assert [ev.event_from_dict(e.to_dict(full=True)) for e in game.log] == game.log
    # The short form leaves out what only spells out the rest (saves' checksums of logs use it).
    assert [ev.event_from_dict(e.to_dict()).to_dict() for e in game.log] == [e.to_dict() for e in game.log]


# ------------------------------------------------------------ facilitator


def test_undo_returns_to_the_orders_of_the_last_turn_and_is_logged():
    game = started(mini(), seed=2)
    before = game.state.copy()
    play_turns(game, 1, a="escalate")
    game.undo_turn("the Alpha team misread the briefing")
    assert game.phase == "orders" and game.turn == 1
    assert game.state.same_as(before)
    undo = kinds(game.log, ev.TurnUndone)[-1]
    assert (undo.undone, undo.reason) == (1, "the Alpha team misread the briefing")
    assert kinds(game.log, ev.ActionTaken)  # what was undone stays in the log
    play_turns(game, 1, a="calm_down")
    assert game.state.values["tension"] == 40
    assert replay(game.loaded, game.log).same_as(game.state)


def test_undo_with_nothing_played_is_refused():
    game = started(mini())
    with pytest.raises(PhaseError):
        game.undo_turn("why")


def test_a_forced_inject_fires_now_and_is_marked():
    game = started(from_data(inject_data(turn=3)))
    game.force_inject("storm")
    fired = kinds(game.log, ev.InjectFired)
    assert [(e.inject, e.forced) for e in fired] == [("storm", True)]
    assert game.state.values["tension"] == 55
    with pytest.raises(GameError, match="no inject 'nope'"):
        game.force_inject("nope")


def test_an_override_reruns_the_turn_with_the_roll_set_and_keeps_what_the_dice_said():
    game = started(mini(), seed=1)
    play_turns(game, 1, a="escalate")
    roll = kinds(game.log, ev.RollMade)[-1]
    game.override_roll("a.escalate#0", not roll.success, "White Cell ruling")
    rerun = kinds(game.log, ev.RollMade)[-1]
    assert rerun.success == (not roll.success)
    assert rerun.rules_success == roll.success and rerun.override == "White Cell ruling"
    assert game.turn == 2 and game.phase == "orders"
    assert replay(game.loaded, game.log).same_as(game.state)
    with pytest.raises(GameError, match="no dice were rolled for 'a.calm_down#0'"):
        game.override_roll("a.calm_down#0", False, "no")


def test_the_facilitator_can_end_the_game_and_post_news():
    game = started(mini())
    game.post_news("Talks rumoured in Geneva.")
    game.end_game("war", "time is up")
    assert game.phase == "debrief"
    end = kinds(game.log, ev.GameEnded)[-1]
    assert end.outcome == "war" and end.reason == "facilitator: time is up"
    assert any(e.source == "facilitator" for e in kinds(game.log, ev.NewsPublished))


def test_only_rolls_of_the_attempt_that_counted_can_be_overridden():
    game = started(rich(), seed=1)
    play_turns(game, 1, a="escalate")
    game.undo_turn("try again")
    play_turns(game, 1, a="calm_down")  # no dice this time
    with pytest.raises(GameError, match="no dice were rolled for 'a.escalate#0'"):
        game.override_roll("a.escalate#0", True, "only the undone attempt rolled this")


def test_an_override_reruns_forced_injects_and_the_latest_orders():
    data = inject_data(turn=3)
    data["roles"][0]["tracks"][0]["per_turn"] = 2
    game = started(from_data(data), seed=1)
    game.force_inject("storm")
    play_turns(game, 1, a="escalate")
    game.undo_turn("again")
    game.force_inject("storm")
    play_turns(game, 1, a="escalate", b="talk")
    game.override_roll("a.escalate#0", True, "ruling")
    attempt = game.attempt(1)
    assert [(e.inject, e.forced) for e in attempt if isinstance(e, ev.InjectFired)] == [("storm", True)]
    revealed = next(e for e in attempt if isinstance(e, ev.OrdersRevealed))
    assert dict(revealed.orders) == {"a": ("escalate",), "b": ("talk",)}
    assert replay(game.loaded, game.log).same_as(game.state)


def test_a_facilitator_ending_moves_the_ladder_to_the_outcomes_level():
    game = started(mini())
    game.end_game("war", "a workshop exercise")
    moved = kinds(game.log, ev.LadderMoved)[-1]
    assert (moved.old, moved.new, moved.cause) == ("mid", "war", "facilitator")
    assert game.state.level == "war"


def test_notes_record_white_cell_acts_without_changing_the_game():
    game = started(mini())
    before = game.state.copy()
    game.note("revealed every team's view")
    assert kinds(game.log, ev.FacilitatorNoted)[-1].text == "revealed every team's view"
    assert game.state.same_as(before)
