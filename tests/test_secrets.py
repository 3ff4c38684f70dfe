"""Fog of war: private and covert orders, attribution, intelligence, signals,
conditions over recent history, bot-only roles; and what each observer is shown
of them (`perceive`), what its bot decides from (`observe`) and what the review
sets beside the truth (`beliefs`)."""

import subprocess
import sys

import pytest
from helpers import ROOT, TUTORIAL, from_data, mini_data, shipped, started

from game.engine import Game, Seat
from game.engine import commands as cmd
from game.engine import events as ev
from game.engine.views import PUBLIC, observe, perceive, perceived_log
from game.players import DoctrineBot, PassiveBot, RandomBot, make_bot, play_game
from game.players.base import play_turn
from game.reports.beliefs import COVERT_ACT, STATEMENT, TRACK, UNSEEN_ORDER, beliefs
from game.scenario.expr import NEVER, compile_expression


def of(events, kind):
    return [e for e in events if type(e) is kind]


def secret_data():
    """The mini scenario with secrets: Alpha calms things in private and escalates
    covertly (always claimed by a front); Bravo's `wait` watches Alpha."""
    data = mini_data()
    data["actors"] = [{"id": "front", "name": "the Dawn Front", "description": "A front."}]
    calm, escalate = data["roles"][0]["actions"]
    calm["visibility"] = "private"
    escalate.update(visibility="covert", attribution=[{"claimed_by": "front", "chance": 100}])
    escalate["results"][0]["chance"] = 100
    watch = data["roles"][1]["actions"][0]
    watch["results"] = [{"reveal": {"role": "a", "orders": True, "tracks": ["cash"]}}]
    return data


def one_turn(loaded, a, b, seed=1):
    game = started(loaded, seed)
    game.submit("a", a)
    game.submit("b", b)
    game.resolve()
    return game


# --------------------------------------------------------- private orders


def test_a_private_order_is_known_to_its_team_only_while_its_effects_show_without_a_cause():
    game = one_turn(from_data(secret_data()), ["calm_down"], ["talk"])
    bravo, alpha = perceived_log(game, "b"), perceived_log(game, "a")
    # Bravo: no order, no news, a tension change of unknown cause.
    assert of(bravo, ev.OrdersRevealed)[0].orders == (("a", ()), ("b", ("talk",)))
    assert not [e for e in of(bravo, ev.ActionTaken) if e.role == "a"]
    assert "Alpha calms things." not in [e.text for e in of(bravo, ev.NewsPublished)]
    calmed = [e for e in of(bravo, ev.TrackChanged) if e.track == "tension" and e.new - e.old == -10]
    assert [e.cause for e in calmed] == [ev.UNKNOWN_CAUSE]
    # Alpha and the facilitator: all of it; the log keeps the truth.
    assert "Alpha calms things." in [e.text for e in of(alpha, ev.NewsPublished)]
    assert [e.cause for e in of(game.log, ev.TrackChanged) if e.new - e.old == -10] == ["a.calm_down"]
    assert perceive(game, game.log[-1], None) is game.log[-1]


def test_the_room_sees_only_what_every_team_sees():
    game = one_turn(from_data(secret_data()), ["escalate"], ["wait"])
    room = perceived_log(game, PUBLIC)
    assert of(room, ev.OrdersRevealed)[0].orders == (("a", ()), ("b", ("wait",)))
    assert not of(room, ev.Revealed)  # Bravo's intelligence is Bravo's
    assert not [e for e in of(room, ev.RollMade) if e.role == "a"]
    assert all(e.cause != "a.escalate" for e in of(room, ev.TrackChanged) + of(room, ev.LadderPushed))


# ---------------------------------------------------------- covert orders


