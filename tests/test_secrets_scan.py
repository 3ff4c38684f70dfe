"""Secrets hold: a scan of everything a team is shown finds no other team's secrets.

Over many seeded games of the tutorial and of generated scenarios full of
private and covert orders, everything each team is shown before the review is
collected as text: its view at every turn (tracks, briefing, objectives, its
orders, the events it is shown as `perceive` gives them, each both as data and
as the lines the screens print) and its transcript (`crisis transcript --as`).
The text must hold none of another team's private or covert orders (their ids,
labels, the names of their rolls, the news only their own team reads), nor
another team's private tracks, nor hidden tracks and flags, except what the
team's own intelligence revealed to it. The room's view (PUBLIC) is scanned the
same way against every team's secrets.
"""

from __future__ import annotations

import dataclasses
import json
import random

import pytest
import yaml
from helpers import TUTORIAL, shipped

from game.analysis.transcript import record_transcript
from game.engine import Game, Seat
from game.engine import events as ev
from game.engine.views import PUBLIC, knows_order, perceived_log
from game.players import BOT_ONLY_PLAYER, make_bot
from game.reports.timeline import EventText
from game.scenario import Loaded, load_bytes
from game.workshop.flow import ROOM

# ------------------------------------------------------------ the secrets


def secrets_of(loaded: Loaded, observer: str) -> dict[str, str]:
    """Text that would give away what `observer` may not know -> what it gives away."""
    s, found = loaded.scenario, {}
    for role in s.roles:
        if role.id == observer:
            continue
        for action in role.actions:
            if action.visibility == "public":
                continue
            key = f"{role.id}.{action.id}"
            found[key] = key
            found[action.label] = key
            if action.visibility == "private":
                for result in action.results:
                    for news in (result.news, result.failure.news if result.failure else None):
                        if news is not None:
                            found[news.source] = f"news of {key}"
        for track in role.tracks:
            if track.visibility != "public":
                found[f"{role.id}.{track.id}"] = f"{role.id}.{track.id}"
                found[f"{role.name} {track.label}"] = f"{role.id}.{track.id}"
                found[f"{role.short_name or role.name} {track.label}"] = f"{role.id}.{track.id}"
    for track in s.tracks:
        if track.visibility == "hidden":
            found[track.label] = track.id
    for flag in s.flags:
        if flag.visibility == "hidden":
            found[" ".join(flag.description.split()).rstrip(".")] = flag.id
    return found


def revealed_to(game: Game, observer: str) -> set[str]:
    """What the observer's own intelligence showed it: those secrets it may see."""
    shown = set()
    for e in game.log:
        if type(e) is ev.Revealed and e.role == observer:
            shown.update(f"{e.target}.{a}" for a in e.orders or ())
            shown.update(key for key, _ in e.tracks)
    return shown


def assert_no_secret(text: str, loaded: Loaded, game: Game, observer: str, where: str) -> None:
    allowed = revealed_to(game, observer) if observer != PUBLIC else set()
    for token, secret in secrets_of(loaded, observer).items():
        if secret in allowed or any(secret == f"news of {a}" for a in allowed):
            continue
        assert token not in text, f"{where}: {observer} is shown '{token}' ({secret})"


def assert_events_keep_secrets(game: Game, observer: str) -> None:
    """The same, on the data: another team's secret orders, their dice and intelligence never reach it."""
    rules = game.rules
    for e in perceived_log(game, observer):
        kind = type(e)
        if kind is ev.OrdersSubmitted:
            assert e.role == observer
        elif kind is ev.OrdersRevealed:
            assert all(knows_order(rules, f"{r}.{a}", observer) for r, actions in e.orders for a in actions)
        elif kind in (ev.ActionTaken, ev.RollMade) and e.role is not None:
            assert knows_order(rules, f"{e.role}.{e.action}", observer), e
        elif kind is ev.Attributed:
            assert e.role in (None, observer) and (e.roll is None or e.role == observer)
        elif kind is ev.Revealed:
            assert e.role == observer


# ------------------------------------------------------------- rendering


def view_text(game: Game, role: str) -> str:
    """A team's view, as data and as the lines screens print. Its own actions are
    shown as the orders screen shows them (the scenario's definition of an action
    names the tracks it changes, not their values)."""
    view = Seat(game, role).view()
    text = EventText(game)
    lines = [repr(dataclasses.replace(view, options=()))]
    for option in view.options:
        action = option.action
        lines.append(f"{action.label}: {action.description.render(game.state)} {option.available} {option.reason}")
    lines += [line for line in map(text.line, view.events) if line]
    return "\n".join(lines)


