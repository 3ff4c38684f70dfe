"""A game as text and review data, checked against figures worked out by hand:
roll lines, turning points and scores of games built to produce them."""

from __future__ import annotations

from helpers import from_data, mini_data

from game.engine import Game
from game.engine import events as ev
from game.reports.charts import escalation_chart
from game.reports.debrief import build_debrief
from game.reports.timeline import EventText, timeline


def played(data, turns, a=("calm_down",), seed=1):
    game = Game(from_data(data), seed)
    game.begin()
    game.start_play()
    for _ in range(turns):
        if game.phase != "orders":
            break
        game.submit("a", list(a))
        game.submit("b", ["wait"])
        game.resolve()
    return game


def test_a_roll_line_shows_each_modifier_with_its_sign():
    data = mini_data()
    data["flags"][0]["start"] = True  # talks are open
    data["roles"][0]["actions"][1]["results"][0]["modifiers"] = [
        {"when": "talks", "add": -40, "reason": "talks are open"},
        {"when": "tension >= 50", "add": 15, "reason": "already tense"},
    ]
    game = played(data, 1, a=["escalate"])
    roll = next(e for e in game.log if isinstance(e, ev.RollMade))
    line = EventText(game).line(roll)
    verdict = "success" if roll.success else "failure"
    expected = (
        f"Alpha: Escalate: chance 50 - 40 (talks are open) + 15 (already tense) = 25%, rolled {roll.roll}: {verdict}"
    )
    assert line == expected
    assert "  " + expected in timeline(game).splitlines()


def test_every_swing_past_the_threshold_is_a_turning_point_even_beyond_three():
    # Tension rises by 20 (a fifth of its range) in each of four turns: four turning points.
    data = mini_data()
    data["turns"]["max"] = 4
    data["tracks"][0]["start"] = 15
    data["roles"][0]["actions"][0]["results"][0]["effects"] = {"tension": 20}
    game = played(data, 4)
    assert [game.state.values["tension"], game.state.outcome] == [95, "draw"]
    swings = [p for p in build_debrief(game).turning_points if p.kind == "swing"]
    assert sorted(p.turn for p in swings) == [1, 2, 3, 4]
    assert {p.magnitude for p in swings} == {0.2}
    assert "Turn 1: Tension rose 15 -> 35 (+20, 20% of its range)" in [p.text for p in swings]


def test_a_score_shows_the_outcomes_points_and_the_objectives_held():
    # 20 -> 10 in turn 1: the ladder falls to peace, which gives Alpha 3 points; Alpha's
    # objective (tension < 50, 2 points) holds. Bravo gets nothing.
    data = mini_data()
    data["tracks"][0]["start"] = 20
    debrief = build_debrief(played(data, 1))
    assert debrief.outcome.id == "peace"
    scores = {
        s.role: (s.total, s.outcome_points, [(o.id, o.held, o.points) for o in s.objectives]) for s in debrief.scores
    }
    assert scores == {"a": (5, 3, [("calm", True, 2)]), "b": (0, 0, [])}


def test_the_chart_draws_values_below_its_range_on_the_bottom_row():
    rows = escalation_chart([-50, -50], 0, 100, 20, 5)
    assert rows[-1] == "  0 |*" + "-" * 13 + "*"
    assert all("*" not in row for row in rows[:-1])


def test_the_timeline_marks_a_taken_back_turn_and_heads_the_attempt_that_replaced_it():
    game = Game(from_data(mini_data()), 1)
    game.begin()
    game.start_play()
    game.submit("a", ["calm_down"])
    game.submit("b", ["wait"])
    game.resolve()
    game.undo_turn("misread")
    game.submit("a", ["calm_down"])
    game.submit("b", ["talk"])
    game.resolve()
    # Orders resolve by category: information (wait) before diplomatic (calm_down, talk).
    assert timeline(game).splitlines() == [
        "Mini (seed 1)",
        "",
        "Turn 1",
        "  ~ Alpha orders (human): Calm down (taken back)",
        "  ~ Bravo orders (human): Wait (taken back)",
        "  ~ NEWS: Bravo waits. (taken back)",
        "  ~ Tension 50 -> 40 (-10, Alpha: Calm down) (taken back)",
        "  ~ NEWS: Alpha calms things. (taken back)",
        "",
        "Turn 1, played again",
        "  [facilitator] turn 1 taken back: misread",
        "  Alpha orders (human): Calm down",
        "  Bravo orders (human): Talk",
        "  Tension 50 -> 40 (-10, Alpha: Calm down)",
        "  NEWS: Alpha calms things.",
        "  Now: Talks are open (Bravo: Talk)",
        "  Tension 40 -> 35 (-5, Bravo: Talk)",
        "",
        "Turn 2",
    ]


def test_the_causes_the_engine_writes_are_the_ones_the_reports_read():
    """Every cause of a change in bot games of the flagship is an order's key, an order's
    cost, an inject, a turn's drift or an expiry, as `events` names them; the timeline
    words each in the scenario's terms."""
    from helpers import FLAGSHIP, shipped

    from game.players import DoctrineBot, RandomBot, play_game

    loaded = shipped(FLAGSHIP)
    seen: set[str] = set()
    for seed in range(1, 9):
        bots = {r.id: (RandomBot() if seed % 2 else DoctrineBot()) for r in loaded.scenario.roles}
        game = play_game(Game(loaded, seed), bots)
        text = EventText(game)
        for e in game.log:
            if type(e) not in (ev.TrackChanged, ev.FlagSet, ev.LadderPushed):
                continue
            if e.cause in game.rules.actions:
                seen.add("order")
            elif ev.paid_for(e.cause) in game.rules.actions:
                seen.add("cost")
                assert text.cause(e.cause) == f"cost of {game.rules.roll_labels[ev.paid_for(e.cause)]}"
            elif ev.inject_of(e.cause) in game.rules.injects:
                seen.add("inject")
                assert text.cause(e.cause) == game.rules.injects[ev.inject_of(e.cause)].title
            else:
                assert e.cause in (ev.PER_TURN, ev.EXPIRED), e.cause
                seen.add(e.cause)
    assert {"order", "cost", "inject"} <= seen, seen
    assert ev.paid_for(ev.cost_cause("us.strike")) == "us.strike" and ev.paid_for("us.strike") is None
    assert ev.inject_of(ev.inject_cause("protest")) == "protest" and ev.inject_of("per turn") is None