def test_a_covert_order_shows_its_news_and_attribution_but_not_who_gave_it_nor_its_dice():
    game = one_turn(from_data(secret_data()), ["escalate"], ["talk"])
    bravo = perceived_log(game, "b")
    news = [e for e in of(bravo, ev.NewsPublished) if e.text == "Alpha escalates."]
    assert [(e.source, e.ref) for e in news] == [("action", None)]
    (claim,) = of(bravo, ev.Attributed)
    assert (claim.role, claim.action, claim.claimed_by, claim.roll) == (None, None, "front", None)
    assert not [e for e in of(bravo, ev.RollMade) if e.role == "a"]
    assert {e.cause for e in of(bravo, ev.LadderPushed)} == {ev.UNKNOWN_CAUSE}
    # Alpha knows it did it.
    (own,) = of(perceived_log(game, "a"), ev.Attributed)
    assert (own.role, own.action, own.claimed_by) == ("a", "escalate", "front")


def test_one_roll_picks_the_reading_of_a_covert_act_by_the_chances_the_scenario_gives():
    data = secret_data()
    escalate = data["roles"][0]["actions"][1]
    escalate["attribution"] = [{"claimed_by": "front", "chance": 30}, {"blamed_on": "b", "chance": 50}]
    loaded = from_data(data)
    readings = []
    for seed in range(300):
        (e,) = of(one_turn(loaded, ["escalate"], ["talk"], seed).log, ev.Attributed)
        # Rolls 1-30: claimed by the front; 31-80: blamed on Bravo; 81-100: nobody claims it.
        expected = ("front", None) if e.roll <= 30 else (None, "b") if e.roll <= 80 else (None, None)
        assert (e.claimed_by, e.blamed_on) == expected
        readings.append(expected)
    shares = [readings.count(r) / len(readings) for r in (("front", None), (None, "b"), (None, None))]
    assert shares == pytest.approx([0.30, 0.50, 0.20], abs=0.08)


def test_a_covert_order_that_makes_no_news_is_not_attributed():
    data = secret_data()
    data["roles"][0]["actions"][1]["results"][0]["news"] = None
    game = one_turn(from_data(data), ["escalate"], ["talk"])
    assert not of(game.log, ev.Attributed)


# ------------------------------------------------------------ intelligence


def test_intelligence_shows_the_watching_team_another_teams_orders_and_tracks():
    game = one_turn(from_data(secret_data()), ["escalate"], ["wait"])
    (seen,) = of(perceived_log(game, "b"), ev.Revealed)
    assert (seen.target, seen.orders) == ("a", ("escalate",))
    assert seen.tracks == (("a.cash", 2),)  # the value when Bravo's order resolved (information goes first)
    assert not of(perceived_log(game, "a"), ev.Revealed)  # Alpha does not know it was watched
    # Bravo now believes what it saw; Alpha's cash has since been spent.
    assert game.state.values["a.cash"] == 0
    assert observe(game, "b").values["a.cash"] == 2
    assert "a.escalate" in observe(game, "b").orders


def test_without_intelligence_a_team_believes_the_starting_value_and_knows_no_secret_order():
    game = one_turn(from_data(secret_data()), ["escalate"], ["talk"])
    bravo = observe(game, "b")
    assert game.state.values["a.cash"] == 0 and bravo.values["a.cash"] == 2
    assert "a.escalate" in game.state.orders and "a.escalate" not in bravo.orders
    assert "a.escalate" in game.state.last_turn and "a.escalate" not in bravo.last_turn
    assert observe(game, "a").values["a.cash"] == 0  # its own track: the truth


# ----------------------------------------------------------------- signals


def test_a_signal_is_read_by_every_team_but_the_private_order_behind_it_is_not():
    data = secret_data()
    data["roles"][0]["actions"][0]["signal"] = "Alpha will never give up the river."
    game = one_turn(from_data(data), ["calm_down"], ["talk"])
    (said,) = of(perceived_log(game, "b"), ev.SignalSent)
    assert (said.role, said.action, said.text) == ("a", None, "Alpha will never give up the river.")
    (truth,) = of(game.log, ev.SignalSent)
    assert truth.action == "calm_down"


# -------------------------------------------------------- results by name


