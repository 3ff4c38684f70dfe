"""A plain-text summary of a scenario, for the command line."""

from __future__ import annotations

import textwrap

from game.scenario.model import Scenario


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def describe(s: Scenario, width: int = 78) -> str:
    def wrap(text, indent=""):
        return textwrap.fill(
            " ".join(str(text).split()),
            width,
            initial_indent=indent,
            subsequent_indent=indent,
        )

    lines = [s.title, "=" * min(len(s.title), width), ""]
    lines.append(
        f"Starts {s.date}; {plural(s.turns.max, 'turn')} of {s.turns.days} days; "
        f"{plural(s.orders_per_turn, 'order')} per team per turn."
    )
    lines += ["", wrap(s.summary), "", "Teams:"]
    for role in s.roles:
        secret = [
            f"{n} {kind}" for kind in ("private", "covert") if (n := sum(a.visibility == kind for a in role.actions))
        ]
        lines.append(
            f"  {role.name} ({role.id}): {plural(len(role.actions), 'action')}"
            + (f" ({', '.join(secret)})" if secret else "")
            + f", {plural(len(role.objectives), 'objective')}, {plural(len(role.tracks), 'track')}"
            + (", doctrine for bots" if role.doctrine else "")
            + ("; played only by its bot" if role.bot_only else "")
        )
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
