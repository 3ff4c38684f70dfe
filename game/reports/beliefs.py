"""What each team believed, set beside what was true: data for the after-action review.

During play a team sees the game through `perceive`: another team's covert act
as news with a claim or a blame, its private orders not at all (only their
effects), its statements without the order behind them, its private tracks not
at all, and whatever the team's own intelligence revealed. This module lists,
for each team, every point where its picture could differ from the truth, with
the truth beside it, so the review can show each team what it believed and
what was so. Plain data in the scenario's words; the review screens render it.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.engine import Game
from game.engine import events as ev
from game.engine.views import knows_order, observe
from game.reports.timeline import EventText, taken_back
from game.scenario.text import format_number

COVERT_ACT = "covert act"  # another team's covert order that made news
UNSEEN_ORDER = "unseen order"  # another team's private order (or a covert one that made no news)
STATEMENT = "statement"  # a signal whose order the team could not see
TRACK = "track"  # another team's private track, as the team believed it at the end


@dataclass(frozen=True, slots=True)
class Belief:
    """One point where a team's picture of the game could differ from the truth."""

    turn: int
    team: str  # the role whose belief this is
    kind: str  # COVERT_ACT, UNSEEN_ORDER, STATEMENT or TRACK
    believed: str  # what the team was shown, in words
    truth: str  # what was so, in words
    correct: bool  # whether what the team was shown (or revealed) matched the truth
    learned: int | None = None  # the turn its intelligence showed it the truth, if it did
    actor: str | None = None  # who really acted (a role id), for orders
    action: str | None = None  # the action id, for orders
    subject: str | None = None  # the track's label, for TRACK: `believed` and `truth` start with it


def beliefs(game: Game) -> dict[str, tuple[Belief, ...]]:
    """For each role, what it believed beside the truth, in the order it happened
    (the turns that counted: attempts the White Cell took back are left out)."""
    return {role: tuple(_beliefs_of(game, role)) for role in game.rules.role_ids}


def _beliefs_of(game: Game, team: str) -> list[Belief]:
    rules, text = game.rules, EventText(game)
    gone = taken_back(game.log)
    log = [e for i, e in enumerate(game.log) if i not in gone]
    revealed = {
        (e.turn, e.target, action)
        for e in log
        if type(e) is ev.Revealed and e.role == team
        for action in e.orders or ()
    }
    attributed = {(e.turn, e.role, e.action): e for e in log if type(e) is ev.Attributed}
    out: list[Belief] = []
    for e in log:
        if type(e) is ev.ActionTaken and e.role != team and not knows_order(rules, f"{e.role}.{e.action}", team):
            learned = e.turn if (e.turn, e.role, e.action) in revealed else None
            truth = rules.roll_labels[f"{e.role}.{e.action}"]
            claim = attributed.get((e.turn, e.role, e.action))
            if claim is not None:
                # right when the news named the one who acted, or the team's intelligence showed it
                right = claim.claimed_by == e.role or claim.blamed_on == e.role or learned is not None
                believed = _reading(text, claim)
                out.append(Belief(e.turn, team, COVERT_ACT, believed, truth, right, learned, e.role, e.action))
            else:
                believed = (
                    "this order, revealed by its intelligence"
                    if learned is not None
                    else "nothing of this order (only its effects on what it could see)"
                )
                out.append(
                    Belief(e.turn, team, UNSEEN_ORDER, believed, truth, learned is not None, learned, e.role, e.action)
                )
        elif type(e) is ev.SignalSent and e.role != team and not knows_order(rules, f"{e.role}.{e.action}", team):
            truth = f"made by the order {rules.roll_labels[f'{e.role}.{e.action}']}"
            believed = f'{rules.role_label(e.role)} said: "{e.text.strip()}"'
            out.append(Belief(e.turn, team, STATEMENT, believed, truth, False, None, e.role, e.action))
    shown_in = {key: e.turn for e in log if type(e) is ev.Revealed and e.role == team for key, _ in e.tracks}
    out += _tracks(game, team, text, shown_in)
    return out


def _reading(text: EventText, e: ev.Attributed) -> str:
    if e.claimed_by:
        return f"claimed by {text.party(e.claimed_by)}"
    if e.blamed_on:
        return f"blamed on {text.party(e.blamed_on)}"
    return "unclaimed"


def _tracks(game: Game, team: str, text: EventText, shown_in: dict[str, int]) -> list[Belief]:
    """Other teams' private tracks: what `team` believed of them at the end, beside their value
    (`shown_in`: the turn its intelligence last showed it each track)."""
    believed_state = observe(game, team)
    out = []
    for key in sorted(game.rules.unseen[team].tracks):
        owner = key.split(".", 1)[0] if "." in key else None
        believed, true = believed_state.values[key], game.state.values[key]
        shown = key in shown_in
        # Never shown, the team had only the scenario's starting value to go by: not a belief it
        # was given, and never counted right, even where the value has not moved.
        said = (
            f"{format_number(believed)} (shown by its intelligence in turn {shown_in[key]})"
            if shown
            else f"never shown (it began at {format_number(believed)})"
        )
        out.append(
            Belief(
                game.state.turn,
                team,
                TRACK,
                f"{text.track(key)}: {said}",
                f"{text.track(key)}: {format_number(true)}",
                shown and believed == true,
                learned=shown_in[key] if shown else None,  # the turn its intelligence last showed it
                actor=owner,
                subject=text.track(key),
            )
        )
    return out
