"""The Tower 22 scenario: what it must contain, what it hides, and how it plays over many games."""

import json
import re
import subprocess
import sys

import pytest
from helpers import ROOT, shipped
from test_secrets_scan import scan_games

from game.engine import Game
from game.engine.views import perceived_log
from game.players import make_bot
from game.players.base import play_turn
from game.players.scripted import ScriptedPlayer
from game.reports.timeline import EventText

TOWER22 = ROOT / "scenarios" / "tower22-2024.yaml"

RECORD = {
    # a fact of the record (facts.md) -> words that must appear in the scenario's text
    "three US soldiers killed at Tower 22 on 28 January 2024": ["Tower 22", "Three US Army soldiers", "28 January"],
    "claimed by the Islamic Resistance in Iraq, KH blamed, Iran denies": [
        "Islamic Resistance in Iraq",
        "blames Kataib Hezbollah",
        "Iran denies",
    ],
    "the returning US drone that confused the air defence": ["returning US drone"],
    "KH's suspension of 30 January, 'passive' defence": ["suspension", "passively", "30 January"],
    "Qaani at Baghdad airport on 29 January": ["Qaani", "Baghdad airport", "29 January"],
    "the strikes of 2 February: 85 targets, seven facilities, Iraq's 16 dead": ["85 targets", "seven", "16"],
    "Abu Baqir al-Saadi killed in Baghdad on 7 February": ["Abu Baqir al-Saadi", "7 February"],
    "more than 100 MPs sign on 8 February": ["More than 100", "8 February"],
    "the commission's talks resume on 11 February": ["11 February"],
    "no attacks from 4 February for about five months": ["4 February", "five months"],
}


@pytest.mark.parametrize("fact", RECORD, ids=lambda f: f[:40])
def test_every_key_fact_of_the_record_is_in_the_scenario(fact):
    text = TOWER22.read_text(encoding="utf-8")
    missing = [words for words in RECORD[fact] if words not in text]
    assert not missing, f"{fact}: {missing} not found"


def test_the_scenario_has_the_depth_of_the_flagship():
    s = shipped(TOWER22).scenario
    assert s.date == "2024-01-28" and s.turns.days == 3 and s.turns.max == 6
    playable = [r for r in s.roles if not r.bot_only]
    assert [r.id for r in playable] == ["us", "iraq", "militias"]
    assert [r.id for r in s.roles if r.bot_only] == ["iran"]
    for role in playable:
        assert 12 <= len(role.actions) <= 16, role.id
        hidden = [a.id for a in role.actions if a.visibility != "public"]
        assert len(hidden) >= 3, (role.id, hidden)
        assert role.doctrine and role.public_briefing and role.private_briefing
    militias = {a.id: a for a in s.roles[2].actions}
    assert all(
        militias[a].visibility == "covert" and militias[a].attribution for a in ("outpost_drone", "base_rockets")
    )
    assert len(s.outcomes) >= 5 and all(o.debrief and o.provenance for o in s.outcomes)
    assert s.ask_intent and len(s.history) >= 15
    dates = [h.date for h in s.history]
    assert dates == sorted(dates) and "2024-01-28" in dates
    assert any(f.expires for f in s.flags)
    assert any(getattr(q, "when", None) is not None for q in s.debrief.questions)


def us_view_of_turn_one(suspension: str) -> list[str]:
    """What the US team is shown of turn 1 when the militias order `suspension`."""
    game = Game(shipped(TOWER22), 3)
    game.begin()
    game.start_play()
    orders = {"us": ["harden_outposts"], "iraq": ["mediate_factions"], "militias": [suspension], "iran": ["deny_role"]}
    play_turn(game, {r: ScriptedPlayer({1: orders[r]}, fallback=make_bot("passive")) for r in game.rules.role_ids})
    text = EventText(game)
    return [line for line in map(text.line, perceived_log(game, "us")) if line]


def until_the_injects(lines: list[str]) -> list[str]:
    return lines[: next(i for i, line in enumerate(lines) if line.startswith("Inject:"))]


def test_a_meant_pause_and_a_pause_for_cover_look_the_same_to_washington():
    """The statement is the same; only what follows (the hardliners firing, here at once
    since nobody reined them in) tells them apart, and no dice give it away."""
    meant_all, cover_all = us_view_of_turn_one("announce_suspension"), us_view_of_turn_one("suspension_cover")
    meant, cover = until_the_injects(meant_all), until_the_injects(cover_all)
    assert meant == cover
    assert not any("Hardliners fire" in line for line in meant_all)
    assert any(line.startswith("NEWS") and "Nujaba, which rejected the pause" in line for line in cover_all)
    assert not any("Hardliners fire" in line and "rolled" in line for line in cover_all)
    statement = [line for line in meant if line.startswith("STATEMENT by Militias")]
    assert len(statement) == 1 and "suspension of its military and security operations" in statement[0]
    assert not any("mean it" in line or "as cover" in line or "in the ranks" in line for line in meant)


def condition_texts(inject) -> list[str]:
    return [c.source for c in [inject.when, *(m.when for m in inject.modifiers)] if c is not None]


def test_no_inject_roll_betrays_a_secret():
    """Every team sees an inject's roll, failed or not: an inject that rolls dice may not
    depend on a hidden track, a private track or a secret order."""
    s = shipped(TOWER22).scenario
    secrets = {t.id for t in s.tracks if t.visibility == "hidden"}
    for role in s.roles:
        secrets |= {f"{role.id}.{t.id}" for t in role.tracks if t.visibility != "public"}
        secrets |= {f"{role.id}.{a.id}" for a in role.actions if a.visibility != "public"}
    rolled = [i for i in s.injects if i.chance < 100 or i.modifiers]
    assert rolled
    for inject in rolled:
        words = set(re.findall(r"[\w.]+", " ".join(condition_texts(inject))))
        assert not words & secrets, (inject.id, words & secrets)
    assert any(secrets & set(re.findall(r"[\w.]+", " ".join(condition_texts(i)))) for i in s.injects)


def test_tower22_keeps_every_teams_secrets():
    """The tutorial's scan (tests/test_secrets_scan.py) over games of this scenario."""
    assert scan_games(shipped(TOWER22), range(4)) > 20


def simulate(bots: str, runs: int) -> dict:
    args = [sys.executable, "-m", "game", "simulate", str(TOWER22), "--runs", str(runs), "--seed", "1"]
    result = subprocess.run([*args, "--bots", bots, "--json"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_thousand_random_games_reach_every_outcome_none_above_70_percent():
    summary = simulate("random", 1000)
    shares = {o: v["share"] for o, v in summary["outcomes"].items()}
    assert all(v["count"] > 0 for v in summary["outcomes"].values()), shares
    assert max(shares.values()) <= 0.70, shares


@pytest.mark.parametrize("bots", ["doctrine", "heuristic"])
def test_no_outcome_above_70_percent_with_any_uniform_bot_type(bots):
    shares = {o: v["share"] for o, v in simulate(bots, 300)["outcomes"].items()}
    assert max(shares.values()) <= 0.70, shares
