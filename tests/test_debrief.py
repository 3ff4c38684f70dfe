"""The after-action review: outcome, scores, turn records, series, turning
points, facilitator acts and the escalation chart."""

import pytest
from helpers import TUTORIAL, mini, shipped

from game.engine import Game
from game.engine import events as ev
from game.players import DoctrineBot, play_game, play_turn
from game.reports.charts import escalation_chart
from game.reports.debrief import SWING_SHARE, build_debrief
from game.scenario.calendar import game_date


def kinds(events, kind):
    return [e for e in events if isinstance(e, kind)]


def doctrine(game):
    return {r: DoctrineBot() for r in game.rules.role_ids}


def tutorial_game(seed=6):
    """Seed 6: the doctrine game escalates in turn 3, by a push then a transition
    into open conflict."""
    game = Game(shipped(TUTORIAL), seed=seed)
    return play_game(game, doctrine(game))


def test_a_teams_results_name_the_branch_of_an_or_that_moved_the_ladder():
    """Seed 6 of the tutorial: `tension >= 80 or level >= 'strikes' and attacks >= 2` moved the
    ladder with tension at 59, so only the second branch held; every team is told that one."""
    from game.workshop.present import Presenter

    game = tutorial_game()
    for seat in ("us", "iraq", "militias"):
        moves = [e for e in Presenter(game).results(seat, 3).entries if e.kind == "ladder"]
        assert moves[-1].detail == (
            "because the ladder at “Strikes and counter-strikes” or higher and Attacks this game at 2 or more"
        )


def counted_turn_events(game, turn):
    """The events of the last attempt at `turn` (after its last undo, if any)."""
    undos = [i for i, e in enumerate(game.log) if isinstance(e, ev.TurnUndone) and e.undone == turn]
    if undos:
        start = undos[-1]
    else:
        start = max(i for i, e in enumerate(game.log) if isinstance(e, ev.OrdersOpened) and e.turn == turn)
    return [e for e in game.log[start:] if e.turn == turn and not isinstance(e, ev.TurnUndone)]


# ------------------------------------------------------------ a full game


def test_a_doctrine_game_gives_outcome_scores_and_every_order():
    game = tutorial_game()
    debrief = build_debrief(game)
    end = kinds(game.log, ev.GameEnded)[-1]

    assert debrief.outcome is not None
    assert (debrief.outcome.id, debrief.outcome.reason, debrief.outcome.turn) == (end.outcome, end.reason, end.turn)
    assert debrief.outcome.title == "Open conflict" and not debrief.outcome.by_facilitator
    assert debrief.outcome.debrief == "Ask each team which move they would take back."

    assert [(s.role, s.total) for s in debrief.scores] == list(end.scores)
    assert [s.role for s in debrief.scores] == game.rules.role_ids
    assert [(s.role, o.id, o.held, o.points) for s in debrief.scores for o in s.objectives] == list(end.objectives)
    outcome = game.rules.outcomes[end.outcome]
    for score in debrief.scores:
        assert score.outcome_points == outcome.scores.get(score.role, 0)
        assert score.total == score.outcome_points + sum(o.points for o in score.objectives if o.held)

    assert [t.number for t in debrief.turns] == list(range(1, game.turn + 1))
    for record in debrief.turns:
        assert record.date == game_date("2024-03-04", 7, record.number)
        assert record.resolved and record.attempts == 1 and record.facilitator_acts == ()
        submitted = {e.role: e for e in counted_turn_events(game, record.number) if isinstance(e, ev.OrdersSubmitted)}
        assert [o.role for o in record.orders] == game.rules.role_ids
        for orders in record.orders:
            sub = submitted[orders.role]
            assert tuple(o.action for o in orders.orders) == sub.actions
            assert tuple(o.reason for o in orders.orders) == sub.reasons
            assert orders.player == sub.player == "doctrine"
            assert all(o.label == game.rules.actions[f"{orders.role}.{o.action}"].label for o in orders.orders)
        rolls = kinds(counted_turn_events(game, record.number), ev.RollMade)
        assert [(r.key, r.roll, r.success) for r in record.rolls] == [(r.key, r.roll, r.success) for r in rolls]

    assert debrief.questions[1] == "What did the Iran-aligned militias want, and did anyone read it right?"
    assert debrief.facilitator_acts == ()