def further_effect_data(main_chance):
    data = mini_data()
    escalate = data["roles"][0]["actions"][1]
    escalate["results"] = [
        {"chance": main_chance, "effects": {"tension": 20}, "news": "Alpha escalates."},
        {"label": "Protests", "chance": 100, "if_main_succeeds": True, "effects": {"b.morale": 1}},
    ]
    return data


@pytest.mark.parametrize("main_chance, protested", [(0, False), (100, True)])
def test_a_further_effect_that_waits_for_the_main_result_is_rolled_only_after_a_success(main_chance, protested):
    game = one_turn(from_data(further_effect_data(main_chance)), ["escalate"], ["wait"])
    assert (game.state.values["b.morale"] == 6) is protested


def test_rolls_say_what_they_were_rolled_for_without_parsing_keys():
    data = further_effect_data(100)
    data["roles"][0]["actions"][1]["results"][1]["chance"] = 50
    data["injects"] = [{"id": "storm", "title": "A storm", "chance": 50, "news": "A storm."}]
    game = one_turn(from_data(data), ["escalate"], ["wait"])
    further = next(e for e in of(game.log, ev.RollMade) if e.key == "a.escalate#1")
    assert (further.role, further.action, further.result, further.result_label, further.inject) == (
        "a",
        "escalate",
        1,
        "Protests",
        None,
    )
    assert further.label == "Alpha: Escalate: Protests"
    storm = next(e for e in of(game.log, ev.RollMade) if e.key == "inject:storm")
    assert (storm.role, storm.action, storm.result, storm.inject) == (None, None, None, "storm")


def test_a_ladder_move_names_the_transition_that_made_it():
    data = mini_data()
    data["tracks"][0]["start"] = 12  # calming by 10 meets the first transition: tension <= 10
    game = one_turn(from_data(data), ["calm_down"], ["wait"])
    (move,) = [e for e in of(game.log, ev.LadderMoved) if e.cause == "transition"]
    assert move.transition == 0 and data["ladder"]["transitions"][0]["to"] == move.new == "peace"


# ------------------------------------------------- conditions over history


def test_turns_since_counts_from_the_last_time_a_flag_was_set_or_an_order_carried_out():
    loaded = from_data(mini_data())
    since_talks, _ = compile_expression("turns_since(talks)", loaded.symbols, None)
    since_talk, _ = compile_expression("turns_since(b.talk)", loaded.symbols, None)
    game = started(loaded)
    assert since_talks(game.state) == NEVER == 1000 and since_talk(game.state) == NEVER
    game.submit("a", ["calm_down"])
    game.submit("b", ["talk"])
    game.resolve()  # talks set and b.talk carried out in turn 1; now turn 2
    assert (since_talks(game.state), since_talk(game.state)) == (1, 1)
    play_turn(game, {"a": PassiveBot(), "b": PassiveBot()})
    assert (since_talks(game.state), since_talk(game.state)) == (2, 2)


def test_a_flag_that_expires_clears_itself_at_the_start_of_the_turn_that_many_turns_later():
    data = mini_data()
    data["flags"][0]["expires"] = 2
    game = one_turn(from_data(data), ["calm_down"], ["talk"])  # talks set in turn 1
    assert game.state.flags["talks"]  # turn 2
    play_turn(game, {"a": PassiveBot(), "b": PassiveBot()})
    assert not game.state.flags["talks"]  # turn 3
    (cleared,) = [e for e in of(game.log, ev.FlagSet) if not e.value]
    assert (cleared.turn, cleared.cause) == (3, ev.EXPIRED)


