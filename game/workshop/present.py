"""What each seat is shown: plain, self-contained records built from what
that seat may know.

Every screen a team, the room or the facilitator sees is drawn from one of
these views, and nothing else: they are built from the events the engine lets
the seat perceive (`game.engine.views.perceive`), with every name already
resolved, so a face (the Textual screens, a networked client) never needs the
scenario file, which holds every team's secrets. They are frozen dataclasses
of text and numbers, so they travel as JSON (`to_data`) and can be scanned by
the tests for anything a seat must not see.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import types
import typing
from dataclasses import dataclass
from typing import Any

from game.engine import Game, Seat
from game.engine import events as ev
from game.engine.orders import spending
from game.engine.state import GameState, replay
from game.engine.views import PUBLIC, ObjectiveView, Text, TrackView, observe, paragraphs, perceived_log, track_view
from game.reports.debrief import RollRecord, build_debrief
from game.reports.timeline import EventText, end_reason
from game.scenario.calendar import game_date
from game.scenario.in_words import ConditionWords, what_held
from game.scenario.text import format_number
from game.workshop.flow import FACILITATOR, ROOM, TABLE

DICE_RULE = "Each roll is a number from 1 to 100: at or under the chance, it succeeds."


def observer_of(seat: str) -> str | None:
    """The engine's observer for a seat: a team sees as itself, the room and the
    shared table screen as the public, the White Cell sees all."""
    if seat == FACILITATOR:
        return None
    if seat in (ROOM, TABLE):
        return PUBLIC
    return seat


def to_data(view: Any) -> Any:
    """A view as JSON-ready data (dicts, lists, text, numbers)."""
    kind = type(view)
    if kind in _PLAIN:
        return view
    names = _FIELD_NAMES.get(kind)
    if names is None and dataclasses.is_dataclass(view) and not isinstance(view, type):
        names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(view))
    if names is not None:
        return {name: to_data(getattr(view, name)) for name in names}
    if isinstance(view, list | tuple):
        return [to_data(v) for v in view]
    if isinstance(view, dict):
        return {k: to_data(v) for k, v in view.items()}
    return view


_PLAIN = frozenset({str, int, float, bool, type(None)})
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}  # a network host turns thousands of views into data


def from_data(cls: type, data: Any) -> Any:
    """The view of type `cls` that `to_data` gave `data` (a networked client's side).

    Every value is checked against the field's type: ValueError says where it is not
    what a view holds, so a damaged or hostile message never becomes a half-built view."""
    return _from(cls, data, cls.__name__)


def _from(kind: Any, data: Any, where: str) -> Any:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind is Any:
        return data
    if origin in (typing.Union, types.UnionType):
        for option in args:
            try:
                return _from(option, data, where)
            except ValueError:
                continue
        raise ValueError(f"{where}: {data!r:.60} is none of {kind}")
    if kind is type(None):
        if data is not None:
            raise ValueError(f"{where}: should be null")
        return None
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        if not isinstance(data, dict):
            raise ValueError(f"{where}: should be an object")
        hints = _hints(kind)
        names = [f.name for f in dataclasses.fields(kind)]
        if set(data) != set(names):
            raise ValueError(f"{where}: fields {sorted(set(data) ^ set(names))} do not match {kind.__name__}")
        return kind(**{n: _from(hints[n], data[n], f"{where}.{n}") for n in names})
    if origin is tuple:
        if not isinstance(data, list):
            raise ValueError(f"{where}: should be a list")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_from(args[0], v, f"{where}[{i}]") for i, v in enumerate(data))
        if len(args) != len(data):
            raise ValueError(f"{where}: should have {len(args)} items")
        return tuple(_from(a, v, f"{where}[{i}]") for i, (a, v) in enumerate(zip(args, data)))
    if origin is dict:
        if not isinstance(data, dict):
            raise ValueError(f"{where}: should be an object")
        return {_from(args[0], k, where): _from(args[1], v, f"{where}.{k}") for k, v in data.items()}
    if kind is float:
        if isinstance(data, bool) or not isinstance(data, int | float):
            raise ValueError(f"{where}: should be a number")
        return float(data)
    if kind in (int, str, bool):
        if type(data) is not kind:
            raise ValueError(f"{where}: should be {kind.__name__}")
        return data
    raise ValueError(f"{where}: cannot read a {kind}")


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


# ------------------------------------------------------------------ records


@dataclass(frozen=True, slots=True)
class Header:
    scenario: str
    seat: str
    seat_name: str
    turn: int
    max_turns: int
    date: str
    level: str  # the ladder level's name


@dataclass(frozen=True, slots=True)
class CostShown:
    track: str  # full key, "us.capital"
    label: str
    amount: float


@dataclass(frozen=True, slots=True)
class ResultShown:
    name: str  # what the roll is for: the action itself, or a further effect
    chance: float


@dataclass(frozen=True, slots=True)
class ActionShown:
    id: str
    label: str
    category: str
    description: str
    cost: tuple[CostShown, ...]
    available: bool
    reason: str | None  # why not, when not available
    used: int
    max_uses: int | None
    basis: str | None  # provenance: the move was made in reality, or written for the game
    results: tuple[ResultShown, ...]

    def cost_text(self) -> str:
        return ", ".join(f"{format_number(c.amount)} {c.label}" for c in self.cost) or "free"


@dataclass(frozen=True, slots=True)
class Budget:
    track: str
    label: str
    value: float
    low: float


@dataclass(frozen=True, slots=True)
class OrdersView:
    """A team's orders screen: what it may order, what each costs, what it has chosen."""

    header: Header
    actions: tuple[ActionShown, ...]
    orders_per_turn: int
    budget: tuple[Budget, ...]
    draft: tuple[str, ...]
    seconds_left: float | None
    paused: bool
    ask_intent: bool = False  # ask, on confirming, what the team thinks the others intend

    def availability(self, chosen: list[str] | tuple[str, ...]) -> list[tuple[bool, str | None]]:
        """For each action, whether it can be added to (or kept in) `chosen`, and why not."""
        spent: dict[str, float] = {}
        for action in self.actions:
            if action.id in chosen:
                for c in action.cost:
                    spent[c.track] = spent.get(c.track, 0) + c.amount
        out = []
        for action in self.actions:
            if action.id in chosen or not action.available:
                out.append((action.available or action.id in chosen, action.reason))
                continue
            out.append(_affordable(action, self.budget, spent))
        return out

    def label(self, action_id: str) -> str:
        return next((a.label for a in self.actions if a.id == action_id), action_id)


def _affordable(action: ActionShown, budget: tuple[Budget, ...], spent: dict[str, float]) -> tuple[bool, str | None]:
    have_by_track = {b.track: b for b in budget}
    for c in action.cost:
        b = have_by_track.get(c.track)
        if b is None:
            continue
        have = b.value - spent.get(c.track, 0)
        if have - c.amount < b.low:
            return False, f"costs {format_number(c.amount)} {c.label}; {format_number(have)} left"
    return True, None


@dataclass(frozen=True, slots=True)
class LevelShown:
    name: str
    ends_game: bool
    current: bool


@dataclass(frozen=True, slots=True)
class SituationView:
    """What the seat knows of the situation: the ladder, the tracks it may see,
    the headline track's history and the public facts."""

    header: Header
    ladder: tuple[LevelShown, ...]  # calmest first
    tracks: tuple[TrackView, ...]
    headline: str | None  # the headline track's label
    history: tuple[float, ...]  # its value at the start and after each turn
    flags: tuple[tuple[str, bool], ...]  # (description, holds)


@dataclass(frozen=True, slots=True)
class NewsShown:
    text: str
    basis: str | None
    source: str  # "action", "inject", "ladder", "facilitator"
    turn: int


@dataclass(frozen=True, slots=True)
class ChangeShown:
    label: str
    old: float
    new: float

    @property
    def change(self) -> float:
        return self.new - self.old

    def text(self) -> str:
        sign = "+" if self.change > 0 else ""
        return (
            f"{self.label}: {format_number(self.old)} → {format_number(self.new)} ({sign}{format_number(self.change)})"
        )


@dataclass(frozen=True, slots=True)
class RollShown:
    name: str
    kind: str  # "main", "further" (a further effect of an order), "event" (an inject that may happen)
    base: float
    modifiers: tuple[tuple[str, float], ...]
    chance: float
    roll: int | None  # None: certain, nothing rolled
    success: bool
    rules_success: bool
    override: str | None  # the White Cell's reason, when it set the result

    def chance_text(self) -> str:
        mods = "".join(f" {'+' if add >= 0 else '−'} {format_number(abs(add))} ({why})" for why, add in self.modifiers)
        if not mods:
            return f"chance {format_number(self.chance)}%"
        return f"chance {format_number(self.base)}%{mods} = {format_number(self.chance)}%"

    def verdict(self) -> str:
        if self.kind == "event":
            return "it happens" if self.success else "it does not happen"
        return "success" if self.success else "failure"

    def text(self) -> str:
        rolled = f"rolled {self.roll}" if self.roll is not None else "certain, no roll"
        return f"{self.name}: {self.chance_text()}, {rolled}: {self.verdict()}"


@dataclass(frozen=True, slots=True)
class Entry:
    """One thing that happened in a turn, with what came of it."""

    kind: str  # "order", "event", "ladder", "news", "end"
    title: str
    rolls: tuple[RollShown, ...] = ()
    changes: tuple[ChangeShown, ...] = ()
    facts: tuple[str, ...] = ()  # flags set or cleared, in words
    news: tuple[NewsShown, ...] = ()
    detail: str = ""  # why the ladder moved; who fired an event
    by_white_cell: bool = False


@dataclass(frozen=True, slots=True)
class OrdersShown:
    team: str
    orders: tuple[str, ...]
    timed_out: bool
    known: bool = True  # the seat knows all of this team's orders (its own, or the White Cell)

    def text(self) -> str:
        if self.orders:
            return ", ".join(self.orders)
        return "no orders" if self.known else "no orders seen"


@dataclass(frozen=True, slots=True)
class ResultsView:
    header: Header
    turn: int
    orders: tuple[OrdersShown, ...]  # what each team ordered, as far as the seat may know
    entries: tuple[Entry, ...]
    headlines: tuple[NewsShown, ...]
    next_turn: tuple[ChangeShown, ...]  # what changed on its own as the next turn began
    rule: str = DICE_RULE


@dataclass(frozen=True, slots=True)
class NewsView:
    """The news a seat has read: headlines only, this turn so far and the last turn."""

    header: Header
    this_turn: tuple[NewsShown, ...]
    began: tuple[ChangeShown, ...]
    last_turn: tuple[NewsShown, ...]
    # What only this team saw of the last turn (its private and covert orders with their
    # dice, its intelligence): the public results at a shared table leave them out.
    own: tuple[Entry, ...] = ()


@dataclass(frozen=True, slots=True)
class WaitingView:
    """A team waiting for the others: the orders it sent this turn, and the game's news so far."""

    header: Header
    sent: bool  # its orders for this turn are in
    orders: tuple[str, ...]  # what it ordered (its own orders only)
    timed_out: bool  # sent for it when its time ran out
    why: str  # its own one-line reason and reading of the others
    intent: str
    news: tuple[NewsShown, ...]  # every headline of the game so far as it read them, oldest first


@dataclass(frozen=True, slots=True)
class TeamView:
    header: Header
    tracks: tuple[TrackView, ...]  # the team's own
    objectives: tuple[ObjectiveView, ...]
    briefing: tuple[Text, ...]


@dataclass(frozen=True, slots=True)
class BriefingView:
    header: Header
    title: str
    situation: tuple[Text, ...]
    public: tuple[tuple[str, tuple[Text, ...]], ...]  # (team name, its public briefing)
    private: tuple[Text, ...]  # the team's private briefing ((): the public one)
    objectives: tuple[ObjectiveView, ...]
    resources: tuple[TrackView, ...]


@dataclass(frozen=True, slots=True)
class ScoreShown:
    team: str
    total: int
    best: int  # the most the team could have scored
    outcome_points: int
    objectives: tuple[tuple[str, bool, int], ...]  # (text, held, points)


@dataclass(frozen=True, slots=True)
class EndView:
    header: Header
    outcome: str
    summary: str
    debrief: str | None
    how: str  # "after 3 turns: the ladder reached an end"
    scores: tuple[ScoreShown, ...]  # best first
    basis: str | None = None  # the outcome's provenance (what really happened), with its note
    note: str | None = None


@dataclass(frozen=True, slots=True)
class TeamRevealed:
    name: str
    player: str  # "human" or a bot kind
    team: TeamView
    orders: tuple[str, ...]  # the orders given this turn, or those being chosen
    status: str  # "sent", "choosing" or "none" (nothing chosen yet)


@dataclass(frozen=True, slots=True)
class RevealView:
    """Every team's secrets at once: the White Cell's reveal (facilitator only)."""

    header: Header
    phase: str
    teams: tuple[TeamRevealed, ...]
    situation: SituationView


# ------------------------------------------------------------------- building


class Presenter:
    """Builds the views of one game; `seat` decides what each may show."""

    def __init__(self, game: Game, players: dict[str, str] | None = None):
        self.game = game
        self.rules = game.rules
        self.text = EventText(game)
        self.players = players or {}
        self._debrief: Any = None  # built once per presenter: a network host builds every seat's views with one
        self._states_before: dict[tuple, GameState] = {}  # a ladder move -> the state it read (`_state_before`)

    @functools.cached_property
    def condition_words(self) -> ConditionWords:
        """The scenario's conditions in words, for the teams."""
        return ConditionWords(self.game.scenario)

    def debrief(self):
        """The review data of the game as it stands (the headline track's history)."""
        if self._debrief is None:
            self._debrief = build_debrief(self.game)
        return self._debrief

    # -------------------------------------------------------------- common

    def header(self, seat: str) -> Header:
        game, state = self.game, self.game.state
        s = game.scenario
        name = (
            self.rules.roles[seat].name
            if seat in self.rules.roles
            else {FACILITATOR: "White Cell", ROOM: "The room", TABLE: "All teams"}.get(seat, seat)
        )
        return Header(
            s.title,
            seat,
            name,
            state.turn,
            state.max_turns,
            game_date(s.date, s.turns.days, max(state.turn, 1)),
            self.rules.levels[state.level].name,
        )

    def _log(self, seat: str, events: list[ev.Event] | None = None) -> list[ev.Event]:
        return perceived_log(self.game, observer_of(seat), events)

    def _sees_track(self, seat: str, key: str) -> bool:
        observer = observer_of(seat)
        visibility = self.rules.track_visibility[key]
        if observer is None or visibility == "public":
            return True
        return visibility == "private" and observer != PUBLIC and key.split(".", 1)[0] == observer

    # -------------------------------------------------------------- orders

    def orders(
        self, role: str, draft: tuple[str, ...] = (), seconds_left: float | None = None, paused: bool = False
    ) -> OrdersView:
        game, rules = self.game, self.rules
        seat = Seat(game, role)
        belief = observe(game, role)  # texts show the numbers as this team knows them
        actions = []
        for option in seat.options():
            action = option.action
            results = tuple(
                ResultShown(self._result_name(option.key, i, action.label, r), r.chance)
                for i, r in enumerate(action.results)
            )
            actions.append(
                ActionShown(
                    action.id,
                    action.label,
                    action.category,
                    " ".join(action.description.render(belief).split()),
                    tuple(
                        CostShown(f"{role}.{t}", rules.track_labels[f"{role}.{t}"], amount)
                        for t, amount in action.cost.items()
                    ),
                    option.available,
                    option.reason,
                    game.state.uses.get(option.key, 0),
                    action.max_uses,
                    action.provenance.basis if action.provenance else None,
                    results,
                )
            )
        budget = tuple(
            Budget(f"{role}.{t.id}", t.label, game.state.values[f"{role}.{t.id}"], t.min)
            for t in rules.roles[role].tracks
        )
        return OrdersView(
            self.header(role),
            tuple(actions),
            rules.orders_per_turn[role],
            budget,
            tuple(draft),
            seconds_left,
            paused,
            game.scenario.ask_intent,
        )

    def _result_name(self, key: str, index: int, action_label: str, result: Any) -> str:
        label = getattr(result, "label", None)
        if label:
            return str(label)
        count = len(self.rules.results[key])
        if index == 0:
            return action_label
        return f"{action_label}, further effect" + (f" {index} of {count - 1}" if count > 2 else "")

    def spent(self, role: str, chosen: tuple[str, ...]) -> dict[str, float]:
        return spending(self.rules, role, chosen)

    # ----------------------------------------------------------- situation

    def situation(self, seat: str) -> SituationView:
        game, state = self.game, self.game.state
        s = game.scenario
        ladder = tuple(LevelShown(lv.name, bool(lv.outcome), lv.id == state.level) for lv in s.ladder.levels)
        tracks = [track_view(t.id, t, state.values[t.id]) for t in s.tracks if self._sees_track(seat, t.id)]
        for role in s.roles:
            for t in role.tracks:
                key = f"{role.id}.{t.id}"
                if self._sees_track(seat, key):
                    shown = track_view(key, t, state.values[key])
                    if role.id != seat:  # another team's track says whose it is
                        shown = dataclasses.replace(shown, label=f"{game.rules.role_label(role.id)}: {shown.label}")
                    tracks.append(shown)
        headline = next((t for t in s.tracks if self._sees_track(seat, t.id)), None)
        flags = tuple(
            (" ".join(f.description.split()), state.flags[f.id])
            for f in s.flags
            if f.visibility == "public" or observer_of(seat) is None
        )
        history = tuple(self.debrief().series[headline.id]) if headline else ()
        return SituationView(
            self.header(seat), ladder, tuple(tracks), headline.label if headline else None, history, flags
        )

    # ------------------------------------------------------------- results

    def results(self, seat: str, turn: int) -> ResultsView:
        """The turn as `seat` may know it: orders it may see, rolls, events, the ladder."""
        game = self.game
        attempt = game.attempt(turn)
        events = self._log(seat, attempt)
        # Whose time ran out is told to everyone (the orders themselves only as far as the seat may know them).
        timed_out = {e.role for e in attempt if type(e) is ev.OrdersSubmitted and e.player == "timeout"}
        orders = self._revealed(events, timed_out, observer_of(seat))
        entries = self._entries(seat, events)
        headlines = tuple(self._news(e) for e in events if type(e) is ev.NewsPublished)
        began = self.turn_start(seat, turn + 1) if game.phase == "orders" and game.turn == turn + 1 else ()
        return ResultsView(self.header(seat), turn, orders, entries, headlines, began)

    def turn_start(self, seat: str, turn: int) -> tuple[ChangeShown, ...]:
        """What changed on its own as `turn` began (each track's `per_turn`), as the
        seat may see it: from the turn's latest beginning, so a turn re-run after an
        override or an undo shows its own changes once."""
        log = self.game.log
        began = max((i for i, e in enumerate(log) if type(e) is ev.TurnBegan and e.turn == turn), default=None)
        if began is None:
            return ()
        changes: list[ev.Event] = []
        for e in log[began + 1 :]:
            if type(e) is ev.OrdersOpened:
                break
            if type(e) is ev.TrackChanged and e.cause == "per turn":
                changes.append(e)
        return self._changes(self._log(seat, changes))

    def _revealed(self, events: list[ev.Event], timed_out: set[str], observer: str | None) -> tuple[OrdersShown, ...]:
        """Each team's orders as far as `observer` may know them (another team's
        private and covert orders are left out, so "none seen" is not "none given")."""
        revealed = next((e for e in events if type(e) is ev.OrdersRevealed), None)
        if revealed is None:
            return ()
        return tuple(
            OrdersShown(
                self.rules.role_label(role),
                tuple(self.text.action(role, a) for a in actions),
                role in timed_out,
                known=observer is None or observer == role,
            )
            for role, actions in revealed.orders
        )

    def _entries(self, seat: str, events: list[ev.Event]) -> tuple[Entry, ...]:
        return _Story(self, seat, events).tell()

    def roll_name(self, e: ev.RollMade | RollRecord) -> tuple[str, str]:
        """(name, kind) of what a roll was for: the order itself ("main"), one of its further
        effects ("further"), or an event that may or may not happen ("event")."""
        if e.inject is not None:
            inject = self.rules.injects.get(e.inject)
            return (inject.title if inject else e.label), "event"
        if e.role is None or e.action is None or e.result is None:  # a roll the engine did not name
            return e.label, "main"
        action = self.rules.actions[f"{e.role}.{e.action}"]
        name = self._result_name(f"{e.role}.{e.action}", e.result, action.label, action.results[e.result])
        return name, "main" if e.result == 0 else "further"

    def _roll(self, e: ev.RollMade) -> RollShown:
        name, kind = self.roll_name(e)
        return RollShown(
            name, kind, e.base, tuple(e.modifiers), e.chance, e.roll, e.success, e.rules_success, e.override
        )

    def rolls(self, turn: int) -> list[tuple[str, RollShown]]:
        """Every die rolled in the attempt at `turn` that counts, with its key (the facilitator's)."""
        return [
            (e.key, self._roll(e)) for e in self.game.attempt(turn) if type(e) is ev.RollMade and e.roll is not None
        ]

    def _news(self, e: ev.NewsPublished) -> NewsShown:
        return NewsShown(e.text, e.basis, e.source, e.turn)

    def _changes(self, events: list[ev.Event]) -> tuple[ChangeShown, ...]:
        return tuple(ChangeShown(self.text.track(e.track), e.old, e.new) for e in events if type(e) is ev.TrackChanged)

    def _ladder_why(self, seat: str, e: ev.LadderMoved, events: list[ev.Event]) -> str:
        if e.cause == "push":
            pushers = []
            for p in events:
                if type(p) is ev.LadderPushed and p.turn == e.turn:
                    pushers.append(f"{self.text.cause(p.cause)} ({'+' if p.amount > 0 else ''}{p.amount})")
            who = "; ".join(dict.fromkeys(pushers))
            return "pushed by this turn's moves" + (f": {who}" if who else "")
        if e.cause == "facilitator":
            return "set by the White Cell when it ended the game"
        transitions = self.rules.scenario.ladder.transitions
        transition = transitions[e.transition] if e.transition is not None else None
        if transition is None:
            return "the situation met the conditions for it"
        if not self._may_read(seat, transition.when.source):
            return "the situation met its conditions (some of them are not visible to your team)"
        source = transition.when.source
        if " or " in source:  # of each 'or', only the branches that held, in the state the ladder read
            source = what_held(source, self.game.loaded.symbols, self._state_before(e))
        return f"because {self.condition_words(source)}"

    def _state_before(self, move: ev.LadderMoved) -> GameState:
        """The state just before `move` (a seat's copy of it: found in the log by its fields),
        in the attempt at its turn that counts (the last)."""
        fields = (move.turn, move.old, move.new, move.transition)
        if fields not in self._states_before:  # a host asks once for each seat: replay once
            log = self.game.log
            index = max(
                i
                for i, e in enumerate(log)
                if type(e) is ev.LadderMoved and (e.turn, e.old, e.new, e.transition) == fields
            )
            self._states_before[fields] = replay(self.game.loaded, log[:index])
        return self._states_before[fields]

    def _may_read(self, seat: str, source: str) -> bool:
        observer = observer_of(seat)
        if observer is None:
            return True
        for name in names_in(source):
            if name in self.rules.track_visibility and not self._sees_track(seat, name):
                return False
            if name in self.rules.flags_public and not self.rules.flags_public[name]:
                return False
            # Another team's private or covert order: its words would say who ordered what.
            if self.rules.action_visibility.get(name, "public") != "public" and name.split(".", 1)[0] != observer:
                return False
        return True

    # ---------------------------------------------------------------- news

    def news(self, seat: str) -> NewsView:
        """Headlines the seat has read: this turn so far (White Cell news, injects
        fired during the orders), what changed as it began, and the last turn."""
        game = self.game
        turn = game.turn if game.phase == "orders" else game.turn + 1
        now = self._log(seat, game.attempt(turn)) if game.phase == "orders" else []
        this_turn = tuple(self._news(e) for e in now if type(e) is ev.NewsPublished)
        began = self.turn_start(seat, turn) if game.phase == "orders" else ()
        last_turn: tuple[NewsShown, ...] = ()
        own: tuple[Entry, ...] = ()
        if turn > 1:
            last = self._log(seat, game.attempt(turn - 1))
            last_turn = tuple(self._news(e) for e in last if type(e) is ev.NewsPublished)
            if seat in self.rules.roles:
                own = _beyond(self.results(seat, turn - 1).entries, self.results(TABLE, turn - 1).entries)
        return NewsView(self.header(seat), this_turn, began, last_turn, own)

    # ------------------------------------------------------------- waiting

    def waiting(self, role: str) -> WaitingView:
        """What a team reads while the others choose: its own orders of this turn and every
        headline so far, from the events it perceives (so another team's orders never show)."""
        game = self.game
        turns = range(1, game.turn + 1) if game.phase in ("orders", "debrief") else range(0)
        news: list[NewsShown] = []
        sent: ev.OrdersSubmitted | None = None
        for turn in turns:
            for e in self._log(role, game.attempt(turn)):
                if type(e) is ev.NewsPublished:
                    news.append(self._news(e))
                elif type(e) is ev.OrdersSubmitted and e.role == role and game.phase == "orders" and turn == game.turn:
                    sent = e
        if sent is None:
            return WaitingView(self.header(role), False, (), False, "", "", tuple(news))
        orders = tuple(self.text.action(role, a) for a in sent.actions)
        return WaitingView(
            self.header(role), True, orders, sent.player == "timeout", sent.why, sent.intent, tuple(news)
        )

    # ---------------------------------------------------------------- team

    def team(self, role: str) -> TeamView:
        view = Seat(self.game, role).view()
        own = tuple(t for t in view.tracks if t.key.startswith(role + "."))
        return TeamView(self.header(role), own, view.objectives, view.private_briefing)

    # -------------------------------------------------------------- reveal

    def reveal(self, drafts: dict[str, tuple[str, ...]]) -> RevealView:
        """Every team's tracks, objectives and orders (given, or `drafts` being chosen): the White Cell's."""
        game = self.game
        teams = []
        for role in game.scenario.roles:
            pending = game.pending.get(role.id)
            chosen = pending.actions if pending else drafts.get(role.id, ())
            status = "sent" if pending else "choosing" if chosen else "none"
            # A draft is what the team's screen sent: an id the scenario does not know is shown as it came.
            labels = tuple(getattr(self.rules.actions.get(f"{role.id}.{a}"), "label", a) for a in chosen)
            teams.append(
                TeamRevealed(role.name, self.players.get(role.id, "human"), self.team(role.id), labels, status)
            )
        return RevealView(self.header(FACILITATOR), game.phase, tuple(teams), self.situation(FACILITATOR))

    # ----------------------------------------------------------- briefings

    def briefing(self, seat: str) -> BriefingView:
        game = self.game
        s, state = game.scenario, game.state
        public = tuple((r.name, paragraphs(r.public_briefing, state)) for r in s.roles)
        private: tuple[Text, ...] = ()
        objectives: tuple[ObjectiveView, ...] = ()
        resources: tuple[TrackView, ...] = ()
        if seat in self.rules.roles:
            view = Seat(game, seat).view()
            private, objectives = view.private_briefing, view.objectives
            resources = tuple(t for t in view.tracks if t.key.startswith(seat + "."))
        return BriefingView(
            self.header(seat), s.title, paragraphs(s.situation, state), public, private, objectives, resources
        )

    # ----------------------------------------------------------------- end

    def end(self, seat: str) -> EndView:
        game, rules, state = self.game, self.rules, self.game.state
        ended = next(e for e in reversed(game.log) if type(e) is ev.GameEnded)
        outcome = rules.outcomes[ended.outcome]
        turns = state.turn
        how = f"after {turns} turn{'s' * (turns != 1)}: {end_reason(ended.reason)}"
        if ended.reason.startswith("facilitator"):
            finished = self._finished_turns()
            how = f"after {finished} turn{'s' * (finished != 1)} played: {end_reason(ended.reason)}"
        totals = dict(ended.scores)
        scores = []
        for role in game.scenario.roles:
            objectives = tuple(
                (next(o.text for o in role.objectives if o.id == oid), held, points)
                for rid, oid, held, points in ended.objectives
                if rid == role.id
            )
            best = max((o.scores.get(role.id, 0) for o in game.scenario.outcomes), default=0) + sum(
                max(o.points, 0) for o in role.objectives
            )
            scores.append(ScoreShown(role.name, totals[role.id], best, outcome.scores.get(role.id, 0), objectives))
        scores.sort(key=lambda s: -s.total)
        debrief = outcome.debrief.render(state) if outcome.debrief is not None else None
        provenance = outcome.provenance
        return EndView(
            self.header(seat),
            outcome.title,
            outcome.summary.render(state),
            debrief,
            how,
            tuple(scores),
            provenance.basis if provenance else None,
            provenance.note if provenance else None,
        )

    def _finished_turns(self) -> int:
        """Turns whose orders were adjudicated (a game ended by the White Cell mid-turn counts one fewer)."""
        game = self.game
        return sum(1 for t in range(1, game.turn + 1) if any(type(e) is ev.OrdersRevealed for e in game.attempt(t)))


class _Story:
    """A turn's perceived events gathered into entries: each order or event with
    what came of it, as far as the seat may know."""

    def __init__(self, presenter: Presenter, seat: str, events: list[ev.Event]):
        self.p = presenter
        self.rules = presenter.rules
        self.seat = seat
        self.events = events
        self.entries: list[Entry] = []
        self.current: dict[str, Any] | None = None  # the entry being filled
        self.cause: str | None = None  # the cause its changes carry

    def tell(self) -> tuple[Entry, ...]:
        for e in self.events:
            handler = getattr(self, "on_" + e.kind, None)
            if handler is not None:
                handler(e)
        self.close()
        return tuple(self.entries)

    # ---------------------------------------------------------------- entries

    def close(self) -> None:
        if self.current is not None:
            values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in self.current.items()}
            self.entries.append(Entry(**values))
            self.current = None

    def start(self, kind: str, title: str, cause: str | None, **extra: Any) -> None:
        self.close()
        self.current = {
            "kind": kind,
            "title": title,
            "rolls": [],
            "changes": [],
            "facts": [],
            "news": [],
            "detail": "",
            "by_white_cell": False,
            **extra,
        }
        self.cause = cause

    def add(self, e: ev.TrackChanged | ev.FlagSet, field: str, item: Any) -> None:
        """A change goes under the order or event that caused it; one of unknown cause
        (another team's unseen order) under an entry of its own."""
        ours = self.current is not None and (
            e.cause == self.cause or (ev.paid_for(e.cause) == self.cause and self.current["kind"] == "order")
        )
        if not ours:
            if e.cause == ev.UNKNOWN_CAUSE:
                self.unattributed()
            else:
                self.start("change", self.p.text.cause(e.cause), e.cause)
        assert self.current is not None
        self.current[field].append(item)

    def unattributed(self) -> None:
        if self.current is None or self.cause != ev.UNKNOWN_CAUSE:
            self.start("unseen", "Something happened, and who did it is not known", ev.UNKNOWN_CAUSE)

    # ----------------------------------------------------------------- events

    def on_action_taken(self, e: ev.ActionTaken) -> None:
        key = f"{e.role}.{e.action}"
        self.start("order", f"{self.rules.role_label(e.role)}: {self.p.text.action(e.role, e.action)}", key)

    def on_inject_fired(self, e: ev.InjectFired) -> None:
        title = self.rules.injects[e.inject].title
        current = self.current
        if current is not None and current["kind"] == "event" and self.cause is None and current["title"] == title:
            # Its chance was rolled just before: one entry, with the dice and then what came of it.
            self.cause = ev.inject_cause(e.inject)
            return
        detail = "fired by the White Cell" if e.forced else ""
        self.start(
            "event",
            title,
            ev.inject_cause(e.inject),
            by_white_cell=e.forced,
            detail=detail,
        )

    def on_roll_made(self, e: ev.RollMade) -> None:
        roll = self.p._roll(e)
        if roll.kind == "event":
            self.start("event", roll.name, None, rolls=[roll])
            if not roll.success:
                self.close()
        elif self.current is not None:
            self.current["rolls"].append(roll)

    def on_track_changed(self, e: ev.TrackChanged) -> None:
        if e.cause != "per turn":  # those show as the next turn begins
            self.add(e, "changes", ChangeShown(self.p.text.track(e.track), e.old, e.new))

    def on_flag_set(self, e: ev.FlagSet) -> None:
        self.add(e, "facts", (self.p.text.line(e) or "").rsplit(" (", 1)[0])

    def on_news_published(self, e: ev.NewsPublished) -> None:
        item = self.p._news(e)
        if e.source == "facilitator":
            self.close()
            self.entries.append(Entry("news", "White Cell news", news=(item,), by_white_cell=True))
        elif e.source == "action" and e.ref is None and self.cause not in self.rules.actions:
            self.unattributed()  # a covert order's news: the act is seen, not the hand
            assert self.current is not None
            self.current["news"].append(item)
        elif self.current is not None and e.source in ("action", "inject"):
            self.current["news"].append(item)
        elif e.source == "ladder" and self.entries and self.entries[-1].kind == "ladder":
            last = self.entries.pop()
            self.entries.append(dataclasses.replace(last, news=(*last.news, item)))
        else:
            self.close()
            self.entries.append(Entry("news", "News", news=(item,)))

    def on_attributed(self, e: ev.Attributed) -> None:
        reading = self.p.text.attribution(dataclasses.replace(e, role=None)).removeprefix("WHO DID IT? ")
        if self.current is not None:
            hidden = e.role is None
            self.current["detail"] = (
                reading[:1].upper() + reading[1:] if hidden else f"as the others read it: {reading}"
            )

    def on_signal_sent(self, e: ev.SignalSent) -> None:
        order = f" (by ordering {self.p.text.action(e.role, e.action)})" if e.action else ""
        self.close()
        self.entries.append(
            Entry(
                "signal",
                f"{self.rules.role_label(e.role)} states{order}",
                news=(NewsShown(e.text, None, "signal", e.turn),),
            )
        )

    def on_revealed(self, e: ev.Revealed) -> None:
        facts = []
        if e.orders is not None:
            orders = ", ".join(self.p.text.action(e.target, a) for a in e.orders) or "no orders"
            facts.append(f"their orders this turn: {orders}")
        facts += [f"{self.p.text.track(key)}: {format_number(value)}" for key, value in e.tracks]
        self.close()
        self.entries.append(Entry("intel", f"Intelligence on {self.rules.role_label(e.target)}", facts=tuple(facts)))

    def on_ladder_moved(self, e: ev.LadderMoved) -> None:
        self.close()
        old, new = self.rules.levels[e.old].name, self.rules.levels[e.new].name
        self.entries.append(
            Entry("ladder", f"The ladder moves: {old} → {new}", detail=self.p._ladder_why(self.seat, e, self.events))
        )

    def on_game_ended(self, e: ev.GameEnded) -> None:
        self.close()
        self.entries.append(
            Entry("end", f"The game is over: {self.rules.outcomes[e.outcome].title}", detail=end_reason(e.reason))
        )


