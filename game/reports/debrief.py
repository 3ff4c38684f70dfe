"""The after-action review (AAR): what the debrief shows at the end of a game.

`build_debrief(game)` reads the game's log and returns plain, frozen data: the
outcome and scores, one record per turn with every order revealed, the series
of each track over the turns, the turning points worth discussing, the
facilitator's interventions and the discussion questions. No I/O, no
interface: the terminal UI (and anything else) lays it out.

Undone turns. A facilitator may take a turn back (`TurnUndone`) or override a
roll (`RollOverridden`, then a `TurnUndone` and a re-run of the turn). The log
keeps every attempt; the debrief describes only the attempts that counted.
Like `state.Timeline`, an undo of turn k cuts the events after the latest
`OrdersOpened(k)`: what follows the undo replaces them. The cut events appear
only in `facilitator_acts`, as what the rules had given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeGuard

from game.engine import Game
from game.engine import events as ev
from game.engine.state import GameState, apply
from game.engine.views import PUBLIC, perceive
from game.reports.timeline import EventText, taken_back
from game.scenario.calendar import game_date
from game.scenario.in_words import ConditionWords, what_held
from game.scenario.model import Question
from game.scenario.text import format_number

# A single-turn swing of a global track is a turning point from this share of
# the track's range; when no swing reaches it, the largest few are shown.
SWING_SHARE = 0.15
TOP_SWINGS = 3
# An inject is a turning point when it moves a track by this share of its
# range, or pushes the ladder.
INJECT_SHARE = 0.15
# Magnitudes compare turning points of different kinds. A ladder move counts
# LADDER_WEIGHT times its share of the ladder's length, plus TERMINAL_BONUS
# when it ends the game; a swing counts its share of the track's range.
LADDER_WEIGHT = 2.0
TERMINAL_BONUS = 0.5
# The weight of each kind of facilitator intervention (a forced inject weighs
# at least its effect).
FACILITATOR_WEIGHT = {"end game": 1.0, "override": 0.5, "undo": 0.5, "forced inject": 0.3, "news": 0.1, "note": 0.05}
# Names a condition reads (tracks, flags, orders: dotted ids), outside quoted level ids.
_NAME = re.compile(r"\b[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?\b")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


# ------------------------------------------------------------------ records


@dataclass(frozen=True, slots=True)
class LevelRef:
    """A rung of the escalation ladder; `index` counts from the calmest (0)."""

    id: str
    name: str
    index: int


@dataclass(frozen=True, slots=True)
class OutcomeRecord:
    """How the game ended, with the outcome's texts rendered on the final state."""

    id: str
    title: str
    summary: str
    debrief: str | None
    reason: str  # "terminal level", "condition", "turn limit" or "facilitator: <why>"
    turn: int
    basis: str | None = None  # the outcome's provenance: what really happened, or fiction
    note: str | None = None

    @property
    def by_facilitator(self) -> bool:
        return self.reason.startswith("facilitator")


@dataclass(frozen=True, slots=True)
class ObjectiveScore:
    id: str
    text: str
    held: bool
    points: int


@dataclass(frozen=True, slots=True)
class RoleScore:
    """A team's final score: the outcome's points plus those of the objectives held."""

    role: str
    name: str
    total: int
    outcome_points: int
    objectives: tuple[ObjectiveScore, ...]


@dataclass(frozen=True, slots=True)
class Order:
    action: str  # the action id, e.g. "strike"
    label: str
    reason: str  # why a bot chose it; "" for humans


@dataclass(frozen=True, slots=True)
class RoleOrders:
    """A team's orders in one turn, revealed; `orders` is empty when it passed.
    `why` is the team's one-line reason and `intent` what it thought the other
    teams intended, as it typed them when it confirmed ("" when it did not)."""

    role: str
    name: str
    player: str  # "human", "doctrine", ...
    orders: tuple[Order, ...]
    why: str = ""
    intent: str = ""