def test_series_and_levels_follow_the_log():
    game = tutorial_game()
    debrief = build_debrief(game)
    keys = {t.id for t in game.scenario.tracks} | {f"{r.id}.{t.id}" for r in game.scenario.roles for t in r.tracks}
    assert set(debrief.series) == keys and "us.capital" in debrief.series
    for key, values in debrief.series.items():
        assert len(values) == len(debrief.turns) + 1
        assert values[-1] == game.state.values[key]
    assert debrief.series["tension"][0] == 40 and debrief.series["us.capital"][0] == 3
    # Each turn's changes are the step of the series from its start to its end.
    for i, record in enumerate(debrief.turns):
        for change in record.changes:
            assert (change.start, change.end) == (debrief.series[change.key][i], debrief.series[change.key][i + 1])
        assert record.level_start.index == debrief.levels[i] and record.level_end.index == debrief.levels[i + 1]

    moves = kinds(game.log, ev.LadderMoved)
    assert len(moves) == 2  # the seed was chosen for this
    recorded = [(m.turn, m.old.id, m.new.id, m.cause) for t in debrief.turns for m in t.ladder_moves]
    assert recorded == [(m.turn, m.old, m.new, m.cause) for m in moves]
    index = game.loaded.symbols.level_ids
    assert debrief.levels[0] == index["friction"]
    assert debrief.levels[-1] == index["open_conflict"] == game.state.level_index
    assert debrief.turns[-1].ladder_moves[0].why == "pushed by US: Strike the launch site"
    # The transition's condition in words, with the values it read after the push (tension 59, 3 attacks):
    # of `tension >= 80 or level >= 'strikes' and attacks >= 2`, only the branch that held.
    assert debrief.turns[-1].ladder_moves[1].why == (
        "because the ladder at “Strikes and counter-strikes” or higher and Attacks this game at 2 or more "
        "(ladder at Strikes and counter-strikes, Attacks this game 3)"
    )


def test_turning_points_are_ordered_and_include_every_ladder_move_and_big_swing():
    game = tutorial_game()
    debrief = build_debrief(game)
    points = debrief.turning_points
    magnitudes = [p.magnitude for p in points]
    assert magnitudes == sorted(magnitudes, reverse=True)
    ladder = [p for p in points if p.kind == "ladder"]
    assert len(ladder) == len(kinds(game.log, ev.LadderMoved))
    assert points[0].kind == "ladder" and "Open conflict" in points[0].text  # the move that ended the game
    swings = [p for p in points if p.kind == "swing"]
    expected = [
        (i + 1, key)
        for key in ("tension", "attacks", "mediation")
        for i, (a, b) in enumerate(zip(debrief.series[key], debrief.series[key][1:]))
        if abs(b - a) / (game.rules.bounds[key][1] - game.rules.bounds[key][0]) >= SWING_SHARE
    ]
    assert expected and len(swings) == len(expected)
    assert all(p.magnitude >= SWING_SHARE for p in swings)


def test_with_no_big_swing_the_three_largest_are_shown():
    game = Game(mini(turns={"max": 5}), seed=1)
    game.begin()
    game.start_play()
    while game.phase == "orders":  # tension 50 -> 40 -> 30 -> 20 -> 10: peace
        game.submit("a", ["calm_down"])
        game.submit("b", ["wait"])
        game.resolve()
    debrief = build_debrief(game)
    assert len(debrief.turns) == 4 and debrief.outcome.id == "peace"
    swings = [p for p in debrief.turning_points if p.kind == "swing"]
    assert len(swings) == 3 and all(p.magnitude == pytest.approx(0.1) for p in swings)
    assert "Tension fell 50 -> 40" in swings[0].text
    (move,) = [p for p in debrief.turning_points if p.kind == "ladder"]
    assert move.turn == 4 and "down from Middle to Peace" in move.text


# -------------------------------------------------------------- facilitator


def facilitated_game():
    """Turn 1 undone and replayed; a roll of turn 2 overridden; in turn 3 an
    inject forced, news posted and the game ended."""
    game = Game(shipped(TUTORIAL), seed=6)
    bots = doctrine(game)
    game.begin()
    game.post_news("The briefing is updated.")
    game.start_play()
    game.submit("us", ["demand_arrests"])
    game.submit("iraq", ["arrest_cell"], why="Show Washington we act")  # the bot will mediate instead
    game.submit("militias", ["rocket_attack"])
    game.submit("tehran", ["resupply"])
    game.resolve()
    game.force_inject("protest")  # taken back with turn 1, below
    game.undo_turn("Iraq misread its briefing", fresh_dice=False)  # the dice this test expects
    play_turn(game, bots)
    play_turn(game, bots)
    roll = next(e for e in reversed(game.log) if isinstance(e, ev.RollMade) and e.turn == 2 and e.roll is not None)
    game.override_roll(roll.key, not roll.success, "White Cell ruling")
    game.force_inject("protest")
    game.post_news("Ceasefire rumours.")
    game.end_game("conflict", "out of time")
    return game, roll


