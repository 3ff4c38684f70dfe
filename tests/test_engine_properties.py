"""Properties of the engine over random scenarios and random orders (hypothesis).

For any scenario the format allows and any legal orders: tracks stay within
their bounds, the state is the log folded up, replaying the commands gives the
same log, and saving, loading and playing on equals playing straight through.
"""

import tempfile
from pathlib import Path

from helpers import from_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine import Game
from game.engine import events as ev
from game.engine.commands import command_from_dict
from game.engine.state import replay
from game.players import RandomBot, play_game
from game.players.base import play_turn
from game.workshop.saves import read_save, restore, save_game

CATEGORIES = ["diplomatic", "military", "economic", "information", "legal"]


@st.composite
def scenarios(draw):
    """A small random scenario that the format accepts."""

    def bounded_track(track_id):
        low = draw(st.integers(-20, 10))
        high = low + draw(st.integers(1, 60))
        return {
            "id": track_id,
            "label": track_id.title(),
            "min": low,
            "max": high,
            "start": draw(st.integers(low, high)),
            "per_turn": draw(st.integers(-3, 3)),
        }

    tracks = [bounded_track(f"g{i}") for i in range(draw(st.integers(1, 3)))]
    flags = [
        {"id": f"f{i}", "description": "a flag", "start": draw(st.booleans())} for i in range(draw(st.integers(0, 2)))
    ]
    role_ids = [f"r{i}" for i in range(draw(st.integers(1, 3)))]
    levels = [f"l{i}" for i in range(draw(st.integers(3, 5)))]
    track_names = [t["id"] for t in tracks]
    all_numbers = list(track_names)

    roles = []
    for role_id in role_ids:
        own = [bounded_track(f"t{i}") for i in range(draw(st.integers(1, 2)))]
        all_numbers += [f"{role_id}.{t['id']}" for t in own]
        roles.append({"id": role_id, "own": own})

    def condition():
        kind = draw(st.sampled_from(["track", "flag", "level", "turn", "always"]))
        if kind == "track":
            name = draw(st.sampled_from(all_numbers))
            return f"{name} {draw(st.sampled_from(['>=', '<', '==', '!=']))} {draw(st.integers(-10, 60))}"
        if kind == "flag" and flags:
            return f"{'not ' if draw(st.booleans()) else ''}{draw(st.sampled_from(flags))['id']}"
        if kind == "level":
            return f"level >= '{draw(st.sampled_from(levels))}'"
        if kind == "turn":
            return f"turn >= {draw(st.integers(1, 4))}"
        return "true"

    def effects():
        out = {}
        for _ in range(draw(st.integers(0, 3))):
            target = draw(st.sampled_from(all_numbers + [f["id"] for f in flags] + ["ladder"]))
            if target == "ladder":
                out[target] = draw(st.integers(-2, 2))
            elif target.startswith("f"):
                out[target] = draw(st.booleans())
            elif draw(st.booleans()):
                out[target] = draw(st.integers(-30, 30))
            else:
                out[target] = f"{draw(st.sampled_from(all_numbers))} / {draw(st.integers(1, 5))} - 3"
        return out

    def result():
        r = {"chance": draw(st.integers(0, 100)), "effects": effects(), "news": "Something happens."}
        if draw(st.booleans()):
            r["modifiers"] = [{"when": condition(), "add": draw(st.integers(-50, 50)), "reason": "because"}]
        if draw(st.booleans()):
            r["failure"] = {"effects": effects(), "news": "It fails."}
        return r

    scenario_roles = []
    for role in roles:
        actions = []
        for i in range(draw(st.integers(1, 4))):
            action = {
                "id": f"a{i}",
                "label": f"Action {i}",
                "category": draw(st.sampled_from(CATEGORIES)),
                "description": "d",
                "results": [result() for _ in range(draw(st.integers(1, 2)))],
            }
            if draw(st.booleans()):
                action["cost"] = {draw(st.sampled_from(role["own"]))["id"]: draw(st.integers(0, 5))}
            if draw(st.booleans()):
                action["available_when"] = condition()
            if draw(st.booleans()):
                action["max_uses"] = draw(st.integers(1, 3))
            actions.append(action)
        scenario_roles.append(
            {
                "id": role["id"],
                "name": role["id"].upper(),
                "public_briefing": ["p"],
                "private_briefing": ["q"],
                "tracks": role["own"],
                "actions": actions,
                "objectives": [{"id": "o", "text": "o", "when": condition()}],
            }
        )

    terminal_low, terminal_high = draw(st.booleans()), True
    level_items = []
    for i, level in enumerate(levels):
        item = {"id": level, "name": level.upper(), "description": "d"}
        if (i == 0 and terminal_low) or (i == len(levels) - 1 and terminal_high):
            item["outcome"] = "low" if i == 0 else "high"
        level_items.append(item)
    open_levels = [lv["id"] for lv in level_items if "outcome" not in lv]
    transitions = [
        {"from": draw(st.sampled_from(open_levels + ["*"])), "to": draw(st.sampled_from(levels)), "when": condition()}
        for _ in range(draw(st.integers(0, 4)))
    ]
    transitions = [t for t in transitions if t["from"] != t["to"]]
    outcomes = [
        {"id": "high", "title": "High", "summary": "s"},
        {
            "id": "low",
            "title": "Low",
            "summary": "s",
            "when": condition(),
            "checked": draw(st.sampled_from(["every_turn", "at_turn_limit"])),
        },
        {"id": "dflt", "title": "Default", "summary": "s", "default": True},
    ]
    injects = [
        {
            "id": f"i{i}",
            "title": "I",
            "news": "News.",
            "effects": effects(),
            "chance": draw(st.integers(0, 100)),
            "repeat": draw(st.booleans()),
            **({"when": condition()} if draw(st.booleans()) else {}),
            **({"turn": draw(st.integers(1, 4))} if draw(st.booleans()) else {}),
        }
        for i in range(draw(st.integers(0, 3)))
    ]
    return {
        "format": 1,
        "id": "random",
        "title": "Random",
        "date": "2024-01-01",
        "summary": "s",
        "turns": {"max": draw(st.integers(1, 5))},
        "orders_per_turn": draw(st.integers(1, 2)),
        "situation": ["s"],
        "tracks": tracks,
        "flags": flags,
        "roles": scenario_roles,
        "ladder": {"start": draw(st.sampled_from(open_levels)), "levels": level_items, "transitions": transitions},
        "injects": injects,
        "outcomes": outcomes,
    }


