"""Conditions in words (game.scenario.in_words): each operator of the condition
language, and every condition of the shipped scenarios, read without one of the
file's identifiers. The expected sentences are written by hand."""

import ast
import re

import pytest
from helpers import ROOT, TUTORIAL, shipped

from game.scenario.expr import Condition
from game.scenario.fields import walk_values
from game.scenario.in_words import ConditionWords

TALKS = "“The three parties are talking through a mediator”"
CAMP = "“The foreign mission has left Camp Juniper”"
STRIKE = "“US: Strike the launch site”"


@pytest.fixture(scope="module")
def words():
    return ConditionWords(shipped(TUTORIAL).scenario)


@pytest.mark.parametrize(
    "condition, expected",
    [
        # A track and a number, every comparison, either way round.
        ("tension >= 60", "Tension at 60 or more"),
        ("tension <= 60", "Tension at 60 or less"),
        ("tension > 60", "Tension above 60"),
        ("tension < 60", "Tension below 60"),
        ("tension == 60", "Tension at 60"),
        ("tension != 60", "Tension not at 60"),
        ("60 <= tension", "Tension at 60 or more"),
        ("us.capital < -1.5", "US Political capital below -1.5"),
        ("20 < tension < 40", "Tension above 20 and Tension below 40"),
        # Two values, and arithmetic.
        ("tension >= attacks", "Tension at or above Attacks this game"),
        ("tension != attacks", "Tension not equal to Attacks this game"),
        (
            "tension + attacks * 2 > 90",
            "Tension plus (Attacks this game times 2) above 90",
        ),
        ("tension - mediation / 4 < 5", "Tension minus (Mediation progress divided by 4) below 5"),
        ("tension // 10 == 3", "Tension divided by (whole part) 10 at 3"),
        ("tension % 2 == 1", "Tension remainder after dividing by 2 at 1"),
        ("-tension < -50", "minus Tension below -50"),
        ("max(tension, attacks) >= 50", "the larger of Tension and Attacks this game at 50 or more"),
        ("min(tension, attacks, 9) < 3", "the smaller of Tension, Attacks this game and 9 below 3"),
        ("abs(us.capital) > 2", "the size of US Political capital (without its sign) above 2"),
        ("round(tension / 3) == 20", "Tension divided by 3, rounded at 20"),
        ("(10 if talks_open else 20) < tension", f"Tension above 10 if {TALKS}, otherwise 20"),
        ("turn * 10 >= max_turns", "the number of turns at or below the turn times 10"),
        # Flags and orders, held or not.
        ("talks_open", TALKS),
        ("not talks_open", f"{TALKS} did not hold"),
        ("talks_open == false", f"{TALKS} did not hold"),
        ("true == camp_closed", CAMP),
        ("us.strike", f"{STRIKE} was ordered"),
        ("not us.strike", f"{STRIKE} was not ordered"),
        ("true", "always"),
        ("not false", "always"),
        # And, or, not.
        ("talks_open and tension < 25", f"{TALKS} and Tension below 25"),
        ("talks_open or camp_closed", f"{TALKS} or {CAMP}"),
        (
            "tension >= 80 or level >= 'strikes' and attacks >= 2",
            "Tension at 80 or more, or the ladder at “Strikes and counter-strikes” or higher "
            "and Attacks this game at 2 or more",
        ),
        (
            "(talks_open or tension < 25) and not camp_closed",
            f"either {TALKS} or Tension below 25, and {CAMP} did not hold",
        ),
        ("not (talks_open or camp_closed)", f"{TALKS} did not hold and {CAMP} did not hold"),
        ("not (talks_open and tension >= 60)", f"{TALKS} did not hold or Tension below 60"),
        ("not tension >= 60", "Tension below 60"),
        ("not not talks_open", TALKS),
        # The ladder and the turn.
        ("level >= 'strikes'", "the ladder at “Strikes and counter-strikes” or higher"),
        ("level <= 'friction'", "the ladder at “Friction” or lower"),
        ("level > 'settled'", "the ladder above “Settled”"),
        ("level < 'open_conflict'", "the ladder below “Open conflict”"),
        ("level == 'settled'", "the ladder at “Settled”"),
        ("level != 'settled'", "the ladder not at “Settled”"),
        ("'strikes' <= level", "the ladder at “Strikes and counter-strikes” or higher"),
        ("turn == 1", "turn 1"),
        ("turn >= 3", "turn 3 or later"),
        ("turn <= 2", "turn 2 or earlier"),
        ("turn > 2", "after turn 2"),
        ("turn < 4", "before turn 4"),
        ("turn != 1", "any turn but turn 1"),
        # How long ago: 0 is this turn, and never is more than any game lasts.
        ("turns_since(us.strike) == 0", f"{STRIKE} was ordered this turn"),
        ("turns_since(us.strike) <= 1", f"{STRIKE} was ordered this turn or last turn"),
        ("turns_since(us.strike) < 3", f"{STRIKE} was ordered this turn or in the 2 turns before it"),
        ("turns_since(us.strike) == 1", f"{STRIKE} was last ordered last turn"),
        ("turns_since(us.strike) == 3", f"{STRIKE} was last ordered exactly 3 turns ago"),
        ("turns_since(us.strike) >= 1", f"{STRIKE} was not ordered this turn"),
        ("turns_since(us.strike) > 1", f"{STRIKE} was not ordered this turn or last turn"),
        ("turns_since(us.strike) < 1000", f"{STRIKE} was ordered at some time in this game"),
        ("turns_since(us.strike) >= 1000", f"{STRIKE} was never ordered"),
        ("turns_since(talks_open) == 0", f"{TALKS} became true this turn"),
        ("turns_since(talks_open) >= 2", f"{TALKS} did not become true this turn or last turn"),
        ("2 >= turns_since(talks_open)", f"{TALKS} became true this turn or in the 2 turns before it"),
        ("turns_since(talks_open) != 0", f"{TALKS} did not become true this turn"),
        ("turns_since(talks_open) > tension", f"Tension below the turns since {TALKS}"),
        # A flag and how long since it was set read as one phrase, not the flag twice.
        ("talks_open and turns_since(talks_open) >= 1", f"{TALKS} holds, set before this turn and not since"),
        (
            "tension > 3 and turns_since(talks_open) > 1 and talks_open",
            f"Tension above 3 and {TALKS} holds, set at least 2 turns ago and not since",
        ),
        (
            "talks_open and turns_since(talks_open) >= 1000",
            f"{TALKS} and {TALKS} never became true",
        ),  # never set and holding: nothing to merge
        ("talks_open and turns_since(camp_closed) >= 1", f"{TALKS} and {CAMP} did not become true this turn"),
        # Odd but valid: true/false values compared, a level in a choice, half a turn.
        ("talks_open == camp_closed", f"either both or neither of: {TALKS}; {CAMP}"),
        ("talks_open != (tension > 3)", f"exactly one of: {TALKS}; Tension above 3"),
        ("not ((tension > 3) == us.strike)", f"exactly one of: {STRIKE} was ordered; Tension above 3"),
        ("(talks_open if camp_closed else us.strike) == true", f"{TALKS} if {CAMP}, otherwise {STRIKE} was ordered"),
        (
            "(level if talks_open else level) >= 'friction'",
            f"the ladder if {TALKS}, otherwise the ladder at or above “Friction”",
        ),
        ("turns_since(talks_open) == 2.5", "never"),
        ("turns_since(talks_open) != 2.5", "always"),
    ],
)
def test_each_operator_reads_in_words(words, condition, expected):
    assert words(condition) == expected


