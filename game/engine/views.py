"""What each team may know, kept apart from the whole truth.

The log keeps everything that happened. `perceive(game, event, observer)` is
the one place that decides what an observer knows of each event: all of it,
a copy with what it cannot know taken out (an attack seen, but not who made
it), or nothing. `observe(game, role)` is the state as one team knows it:
other teams' private tracks and hidden values replaced by what it believes.

A `Seat` is a team's handle on a game: it shows that team's view and gives
orders for that team only. Interfaces (the TUI, bots, transcripts) read the
game through seats, so no screen can show another team's secret orders,
private tracks or dice by accident. The facilitator's view is the whole log.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from game.engine import events as ev
from game.engine.dice import rng
from game.engine.errors import NotYourRole
from game.engine.game import Game, Option
from game.engine.rules import ModifierRule, Rules
from game.scenario.calendar import game_date
from game.scenario.model import Modifier, Paragraph, Track


@dataclass(frozen=True, slots=True)
class TrackView:
    key: str  # "tension" or "us.capital"
    label: str
    value: float
    low: float
    high: float
    unit: str
    visibility: str | None  # "public", "private" or "hidden" (None only in a scenario not yet checked)
    basis: str | None  # provenance of the starting value


@dataclass(frozen=True, slots=True)
class Text:
    """A paragraph as shown: filled in, with its provenance."""

    text: str
    basis: str | None = None  # reported, disputed, fictional or None
    note: str | None = None
    cite: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ObjectiveView:
    id: str
    text: str
    points: int
    holds_now: bool


@dataclass(frozen=True, slots=True)
class RoleView:
    role: str
    name: str
    turn: int
    max_turns: int
    phase: str
    date: str
    level: str
    tracks: tuple[TrackView, ...]  # public ones, then this team's own
    flags: tuple[tuple[str, str, bool], ...]  # (id, description, value), public only
    private_briefing: tuple[Text, ...]
    objectives: tuple[ObjectiveView, ...]
    options: tuple[Option, ...]  # empty outside the orders phase
    my_orders: tuple[str, ...] | None  # this turn's orders, once given
    waiting_for: tuple[str, ...]  # teams that have not yet given orders
    events: tuple[ev.Event, ...]  # the log as this team knows it (see `perceive`)


def paragraphs(items: Iterable, state) -> tuple[Text, ...]:
    out = []
    for item in items:
        if isinstance(item, Paragraph):
            p = item.provenance
            out.append(
                Text(item.text.render(state), p.basis if p else None, p.note if p else None, tuple(p.cite) if p else ())
            )
        else:
            out.append(Text(item.render(state)))
    return tuple(out)


def track_view(key: str, track: Track, value: float) -> TrackView:
    basis = track.provenance.basis if track.provenance else None
    return TrackView(key, track.label, value, track.min, track.max, track.unit or "", track.visibility, basis)


def public_tracks(game: Game) -> tuple[TrackView, ...]:
    """The scenario's tracks that everyone sees."""
    state = game.state
    return tuple(track_view(t.id, t, state.values[t.id]) for t in game.scenario.tracks if t.visibility == "public")


class Seat:
    """One team's place at the table."""

    def __init__(self, game: Game, role: str):
        if role not in game.rules.roles:
            raise NotYourRole(f"there is no role '{role}' in this scenario")
        self.game = game
        self.role = role
        self.orders_per_turn = game.rules.orders_per_turn[role]

    @property
    def state(self) -> Observation:
        """The state as this team knows it (see `observe`): what its bot decides from."""
        return observe(self.game, self.role)

    def options(self, spent: dict[str, float] | None = None) -> list[Option]:
        return self.game.options(self.role, spent)

    def submit(
        self,
        actions: Iterable[str],
        player: str = "human",
        reasons: Iterable[str] = (),
        why: str = "",
        intent: str = "",
    ) -> None:
        self.game.submit(self.role, actions, player, reasons, why, intent)

    def rng(self, purpose: str) -> random.Random:
        """Randomness for this team in this turn, derived from the game's seed."""
        return rng(self.game.seed, self.game.turn, self.role, purpose)

    def pick(self, count: int, purpose: str) -> int:
        """One choice in range(count) for this team in this turn, derived from the game's seed."""
        game = self.game
        # "role:purpose": the subject that `pick(seed, count, turn, role, purpose)` hashes.
        return game.dice.choose(count, game.state.turn, f"{self.role}:{purpose}")

    def view(self) -> RoleView:
        game, role = self.game, self.game.rules.roles[self.role]
        state = game.state
        known = observe(game, self.role)
        s = game.scenario
        tracks = list(public_tracks(game))
        for other in s.roles:
            for t in other.tracks:
                if other.id == self.role or t.visibility == "public":
                    tracks.append(track_view(f"{other.id}.{t.id}", t, state.values[f"{other.id}.{t.id}"]))
        pending = game.pending.get(self.role)
        return RoleView(
            role=self.role,
            name=role.name,
            turn=state.turn,
            max_turns=state.max_turns,
            phase=game.phase,
            date=game_date(s.date, s.turns.days, max(state.turn, 1)),
            level=state.level,
            tracks=tuple(tracks),
            flags=tuple((f.id, f.description, state.flags[f.id]) for f in s.flags if f.visibility == "public"),
            private_briefing=paragraphs(role.private_briefing, known),
            objectives=tuple(ObjectiveView(o.id, o.text, o.points, bool(o.when(known))) for o in role.objectives),
            options=tuple(self.options()) if game.phase == "orders" else (),
            my_orders=pending.actions if pending else None,
            waiting_for=tuple(game.waiting_for()),
            events=tuple(perceived_log(game, self.role)),
        )