def seat_screens_text(game: Game, seat: str) -> str:
    """Every view the workshop gives a seat's screens (and a networked client) now,
    as JSON data and as the text the terminal draws from it (unwrapped: a secret cut in
    two by the end of a line would slip past a search of wrapped lines)."""
    from game.tui import render
    from game.workshop.present import Presenter, to_data

    p = Presenter(game)
    views = [p.briefing(seat), p.situation(seat), p.news(seat)]
    views += [p.results(seat, t) for t in range(1, game.turn + 1) if game.attempt(t)]
    if seat in game.rules.roles:
        views += [p.team(seat)] + ([p.orders(seat)] if game.phase == "orders" else [])
    drawn = []
    for view in views:
        drawer = {
            "BriefingView": render.public_briefing,
            "SituationView": render.situation,
            "NewsView": render.news,
            "ResultsView": render.results,
            "TeamView": render.team,
        }.get(type(view).__name__)
        if drawer:
            drawn.append(drawer(view).plain)
    return json.dumps([to_data(v) for v in views], ensure_ascii=False) + "\n".join(drawn)


def waiting_text(game: Game, role: str) -> str:
    """What a team's waiting screen shows once its orders are in (its own orders, the news so
    far), as data and as drawn: built while the other teams' orders are still secret."""
    from game.tui import render
    from game.workshop.present import Presenter, to_data

    view = Presenter(game).waiting(role)
    return json.dumps(to_data(view), ensure_ascii=False) + render.waiting(view).plain


def room_text(game: Game) -> str:
    events = perceived_log(game, PUBLIC)
    text = EventText(game)
    return "\n".join([repr(events)] + [line for line in map(text.line, events) if line])


def players_for(game: Game) -> dict:
    return {r: make_bot(BOT_ONLY_PLAYER if game.rules.roles[r].bot_only else "random") for r in game.rules.role_ids}


def scan_games(loaded: Loaded, seeds) -> int:
    """Play and scan; returns how many secret orders were given in all (so a test can
    check that the scan had secrets to find)."""
    secret_orders = 0
    for seed in seeds:
        game = Game(loaded, seed)
        game.begin()
        game.start_play()
        shown: dict[str, list[str]] = {r: [] for r in game.rules.role_ids}
        room: list[str] = []
        while game.phase == "orders":
            for role in game.rules.role_ids:
                shown[role].append(view_text(game, role))
                shown[role].append(seat_screens_text(game, role))
            room.append(seat_screens_text(game, ROOM))
            players = players_for(game)
            for role in game.rules.role_ids:  # as `play_turn`, with a look at each waiting screen
                players[role].play(Seat(game, role))
            for role in game.rules.role_ids:
                waiting = waiting_text(game, role)
                assert "(sent)" in waiting  # the scan reads what the screen shows
                shown[role].append(waiting)
            game.resolve()
        for role in game.rules.role_ids:
            shown[role].append(view_text(game, role))
            transcript = record_transcript(Game(loaded, seed), players_for(game), as_role=role)
            assert_no_secret(transcript, loaded, game, role, f"seed {seed}, transcript --as {role}")
            assert_no_secret("\n".join(shown[role]), loaded, game, role, f"seed {seed}, views")
            assert_events_keep_secrets(game, role)
        assert_no_secret(room_text(game), loaded, game, PUBLIC, f"seed {seed}, the room")
        assert_no_secret("\n".join(room), loaded, game, PUBLIC, f"seed {seed}, the room's screens")
        secret_orders += sum(
            1
            for e in game.log
            if type(e) is ev.ActionTaken and game.rules.action_visibility[f"{e.role}.{e.action}"] != "public"
        )
    return secret_orders


def test_the_tutorial_keeps_every_teams_secrets():
    assert scan_games(shipped(TUTORIAL), range(60)) > 50


# ---------------------------------------------------- generated scenarios