def test_undone_attempts_do_not_appear_in_the_turn_records():
    game, _ = facilitated_game()
    debrief = build_debrief(game)
    first = debrief.turns[0]
    assert first.attempts == 2
    iraq = next(o for o in first.orders if o.role == "iraq")
    assert [o.action for o in iraq.orders] == ["mediate"]
    assert all(r.key != "iraq.arrest_cell#0" for r in first.rolls)
    replayed = kinds(counted_turn_events(game, 1), ev.RollMade)
    assert [r.key for r in first.rolls] == [r.key for r in replayed]
    assert "Security forces arrest several suspects." not in [n.text for n in first.news]
    # The state the debrief folds up is the game's.
    for key, values in debrief.series.items():
        assert values[-1] == game.state.values[key]
    assert debrief.levels[-1] == game.state.level_index


def test_facilitator_acts_show_each_intervention_with_its_reason_and_what_the_rules_gave():
    game, overridden = facilitated_game()
    debrief = build_debrief(game)
    acts = debrief.facilitator_acts
    assert [(a.kind, a.turn, a.counted) for a in acts] == [
        ("news", 0, True),
        ("forced inject", 2, False),  # fired in turn 2's orders, then turn 1 was undone
        ("undo", 1, True),
        ("override", 2, True),
        ("forced inject", 3, True),
        ("news", 3, True),
        ("end game", 3, True),
    ]
    undo = acts[2]
    assert undo.reason == "Iraq misread its briefing"
    assert "Iraq: Arrest the rocket team" in undo.rules_gave  # the orders taken back
    assert "the teams' reasons: Iraq: “Show Washington we act”" in undo.rules_gave  # and why they were given

    override = acts[3]
    assert override.reason == "White Cell ruling" and override.ref == overridden.key
    assert override.roll.success == (not overridden.success)
    assert override.roll.rules_success == overridden.success and override.roll.override == "White Cell ruling"
    dice = "success" if overridden.success else "failure"
    assert override.rules_gave.startswith(f"the dice said {dice} (rolled {overridden.roll}")

    assert acts[4].ref == "protest" and acts[5].text.endswith("Ceasefire rumours.")
    end = acts[6]
    assert end.reason == "out of time" and end.ref == "conflict" and "had not ended" in end.rules_gave
    assert debrief.outcome.reason == "facilitator: out of time" and debrief.outcome.by_facilitator

    second, third = debrief.turns[1], debrief.turns[2]
    assert second.attempts == 2 and [a.kind for a in second.facilitator_acts] == ["forced inject", "override"]
    assert [i.forced for i in second.injects] == [False]  # the forced one was taken back
    rerun = next(r for r in second.rolls if r.key == overridden.key)
    assert rerun.overridden and rerun.success != rerun.rules_success
    assert not third.resolved and third.orders == () and third.rolls == ()
    assert [(i.id, i.forced) for i in third.injects] == [("protest", True)]
    assert any(n.source == "facilitator" and n.text == "Ceasefire rumours." for n in third.news)
    assert [a.kind for a in third.facilitator_acts] == ["forced inject", "news", "end game"]

    facilitator_points = [p for p in debrief.turning_points if p.kind == "facilitator"]
    assert len(facilitator_points) == sum(a.counted for a in acts)
    assert any("White Cell ruling" in p.text for p in facilitator_points)
    magnitudes = [p.magnitude for p in debrief.turning_points]
    assert magnitudes == sorted(magnitudes, reverse=True)


def test_an_override_lists_the_white_cells_acts_of_the_turn_once_not_again_for_its_re_run():
    """The re-run repeats the White Cell's inject and news of the turn's orders: the review
    listed each twice, the first as taken back."""
    game = Game(shipped(TUTORIAL), seed=6)
    bots = doctrine(game)
    game.begin()
    game.start_play()
    game.force_inject("protest")
    game.post_news("Ceasefire rumours.")
    play_turn(game, bots)
    roll = next(e for e in game.log if isinstance(e, ev.RollMade) and e.turn == 1 and e.roll is not None)
    game.override_roll(roll.key, not roll.success, "ruling")
    game.override_roll(roll.key, roll.success, "second thoughts")  # a second re-run repeats them again
    acts = build_debrief(game).facilitator_acts
    assert [(a.kind, a.turn, a.counted) for a in acts] == [
        ("forced inject", 1, True),
        ("news", 1, True),
        ("override", 1, True),
        ("override", 1, True),
    ]
    # Taken back with the turn, they are listed once, as taken back.
    game.undo_turn("start the turn again")
    acts = build_debrief(game).facilitator_acts
    assert [(a.kind, a.counted) for a in acts][:2] == [("forced inject", False), ("news", False)]
    assert [a.kind for a in acts].count("forced inject") == 1 and [a.kind for a in acts].count("news") == 1


