"""Which names of a scenario each role cannot see: the one rule for secrets.

The validator uses it to flag doctrine that reads what its role cannot see;
the engine uses it to build each team's observation of the game (what its bot
decides from, and what its screens show).
"""

from __future__ import annotations

from dataclasses import dataclass

from game.scenario.model import Scenario


@dataclass(frozen=True, slots=True)
class Unseen:
    """Names one role cannot see, as conditions write them."""

    tracks: frozenset[str]  # hidden tracks, and other roles' private ones: "mediation", "iraq.capital"
    flags: frozenset[str]  # hidden flags
    actions: frozenset[str]  # other roles' private and covert actions: "militias.rocket_attack"

    def __contains__(self, name: object) -> bool:
        return name in self.tracks or name in self.flags or name in self.actions


def unseen_by(scenario: Scenario, role_id: str) -> Unseen:
    """What `role_id` cannot see (tracks' default visibility must be filled in, as checking does)."""
    tracks = {t.id for t in scenario.tracks if t.visibility == "hidden"}  # ("private" is an error here)
    for role in scenario.roles:
        for t in role.tracks:
            if t.visibility == "hidden" or (t.visibility != "public" and role.id != role_id):
                tracks.add(f"{role.id}.{t.id}")
    actions = {
        f"{role.id}.{a.id}"
        for role in scenario.roles
        if role.id != role_id
        for a in role.actions
        if a.visibility != "public"
    }
    flags = {f.id for f in scenario.flags if f.visibility == "hidden"}
    return Unseen(frozenset(tracks), frozenset(flags), frozenset(actions))