def test_setting_a_flag_that_is_already_set_restarts_its_time():
    """A second strike while "struck in the last two weeks" holds keeps it for two
    more weeks, and `turns_since` counts from the second."""
    data = mini_data()
    data["flags"][0]["expires"] = 2
    data["turns"]["max"] = 5
    talk = data["roles"][1]["actions"][1]
    del talk["available_when"], talk["max_uses"]
    since_talks, _ = compile_expression("turns_since(talks)", from_data(data).symbols, None)
    game = one_turn(from_data(data), ["calm_down"], ["talk"])  # talks set in turn 1
    game.submit("a", [])
    game.submit("b", ["talk"])
    game.resolve()  # set again in turn 2, while it holds; now turn 3
    assert game.state.flags["talks"] and since_talks(game.state) == 1
    assert [e.turn for e in of(game.log, ev.FlagSet) if e.value] == [1, 2]
    play_turn(game, {"a": PassiveBot(), "b": PassiveBot()})
    assert not game.state.flags["talks"]  # turn 4: two turns after turn 2


# ------------------------------------------------------ bot-only roles


def test_bot_only_roles_are_not_playable_and_play_their_doctrine_when_left_out():
    loaded = shipped(TUTORIAL)
    game = Game(loaded, 4)
    assert game.rules.playable_roles == ["us", "iraq", "militias"]
    play_game(game, {r: RandomBot() for r in game.rules.playable_roles})
    tehran = [e for e in of(game.log, ev.OrdersSubmitted) if e.role == "tehran"]
    assert tehran and all(e.player == "doctrine" for e in tehran)


def test_the_passive_bot_gives_no_orders():
    game = started(shipped(TUTORIAL))
    assert PassiveBot().decide(Seat(game, "militias")).actions == ()
    assert make_bot("passive").kind == "passive"


# ------------------------------------------------------------ fresh dice


def turn_one_rolls(game):
    return [(e.key, e.roll) for e in game.attempt(1) if type(e) is ev.RollMade and e.roll is not None]


def test_an_undo_rolls_fresh_dice_unless_told_to_keep_them():
    def after_undo(**keep):
        game = Game(shipped(TUTORIAL), 7)
        game.begin()
        game.start_play()
        orders = {"us": ["demand_arrests"], "iraq": ["arrest_cell"], "militias": ["rocket_attack"]}
        orders["tehran"] = ["resupply"]
        for role, actions in orders.items():
            game.submit(role, actions)
        game.resolve()
        first = turn_one_rolls(game)
        game.undo_turn("again", **keep)
        for role, actions in orders.items():
            game.submit(role, actions)
        game.resolve()
        return first, turn_one_rolls(game), game

    first, same, _ = after_undo(fresh_dice=False)
    assert same == first
    first, fresh, game = after_undo()
    assert [k for k, _ in fresh] == [k for k, _ in first]  # the same things rolled for...
    assert [r for _, r in fresh] != [r for _, r in first]  # ...with new dice
    assert of(game.log, ev.TurnUndone)[-1].fresh_dice


def test_an_undo_saved_before_fresh_dice_existed_keeps_meaning_the_same_dice():
    old = cmd.command_from_dict({"kind": "undo_turn", "reason": "misread"})
    assert old == cmd.UndoTurn("misread", fresh_dice=False)
    new = cmd.command_from_dict(cmd.UndoTurn("misread").to_dict())
    assert new.fresh_dice is True
    with pytest.raises(ValueError):
        cmd.command_from_dict({"kind": "undo_turn", "reason": "x", "fresh_dice": "yes"})


def test_a_save_made_before_fog_of_war_replays_to_the_same_log():
    """Saved by the engine before this work (flagship, an undo and an override, a
    ladder move by transition): its commands mean what they meant, and the replayed
    log matches the checksum recorded then."""
    from game.workshop.saves import read_save, restore, verify

    save = read_save(ROOT / "tests" / "saves" / "flagship-before-fog-of-war.json")
    assert any(c["kind"] == "undo_turn" and "fresh_dice" not in c for c in save.commands)
    # The flagship as it was then (it has been recalibrated since).
    game = restore(save, shipped(ROOT / "tests" / "saves" / "baghdad-2023-before-fog-of-war.yaml"))
    assert verify(save, game) == []
    assert any(type(e) is ev.LadderMoved and e.transition is not None for e in game.log)