@dataclass(frozen=True, slots=True)
class RollRecord:
    """One roll of the dice, as `RollMade` recorded it; `text` is the timeline's line."""

    key: str
    label: str
    base: float
    modifiers: tuple[tuple[str, float], ...]
    chance: float
    roll: int | None
    success: bool
    rules_success: bool
    override: str | None
    text: str
    # What it was rolled for, as the engine names it (see `RollMade`).
    role: str | None = None
    action: str | None = None
    result: int | None = None
    inject: str | None = None

    @property
    def overridden(self) -> bool:
        return self.override is not None


@dataclass(frozen=True, slots=True)
class TrackShift:
    """A track's value before and after something (a turn, an inject)."""

    key: str
    label: str
    start: float
    end: float

    @property
    def change(self) -> float:
        return self.end - self.start

    def text(self) -> str:
        """ "Tension 50 → 33 (-17)"."""
        sign = "+" if self.change > 0 else ""
        return (
            f"{self.label} {format_number(self.start)} → {format_number(self.end)} ({sign}{format_number(self.change)})"
        )


@dataclass(frozen=True, slots=True)
class InjectRecord:
    """An inject that fired, with what its effects changed.

    `impact` is the largest change it made to a track, as a share of that
    track's range."""

    id: str
    title: str
    forced: bool
    changes: tuple[TrackShift, ...]
    ladder_push: int
    impact: float

    @property
    def effects(self) -> str:
        """What it did: its changes, its push on the ladder, or news alone."""
        parts = [c.text() for c in self.changes]
        if self.ladder_push:
            steps = abs(self.ladder_push)
            parts.append(
                f"pushed the ladder {'up' if self.ladder_push > 0 else 'down'} {steps} step{'s' * (steps != 1)}"
            )
        return ", ".join(parts) or "news only"


