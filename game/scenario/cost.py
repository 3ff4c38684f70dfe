"""What a scenario will cost to play, estimated from its size, so that a
scenario that validates also plays in reasonable time.

The cost of a turn is counted in evaluations: a condition, a formula, a roll
or an effect. The terms that grow fastest are the heuristic bot's (each action
it may take, weighed against each goal of its role) and the ladder's (each
transition that may start at the current level). The limits are about a
hundred times what the flagship scenario needs; at the limit a turn takes a
fraction of a second here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from game.scenario.diagnostics import Loc, Report
from game.scenario.model import Role, Scenario

MAX_TURN_COST = 100_000  # evaluations in one turn; the flagship needs about 1,400
MAX_LADDER_PAIRS = 20_000  # (level, transition that may start there); the flagship has 26
ANY_LEVEL = "*"


@dataclass(frozen=True, slots=True)
class Term:
    cost: int
    loc: Loc
    what: str  # what costs this much, for the message


def check_cost(s: Scenario, report: Report) -> None:
    """Report a scenario whose turns, or whose ladder, would cost too much to play."""
    if s.ladder is None or s.roles is None or s.outcomes is None:
        return  # the reader reported what is missing; nothing to estimate from
    pairs = ladder_pairs(s)
    if pairs > MAX_LADDER_PAIRS:
        stars = sum(1 for t in s.ladder.transitions if ANY_LEVEL in _sources(t))
        report.error(
            s.ladder.where("transitions"),
            f"the ladder's transitions may start from {pairs:,} (level, transition) pairs; at most "
            f"{MAX_LADDER_PAIRS:,} can be played in reasonable time ({stars:,} transitions from '*' "
            f"apply at each of {len(s.ladder.levels):,} levels)",
        )
    terms = turn_terms(s)
    total = sum(t.cost for t in terms)
    if total > MAX_TURN_COST:
        worst = max(terms, key=lambda t: t.cost)
        report.error(
            worst.loc,
            f"a turn of this scenario would take about {total:,} evaluations to play (at most "
            f"{MAX_TURN_COST:,}); the largest part: {worst.what}",
        )


def _sources(t) -> list[str]:
    return t.source if isinstance(t.source, list) else [t.source]


def ladder_pairs(s: Scenario) -> int:
    """How many (level, transition) pairs the ladder may ever try."""
    terminal = {level.id for level in s.ladder.levels if level.outcome}
    open_levels = len(s.ladder.levels) - len(terminal)
    pairs = 0
    for t in s.ladder.transitions:
        sources = _sources(t)
        pairs += open_levels if ANY_LEVEL in sources else len(sources)
    return pairs


def goals(s: Scenario, role: Role) -> int:
    """What the heuristic bot weighs each action against: the role's objectives,
    and the conditions of the outcomes that score for it (and the ways into them)."""
    scoring = {o.id for o in s.outcomes if o.scores.get(role.id)}
    count = len(role.objectives) + sum(1 for o in s.outcomes if o.id in scoring and o.when is not None)
    ending = {level.id for level in s.ladder.levels if level.outcome in scoring}
    return count + sum(1 for t in s.ladder.transitions if t.to in ending)


def turn_terms(s: Scenario) -> list[Term]:
    """The parts of one turn's cost, each with where it comes from."""
    terms = []
    for role in s.roles:
        weighed = len(role.actions) * (1 + goals(s, role))
        rolled = sum(
            1
            + len(a.cost)
            + sum(
                1 + len(r.modifiers) + len(r.effects) + (len(r.failure.effects) if r.failure else 0) for r in a.results
            )
            for a in role.actions
        )
        doctrine = sum(1 + len(rule.prefer) for rule in role.doctrine)
        terms.append(
            Term(
                weighed + rolled + doctrine,
                role.where("actions"),
                f"role '{role.id}': {len(role.actions):,} actions, each weighed against "
                f"{goals(s, role):,} goals by the heuristic bot",
            )
        )
    injects = sum(1 + len(i.modifiers) + len(i.effects) for i in s.injects)
    terms.append(Term(injects, s.where("injects"), f"{len(s.injects):,} injects, checked every turn"))
    widest = widest_level(s)
    terms.append(Term(widest, s.ladder.where("transitions"), f"{widest:,} ladder transitions from one level"))
    ending = len(s.outcomes) + sum(len(role.objectives) for role in s.roles)
    terms.append(Term(ending, s.where("outcomes"), f"{len(s.outcomes):,} outcomes and the objectives"))
    return terms


def widest_level(s: Scenario) -> int:
    """The most transitions that may start at one level."""
    stars, explicit = 0, Counter[str]()
    for t in s.ladder.transitions:
        sources = _sources(t)
        if ANY_LEVEL in sources:
            stars += 1
        else:
            explicit.update(set(sources))
    return stars + max(explicit.values(), default=0)