def test_a_branch_at_a_turn_played_again_with_fresh_dice_uses_the_dice_that_counted():
    from game.analysis.branches import branch, compare

    game = Game(shipped(TUTORIAL), 7)
    bots = {r: DoctrineBot() for r in game.rules.role_ids}
    game.begin()
    game.start_play()
    play_turn(game, bots)
    game.undo_turn("again")
    play_game(game, bots)
    orders = next(e for e in game.log[::-1] if type(e) is ev.OrdersRevealed and e.turn == 1).orders
    same = branch(game, 1, "us", dict(orders)["us"], bots)
    assert turn_one_rolls(same) == turn_one_rolls(game)  # the attempt that counted, not the first
    assert compare(game, same).differences == []


# -------------------------------------------------------------- beliefs


def test_the_review_sets_what_each_team_believed_beside_the_truth():
    data = secret_data()
    data["roles"][0]["actions"][0]["signal"] = "Alpha wants peace."
    loaded = from_data(data)
    game = started(loaded)
    game.submit("a", ["escalate"])  # covert, claimed by the front
    game.submit("b", ["talk"])
    game.resolve()
    game.submit("a", ["calm_down"])  # private, with a public statement
    game.submit("b", ["wait"])  # watches Alpha: sees this turn's order and its cash
    game.resolve()
    bravo = beliefs(game)["b"]
    covert = next(b for b in bravo if b.kind == COVERT_ACT)
    assert (covert.turn, covert.believed, covert.truth, covert.correct) == (
        1,
        "claimed by the Dawn Front",
        "Alpha: Escalate",
        False,
    )
    assert covert.learned is None
    unseen = next(b for b in bravo if b.kind == UNSEEN_ORDER)
    assert (unseen.turn, unseen.truth, unseen.learned, unseen.correct) == (2, "Alpha: Calm down", 2, True)
    statement = next(b for b in bravo if b.kind == STATEMENT)
    assert statement.believed == 'Alpha said: "Alpha wants peace."' and "Calm down" in statement.truth
    cash = next(b for b in bravo if b.kind == TRACK)
    assert cash.believed == "Alpha Cash: 0 (shown by its intelligence in turn 2)" and cash.correct
    # Alpha saw all of Bravo's orders (public): nothing to set beside the truth but Bravo's tracks.
    assert {b.kind for b in beliefs(game)["a"]} <= {TRACK}


def test_the_report_lays_out_what_fog_of_war_hid_team_by_team():
    """The take-home report groups each team's picture by kind (orders hidden from it, covert
    acts it saw as news, statements, the others' private numbers), under one sentence that
    counts them. Expected here from the game as played: Bravo lost sight of Alpha's turn-2
    order (its watch revealed it), read a claim by a front in turn 1, heard one statement, and
    knew Alpha's cash from its intelligence."""
    from game.reports import html, markdown
    from game.reports.report import build_report

    data = secret_data()
    data["roles"][0]["actions"][0]["signal"] = "Alpha wants peace."
    game = started(from_data(data))
    game.submit("a", ["escalate"])
    game.submit("b", ["talk"])
    game.resolve()
    game.submit("a", ["calm_down"])
    game.submit("b", ["wait"])
    game.resolve()
    report = build_report(game)
    text = markdown.report_text(report)
    section = text[text.index("## What each team believed") : text.index("## Discussion")]
    summary = (
        "1 order of the other teams was hidden from it (its intelligence revealed 1 of them); "
        "it saw 1 covert act only as news; it heard 1 statement "
        "without the order that made it; of the others' 1 private number, it knew 1 at the end."
    )
    assert section.split("### ")[1:] == [
        "\n".join(
            [
                "Bravo",
                "",
                summary,
                "",
                "**Orders hidden from it** (it saw their effects, not the orders):",
                "",
                "- Turn 2: Alpha: Calm down (revealed by its intelligence in turn 2)",
                "",
                "**Covert acts it saw only as news:**",
                "",
                "| Turn | The news said | What was so |",
                "| --- | --- | --- |",
                "| 1 | claimed by the Dawn Front | Alpha: Escalate |",
                "",
                "**Statements it heard without the order that made them:**",
                "",
                "| Turn | It heard | What was so |",
                "| --- | --- | --- |",
                '| 2 | Alpha said: "Alpha wants peace." | made by the order Alpha: Calm down |',
                "",
                "**The other teams' private numbers, at the end:**",
                "",
                "| Number | It believed | True | Known at the end |",
                "| --- | --- | --- | --- |",
                "| Alpha Cash | 0 (shown by its intelligence in turn 2) | 0 | yes |",
                "",
                "",
            ]
        )
    ]  # Alpha saw every order of Bravo's and has no section
    page = html.report_page(report)
    assert "<h3>Bravo</h3>" in page and "<h3>Alpha</h3>" not in page
    assert summary.replace("'", "&#x27;") in page