@dataclass(frozen=True, slots=True)
class NewsItem:
    text: str
    source: str  # "action", "inject", "ladder", "facilitator"
    ref: str | None
    basis: str | None
    seen_only_by: tuple[str, ...] = ()  # the teams (short names) that saw it, when the room did not

    @property
    def audience(self) -> str | None:
        """ "Militias only" for news that went to some teams alone (a private order's); None for all."""
        if not self.seen_only_by:
            return None
        names = self.seen_only_by
        return (", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]) + " only"


@dataclass(frozen=True, slots=True)
class LadderMove:
    """A move on the ladder; `why` says which orders pushed it or which condition held."""

    turn: int
    old: LevelRef
    new: LevelRef
    cause: str  # "push", "transition" or "facilitator"
    why: str

    @property
    def steps(self) -> int:
        return self.new.index - self.old.index


@dataclass(frozen=True, slots=True)
class FacilitatorAct:
    """Something the facilitator did: an undo, an override, a forced inject,
    a news item or the end of the game.

    `turn` is the turn the act concerns (for an undo, the turn taken back).
    `rules_gave` is what the rules had given or would have given, where that
    applies. `counted` is False when a later undo took the act back. `ref`
    names what was acted on: the inject, the roll's key or the outcome.
    `roll` is the overridden roll, as the re-run made it."""

    turn: int
    kind: str  # "undo", "override", "forced inject", "news", "end game", "note" (a reveal, a pause)
    text: str
    reason: str | None
    rules_gave: str | None
    counted: bool
    ref: str | None = None
    roll: RollRecord | None = None


@dataclass(frozen=True, slots=True)
class TurnRecord:
    """One turn as it counted (its last attempt), every order revealed.

    `resolved` is False for a turn the facilitator ended during its orders.
    `attempts` counts the times the turn was played (undos and re-runs + 1).
    `facilitator_acts` also lists acts that a later undo took back."""

    number: int
    date: str
    level_start: LevelRef
    level_end: LevelRef
    orders: tuple[RoleOrders, ...]
    rolls: tuple[RollRecord, ...]
    injects: tuple[InjectRecord, ...]
    news: tuple[NewsItem, ...]
    changes: tuple[TrackShift, ...]
    ladder_moves: tuple[LadderMove, ...]
    facilitator_acts: tuple[FacilitatorAct, ...]
    attempts: int
    resolved: bool


@dataclass(frozen=True, slots=True)
class TurningPoint:
    """A moment for the debrief to discuss; `magnitude` orders them."""

    turn: int
    kind: str  # "ladder", "swing", "inject", "facilitator"
    text: str
    magnitude: float


@dataclass(frozen=True, slots=True)
class DiscussionQuestion:
    """A discussion question that applies to this game; `roles` are the teams it
    is for (empty: everyone), `role_names` their names."""

    text: str
    roles: tuple[str, ...] = ()
    role_names: tuple[str, ...] = ()

    @property
    def line(self) -> str:
        """The question as the room reads it: 'For the United States: ...' when it is for some teams."""
        return f"For {', '.join(self.role_names)}: {self.text}" if self.roles else self.text


@dataclass(frozen=True, slots=True)
class TrackInfo:
    """A track's name and range, for charts; `role` is None for global tracks."""

    key: str
    label: str
    low: float
    high: float
    role: str | None


@dataclass(frozen=True, slots=True)
class Debrief:
    """The after-action review of one game.

    `series[key]` holds a track's value at the start of the game and at the
    end of each turn in `turns`; `levels` the ladder index at the same moments
    (both have len(turns) + 1 entries). A game still under way has no outcome
    and no scores, and its turn in progress has no record."""

    title: str
    seed: int
    outcome: OutcomeRecord | None
    scores: tuple[RoleScore, ...]
    turns: tuple[TurnRecord, ...]
    tracks: tuple[TrackInfo, ...]
    series: dict[str, tuple[float, ...]]
    ladder: tuple[LevelRef, ...]
    levels: tuple[int, ...]
    turning_points: tuple[TurningPoint, ...]
    questions: tuple[str, ...]  # the lines of `discussion`
    facilitator_acts: tuple[FacilitatorAct, ...]
    discussion: tuple[DiscussionQuestion, ...] = ()  # the questions that apply, each with its teams


# -------------------------------------------------------- the counted events


@dataclass(slots=True)
class _Counted:
    events: list[ev.Event]  # the log without undone attempts, undos and overrides
    cut: dict[int, list[ev.Event]]  # id(TurnUndone) -> the events it took back
    attempts: dict[int, int]  # turn -> times it was taken back


def _counted(log: Sequence[ev.Event]) -> _Counted:
    """The events that count, without what an undo took back (`timeline.taken_back`)."""
    gone = taken_back(log)
    folded = (ev.TurnUndone, ev.RollOverridden)
    kept = [e for i, e in enumerate(log) if i not in gone and type(e) not in folded]
    cut: dict[int, list[ev.Event]] = {}
    for i in sorted(gone):
        if type(log[i]) not in folded:
            cut.setdefault(id(log[gone[i]]), []).append(log[i])
    attempts: dict[int, int] = {}
    for e in log:
        if type(e) is ev.TurnUndone:
            attempts[e.undone] = attempts.get(e.undone, 0) + 1
    return _Counted(kept, cut, attempts)


@dataclass(slots=True)
class _Segment:
    """The counted events of one turn (from its TurnBegan), with the state
    before and after them."""

    turn: int
    events: list[ev.Event]
    start: GameState
    end: GameState | None = None

    @property
    def counts(self) -> bool:
        return any(type(e) in (ev.OrdersRevealed, ev.GameEnded) for e in self.events)


def _segments(game: Game, events: Iterable[ev.Event]) -> tuple[GameState, list[_Segment]]:
    """Folds the counted events; returns the state before turn 1 and each turn's segment."""
    state = GameState(game.loaded, game.max_turns)
    before_first: GameState | None = None
    segments: list[_Segment] = []
    for e in events:
        if type(e) is ev.TurnBegan:
            snapshot = state.copy()
            if segments:
                segments[-1].end = snapshot
            else:
                before_first = snapshot
            segments.append(_Segment(e.turn, [], snapshot))
        elif segments:
            segments[-1].events.append(e)
        apply(state, e)
    if segments:
        segments[-1].end = state.copy()
    return (before_first or state.copy()), segments


# ------------------------------------------------------------------ builder


class _Builder:
    def __init__(self, game: Game):
        self.game = game
        self.rules = game.rules
        self.scenario = game.scenario
        self.text = EventText(game)
        self.condition_words = ConditionWords(game.scenario)
        self.ladder = tuple(LevelRef(level.id, level.name, i) for i, level in enumerate(self.scenario.ladder.levels))
        self.level_by_id = {level.id: level for level in self.ladder}
        self.tracks = tuple(
            [TrackInfo(t.id, t.label, t.min, t.max, None) for t in self.scenario.tracks]
            + [
                TrackInfo(f"{r.id}.{t.id}", self.text.track(f"{r.id}.{t.id}"), t.min, t.max, r.id)
                for r in self.scenario.roles
                for t in r.tracks
            ]
        )
        self.track_by_key = {t.key: t for t in self.tracks}

    # ------------------------------------------------------------ helpers

    def share(self, key: str, change: float) -> float:
        info = self.track_by_key[key]
        span = info.high - info.low
        return abs(change) / span if span > 0 else 0.0

    def ladder_share(self, steps: int) -> float:
        return abs(steps) / max(len(self.ladder) - 1, 1)

    def roll(self, e: ev.RollMade) -> RollRecord:
        return RollRecord(
            e.key,
            e.label,
            e.base,
            tuple(e.modifiers),
            e.chance,
            e.roll,
            e.success,
            e.rules_success,
            e.override,
            self.text.line(e) or e.label,
            e.role,
            e.action,
            e.result,
            e.inject,
        )

    def cause_label(self, cause: str) -> str:
        if cause in self.rules.actions:
            role, action = cause.split(".", 1)
            return f"{self.rules.role_label(role)}: {self.text.action(role, action)}"
        inject_id = ev.inject_of(cause)
        if inject_id in self.rules.injects:
            return f"the inject '{self.rules.injects[inject_id].title}'"
        return cause

    def orders_line(self, revealed: ev.OrdersRevealed) -> str:
        parts = []
        for role, actions in revealed.orders:
            names = ", ".join(self.text.action(role, a) for a in actions) or "no orders"
            parts.append(f"{self.rules.role_label(role)}: {names}")
        return "; ".join(parts)

    # -------------------------------------------------------------- parts

    def outcome(self, end: ev.GameEnded | None) -> OutcomeRecord | None:
        if end is None:
            return None
        outcome, state = self.rules.outcomes[end.outcome], self.game.state
        return OutcomeRecord(
            end.outcome,
            outcome.title,
            outcome.summary.render(state),
            outcome.debrief.render(state) if outcome.debrief is not None else None,
            end.reason,
            end.turn,
            outcome.provenance.basis if outcome.provenance else None,
            outcome.provenance.note if outcome.provenance else None,
        )

    def scores(self, end: ev.GameEnded | None) -> tuple[RoleScore, ...]:
        if end is None:
            return ()
        outcome = self.rules.outcomes[end.outcome]
        out = []
        for role_id, total in end.scores:
            role = self.rules.roles[role_id]
            texts = {o.id: o.text for o in role.objectives}
            objectives = tuple(
                ObjectiveScore(obj, texts.get(obj, obj), held, points)
                for r, obj, held, points in end.objectives
                if r == role_id
            )
            out.append(RoleScore(role_id, role.name, total, outcome.scores.get(role_id, 0), objectives))
        return tuple(out)

    def orders(self, events: list[ev.Event]) -> tuple[RoleOrders, ...]:
        submitted: dict[str, ev.OrdersSubmitted] = {}
        for e in events:
            if type(e) is ev.OrdersSubmitted:
                submitted[e.role] = e
            elif type(e) is ev.OrdersRevealed:
                out = []
                for role, actions in e.orders:
                    s = submitted.get(role)
                    reasons = tuple(s.reasons) if s is not None else ()
                    reasons += ("",) * (len(actions) - len(reasons))
                    out.append(
                        RoleOrders(
                            role,
                            self.rules.roles[role].name,
                            s.player if s is not None else "",
                            tuple(Order(a, self.text.action(role, a), why) for a, why in zip(actions, reasons)),
                            " ".join(s.why.split()) if s is not None else "",
                            " ".join(s.intent.split()) if s is not None else "",
                        )
                    )
                return tuple(out)
        return ()

    def injects(self, events: list[ev.Event]) -> tuple[InjectRecord, ...]:
        fired: list[tuple[ev.InjectFired, dict[str, list[float]], list[int]]] = []
        for e in events:
            if type(e) is ev.InjectFired:
                fired.append((e, {}, [0]))
            elif (
                fired
                and isinstance(e, ev.TrackChanged | ev.LadderPushed)
                and e.cause == ev.inject_cause(fired[-1][0].inject)
            ):
                _, changes, push = fired[-1]
                if isinstance(e, ev.TrackChanged):
                    changes.setdefault(e.track, [e.old, e.new])[1] = e.new
                else:
                    push[0] += e.amount
        out = []
        for e, changes, push in fired:
            shifts = tuple(TrackShift(k, self.track_by_key[k].label, a, b) for k, (a, b) in changes.items())
            impact = max((self.share(s.key, s.change) for s in shifts), default=0.0)
            out.append(InjectRecord(e.inject, self.rules.injects[e.inject].title, e.forced, shifts, push[0], impact))
        return tuple(out)

    def ladder_moves(self, turn: int, events: list[ev.Event], start: GameState) -> tuple[LadderMove, ...]:
        pushes = [e for e in events if type(e) is ev.LadderPushed]
        state = start.copy()  # folded up to each move: what the ladder's conditions read
        apply(state, ev.TurnBegan(turn))
        out = []
        for e in events:
            if type(e) is ev.LadderMoved:
                old, new = self.level_by_id[e.old], self.level_by_id[e.new]
                if e.cause == "push":
                    up = new.index > old.index
                    by = [self.cause_label(p.cause) for p in pushes if (p.amount > 0) == up and p.amount]
                    why = "pushed by " + ", ".join(dict.fromkeys(by)) if by else "pushed"
                elif e.cause == "transition":
                    why = self.transition_condition(e.old, e.new, state)
                else:
                    why = f"by the {e.cause}"
                out.append(LadderMove(e.turn, old, new, e.cause, why))
            apply(state, e)
        return tuple(out)

    def transition_condition(self, old: str, new: str, state: GameState) -> str:
        """Which condition moved the ladder, in words, with the values it read:
        'because Tension at 80 or more (Tension 85)'."""
        for t in self.scenario.ladder.transitions:
            sources = t.source if isinstance(t.source, list) else [t.source]
            if t.to == new and (old in sources or "*" in sources) and t.when(state):
                held = what_held(t.when.source, self.game.loaded.symbols, state)  # of an 'or', what held
                values = self.values_read(held, state)
                return f"because {self.condition_words(held)}" + (f" ({values})" if values else "")
        return "a ladder transition"

    def values_read(self, condition: str, state: GameState) -> str:
        """The values of the numbers a condition reads, in the scenario's words (its flags
        and orders are in the condition's own words already)."""
        parts = []
        for name in dict.fromkeys(_NAME.findall(_QUOTED.sub("", condition))):
            if name in state.values:
                parts.append(f"{self.text.track(name)} {format_number(state.values[name])}")
            elif name == "turn":
                parts.append(f"turn {state.turn}")
            elif name == "level":
                parts.append(f"ladder at {self.ladder[state.level_index].name}")
        return ", ".join(parts)

    def changes(self, start: GameState, end: GameState) -> tuple[TrackShift, ...]:
        return tuple(
            TrackShift(t.key, t.label, start.values[t.key], end.values[t.key])
            for t in self.tracks
            if start.values[t.key] != end.values[t.key]
        )

    def level(self, state: GameState) -> LevelRef:
        return self.level_by_id[state.level]

    # ------------------------------------------------------- facilitator

    def facilitator_acts(self, log: Sequence[ev.Event], counted: _Counted) -> list[FacilitatorAct]:
        live = {id(e) for e in counted.events}
        replays = _override_replays(log)  # id of a White Cell act an override's re-run repeated -> the act
        for copy, act in replays.items():
            if copy in live:
                live.add(id(act))  # the act stands: through its copy in the re-run
        acts: list[FacilitatorAct] = []
        part_of_override: set[int] = set()
        for i, e in enumerate(log):
            if id(e) in replays:
                continue  # a copy, not a second act
            if type(e) is ev.RollOverridden:
                if i + 1 < len(log) and type(log[i + 1]) is ev.TurnUndone:
                    part_of_override.add(id(log[i + 1]))  # the re-run's undo
                acts.append(self.override_act(log, i, e, live))
            elif type(e) is ev.TurnUndone and id(e) not in part_of_override:
                acts.append(
                    FacilitatorAct(
                        e.undone,
                        "undo",
                        f"Turn {e.undone} taken back",
                        e.reason,
                        self.undone_summary(e.undone, counted.cut.get(id(e), [])),
                        True,
                    )
                )
            elif type(e) is ev.InjectFired and e.forced:
                title = self.rules.injects[e.inject].title
                acts.append(
                    FacilitatorAct(
                        e.turn,
                        "forced inject",
                        f"Inject fired by the facilitator: {title}",
                        None,
                        None,
                        id(e) in live,
                        e.inject,
                    )
                )
            elif type(e) is ev.NewsPublished and e.source == "facilitator":
                acts.append(FacilitatorAct(e.turn, "news", f"Facilitator news: {e.text}", None, None, id(e) in live))
            elif type(e) is ev.FacilitatorNoted:
                acts.append(FacilitatorAct(e.turn, "note", e.text, None, None, True))
            elif type(e) is ev.GameEnded and e.reason.startswith("facilitator"):
                title = self.rules.outcomes[e.outcome].title
                reason = e.reason.split(":", 1)[1].strip() if ":" in e.reason else None
                still = (
                    f"turn {e.turn} of {self.game.max_turns} was still open"
                    if e.turn
                    else "the first turn had not begun"
                )
                acts.append(
                    FacilitatorAct(
                        e.turn,
                        "end game",
                        f"Game ended by the facilitator: {title}",
                        reason,
                        f"the rules had not ended the game; {still}",
                        id(e) in live,
                        e.outcome,
                    )
                )
        # A re-run after an override repeats the White Cell's earlier acts of that
        # turn; list each once, as it finally counted.
        kept = {(a.turn, a.kind, a.text) for a in acts if a.counted}
        return [a for a in acts if a.counted or (a.turn, a.kind, a.text) not in kept]

    def override_act(self, log: Sequence[ev.Event], i: int, e: ev.RollOverridden, live: set[int]) -> FacilitatorAct:
        def same(r: ev.Event) -> TypeGuard[ev.RollMade]:
            return type(r) is ev.RollMade and r.key == e.key and r.turn == e.turn

        # A later override of the same turn re-runs it again and keeps this ruling:
        # the ruling counts if any re-run that carries it still stands.
        reruns = [r for r in log[i + 1 :] if same(r) and r.override is not None]
        rerun = next((r for r in reruns if id(r) in live), reruns[0] if reruns else None)
        before = next((r for r in reversed(log[:i]) if same(r)), None)
        made = rerun or before
        verdict = "success" if e.success else "failure"
        label = made.label if made is not None else e.key
        rules_gave = None
        if made is not None:
            die = f"rolled {made.roll} against {format_number(made.chance)}%" if made.roll is not None else "no roll"
            rules_gave = f"the dice said {'success' if made.rules_success else 'failure'} ({die})"
        return FacilitatorAct(
            e.turn,
            "override",
            f"Roll overridden: {label} set to {verdict}",
            e.reason,
            rules_gave,
            rerun is not None and id(rerun) in live,
            e.key,
            self.roll(rerun) if rerun is not None else None,
        )

    def undone_summary(self, turn: int, cut: list[ev.Event]) -> str:
        """What the rules had given in the attempt an undo took back, and the reasons the
        teams had given for its orders (the review has no other place for them)."""
        parts: list[str] = []
        tracks: dict[str, list[float]] = {}
        reasons: list[str] = []
        for e in cut:
            if e.turn != turn:
                continue
            if type(e) is ev.OrdersSubmitted and e.why.strip():
                reasons.append(f"{self.rules.role_label(e.role)}: “{' '.join(e.why.split())}”")
            elif type(e) is ev.OrdersRevealed:
                parts.append("orders: " + self.orders_line(e))
            elif type(e) is ev.TrackChanged and self.track_by_key[e.track].role is None:
                tracks.setdefault(e.track, [e.old, e.new])[1] = e.new
            elif type(e) is ev.LadderMoved:
                parts.append(f"ladder {self.level_by_id[e.old].name} -> {self.level_by_id[e.new].name}")
            elif type(e) is ev.GameEnded:
                parts.append(f"game over: {self.rules.outcomes[e.outcome].title} ({e.reason})")
        moved = [
            f"{self.track_by_key[k].label} {format_number(a)} -> {format_number(b)}"
            for k, (a, b) in tracks.items()
            if a != b
        ]
        if moved:
            parts.insert(1 if parts and parts[0].startswith("orders") else 0, ", ".join(moved))
        if reasons:
            parts.append("the teams' reasons: " + ", ".join(reasons))
        return "; ".join(parts) if parts else "nothing had been resolved"

    # ---------------------------------------------------- turning points

    def turning_points(self, turns: Sequence[TurnRecord], acts: Sequence[FacilitatorAct]) -> tuple[TurningPoint, ...]:
        points: list[TurningPoint] = []
        for t in turns:
            for move in t.ladder_moves:
                terminal = bool(self.rules.levels[move.new.id].outcome)
                magnitude = LADDER_WEIGHT * self.ladder_share(move.steps) + (TERMINAL_BONUS if terminal else 0)
                way = "up" if move.steps > 0 else "down"
                points.append(
                    TurningPoint(
                        t.number,
                        "ladder",
                        f"Turn {t.number}: the ladder went {way} from {move.old.name} to {move.new.name}, {move.why}",
                        magnitude,
                    )
                )
        swings = [
            (self.share(c.key, c.change), t.number, c)
            for t in turns
            for c in t.changes
            if self.track_by_key[c.key].role is None
        ]
        swings.sort(key=lambda s: (-s[0], s[1]))
        big = [s for s in swings if s[0] >= SWING_SHARE] or swings[:TOP_SWINGS]
        for share, number, c in big:
            verb = "rose" if c.change > 0 else "fell"
            points.append(
                TurningPoint(
                    number,
                    "swing",
                    f"Turn {number}: {c.label} {verb} {format_number(c.start)} -> {format_number(c.end)} "
                    f"({'+' if c.change > 0 else ''}{format_number(c.change)}, {round(share * 100)}% of its range)",
                    share,
                )
            )
        for t in turns:
            for inject in t.injects:
                if inject.forced:
                    continue  # a facilitator intervention, below
                magnitude = max(inject.impact, LADDER_WEIGHT * self.ladder_share(inject.ladder_push))
                if inject.impact >= INJECT_SHARE or inject.ladder_push:
                    points.append(
                        TurningPoint(
                            t.number,
                            "inject",
                            f"Turn {t.number}: inject '{inject.title}': {inject.effects}",
                            magnitude,
                        )
                    )
        impacts: dict[tuple[int, str | None], float] = {
            (t.number, i.id): i.impact for t in turns for i in t.injects if i.forced
        }
        for act in acts:
            if not act.counted or act.kind == "note":  # a reveal or a pause changed nothing
                continue
            magnitude = FACILITATOR_WEIGHT[act.kind]
            if act.kind == "forced inject":
                magnitude = max(magnitude, impacts.get((act.turn, act.ref), 0.0))
            text = act.text + (f" ({act.reason})" if act.reason else "")
            if not text.startswith("Turn"):
                text = f"{_when(act.turn)}: {text}"
            points.append(TurningPoint(act.turn, "facilitator", text, magnitude))
        points.sort(key=lambda p: (-p.magnitude, p.turn))
        return tuple(points)

    def news(self, e: ev.NewsPublished) -> NewsItem:
        """A headline, with the teams that alone saw it when the room did not (the report
        reveals all, but "your depots" must say whose)."""
        only: tuple[str, ...] = ()
        if perceive(self.game, e, PUBLIC) is None:
            only = tuple(self.rules.role_label(r) for r in self.rules.role_ids if perceive(self.game, e, r) is not None)
        return NewsItem(e.text, e.source, e.ref, e.basis, only)

    # -------------------------------------------------------------- all

    def build(self) -> Debrief:
        game, log = self.game, self.game.log
        counted = _counted(log)
        start, segments = _segments(game, counted.events)
        end = next((e for e in reversed(counted.events) if type(e) is ev.GameEnded), None)
        acts = self.facilitator_acts(log, counted)
        turns: list[TurnRecord] = []
        for seg in segments:
            if not seg.counts:
                continue  # the turn in progress
            assert seg.end is not None
            turns.append(
                TurnRecord(
                    number=seg.turn,
                    date=game_date(self.scenario.date, self.scenario.turns.days, seg.turn),
                    level_start=self.level(seg.start),
                    level_end=self.level(seg.end),
                    orders=self.orders(seg.events),
                    rolls=tuple(self.roll(e) for e in seg.events if type(e) is ev.RollMade),
                    injects=self.injects(seg.events),
                    news=tuple(self.news(e) for e in seg.events if type(e) is ev.NewsPublished),
                    changes=self.changes(seg.start, seg.end),
                    ladder_moves=self.ladder_moves(seg.turn, seg.events, seg.start),
                    facilitator_acts=tuple(a for a in acts if a.turn == seg.turn),
                    attempts=1 + counted.attempts.get(seg.turn, 0),
                    resolved=any(type(e) is ev.OrdersRevealed for e in seg.events),
                )
            )
        moments = [start] + [seg.end for seg in segments if seg.counts and seg.end is not None]
        series = {t.key: tuple(m.values[t.key] for m in moments) for t in self.tracks}
        levels = tuple(m.level_index for m in moments)
        discussion = self.discussion(game.state)
        return Debrief(
            title=self.scenario.title,
            seed=game.seed,
            outcome=self.outcome(end),
            scores=self.scores(end),
            turns=tuple(turns),
            tracks=self.tracks,
            series=series,
            ladder=self.ladder,
            levels=levels,
            turning_points=self.turning_points(turns, acts),
            questions=tuple(q.line for q in discussion),
            facilitator_acts=tuple(acts),
            discussion=discussion,
        )

    def discussion(self, state: GameState) -> tuple[DiscussionQuestion, ...]:
        """The debrief questions that apply: those without a condition, and those
        whose condition holds on `state` (the end of the game)."""
        debrief = self.scenario.debrief
        out = []
        for q in debrief.questions if debrief else ():
            if isinstance(q, Question):
                if q.when is None or q.when(state):
                    names = tuple(self.rules.roles[r].name for r in q.roles)
                    out.append(DiscussionQuestion(" ".join(q.text.render(state).split()), tuple(q.roles), names))
            else:
                out.append(DiscussionQuestion(" ".join(q.render(state).split())))
        return tuple(out)


def _when(turn: int) -> str:
    return f"Turn {turn}" if turn else "Briefing"


def build_debrief(game: Game) -> Debrief:
    """The after-action review of `game`, finished or not, from its log."""
    return _Builder(game).build()


def _override_replays(log: Sequence[ev.Event]) -> dict[int, ev.Event]:
    """The copies an override's re-run makes of the White Cell's acts during the turn's
    orders (`Game._do_override_roll` repeats them before the teams' orders), each with the
    act it repeats: the review lists an act once, not once more per override."""
    copies: dict[int, ev.Event] = {}
    for i, e in enumerate(log):
        if type(e) is not ev.RollOverridden:
            continue
        opened = max(
            (j for j in range(i) if type(log[j]) is ev.OrdersOpened and log[j].turn == e.turn),
            default=None,
        )
        if opened is None:
            continue
        first = [x for x in log[opened:i] if x.turn == e.turn]
        revealed = next((k for k, x in enumerate(first) if type(x) is ev.OrdersRevealed), len(first))
        originals = [x for x in first[:revealed] if ev.by_white_cell(x)]
        again = []
        for x in log[i + 3 :]:  # after the override's TurnUndone and OrdersOpened
            if type(x) in (ev.OrdersSubmitted, ev.OrdersRevealed):
                break
            if ev.by_white_cell(x):
                again.append(x)
        for copy, act in zip(again, originals, strict=False):
            copies[id(copy)] = copies.get(id(act), act)  # an act repeated twice is still the first
    return copies
