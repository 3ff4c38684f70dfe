"""What each team may see, kept apart from the full state.

A `Seat` is a team's handle on a game: it shows that team's view and gives
orders for that team only. Interfaces (the TUI, bots, transcripts) read the
game through seats, so no screen can show another team's secret orders or
private tracks by accident. The facilitator's view is the whole log.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

from game.engine import events as ev
from game.engine.dice import pick, rng
from game.engine.errors import NotYourRole
from game.engine.game import Game, Option
from game.scenario.calendar import game_date
from game.scenario.model import Paragraph, Track


@dataclass(frozen=True, slots=True)
class TrackView:
    key: str  # "tension" or "us.capital"
    label: str
    value: float
    low: float
    high: float
    unit: str
    visibility: str
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
    events: tuple[ev.Event, ...]  # the part of the log this team may see


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
    def state(self):
        """The shared state (tracks, flags, ladder; never other teams' pending orders).
        Bots read it to test their doctrine's conditions."""
        return self.game.state

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
        return pick(self.game.seed, count, self.game.turn, self.role, purpose)

    def visible(self, event: ev.Event) -> bool:
        return event_visible_to(self.game, event, self.role)

    def view(self) -> RoleView:
        game, state, role = self.game, self.game.state, self.game.rules.roles[self.role]
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
            private_briefing=paragraphs(role.private_briefing, state),
            objectives=tuple(ObjectiveView(o.id, o.text, o.points, bool(o.when(state))) for o in role.objectives),
            options=tuple(self.options()) if game.phase == "orders" else (),
            my_orders=pending.actions if pending else None,
            waiting_for=tuple(game.waiting_for()),
            events=tuple(perceived_log(game, self.role)),
        )


# Observers of a game, besides the teams (role ids): the facilitator sees the
# whole truth; PUBLIC is what every team may see (the room view, the projector).
FACILITATOR: None = None
PUBLIC = "*public*"


def perceive(game: Game, event: ev.Event, observer: str | None) -> ev.Event | None:
    """`event` as `observer` knows it: the event itself, a copy with what the
    observer cannot know taken out, or None when the observer learns nothing of it.

    Observers: a role id, FACILITATOR (None) or PUBLIC. Every screen, message
    and transcript shown to a team is built from the events this returns."""
    if observer is None:
        return event
    if observer == PUBLIC:
        return event if visible_to_every_team(game, event) else None
    return event if event_visible_to(game, event, observer) else None


def perceived_log(game: Game, observer: str | None, events: Iterable[ev.Event] | None = None) -> list[ev.Event]:
    """The events of `events` (default: the whole log) as `observer` knows them."""
    out = []
    for event in game.log if events is None else events:
        seen = perceive(game, event, observer)
        if seen is not None:
            out.append(seen)
    return out


def visible_to_every_team(game: Game, event: ev.Event) -> bool:
    """Whether every team may see `event`: public tracks and flags, no pending orders."""
    kind = type(event)
    if kind is ev.OrdersSubmitted:
        return False
    if kind is ev.TrackChanged:
        return game.rules.track_visibility[event.track] == "public"
    if kind is ev.FlagSet:
        return game.rules.flags_public.get(event.flag, False)
    return True


def event_visible_to(game: Game, event: ev.Event, role: str | None) -> bool:
    """Whether `role` may see `event` (None: the facilitator, who sees all)."""
    if role is None:
        return True
    kind = type(event)
    if kind is ev.OrdersSubmitted:
        return event.role == role  # revealed to all by OrdersRevealed later
    if kind is ev.TrackChanged:
        return track_visible_to(game, event.track, role)
    if kind is ev.FlagSet:
        return game.rules.flags_public.get(event.flag, False)
    return True


def track_visible_to(game: Game, key: str, role: str) -> bool:
    visibility = game.rules.track_visibility[key]
    if visibility == "public":
        return True
    if visibility == "private":
        return key.split(".", 1)[0] == role
    return False
