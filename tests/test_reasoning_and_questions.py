"""A team's one-line reasoning (why, and what it thinks the others intend) and
discussion questions with conditions and roles: engine, format and debrief."""

import json

import pytest
from helpers import from_data, mini, mini_data

from game.engine import Game, IllegalOrder, Seat
from game.engine import events as ev
from game.engine.commands import MAX_REASONING, Submit, command_from_dict
from game.reports.debrief import build_debrief
from game.scenario import ScenarioError
from game.workshop.saves import log_digest, read_save, restore, save_game, verify


def started(loaded=None, seed=3):
    game = Game(loaded or mini(), seed)
    game.begin()
    game.start_play()
    return game


# ---------------------------------------------------------------- reasoning


def test_a_teams_why_and_intent_reach_the_debrief():
    game = started()
    game.submit("a", ["calm_down"], why="Lower the temperature first", intent="Bravo wants talks")
    game.submit("b", ["wait"])
    game.resolve()
    alpha, bravo = build_debrief(game).turns[0].orders
    assert (alpha.why, alpha.intent) == ("Lower the temperature first", "Bravo wants talks")
    assert (bravo.why, bravo.intent) == ("", "")


def test_reasoning_is_one_line_in_the_debrief():
    game = started()
    game.submit("a", ["calm_down"], why="first line\n  second   line")
    game.submit("b", ["wait"])
    game.resolve()
    assert build_debrief(game).turns[0].orders[0].why == "first line second line"


def test_no_other_team_is_shown_a_teams_reasoning():
    game = started()
    game.submit("a", ["calm_down"], why="SECRET-WHY-1", intent="SECRET-INTENT-1")
    shown_before = json.dumps([e.to_dict() for e in Seat(game, "b").view().events])
    game.submit("b", ["wait"])
    game.resolve()
    shown_after = json.dumps([e.to_dict() for e in Seat(game, "b").view().events])
    for shown in (shown_before, shown_after):
        assert "SECRET-WHY-1" not in shown and "SECRET-INTENT-1" not in shown
    own = json.dumps([e.to_dict() for e in Seat(game, "a").view().events])
    assert "SECRET-WHY-1" in own  # the team itself sees what it wrote


def test_reasoning_longer_than_a_line_is_refused_and_changes_nothing():
    game = started()
    before = len(game.log)
    with pytest.raises(IllegalOrder, match=f"at most {MAX_REASONING}"):
        game.submit("a", ["calm_down"], why="x" * (MAX_REASONING + 1))
    with pytest.raises(IllegalOrder, match="intent"):
        game.submit("a", ["calm_down"], intent="x" * (MAX_REASONING + 1))
    assert len(game.log) == before and game.waiting_for() == ["a", "b"]


def test_reasoning_that_is_not_text_is_a_malformed_command():
    with pytest.raises(ValueError, match="'why' of an order should be text"):
        command_from_dict({"kind": "submit", "role": "a", "actions": [], "why": 3})


def test_records_without_reasoning_keep_the_form_older_saves_have():
    """Saves made before the reasoning fields existed hold commands and events
    without them: such a record reads back and writes out exactly as it was, so
    the checksums of old logs still match."""
    old_command = {"kind": "submit", "role": "a", "actions": ["calm_down"], "player": "human", "reasons": [""]}
    assert command_from_dict(old_command).to_dict() == old_command
    old_event = {"kind": "orders_submitted", "turn": 1, "role": "a", "actions": ["calm_down"]}
    old_event |= {"player": "human", "reasons": [""]}
    assert ev.event_from_dict(old_event).to_dict() == old_event
    with_reasoning = Submit("a", ("calm_down",), why="because").to_dict()
    assert with_reasoning["why"] == "because" and "intent" not in with_reasoning


def test_an_old_save_without_reasoning_still_loads_and_verifies(tmp_path):
    loaded = mini()
    game = started(loaded)
    game.submit("a", ["calm_down"])
    game.submit("b", ["wait"])
    game.resolve()
    path = save_game(game, tmp_path / "old.json")
    text = path.read_text(encoding="utf-8")
    assert '"why"' not in text and '"intent"' not in text  # the form saves had before
    save = read_save(path)
    again = restore(save, loaded)
    assert verify(save, again) == [] and log_digest(again) == log_digest(game)


