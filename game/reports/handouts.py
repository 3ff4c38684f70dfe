"""Printable briefings: the public one for the whole room and one private page per team.

A team's page holds its private briefing, objectives, own tracks and the moves
it may order, and nothing private of another team: it is built from that team's
role alone, plus what every team may see. Texts are filled in on the state at
the start of the game, as the briefing screens show them.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.engine.state import GameState
from game.engine.views import Text, paragraphs
from game.scenario.calendar import game_date
from game.scenario.loader import Loaded
from game.scenario.model import Role, Track
from game.scenario.text import format_number


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    paragraphs: tuple[Text, ...] = ()
    items: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Handout:
    name: str  # the file's name without its suffix: "public", "team-us"
    title: str
    kind: str  # "Public briefing", "Private briefing"
    audience: str  # "Every team", "United States only"
    sections: tuple[Section, ...]


def _track_line(track: Track, label: str | None = None) -> str:
    unit = track.unit or ""
    text = f"{label or track.label}: {format_number(track.start)}{unit} (from {format_number(track.min)} to {format_number(track.max)})"
    return text + (f". {' '.join(track.description.split())}" if track.description else "")


def public_handout(loaded: Loaded) -> Handout:
    """What every team reads: the situation, each team's public briefing, the
    public tracks and the escalation ladder."""
    s = loaded.scenario
    state = GameState(loaded)
    start = game_date(s.date, s.turns.days, 1)
    sections = [
        Section(
            "The game",
            items=(
                f"Starts on {start}; {s.turns.max} turns of {s.turns.days} days each.",
                "Teams: " + ", ".join(r.name for r in s.roles) + ".",
            ),
        ),
        Section("The situation", paragraphs(s.situation, state)),
    ]
    for role in s.roles:
        sections.append(Section(role.name, paragraphs(role.public_briefing, state)))
    tracks = [_track_line(t) for t in s.tracks if t.visibility == "public"]
    tracks += [
        _track_line(t, f"{r.short_name or r.name} {t.label}")
        for r in s.roles
        for t in r.tracks
        if t.visibility == "public"
    ]
    if tracks:
        sections.append(Section("What everyone can see", items=tuple(tracks)))
    ladder = tuple(
        f"{level.name}{' (the start)' if level.id == s.ladder.start else ''}{' (ends the game)' if level.outcome else ''}: "
        + " ".join(level.description.render(state).split())
        for level in s.ladder.levels
    )
    sections.append(Section("The escalation ladder, from the calmest", items=ladder))
    return Handout("public", s.title, "Public briefing", "Every team", tuple(sections))


def team_handout(loaded: Loaded, role: Role) -> Handout:
    """One team's private page: built from its own role only."""
    s = loaded.scenario
    state = GameState(loaded)
    per_turn = role.orders_per_turn or s.orders_per_turn
    sections = [
        Section("Your private briefing", paragraphs(role.private_briefing, state)),
        Section(
            "Your objectives",
            items=tuple(f"{o.text} ({o.points} point{'s' * (abs(o.points) != 1)})" for o in role.objectives),
        ),
        Section("Your own tracks", items=tuple(_track_line(t) for t in role.tracks)),
    ]
    moves = []
    for action in role.actions:
        cost = ", ".join(
            f"{format_number(v)} {next(t.label for t in role.tracks if t.id == k)}" for k, v in action.cost.items()
        )
        line = f"{action.label} ({action.category}{'; costs ' + cost if cost else ''}): "
        line += " ".join(action.description.render(state).split())
        if action.max_uses:
            line += f" At most {action.max_uses} time{'s' * (action.max_uses != 1)} per game."
        moves.append(line)
    sections.append(Section(f"Your moves ({per_turn} order{'s' * (per_turn != 1)} per turn)", items=tuple(moves)))
    kept = tuple(x for x in sections if x.paragraphs or x.items)
    return Handout(f"team-{role.id}", s.title, "Private briefing", f"{role.name} only", kept)


def handouts(loaded: Loaded) -> list[Handout]:
    """The public briefing, then one private page per team (none for a bot-only role: no team plays it)."""
    teams = [role for role in loaded.scenario.roles if not role.bot_only]
    return [public_handout(loaded)] + [team_handout(loaded, role) for role in teams]
