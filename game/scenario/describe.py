"""A plain-text summary of a scenario, for the command line."""

from __future__ import annotations

import textwrap

from game.scenario.model import Scenario


def describe(s: Scenario, width: int = 78) -> str:
    wrap = lambda text, indent="": textwrap.fill(" ".join(str(text).split()), width,  # noqa: E731
                                                 initial_indent=indent, subsequent_indent=indent)
    lines = [s.title, "=" * min(len(s.title), width), ""]
    lines.append(f"Starts {s.date}; {s.turns.max} turns of {s.turns.days} days; "
                 f"{s.orders_per_turn} orders per team per turn.")
    lines += ["", wrap(s.summary), "", "Teams:"]
    for role in s.roles:
        lines.append(f"  {role.name} ({role.id}): {len(role.actions)} actions, "
                     f"{len(role.objectives)} objectives, {len(role.tracks)} tracks"
                     + (", doctrine for bots" if role.doctrine else ""))
    if s.actors:
        lines += ["", "Other parties: " + ", ".join(a.name for a in s.actors)]
    lines += ["", "Escalation ladder (lowest first):"]
    for level in s.ladder.levels:
        mark = " <- start" if level.id == s.ladder.start else ""
        end = f"  [ends: {level.outcome}]" if level.outcome else ""
        lines.append(f"  {level.name}{end}{mark}")
    lines += ["", "Outcomes: " + ", ".join(o.title for o in s.outcomes)]
    lines.append(f"Injects: {len(s.injects)}; sources cited: {len(s.sources)}")
    return "\n".join(lines)
