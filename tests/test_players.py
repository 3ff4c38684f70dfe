"""The bots' choices in situations built so that the right choice can be worked out by hand.

The mini scenario (tests/helpers.py): tension starts at 50 (0..100); Alpha may
`calm_down` (tension -10, certain) or `escalate` (costs 2 cash, 50%: tension +20 and a
ladder push); Alpha's objective is tension < 50, worth 2 points, and peace (tension
<= 10) gives Alpha 3 points.
"""

from __future__ import annotations

from helpers import from_data, mini_data

from game.engine import Game, Seat
from game.players import DoctrineBot, HeuristicBot


def started(data, seed=1):
    game = Game(from_data(data), seed)
    game.begin()
    game.start_play()
    return game


def with_doctrine(rules, tension=50, orders_per_turn=1):
    data = mini_data()
    data["tracks"][0]["start"] = tension
    data["orders_per_turn"] = orders_per_turn
    data["roles"][0]["doctrine"] = rules
    return data


HAWK_THEN_DOVE = [
    {"when": "tension >= 60", "prefer": ["escalate"], "reason": "answer force with force"},
    {"when": "tension < 60", "prefer": ["calm_down"], "reason": "keep it calm"},
]


def test_the_doctrine_bot_skips_a_rule_whose_condition_does_not_hold():
    decision = DoctrineBot().decide(Seat(started(with_doctrine(HAWK_THEN_DOVE, tension=50)), "a"))
    assert decision.actions == ("calm_down",)
    assert decision.reasons == ("doctrine rule 2: keep it calm",)


def test_the_doctrine_bot_follows_a_rule_whose_condition_holds():
    decision = DoctrineBot().decide(Seat(started(with_doctrine(HAWK_THEN_DOVE, tension=70)), "a"))
    assert decision.actions == ("escalate",)
    assert decision.reasons == ("doctrine rule 1: answer force with force",)


def test_the_doctrine_bot_takes_the_first_of_several_rules_that_apply():
    rules = [
        {"prefer": ["escalate"], "reason": "first"},
        {"prefer": ["calm_down"], "reason": "second"},
    ]
    decision = DoctrineBot().decide(Seat(started(with_doctrine(rules)), "a"))
    assert decision.actions == ("escalate",) and decision.reasons == ("doctrine rule 1: first",)
    # With room for two orders it takes the second rule's action as well, in rule order.
    decision = DoctrineBot().decide(Seat(started(with_doctrine(rules, orders_per_turn=2)), "a"))
    assert decision.actions == ("escalate", "calm_down")


def test_the_heuristic_bot_counts_what_an_action_costs():
    # Alpha wants to keep 4 cash (it has 2; 0..5): spending 2 moves it away, waiting does not.
    data = mini_data()
    alpha = data["roles"][0]
    alpha["objectives"] = [{"id": "savings", "text": "Save.", "when": "a.cash >= 4", "points": 3}]
    alpha["actions"] = [
        {
            "id": "spend",
            "label": "Spend",
            "category": "economic",
            "description": "d",
            "cost": {"cash": 2},
            "results": [{"news": "Alpha spends."}],
        },
        {"id": "hold", "label": "Hold", "category": "economic", "description": "d", "results": [{"news": "Holds."}]},
    ]
    decision = HeuristicBot().decide(Seat(started(data), "a"))
    assert decision.actions == ("hold",)


def test_after_its_first_order_the_heuristic_bot_adds_only_moves_that_help():
    # Two orders allowed: calming helps Alpha (tension < 50), escalating would hurt.
    data = mini_data()
    data["orders_per_turn"] = 2
    decision = HeuristicBot().decide(Seat(started(data), "a"))
    assert decision.actions == ("calm_down",)
    assert decision.reasons[0].startswith("expected gain +")


def test_the_heuristic_bot_moves_toward_an_at_least_objective():
    # Alpha wants tension >= 60 (and no longer scores for peace); a certain escalation
    # (+20) gets there, calming moves away.
    data = mini_data()
    data["outcomes"][0]["scores"] = {}
    alpha = data["roles"][0]
    alpha["objectives"] = [{"id": "pressure", "text": "Press.", "when": "tension >= 60", "points": 2}]
    alpha["actions"][1]["results"][0]["chance"] = 100
    decision = HeuristicBot().decide(Seat(started(data), "a"))
    # Expected gain: the distance falls from (60 - 50) / 100 to 0, worth 2 points: +0.20.
    assert decision.actions == ("escalate",)
    assert decision.reasons == ("expected gain +0.20 toward objectives",)
