"""`crisis new`: a short commented scenario that validates at once, to grow from.

`skeleton(id, title)` is the smallest complete scenario with a comment on each
part; `derived(loaded, id, title)` is an existing scenario under a new id and
title, for a variant of it.
"""

from __future__ import annotations

import datetime as dt
import re

from game.scenario.loader import Loaded

SKELETON = """\
# {title}: a new crisis-sim scenario.
# Every key is documented in docs/scenario-format.md; docs/writing-scenarios.md grows
# a scenario step by step. Check it as you write: crisis check {file} --watch
format: 1
id: {id}
title: "{title}"
date: "{date}"                  # the in-game date of turn 1
summary: One paragraph for the scenario picker.
turns: {{max: 5, days: 7}}       # five turns of a week
orders_per_turn: 1

situation:                      # the public briefing; {{placeholders}} show the state
  - It is {{date}}. Tension stands at {{tension}} out of 100.

tracks:                         # numbers the game tracks (0..100 unless min/max say otherwise)
  - id: tension
    label: Tension
    start: 50

roles:                          # the teams; a bot plays any role nobody takes
  - id: blue
    name: Blue government
    public_briefing: [Blue wants the crisis to end.]
    private_briefing: [Calm things down without looking weak.]
    objectives:                 # scored at the end of the game
      - id: calm
        text: Tension below 30 at the end.
        when: tension < 30
        points: 2
    actions:
      - id: talk
        label: Offer talks
        category: diplomatic
        description: Invite Red to talks.
        results:                # each result is rolled for on its own
          - chance: 60
            effects: {{tension: -10}}
            news: Blue offers talks.
    doctrine:                   # how the doctrine bot plays this role, first rule first
      - prefer: [talk]
        reason: Blue always tries talks first.
  - id: red
    name: Red movement
    public_briefing: [Red wants concessions.]
    private_briefing: [Raise the pressure, but not into war.]
    objectives:
      - id: pressure
        text: Tension at 60 or more at the end.
        when: tension >= 60
    actions:
      - id: protest
        label: Street protests
        category: information
        description: Fill the streets.
        results:
          - effects: {{tension: 15, ladder: 1}}
            news: Red fills the streets.
      - id: pause
        label: Announce a pause
        category: information
        description: Call the protests off for a week.
        results:
          - effects: {{tension: -5}}
            news: Red calls a pause.

ladder:                         # levels from the calmest; a level with an outcome ends the game
  start: standoff
  levels:
    - id: settled
      name: Settled
      description: The crisis is over.
      outcome: deal
    - id: standoff
      name: Standoff
      description: Protests and sharp words.
    - id: unrest
      name: Unrest
      description: Clashes in the streets.
    - id: violence
      name: Violence
      description: The crisis turns violent.
      outcome: violence
  transitions:                  # checked every turn; the first that holds moves the ladder
    - {{from: [standoff, unrest], to: settled, when: tension < 15}}
    - {{from: unrest, to: violence, when: tension >= 80}}

outcomes:                       # how the game can end; one is the default
  - id: deal
    title: A deal
    summary: Blue and Red reach a deal.
    scores: {{blue: 2}}
  - id: violence
    title: Violence
    summary: The crisis turns violent.
    scores: {{blue: -2, red: -1}}
  - id: stalemate
    title: Stalemate
    summary: Nothing is settled when the turns run out.
    default: true
"""


def as_id(name: str) -> str:
    """An id from a file or scenario name: `Harbour Crisis-2` -> `harbour_crisis_2`."""
    word = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return word if word and word[0].isalpha() else f"scenario_{word}".rstrip("_")


def skeleton(scenario_id: str, title: str, file: str, date: dt.date | None = None) -> str:
    day = (date or dt.date.today()).isoformat()
    return SKELETON.format(id=scenario_id, title=title.replace('"', "'"), date=day, file=file)


def derived(loaded: Loaded, scenario_id: str, title: str) -> str:
    """The scenario's text with a new id and title (each line replaced where it stands)."""
    s = loaded.scenario
    lines = loaded.data.decode("utf-8-sig").splitlines(keepends=True)
    for field, value in (("id", scenario_id), ("title", '"' + title.replace('"', "'") + '"')):
        loc = s.where(field)
        line = lines[loc.line - 1]
        end = "\n" if line.endswith("\n") else ""
        lines[loc.line - 1] = line[: loc.col - 1] + value + end
    header = f"# Based on {loaded.path} ({s.title}).\n"
    return header + "".join(lines)