def generated(n: int) -> dict:
    """A scenario full of secrets, with a token in every secret's text."""
    rng = random.Random(n)
    ids = ["ra", "rb", "rc"]
    roles = []
    for index, rid in enumerate(ids):
        others = [o for o in ids if o != rid]
        actions = []
        for i, visibility in enumerate(["public", "private", "covert", rng.choice(["public", "private", "covert"])]):
            token = f"Q{n}{rid}{i}"
            effects = {"tension": rng.choice([-6, -3, 3, 6]), f"{rid}.hoard": rng.choice([-1, 1])}
            if rng.random() < 0.3:
                effects["meter"] = 1
            if rng.random() < 0.3:
                effects["quiet"] = rng.random() < 0.5
            if rng.random() < 0.2:
                effects["ladder"] = rng.choice([-1, 1])
            result = {"chance": rng.choice([40, 70, 100]), "effects": effects}
            if visibility == "private":
                result["news"] = f"Report {token} for {rid} only."
                result["failure"] = {"news": f"Failed {token} for {rid} only."}
            else:
                result["news"] = f"Something happens by the river ({rid} {visibility})."
            results = [result]
            if rng.random() < 0.4:
                results.append(
                    {
                        "label": f"Aftermath {token}",
                        "chance": 50,
                        "if_main_succeeds": True,
                        "effects": {f"{others[0]}.stand": 1},
                    }
                )
            if rng.random() < 0.5:
                results.append({"chance": 60, "reveal": {"role": rng.choice(others), "tracks": ["hoard"]}})
            action = {
                "id": f"op{i}",
                "label": f"Move {token}" if visibility != "public" else f"Open move {rid}{i}",
                "category": rng.choice(["diplomatic", "military", "economic", "information", "legal"]),
                "description": "d",
                "visibility": visibility,
                "results": results,
            }
            if rng.random() < 0.3:
                action["cost"] = {"hoard": 1}
            if visibility == "covert":
                readings = [{"claimed_by": "front", "chance": 40}, {"blamed_on": rng.choice(others), "chance": 30}]
                action["attribution"] = readings[: rng.randint(0, 2)]
            elif rng.random() < 0.4:
                action["signal"] = f"{rid} declares its intentions."
            actions.append(action)
        roles.append(
            {
                "id": rid,
                "name": f"Role {rid.upper()}",
                "public_briefing": ["Public."],
                "private_briefing": [f"Your hoard is {{{rid}.hoard}}."],
                "bot_only": index == 2 and n % 2 == 1,
                "tracks": [
                    {"id": "hoard", "label": f"Hoard{n}{rid}", "start": 5, "max": 10},
                    {"id": "stand", "label": f"Standing of {rid}", "start": 5, "max": 10, "visibility": "public"},
                ],
                "objectives": [{"id": "calm", "text": "Calm.", "when": "tension < 50"}],
                "actions": actions,
                "doctrine": [
                    {"when": "turns_since(quiet) <= 1", "prefer": ["op0"], "reason": "r"},
                    {"prefer": [a["id"] for a in actions[1:]], "reason": "r"},
                ],
            }
        )
    return {
        "format": 1,
        "id": f"gen{n}",
        "title": "Generated",
        "date": "2024-01-01",
        "summary": "s",
        "turns": {"max": rng.randint(3, 6)},
        "orders_per_turn": rng.choice([1, 2]),
        "situation": ["s"],
        "tracks": [
            {"id": "tension", "label": "Tension", "start": 50},
            {"id": "meter", "label": f"Meter{n}Hidden", "start": 0, "visibility": "hidden"},
        ],
        "flags": [
            {"id": "quiet", "description": "Things are quiet.", "expires": 1},
            {"id": "plot", "description": f"Plot{n} is afoot.", "visibility": "hidden"},
        ],
        "roles": roles,
        "actors": [{"id": "front", "name": "the River Front", "description": "d"}],
        "ladder": {
            "start": "mid",
            "levels": [
                {"id": "calm", "name": "Calm", "description": "d", "outcome": "peace"},
                {"id": "mid", "name": "Middle", "description": "d"},
                {"id": "high", "name": "High", "description": "d"},
                {"id": "war", "name": "War", "description": "d", "outcome": "war"},
            ],
            "transitions": [
                {"from": "*", "to": "calm", "when": "tension <= 10"},
                {"from": "high", "to": "war", "when": "tension >= 90"},
                # Moved by secret orders: the results say why only to those who may know them.
                {"from": "mid", "to": "high", "when": "ra.op1 or turns_since(rb.op2) <= 1 or rc.op3"},
            ],
        },
        "outcomes": [
            {"id": "peace", "title": "Peace", "summary": "s"},
            {"id": "war", "title": "War", "summary": "s"},
            {"id": "draw", "title": "Draw", "summary": "s", "default": True},
        ],
    }


@pytest.mark.parametrize("n", range(12))
def test_generated_scenarios_keep_every_teams_secrets(n):
    data = generated(n)
    loaded = load_bytes(yaml.safe_dump(data, sort_keys=False).encode(), f"gen{n}.yaml")
    assert scan_games(loaded, range(6)) > 0
