"""Games for the report tests: the golden game of the flagship, and a scenario
whose every text is hostile (markup, links, braces)."""

from __future__ import annotations

import copy

from helpers import FLAGSHIP, from_data, mini_data, shipped

from game.engine import Game, Seat
from game.players import DoctrineBot, play_game, play_turn

GOLDEN_SEED = 1
GOLDEN_PLAYERS = {"us": "human", "iraq": "doctrine", "militias": "doctrine"}


def golden_game() -> Game:
    """The flagship on seed 1 with doctrine bots, where the US team is human for
    the first two turns (it gives its reasons and its reading of the others'
    intent) and the White Cell posts a news item and overrides a roll."""
    game = Game(shipped(FLAGSHIP), GOLDEN_SEED)
    bots = {r: DoctrineBot() for r in game.rules.role_ids}
    game.begin()
    game.start_play()
    us = Seat(game, "us")
    choice = bots["us"].decide(us)
    us.submit(choice.actions, "human", why="Put Baghdad in front.", intent="The militias want us to overreact.")
    play_turn(game, bots)
    game.post_news("The White Cell: Washington's allies ask for restraint.")
    choice = bots["us"].decide(us)
    us.submit(choice.actions, "human", why="Keep the pressure legal.")
    play_turn(game, bots)
    roll = next(e for e in game.attempt(2) if type(e).__name__ == "RollMade" and e.roll is not None)
    game.override_roll(roll.key, not roll.success, "the dice gave an implausible result")
    return play_game(game, bots)


HOSTILE = "<script>alert(1)</script></svg>[click](javascript:alert(2)){braces}&amp;*x*"
# The same text where a template reads it: braces doubled to stay literal.
HOSTILE_TEMPLATE = HOSTILE.replace("{", "{{").replace("}", "}}")
EVIL_URL = "javascript:alert(3)"
GOOD_URL = "https://example.org/report?a=1&b=2"


def hostile_loaded():
    """The test scenario with hostile text in every kind of field a report shows."""
    data = copy.deepcopy(mini_data())
    data["title"] = "Title " + HOSTILE
    data["sources"] = [
        {"id": "evil", "title": "Source " + HOSTILE, "outlet": "Outlet " + HOSTILE, "date": "2024", "url": EVIL_URL},
        {"id": "good", "title": "Good source", "outlet": "Outlet", "date": "2024-01-02", "url": GOOD_URL},
    ]
    data["tracks"][0]["label"] = "Tension " + HOSTILE
    a, b = data["roles"]
    a["name"] = "Alpha " + HOSTILE
    a["actions"][0]["label"] = "Calm " + HOSTILE
    a["actions"][0]["results"][0]["news"] = "News " + HOSTILE_TEMPLATE
    a["objectives"][0]["text"] = "Objective " + HOSTILE
    b["tracks"][0]["label"] = "Morale " + HOSTILE
    for level in data["ladder"]["levels"]:
        level["name"] = f"{level['name']} {HOSTILE}"
    data["outcomes"][2]["title"] = "Draw " + HOSTILE
    data["outcomes"][2]["summary"] = "Summary " + HOSTILE_TEMPLATE
    data["debrief"] = {
        "questions": ["Question " + HOSTILE_TEMPLATE, {"text": "For A " + HOSTILE_TEMPLATE, "roles": ["a"]}]
    }
    data["history"] = [
        {"date": "2024-01-02", "text": "Reality " + HOSTILE, "provenance": {"basis": "reported", "cite": ["evil"]}},
        {"date": "2024-01-03", "text": "More reality", "provenance": {"basis": "reported", "cite": ["good"]}},
    ]
    return from_data(data)


def hostile_game() -> Game:
    game = Game(hostile_loaded(), 2)
    bots = {r: DoctrineBot() for r in game.rules.role_ids}
    game.begin()
    game.start_play()
    game.post_news("White Cell " + HOSTILE)
    game.submit("a", ["calm_down"], why="Why " + HOSTILE, intent="Intent " + HOSTILE)
    play_turn(game, bots)
    return play_game(game, bots)