# ----------------------------------------------------------- observations


class Observation:
    """The game state as one team knows it, readable by conditions like the state.

    Tracks and flags the team cannot see hold what it believes: the value that
    intelligence last showed it, else the scenario's starting value. Orders and
    `turns_since` know of other teams' private and covert orders only where
    intelligence revealed them."""

    __slots__ = ("values", "flags", "orders", "turn", "max_turns", "level_index", "last_turn")
    values: dict[str, float]
    flags: dict[str, bool]
    orders: frozenset[str]
    turn: int
    max_turns: int
    level_index: int
    last_turn: dict[str, int]

    def __repr__(self) -> str:
        return f"<Observation turn={self.turn}>"


def observe(game: Game, role: str) -> Observation:
    """The state as `role` knows it (see `Observation`)."""
    state, rules = game.state, game.rules
    unseen = rules.unseen[role]
    intel = state.intel
    seen = Observation()
    seen.turn, seen.max_turns, seen.level_index = state.turn, state.max_turns, state.level_index
    values = state.values.copy()
    for key in unseen.tracks:
        values[key] = intel.get((role, key), rules.starts[key])
    seen.values = values
    flags, last_turn = state.flags.copy(), state.last_turn.copy()
    for flag in unseen.flags:  # as at the start of the game
        flags[flag] = rules.flag_starts[flag]
        last_turn.pop(flag, None)
        if flags[flag]:
            last_turn[flag] = 0
    for key in unseen.actions:  # known only from intelligence
        if key in last_turn:
            revealed = intel.get((role, key))
            if revealed is None:
                del last_turn[key]
            else:
                last_turn[key] = int(revealed)
    seen.flags, seen.last_turn = flags, last_turn
    seen.orders = frozenset(
        key for key in state.orders if key not in unseen.actions or intel.get((role, key)) == state.last_turn.get(key)
    )
    return seen


# Observers of a game, besides the teams (role ids): the facilitator sees the
# whole truth; PUBLIC is what every team may see (the room view, the projector).
FACILITATOR: None = None
PUBLIC = "*public*"


def perceive(game: Game, event: ev.Event, observer: str | None) -> ev.Event | None:
    """`event` as `observer` knows it: the event itself, a copy with what the
    observer cannot know taken out, or None when the observer learns nothing of it.

    Observers: a role id, FACILITATOR (None) or PUBLIC (what every team knows).
    Every screen, message and transcript shown to a team is built from the
    events this returns. The log itself always keeps the whole truth."""
    if observer is None:
        return event
    how = _PERCEPTION.get(type(event))
    return event if how is None else how(game.rules, event, observer)


def perceived_log(game: Game, observer: str | None, events: Iterable[ev.Event] | None = None) -> list[ev.Event]:
    """The events of `events` (default: the whole log) as `observer` knows them."""
    out = []
    for event in game.log if events is None else events:
        seen = perceive(game, event, observer)
        if seen is not None:
            out.append(seen)
    return out


def knows_order(rules: Rules, key: str, observer: str) -> bool:
    """Whether `observer` (a role, or PUBLIC) learns of order `key` ("role.action") when it resolves."""
    return rules.action_visibility[key] == "public" or key.split(".", 1)[0] == observer


def _track_seen(rules: Rules, key: str, observer: str) -> bool:
    visibility = rules.track_visibility[key]
    if visibility == "public":
        return True
    return visibility == "private" and key.split(".", 1)[0] == observer


def _cause_hidden(rules: Rules, cause: str, observer: str) -> bool:
    key = rules.cause_action.get(cause)
    return key is not None and not knows_order(rules, key, observer)


def _orders_submitted(rules: Rules, e: ev.OrdersSubmitted, observer: str):
    return e if e.role == observer else None  # revealed, as far as each may know, by OrdersRevealed


def _orders_revealed(rules: Rules, e: ev.OrdersRevealed, observer: str):
    orders = tuple(
        (role, tuple(a for a in actions if knows_order(rules, f"{role}.{a}", observer))) for role, actions in e.orders
    )
    return e if orders == e.orders else dataclasses.replace(e, orders=orders)


def _action_taken(rules: Rules, e: ev.ActionTaken, observer: str):
    return e if knows_order(rules, f"{e.role}.{e.action}", observer) else None