# What the describer itself may add around the scenario's own words.
OWN_WORDS = set(
    [
        "at",
        "or",
        "more",
        "less",
        "above",
        "below",
        "not",
        "equal",
        "to",
        "and",
        "either",
        "the",
        "ladder",
        "higher",
        "lower",
        "turn",
        "later",
        "earlier",
        "after",
        "before",
        "any",
        "but",
        "was",
        "ordered",
        "became",
        "true",
        "did",
        "hold",
        "become",
        "this",
        "last",
        "exactly",
        "turns",
        "ago",
        "holds",
        "set",
        "since",
        "least",
        "in",
        "it",
        "some",
        "time",
        "game",
        "never",
        "always",
    ]
)


@pytest.mark.parametrize("name", ["tutorial", "baghdad-2023", "tower22-2024"])
def test_every_condition_of_a_shipped_scenario_reads_without_an_identifier(name):
    scenario = shipped(ROOT / "scenarios" / f"{name}.yaml").scenario
    words = ConditionWords(scenario)
    # The scenario's own words: labels, descriptions, names (longest first, so none is cut).
    theirs = sorted(
        {*words.tracks.values(), *words.flags.values(), *words.orders.values(), *words.levels.values()},
        key=len,
        reverse=True,
    )
    conditions = {" ".join(v.source.split()) for _, v in walk_values(scenario) if isinstance(v, Condition)}
    assert len(conditions) >= 15
    for condition in conditions:
        said = words(condition)
        rest = said
        for phrase in theirs:
            rest = rest.replace(phrase, " ")
        leftover = set(re.findall(r"[^\s“”,]+", rest)) - OWN_WORDS
        assert all(re.fullmatch(r"-?\d+(\.\d+)?", w) for w in leftover), (condition, said, leftover)


def test_of_an_or_only_the_branches_that_held_are_given():
    """Why the ladder moved names the branch that held, not every branch it might have been."""
    from game.engine import Game
    from game.scenario.in_words import what_held

    loaded = shipped(TUTORIAL)
    state = Game(loaded, 1).state
    condition = "tension >= 80 or level >= 'strikes' and attacks >= 2"

    def held(tension: float, level: str, attacks: float, source: str = condition) -> str:
        state.values["tension"], state.values["attacks"] = tension, attacks
        state.level, state.level_index = level, state.level_ids[level]
        found = what_held(source, loaded.symbols, state)
        # as parsed: Python 3.11's unparse writes `a and b and c` as `a and b and (c)`
        return ast.unparse(ast.parse(found, mode="eval")).replace("(", "").replace(")", "")

    assert held(85, "friction", 0) == "tension >= 80"
    assert held(50, "strikes", 3) == "level >= 'strikes' and attacks >= 2"
    assert held(85, "strikes", 3) == "tension >= 80 and level >= 'strikes' and attacks >= 2"  # both held
    nested = "(tension >= 80 or attacks >= 2) and level >= 'strikes'"
    assert held(50, "strikes", 3, nested) == "attacks >= 2 and level >= 'strikes'"
    assert held(50, "friction", 0) == condition  # nothing held: given back whole
    assert what_held("tension >= (", loaded.symbols, state) == "tension >= ("  # unreadable: as written