def test_an_undo_after_the_end_reopens_the_game():
    game = tutorial_game()
    game.undo_turn("replay the last turn")
    debrief = build_debrief(game)
    assert debrief.outcome is None and debrief.scores == ()
    assert [t.number for t in debrief.turns] == [1, 2]  # turn 3 is open again
    assert all(len(v) == 3 for v in debrief.series.values())
    assert [a.kind for a in debrief.facilitator_acts] == ["undo"]
    assert "game over: Open conflict" in debrief.facilitator_acts[0].rules_gave


# ------------------------------------------------------------- unfinished


def test_an_unfinished_game_still_builds():
    game = Game(mini(), seed=1)
    debrief = build_debrief(game)
    assert debrief.outcome is None and debrief.turns == () and debrief.levels == (1,)
    assert debrief.series["tension"] == (50,)
    game.begin()
    game.start_play()
    game.submit("a", ["calm_down"])
    game.submit("b", ["wait"])
    game.resolve()
    debrief = build_debrief(game)
    assert debrief.outcome is None and debrief.scores == ()
    assert [t.number for t in debrief.turns] == [1]  # turn 2 is in progress
    assert debrief.series["tension"] == (50, 40) and debrief.series["a.cash"] == (2, 2)
    assert debrief.questions == ()


# ------------------------------------------------------------------- chart


def test_the_chart_has_exact_dimensions_and_the_highest_point_on_top():
    values = [40, 55, 100, 30, 0, 70]
    rows = escalation_chart(values, 0, 100, 60, 10)
    assert len(rows) == 10 and all(len(r) == 60 for r in rows)
    plot = [r.split("|", 1)[1] for r in rows]
    assert plot[0].count("*") == 1 and plot[0].index("*") == round(2 * (len(plot[0]) - 1) / 5)
    assert plot[-1].count("*") == 1  # the lowest value, on the bottom row
    assert sum(p.count("*") for p in plot) == len(values)
    labels = [r.split("|", 1)[0].strip() for r in rows]
    assert labels[0] == "100" and labels[-1] == "0" and labels[4] == "55.6"  # the middle row's value
    assert len({r.index("|") for r in rows}) == 1
    assert all(c in " *-/\\|.0123456789" for r in rows for c in r)


def test_the_chart_clamps_and_draws_flat_and_steep_lines():
    rows = escalation_chart([150, 150], 0, 100, 20, 5)
    assert rows[0] == "100 |*" + "-" * 13 + "*"
    rows = escalation_chart([0, 100], 0, 100, 12, 5)
    plot = [r.split("|", 1)[1] for r in rows]
    assert plot[-1][0] == "*" and plot[0][-1] == "*"
    assert all(p.strip() for p in plot)  # the line crosses every row
    assert escalation_chart([], 0, 10, 20, 3) == ["10 |" + " " * 16, "   |" + " " * 16, " 0 |" + " " * 16]


def test_the_chart_refuses_impossible_shapes():
    with pytest.raises(ValueError):
        escalation_chart([1], 5, 5, 40, 5)
    with pytest.raises(ValueError):
        escalation_chart([1], 0, 100, 40, 1)
    with pytest.raises(ValueError):
        escalation_chart([1], 0, 100, 5, 5)


def test_a_debrief_chart_fits_80_columns():
    debrief = build_debrief(tutorial_game())
    rows = escalation_chart(list(debrief.series["tension"]), 0, 100, 80, 12)
    assert len(rows) == 12 and {len(r) for r in rows} == {80}


def test_a_ladder_move_by_a_transition_names_its_condition_and_the_values_it_read():
    from helpers import mini_data

    data = mini_data()
    data["ladder"]["transitions"] = [{"from": "mid", "to": "high", "when": "talks and b.talk and turn >= 1"}]
    game = Game(mini(ladder=data["ladder"]), 1)
    game.begin()
    game.start_play()
    game.submit("a", ["calm_down"])
    game.submit("b", ["talk"])  # sets the flag `talks`
    game.resolve()
    (move,) = build_debrief(game).turns[0].ladder_moves
    assert (move.old.id, move.new.id, move.cause) == ("mid", "high", "transition")
    # The flag by its description, the order by its label: no identifier of the file.
    assert move.why == "because “Talks are open” and “Bravo: Talk” was ordered and turn 1 or later (turn 1)"
