"""Lint: located warnings for a valid scenario that will not play or read as meant."""

import asyncio

import yaml
from helpers import TUTORIAL, from_data, mini_data

from game.scenario import lint


def warnings_of(data: dict) -> list[str]:
    return [f"{w.loc.line}:{w.loc.col}: {w.message}" for w in from_data(data).warnings]


def messages(data: dict) -> list[str]:
    return [w.message for w in from_data(data).warnings]


def test_a_valid_scenario_without_these_mistakes_has_no_warnings():
    assert messages(mini_data()) == []


def test_an_action_label_too_long_for_the_orders_list():
    data = mini_data()
    actions = data["roles"][0]["actions"]
    actions[0]["label"] = "x" * 36  # free: 40 - 4 columns
    actions[1]["label"] = "y" * 33  # costs 2: " · 2" takes 4 more
    assert messages(data) == [
        "the label of action 'escalate' has 33 characters; the list of orders shows 32 at 80 columns "
        "(with its cost), so it will be cut"
    ]
    actions[0]["label"] = "x" * 37
    assert len(messages(data)) == 2


def test_track_labels_too_long_for_their_tabs():
    data = mini_data()
    data["tracks"][0]["label"] = "T" * 35
    data["roles"][0]["tracks"][0]["label"] = "C" * 23
    data["roles"][1]["tracks"][0]["label"] = "M" * 22  # fits
    assert messages(data) == [
        "the label of track 'tension' has 35 characters; the Situation tab shows 34 at 80 columns, so it will be cut",
        "the label of track 'a.cash' has 23 characters; the Team tab shows 22 at 80 columns, so it will be cut",
    ]


def test_braces_in_text_that_is_not_a_template():
    data = mini_data()
    data["roles"][0]["actions"][0]["label"] = "Sanction {b.name}"
    data["roles"][0]["actions"][0]["description"] = "Braces here are a template: {b.name}"
    loaded = from_data(data)
    (warning,) = loaded.warnings
    assert warning.message.startswith("'label' of action 'calm_down' is plain text, not a template")
    text = yaml.safe_dump(data, sort_keys=False).splitlines()
    assert "Sanction {b.name}" in text[warning.loc.line - 1]


def test_conditions_that_cannot_hold_given_track_bounds_and_the_ladder():
    data = mini_data()
    data["roles"][0]["objectives"][0]["when"] = "tension > 100 or a.cash >= 0"
    data["ladder"]["transitions"][1]["when"] = "level > 'war' and tension + 10 < 5"
    data["roles"][1]["actions"][1]["available_when"] = "not talks and tension <= 100"  # always holds: fine
    assert warnings_of(data) == [
        "33:11: 'tension > 100' can never hold: tension stays within 0..100",
        "109:11: 'level > 'war'' can never hold: the ladder runs from 'peace' to 'war'",
        "109:29: 'tension + 10 < 5' can never hold: tension + 10 stays within 10..110",
    ]


def test_a_reason_without_a_condition():
    data = mini_data()
    data["roles"][0]["actions"][0]["unavailable_reason"] = "Not yet."
    assert messages(data) == [
        "action 'calm_down' has an 'unavailable_reason' but no 'available_when': the reason is never shown"
    ]


def test_the_lint_limits_are_what_the_screens_show_at_80_columns(tmp_path):
    """Measured on the game itself: a label of exactly the limit shows whole, one more is cut."""
    from test_tui_workshop import to_orders

    from game.tui.app import CrisisApp

    data = yaml.safe_load(TUTORIAL.read_text(encoding="utf-8"))
    us = data["roles"][0]
    room = lint.action_label_room
    arrests, strike = us["actions"][0], us["actions"][1]  # cost 1 and cost 2: same room
    arrests["label"] = "A" * 32
    strike["label"] = "S" * 33
    us["tracks"][0]["label"] = "C" * lint.ROLE_TRACK_LABEL
    data["roles"][1]["tracks"][0]["label"] = "P" * (lint.ROLE_TRACK_LABEL + 1)
    data["tracks"][0]["label"] = "T" * lint.SCENARIO_TRACK_LABEL
    data["tracks"][1]["label"] = "K" * (lint.SCENARIO_TRACK_LABEL + 1)
    path = tmp_path / "wide.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    from game.scenario import load

    loaded = load(path)
    assert room(loaded.scenario.roles[0].actions[0]) == 32
    assert [w.message.split(";")[0] for w in loaded.warnings] == [
        "the label of track 'attacks' has 35 characters",
        "the label of action 'strike' has 33 characters",
        "the label of track 'iraq.pressure' has 23 characters",
    ]

    async def run():
        app = CrisisApp(tmp_path, tmp_path / "saves", scenario=path, seed=5, handover_delay=0, handover_key="enter")
        async with app.run_test(size=(80, 24)) as pilot:
            await to_orders(pilot)
            listing = app.screen.query_one("#actions")
            prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
            await pilot.press("2")
            situation = str(app.screen.query_one("#info-text").content)
            await pilot.press("4")
            team = str(app.screen.query_one("#info-text").content)
            return prompts, situation, team

    prompts, situation, team = asyncio.run(run())
    assert "A" * 32 + " · 1" in prompts[0]
    assert "S" * 32 not in prompts[1] and "…" in prompts[1]
    assert "T" * lint.SCENARIO_TRACK_LABEL + " " in situation
    assert "K" * lint.SCENARIO_TRACK_LABEL not in situation
    assert "C" * lint.ROLE_TRACK_LABEL + " " in team


def test_outcomes_take_provenance():
    data = mini_data()
    data["sources"] = [{"id": "wire", "title": "T", "outlet": "O", "date": "2024-01"}]
    data["outcomes"][1]["provenance"] = {"basis": "reported", "date": "2024-02", "cite": ["wire"]}
    outcome = from_data(data).scenario.outcomes[1]
    assert (outcome.provenance.basis, outcome.provenance.cite) == ("reported", ["wire"])
