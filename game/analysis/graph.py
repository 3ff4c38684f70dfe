"""`crisis graph`: the escalation ladder and the turn flow, as the engine runs them.

Everything is read from the two `transitions` machines the engine plays with
(`game.engine.rules`): the ladder's states and its `evaluate`, `push_up` and
`push_down` events for this scenario, and the turn flow, the same for every
scenario. The scenario only adds words: level names, the condition of each
transition, and which actions and injects push the ladder.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.engine.rules import FLOW, rules_for
from game.scenario.loader import Loaded


@dataclass(frozen=True)
class Edge:
    source: str
    dest: str
    kind: str  # "transition", "push_up", "push_down" or a turn-flow trigger
    label: str = ""
    number: int | None = None  # the transition's place in the file, from 1
    steps: str = ""  # a turn-flow move: what it does before its guard is read ("adjudicate, ...")

    def flow_label(self, joiner: str = " if ") -> str:
        """A turn-flow move in words: 'resolve: adjudicate, fire injects, escalate, check end; if is_over'."""
        text = self.kind + (f": {self.steps}" if self.steps else "")
        if self.label:
            text += ("; if " if self.steps else joiner) + self.label
        return text


def ladder_edges(loaded: Loaded) -> list[Edge]:
    """The ladder machine's moves. Its `evaluate` transitions are the scenario's, in file
    order for each level; the scenario gives each its number and condition."""
    rules = rules_for(loaded)
    machine = rules.ladder
    for level in machine.states:  # the engine adds a level's transitions when a game first asks there
        rules.ladder_moves.from_level(level)
    scenario_transitions = list(enumerate(loaded.scenario.ladder.transitions, 1))
    edges = []
    evaluate = machine.events.get("evaluate")
    for source, moves in evaluate.transitions.items() if evaluate else []:
        # The machine tries them in file order: pair each with the scenario's, in order.
        written = [(n, t) for n, t in scenario_transitions if _starts_from(loaded, t, source)]
        for move, (number, t) in zip(moves, written, strict=True):
            if move.dest != t.to:  # a bug in the engine's ladder, not in the scenario
                raise RuntimeError(f"the ladder machine moves {source} to {move.dest}; transition {number} says {t.to}")
            edges.append(Edge(source, move.dest, "transition", " ".join(t.when.source.split()), number))
    for kind in ("push_up", "push_down"):
        event = machine.events.get(kind)
        for source, moves in event.transitions.items() if event else []:
            edges += [Edge(source, move.dest or source, kind) for move in moves]
    return edges


def _starts_from(loaded: Loaded, t, level: str) -> bool:
    sources = t.source if isinstance(t.source, list) else [t.source]
    if "*" in sources:
        terminal = {lv.id for lv in loaded.scenario.ladder.levels if lv.outcome}
        return level not in terminal and level != t.to
    return level in sources and level != t.to


def flow_edges() -> list[Edge]:
    edges = []
    for name, event in FLOW.events.items():
        for source, moves in event.transitions.items():
            for move in moves:
                guard = " and ".join(("" if c.target else "not ") + str(c.func).lstrip("_") for c in move.conditions)
                steps = ", ".join(str(step).lstrip("_").replace("_", " ") for step in move.prepare)
                edges.append(Edge(source, move.dest or source, name, guard, steps=steps))  # no dest: it stays
    return edges


def pushers(loaded: Loaded) -> list[tuple[str, int]]:
    """('us.strike', +1): the actions (on success) and injects whose effects push the ladder."""
    out = []
    for role in loaded.scenario.roles:
        for action in role.actions:
            for result in action.results:
                for effects, when in (
                    (result.effects, ""),
                    (result.failure.effects if result.failure else {}, " on failure"),
                ):
                    push = effects.get("ladder")
                    if isinstance(push, int | float) and push:
                        out.append((f"{role.id}.{action.id}{when}", int(push)))
    for inject in loaded.scenario.injects:
        push = inject.effects.get("ladder")
        if isinstance(push, int | float) and push:
            out.append((f"inject {inject.id}", int(push)))
    return out


# ----------------------------------------------------------------- drawing


def draw(loaded: Loaded, fmt: str = "text") -> str:
    if fmt == "mermaid":
        return _mermaid(loaded)
    if fmt == "dot":
        return _dot(loaded)
    if fmt == "text":
        return _text(loaded)
    raise ValueError(f"unknown format '{fmt}' (mermaid, dot or text)")


def _levels(loaded: Loaded):
    machine = rules_for(loaded).ladder
    by_id = {lv.id: lv for lv in loaded.scenario.ladder.levels}
    return [by_id[name] for name in machine.states], machine.initial


def _text(loaded: Loaded) -> str:
    levels, start = _levels(loaded)
    edges = ladder_edges(loaded)
    out = [f"Escalation ladder of {loaded.scenario.id} (lowest first)"]
    for level in levels:
        notes = [f"ends the game: {level.outcome}"] if level.outcome else []
        if level.id == start:
            notes.append("start")
        out.append(f"  {level.id:<20} {level.name}" + (f"  [{'; '.join(notes)}]" if notes else ""))
    out += ["", "Transitions (escalation phase: the first that holds, in file order)"]
    for e in sorted((e for e in edges if e.kind == "transition"), key=lambda e: (e.number, e.source)):
        out.append(f"  {e.number:>2}. {e.source} -> {e.dest}  when {e.label}")
    out += ["", "Pushes (effects on 'ladder': one level a point, never into a terminal level)"]
    for kind, word in (("push_up", "up"), ("push_down", "down")):
        steps = [f"{e.source} -> {e.dest}" for e in edges if e.kind == kind]
        out.append(f"  {word}: " + (", ".join(steps) or "none"))
    pushes = pushers(loaded)
    out.append("  pushed by: " + (", ".join(f"{who} ({n:+d})" for who, n in pushes) or "nothing"))
    out += ["", "Turn flow (the same for every scenario)"]
    for e in flow_edges():
        out.append(f"  {e.source} -> {e.dest}  ({e.flow_label(', if ')})")
    return "\n".join(out) + "\n"


# A line break would end the statement mid-label (mermaid reads a line at a time).
_MERMAID_CODES = {
    "#": "#35;",
    ":": "#58;",
    "<": "#lt;",
    ">": "#gt;",
    '"': "#quot;",
    ";": "#59;",
    "&": "#38;",
    "\n": " ",
    "\r": " ",
}


def _mermaid_text(text: str) -> str:
    """Text for a mermaid label: characters mermaid reads as syntax, as entity codes."""
    return "".join(_MERMAID_CODES.get(c, c) for c in text)


def _mermaid(loaded: Loaded) -> str:
    levels, start = _levels(loaded)
    out = ["stateDiagram-v2", f"    %% escalation ladder of {loaded.scenario.id}, read from the engine's machine"]
    for level in levels:
        out.append(f'    state "{_mermaid_text(level.name)}" as {level.id}')
    out.append(f"    [*] --> {start}")
    for e in ladder_edges(loaded):
        label = f"{e.number}. {e.label}" if e.kind == "transition" else e.kind.replace("_", " ")
        out.append(f"    {e.source} --> {e.dest}: {_mermaid_text(label)}")
    for level in levels:
        if level.outcome:
            out.append(f"    {level.id} --> [*]: ends as {level.outcome}")
    out += ["", "stateDiagram-v2", "    %% turn flow"]
    out.append(f"    [*] --> {FLOW.initial}")
    for e in flow_edges():
        out.append(f"    {e.source} --> {e.dest}: {_mermaid_text(e.flow_label())}")
    return "\n".join(out) + "\n"


def _dot_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _dot(loaded: Loaded) -> str:
    levels, start = _levels(loaded)
    out = [f"digraph {_dot_text(loaded.scenario.id + ' ladder')} {{", "  rankdir=BT;"]
    for level in levels:
        shape = "doublecircle" if level.outcome else ("box" if level.id != start else "box, style=bold")
        out.append(f"  {_dot_text(level.id)} [label={_dot_text(level.name)}, shape={shape}];")
    for e in ladder_edges(loaded):
        if e.kind == "transition":
            out.append(f"  {_dot_text(e.source)} -> {_dot_text(e.dest)} [label={_dot_text(f'{e.number}. {e.label}')}];")
        else:
            out.append(f"  {_dot_text(e.source)} -> {_dot_text(e.dest)} [style=dashed, label={_dot_text(e.kind)}];")
    out += ["}", "", 'digraph "turn flow" {']
    for e in flow_edges():
        out.append(f"  {_dot_text(e.source)} -> {_dot_text(e.dest)} [label={_dot_text(e.flow_label())}];")
    out.append("}")
    return "\n".join(out) + "\n"