def _beyond(mine: tuple[Entry, ...], public: tuple[Entry, ...]) -> tuple[Entry, ...]:
    """What of a team's results the room did not see: its entries the room had no part of, and
    of an entry the room saw too (a public attack that also moved the team's private track),
    only the lines the room did not see, under the same title."""
    left = list(public)
    out = []
    for entry in mine:
        seen = next((p for p in left if (p.kind, p.title) == (entry.kind, entry.title)), None)
        if seen is None:
            out.append(entry)
            continue
        left.remove(seen)
        extra = dataclasses.replace(
            entry,
            rolls=tuple(r for r in entry.rolls if r not in seen.rolls),
            changes=tuple(c for c in entry.changes if c not in seen.changes),
            facts=tuple(f for f in entry.facts if f not in seen.facts),
            news=tuple(n for n in entry.news if n not in seen.news),
        )
        if extra.rolls or extra.changes or extra.facts or extra.news:
            out.append(extra)
    return tuple(out)


def names_in(source: str) -> list[str]:
    """The dotted names a condition reads ("tension", "us.capital", "militias.strike")."""
    try:
        tree = ast.parse(" ".join(source.split()), mode="eval")
    except SyntaxError:
        return []
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute | ast.Name):
            out.append(ast.unparse(node))
    return out
