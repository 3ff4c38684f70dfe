"""The analysis tools on inputs small enough to know their answers: batch summaries,
coverage, where two games part ways, and what a playthrough file checks."""

from __future__ import annotations

from helpers import TUTORIAL, from_data, mini, mini_data

from game.analysis.branches import compare
from game.analysis.playthrough import check, play, read_playthrough
from game.analysis.simulate import GameRecord, run_batch, summarise
from game.engine import Game


def record(outcome, turns, scores):
    return GameRecord(seed=0, outcome=outcome, turns=turns, scores=scores)


def test_a_summary_counts_outcomes_turns_and_scores_of_the_games_given():
    records = [
        record("peace", 1, {"a": 5}),
        record("draw", 3, {"a": 2}),
        record("draw", 3, {"a": 0}),
        record("draw", 2, {"a": 1}),
    ]
    summary = summarise(mini(), records, 1, {"a": "random", "b": "random"})
    assert {k: (v["count"], v["share"]) for k, v in summary["outcomes"].items()} == {
        "peace": (1, 0.25),
        "war": (0, 0),
        "draw": (3, 0.75),
    }
    assert summary["turns"] == {"mean": 2.25, "min": 1, "max": 3, "histogram": {"1": 1, "2": 1, "3": 2}}
    assert summary["scores"]["a"] == {"mean": 2.0, "min": 0, "max": 5, "stdev": 1.871}
    assert summary["scores"]["b"] == {"mean": 0, "min": 0, "max": 0, "stdev": 0}
    assert summary["coverage"]["outcomes_never_reached"] == ["war"]


def test_coverage_lists_an_action_that_no_game_could_take():
    data = mini_data()
    data["roles"][1]["actions"].append(
        {
            "id": "surrender",
            "label": "Surrender",
            "category": "diplomatic",
            "description": "d",
            "available_when": "turn > 50",
            "results": [{"news": "Bravo gives up."}],
        }
    )
    loaded = from_data(data)
    bots = {"a": "random", "b": "random"}
    coverage = summarise(loaded, run_batch(loaded, 10, 1, bots), 1, bots)["coverage"]
    assert coverage["actions_never_available"] == ["b.surrender"]
    assert "b.surrender" in coverage["actions_never_chosen"]


def test_two_games_that_differ_only_in_who_gave_orders_first_are_the_same():
    def played(first, second):
        game = Game(mini(), 3)
        game.begin()
        game.start_play()
        orders = {"a": ["escalate"], "b": ["wait"]}
        game.submit(first, orders[first])
        game.submit(second, orders[second])
        game.resolve()
        return game

    divergence = compare(played("a", "b"), played("b", "a"))
    assert (divergence.turn, divergence.differences) == (None, [])


def test_a_playthrough_reports_an_event_it_says_must_not_happen(tmp_path):
    path = tmp_path / "calm.yaml"
    path.write_text(
        f"scenario: {TUTORIAL}\n"
        "seed: 0\n"
        "orders:\n  1: {us: [demand_arrests], iraq: [mediate], militias: [stand_down]}\n"
        "expect:\n"
        "  no_events:\n"
        "    - {kind: game_ended, outcome: calm}\n"
        "    - {kind: inject_fired, inject: no_such_inject}\n",
        encoding="utf-8",
    )
    playthrough = read_playthrough(path)
    problems = check(playthrough, play(playthrough))
    assert problems == ["an event matches {'kind': 'game_ended', 'outcome': 'calm'}, which should not happen"]