def test_a_save_keeps_the_reasoning_and_replays_it(tmp_path):
    loaded = mini()
    game = started(loaded)
    game.submit("a", ["calm_down"], why="calm first", intent="they bluff")
    game.submit("b", ["wait"])
    game.resolve()
    again = restore(read_save(save_game(game, tmp_path / "g.json")), loaded)
    assert build_debrief(again).turns[0].orders[0].intent == "they bluff"


def test_a_rerun_after_an_override_keeps_the_reasoning():
    game = started(seed=1)
    game.submit("a", ["escalate"], why="show strength", intent="they will fold")
    game.submit("b", ["wait"])
    game.resolve()
    roll = next(e for e in game.log if isinstance(e, ev.RollMade) and e.roll is not None)
    game.override_roll(roll.key, not roll.success, "a test")
    orders = build_debrief(game).turns[0].orders[0]
    assert (orders.why, orders.intent) == ("show strength", "they will fold")


def test_the_scenario_can_ask_for_the_intent_question():
    assert mini().scenario.ask_intent is False
    assert mini(ask_intent=True).scenario.ask_intent is True


# ---------------------------------------------------------------- questions


def questions_game(questions, **changes):
    data = mini_data()
    data["debrief"] = {"questions": questions}
    data.update(changes)
    game = started(from_data(data))
    game.submit("a", ["calm_down"])  # tension 50 -> 40
    game.submit("b", ["talk"])  # talks open, tension 40 -> 35
    game.resolve()
    return game


def test_plain_questions_are_always_asked():
    d = build_debrief(questions_game(["Why {a.name}?", "Tension ended at {tension}."]))
    assert d.questions == ("Why Alpha?", "Tension ended at 35.")
    assert [q.roles for q in d.discussion] == [(), ()]


def test_a_question_with_a_condition_is_asked_only_when_it_holds():
    game = questions_game(
        [
            {"text": "Talks opened: who gained?", "when": "talks"},
            {"text": "Why did talks never open?", "when": "not talks"},
            {"text": "Tension rose past 60: why?", "when": "tension > 60"},
            {"text": "Always asked."},
        ]
    )
    assert build_debrief(game).questions == ("Talks opened: who gained?", "Always asked.")


def test_a_question_for_some_teams_names_them():
    game = questions_game([{"text": "What did you expect of Bravo?", "roles": ["a"]}])
    (question,) = build_debrief(game).discussion
    assert (question.text, question.roles, question.role_names) == ("What did you expect of Bravo?", ("a",), ("Alpha",))
    assert build_debrief(game).questions == ("For Alpha: What did you expect of Bravo?",)


def diagnostics(data):
    with pytest.raises(ScenarioError) as caught:
        from_data(data)
    return [str(d) for d in caught.value.diagnostics]


def located(errors, line_text, data):
    """The `line:col` prefix for the line of the dumped YAML that holds `line_text`."""
    import yaml

    lines = yaml.safe_dump(data, sort_keys=False).splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line_text in line)
    return [e for e in errors if e.startswith(f"mini.yaml:{number}:")]


def test_a_question_for_an_unknown_role_is_a_located_error():
    data = mini_data()
    data["debrief"] = {"questions": [{"text": "Q?", "roles": ["alhpa"]}]}
    errors = diagnostics(data)
    assert located(errors, "alhpa", data) and "unknown role 'alhpa'" in errors[0]


def test_a_questions_condition_is_checked_with_its_location():
    data = mini_data()
    data["debrief"] = {"questions": [{"text": "Q?", "when": "tensoin > 3"}]}
    errors = diagnostics(data)
    assert located(errors, "tensoin", data) and "unknown name 'tensoin'" in errors[0]


def test_a_question_with_an_unknown_key_is_an_error():
    data = mini_data()
    data["debrief"] = {"questions": [{"text": "Q?", "role": ["a"]}]}
    (error,) = diagnostics(data)
    assert "unknown key 'role' in question" in error and "did you mean 'roles'" in error