def players_for(game):
    return {r: RandomBot() for r in game.rules.role_ids}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scenarios(), seed=st.integers(0, 2**31))
def test_tracks_stay_in_bounds_and_the_state_is_the_log(data, seed):
    loaded = from_data(data)
    game = play_game(Game(loaded, seed), players_for(Game(loaded, seed)))
    rules = game.rules
    for event in game.log:
        if isinstance(event, ev.TrackChanged):
            low, high = rules.bounds[event.track]
            assert low <= event.new <= high
    for key, value in game.state.values.items():
        low, high = rules.bounds[key]
        assert low <= value <= high
    assert game.phase == "debrief" and game.state.outcome is not None
    assert replay(loaded, game.log).same_as(game.state)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scenarios(), seed=st.integers(0, 2**31))
def test_replaying_the_commands_gives_the_same_game(data, seed):
    loaded = from_data(data)
    game = play_game(Game(loaded, seed), players_for(Game(loaded, seed)))
    again = Game(loaded, seed)
    for command in game.commands:
        again.execute(command_from_dict(command.to_dict()))
    assert [e.to_dict() for e in again.log] == [e.to_dict() for e in game.log]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scenarios(), seed=st.integers(0, 2**31), stop_after=st.integers(0, 4))
def test_save_load_and_continue_equals_playing_straight_through(data, seed, stop_after):
    loaded = from_data(data)
    straight = play_game(Game(loaded, seed), players_for(Game(loaded, seed)))

    game = Game(loaded, seed)
    game.begin()
    game.start_play()
    for _ in range(stop_after):
        if game.phase != "orders":
            break
        play_turn(game, players_for(game))
    with tempfile.TemporaryDirectory() as tmp:
        path = save_game(game, Path(tmp) / "save.json")
        resumed = restore(read_save(path), loaded)
    play_game(resumed, players_for(resumed))
    assert [e.to_dict() for e in resumed.log] == [e.to_dict() for e in straight.log]