def test_a_covert_act_its_intelligence_revealed_is_reported_as_known():
    """Bravo watches Alpha in the turn Alpha escalates covertly: the news carried only a claim,
    but Bravo knew the truth, and the report says so (it said Bravo was in the dark)."""
    from game.reports.report import beliefs as team_beliefs

    game = started(from_data(secret_data()))
    game.submit("a", ["escalate"])  # covert, claimed by the front
    game.submit("b", ["wait"])  # watches Alpha
    game.resolve()
    bravo = next(t for t in team_beliefs(game) if t.role == "b")
    (covert,) = bravo.covert
    assert (covert.believed, covert.learned, covert.correct) == ("claimed by the Dawn Front", 1, True)
    assert bravo.summary.startswith("It saw 1 covert act only as news (its intelligence revealed 1 of them);")
    table = next(b for b in bravo.blocks() if b.lead.startswith("Covert"))
    assert table.rows == (
        ("1", "claimed by the Dawn Front", "Alpha: Escalate (revealed by its intelligence in turn 1)"),
    )


# ------------------------------------------------------ the command line


def crisis(*args):
    return subprocess.run([sys.executable, "-m", "game", *args], cwd=ROOT, capture_output=True, text=True)


def test_transcript_as_a_role_shows_the_game_as_that_team_saw_it():
    as_us = crisis("transcript", "scenarios/tutorial.yaml", "--seed", "2", "--as", "us")
    whole = crisis("transcript", "scenarios/tutorial.yaml", "--seed", "2")
    assert as_us.returncode == 0 and whole.returncode == 0, as_us.stderr + whole.stderr
    assert "# as United States saw it" in as_us.stdout
    assert "-- Government of Iraq sees:" in whole.stdout and "-- Government of Iraq sees:" not in as_us.stdout
    assert "Militias: Rocket attack" in whole.stdout and "Militias: Rocket attack" not in as_us.stdout
    assert "WHO DID IT?" in as_us.stdout and "Covert order Militias: Rocket attack" in whole.stdout


def test_transcript_as_an_unknown_role_is_a_usage_error():
    result = crisis("transcript", "scenarios/tutorial.yaml", "--as", "uk")
    assert result.returncode == 2 and "unknown role 'uk'" in result.stderr and "Traceback" not in result.stderr


def test_describe_says_which_orders_are_secret_and_which_roles_only_a_bot_plays():
    result = crisis("describe", "scenarios/tutorial.yaml")
    assert result.returncode == 0, result.stderr
    assert "Iran-aligned militias (militias): 2 actions (1 covert)," in result.stdout
    assert "(tehran): 2 actions (1 private)," in result.stdout and "played only by its bot" in result.stdout