def _roll_made(rules: Rules, e: ev.RollMade, observer: str):
    if e.role is not None and not knows_order(rules, f"{e.role}.{e.action}", observer):
        return None
    if e.inject is not None and not e.success and not _condition_seen(rules, rules.injects[e.inject].when, observer):
        # An inject is rolled for only while its condition holds: a failed roll would tell
        # the observer that it held, and the condition reads what the observer cannot see.
        return None
    if not e.modifiers:
        return e
    # A modifier's reason tells why it applied ("the factions have dispersed"): where its
    # condition reads what the observer cannot see, the points stay (they explain the
    # chance) and the reason goes.
    conditions = _modifier_conditions(rules, e)
    modifiers, hidden = [], 0.0
    for reason, add in e.modifiers:
        condition = conditions.get(reason)
        if condition is None or _source_seen(rules, condition, observer):
            modifiers.append((reason, add))
        else:
            hidden += add
    if len(modifiers) == len(e.modifiers):
        return e
    return dataclasses.replace(e, modifiers=(*modifiers, (HIDDEN_REASONS, hidden)))


# What a team reads in place of the reasons for a chance it may not know.
HIDDEN_REASONS = "for reasons your team cannot see"


def _modifier_conditions(rules: Rules, e: ev.RollMade) -> dict[str, str]:
    """Each modifier's reason -> the source of its condition, for the roll `e`."""
    modifiers: Iterable[Modifier | ModifierRule]
    if e.inject is not None:
        modifiers = rules.injects[e.inject].modifiers
    else:
        action = rules.roll_action.get(e.key)
        found = next((r for r in rules.results.get(action, ()) if r.key == e.key), None) if action else None
        modifiers = found.modifiers if found is not None else ()
    return {m.reason: m.when.source for m in modifiers}


def _condition_seen(rules: Rules, condition, observer: str) -> bool:
    """Whether `observer` may know everything `condition` (None: always true) reads."""
    return condition is None or _source_seen(rules, condition.source, observer)


def _source_seen(rules: Rules, source: str, observer: str) -> bool:
    return all(_name_seen(rules, name, observer) for name in _names_read(source))


@functools.cache
def _names_read(source: str) -> frozenset[str]:
    """The names a condition reads: `tension`, `us.capital`, `militias.disperse` (quoted levels aside)."""
    names = set()
    for node in ast.walk(ast.parse(source.strip().replace("\n", " "), mode="eval")):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            names.add(f"{node.value.id}.{node.attr}")
        elif isinstance(node, ast.Name):
            names.add(node.id)
    return frozenset(names)


def _name_seen(rules: Rules, name: str, observer: str | None) -> bool:
    """Whether `observer` may know the value of `name` (a track, a flag, an order)."""
    if observer is None:
        return True
    if name in rules.track_visibility:
        return _track_seen(rules, name, observer)
    if name in rules.flags_public:
        return rules.flags_public[name]
    if name in rules.action_visibility:
        return knows_order(rules, name, observer)
    return True  # turn, level, a role's own name


def _roll_overridden(rules: Rules, e: ev.RollOverridden, observer: str):
    key = rules.roll_action.get(e.key)
    return e if key is None or knows_order(rules, key, observer) else None


def _track_changed(rules: Rules, e: ev.TrackChanged, observer: str):
    if not _track_seen(rules, e.track, observer):
        return None
    return dataclasses.replace(e, cause=ev.UNKNOWN_CAUSE) if _cause_hidden(rules, e.cause, observer) else e


def _flag_set(rules: Rules, e: ev.FlagSet, observer: str):
    if not rules.flags_public.get(e.flag, False):
        return None
    return dataclasses.replace(e, cause=ev.UNKNOWN_CAUSE) if _cause_hidden(rules, e.cause, observer) else e


def _ladder_pushed(rules: Rules, e: ev.LadderPushed, observer: str):
    return dataclasses.replace(e, cause=ev.UNKNOWN_CAUSE) if _cause_hidden(rules, e.cause, observer) else e


def _news_published(rules: Rules, e: ev.NewsPublished, observer: str):
    if e.source != "action" or e.ref is None or knows_order(rules, e.ref, observer):
        return e
    if rules.action_visibility[e.ref] == "private":
        return None  # news of a private order goes to its own team only
    return dataclasses.replace(e, ref=None)  # a covert order: the news, not whose order it was


def _signal_sent(rules: Rules, e: ev.SignalSent, observer: str):
    if e.action is None or knows_order(rules, f"{e.role}.{e.action}", observer):
        return e
    return dataclasses.replace(e, action=None)


def _attributed(rules: Rules, e: ev.Attributed, observer: str):
    return e if e.role == observer else dataclasses.replace(e, role=None, action=None, roll=None)


def _revealed(rules: Rules, e: ev.Revealed, observer: str):
    return e if e.role == observer else None


_PERCEPTION: dict[type, Callable] = {
    ev.OrdersSubmitted: _orders_submitted,
    ev.OrdersRevealed: _orders_revealed,
    ev.ActionTaken: _action_taken,
    ev.RollMade: _roll_made,
    ev.RollOverridden: _roll_overridden,
    ev.TrackChanged: _track_changed,
    ev.FlagSet: _flag_set,
    ev.LadderPushed: _ladder_pushed,
    ev.NewsPublished: _news_published,
    ev.SignalSent: _signal_sent,
    ev.Attributed: _attributed,
    ev.Revealed: _revealed,
}
