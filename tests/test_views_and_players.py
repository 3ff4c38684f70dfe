"""What each team may see, and the players that give orders."""

import pytest
from helpers import TUTORIAL, from_data, mini, mini_data, shipped, started

from game.engine import Game, NotYourRole, Seat
from game.engine import events as ev
from game.players import (
    DoctrineBot,
    HeuristicBot,
    RandomBot,
    ScriptedPlayer,
    make_bot,
    play_game,
)

# ----------------------------------------------------------------- views


def test_a_team_sees_its_own_orders_but_not_another_teams_before_they_resolve():
    game = started(mini())
    game.submit("a", ["escalate"])
    a, b = Seat(game, "a").view(), Seat(game, "b").view()
    assert a.my_orders == ("escalate",)
    assert b.my_orders is None
    assert not any(isinstance(e, ev.OrdersSubmitted) and e.role == "a" for e in b.events)
    assert b.waiting_for == ("b",)
    game.submit("b", ["wait"])
    game.resolve()
    revealed = [e for e in Seat(game, "b").view().events if isinstance(e, ev.OrdersRevealed)]
    assert revealed[0].orders == (("a", ("escalate",)), ("b", ("wait",)))


def test_private_and_hidden_tracks_are_shown_only_to_whom_they_belong():
    data = mini_data()
    data["tracks"].append({"id": "secret", "label": "Secret", "start": 1, "visibility": "hidden"})
    data["roles"][0]["actions"][0]["results"][0]["effects"] = {"a.cash": 1, "secret": 1}
    game = started(from_data(data))
    a, b = Seat(game, "a").view(), Seat(game, "b").view()
    assert {t.key for t in a.tracks} == {"tension", "a.cash", "b.morale"}
    assert {t.key for t in b.tracks} == {"tension", "b.morale"}  # b.morale is public
    game.submit("a", ["calm_down"])
    game.submit("b", ["wait"])
    game.resolve()
    seen_by_b = {e.track for e in Seat(game, "b").view().events if isinstance(e, ev.TrackChanged)}
    seen_by_a = {e.track for e in Seat(game, "a").view().events if isinstance(e, ev.TrackChanged)}
    assert "a.cash" not in seen_by_b and "secret" not in seen_by_b
    assert "a.cash" in seen_by_a and "secret" not in seen_by_a


def test_a_view_shows_the_private_briefing_objectives_and_options_with_reasons():
    game = started(mini())
    view = Seat(game, "a").view()
    assert [t.text for t in view.private_briefing] == ["Alpha's secret."]
    assert [(o.id, o.holds_now) for o in view.objectives] == [("calm", False)]
    assert [o.available for o in view.options] == [True, True]
    assert view.date == "1 January 2024" and view.level == "mid"


def test_a_seat_for_an_unknown_role_is_refused():
    with pytest.raises(NotYourRole):
        Seat(started(mini()), "zulu")


# --------------------------------------------------------------- players


def test_the_random_bot_gives_legal_orders_and_is_deterministic_per_seed():
    def orders(seed):
        game = play_game(Game(shipped(TUTORIAL), seed), {r: RandomBot() for r in ("us", "iraq", "militias")})
        return [(e.role, e.actions) for e in game.log if isinstance(e, ev.OrdersSubmitted)]

    assert orders(3) == orders(3)
    assert len({tuple(orders(s)) for s in range(10)}) > 1


def test_the_doctrine_bot_follows_the_first_rule_that_applies_and_says_which():
    game = started(shipped(TUTORIAL))
    DoctrineBot().play(Seat(game, "us"))
    submitted = game.pending["us"]
    # No attacks yet: rule 1 (attacks >= 2) does not apply; rule 2 prefers demand_arrests.
    assert submitted.actions == ("demand_arrests",)
    assert submitted.player == "doctrine"
    assert submitted.reasons[0].startswith("doctrine rule 2")


def test_the_doctrine_bot_falls_back_to_the_heuristic_bot_without_doctrine():
    game = started(shipped(TUTORIAL))
    decision = DoctrineBot().decide(Seat(game, "iraq"))
    assert decision.actions == HeuristicBot().decide(Seat(game, "iraq")).actions
    assert decision.reasons[0].startswith("no doctrine for this role; expected gain")


def test_the_heuristic_bot_plays_toward_its_objectives():
    # Alpha's objective is tension < 50: calming is the better move.
    game = started(mini())
    decision = HeuristicBot().decide(Seat(game, "a"))
    assert decision.actions == ("calm_down",)
    assert "expected gain" in decision.reasons[0]


def test_a_scripted_player_follows_its_script_then_its_fallback():
    player = ScriptedPlayer({1: ["escalate"]}, fallback=ScriptedPlayer({2: ["calm_down"]}))
    game = started(mini())
    assert player.decide(Seat(game, "a")).actions == ("escalate",)
    game.submit("a", ["calm_down"])
    game.submit("b", ["wait"])
    game.resolve()
    assert player.decide(Seat(game, "a")).actions == ("calm_down",)


def test_any_mix_of_players_plays_a_whole_game():
    loaded = shipped(TUTORIAL)
    players = {"us": make_bot("doctrine"), "iraq": make_bot("heuristic"), "militias": make_bot("random")}
    game = play_game(Game(loaded, 4), players)
    assert game.phase == "debrief" and game.state.outcome in {o.id for o in loaded.scenario.outcomes}
    kinds = {e.role: e.player for e in game.log if isinstance(e, ev.OrdersSubmitted)}
    # Tehran is bot_only: left out of `players`, it plays its doctrine.
    assert kinds == {"us": "doctrine", "iraq": "heuristic", "militias": "random", "tehran": "doctrine"}


def test_an_unknown_bot_kind_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown bot 'genius'"):
        make_bot("genius")