def test_text_that_would_show_a_secret_is_warned_about_and_a_teams_own_private_news_is_not():
    data = secret_data()
    calm, escalate = data["roles"][0]["actions"]
    calm["results"][0]["news"] = "Alpha's cash is {a.cash}."  # private order: only Alpha reads it
    calm["signal"] = "Alpha has {a.cash} to spend."  # every team reads a signal
    data["situation"].append("Did Alpha escalate? {a.escalate}")  # a covert order
    messages = [w.message for w in from_data(data).warnings]
    assert messages == [
        "the situation shows 'a.escalate', a covert order of role 'a' that other teams may not see",
        "the signal of action 'a.calm_down' shows 'a.cash', a private track of role 'a' that other teams may not see",
    ]


def test_a_chance_keeps_its_points_but_not_the_reasons_that_read_another_teams_secrets():
    """Bravo's roll is public; one modifier reads Alpha's private cash: Bravo and the room see
    its points under a neutral reason, Alpha (whose cash it is) and the facilitator see why."""
    data = mini_data()
    wait = data["roles"][1]["actions"][0]
    wait["results"] = [
        {
            "chance": 40,
            "modifiers": [
                {"when": "a.cash >= 2", "add": 20, "reason": "Alpha has money to spend"},
                {"when": "tension >= 0", "add": 5, "reason": "the mood in the capital"},
            ],
            "news": "Bravo waits.",
        }
    ]
    game = one_turn(from_data(data), [], ["wait"])
    roll = next(e for e in game.log if type(e) is ev.RollMade)
    assert roll.chance == 65
    truth = (("Alpha has money to spend", 20), ("the mood in the capital", 5))
    assert perceive(game, roll, None).modifiers == truth
    assert perceive(game, roll, "a").modifiers == truth
    hidden = (("the mood in the capital", 5), ("for reasons your team cannot see", 20))
    for observer in ("b", PUBLIC):
        seen = perceive(game, roll, observer)
        assert seen.modifiers == hidden and seen.chance == 65
        assert "money" not in repr(seen)


def test_a_failed_inject_roll_is_hidden_from_whoever_cannot_see_what_its_condition_reads():
    """An inject is rolled for only while its condition holds, so a failed roll tells that it
    held: where the condition reads Alpha's private cash, Bravo and the room see no roll; an
    inject whose condition everyone can read shows its failed roll to all."""
    data = mini_data()
    data["injects"] = [
        {"id": "leak", "title": "A leak", "when": "a.cash >= 2", "chance": 1, "news": "A leak."},
        {"id": "storm", "title": "A storm", "when": "tension >= 0", "chance": 1, "news": "A storm."},
    ]
    game = one_turn(from_data(data), [], [])
    rolls = {e.inject: e for e in game.log if type(e) is ev.RollMade and e.inject}
    assert not rolls["leak"].success and not rolls["storm"].success
    for observer in ("b", PUBLIC):
        assert perceive(game, rolls["leak"], observer) is None
        assert perceive(game, rolls["storm"], observer) is rolls["storm"]
    assert perceive(game, rolls["leak"], "a") is rolls["leak"]
    assert perceive(game, rolls["leak"], None) is rolls["leak"]


@pytest.mark.parametrize("when", ["a.calm_down", "turns_since(a.calm_down) <= 1", "not b.wait and a.calm_down"])
def test_a_ladder_move_caused_by_a_private_order_does_not_name_it_to_the_other_teams(when):
    """The results say why the ladder moved, in words: a transition that reads another
    team's private order would have told Bravo "because 'Alpha: Calm down' was ordered"."""
    from game.tui import render
    from game.workshop.flow import ROOM
    from game.workshop.present import Presenter

    data = secret_data()
    data["ladder"]["transitions"].append({"from": "mid", "to": "high", "when": when})
    game = one_turn(from_data(data), ["calm_down"], ["talk"])
    presenter = Presenter(game)
    for seat in ("b", ROOM):
        shown = render.results(presenter.results(seat, 1)).plain
        assert "The ladder moves: Middle → High" in shown
        assert "Calm down" not in shown and "not visible to your team" in shown
    assert "“Alpha: Calm down” was ordered" in render.results(presenter.results("a", 1)).plain
