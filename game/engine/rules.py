"""What the engine builds once per scenario and shares between all its games:
lookup tables, pre-compiled effects, and the escalation ladder's state machine.

Also the turn flow machine, which is the same for every scenario.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import compress
from typing import Any, cast

from transitions import Machine

from game.engine.events import cost_cause
from game.scenario.expr import Condition, Expr, Fn, Formula
from game.scenario.loader import Loaded
from game.scenario.model import Action, Effects, Inject, Level, Modifier, Outcome, Reveal, Role
from game.scenario.visibility import Unseen, unseen_by

# ------------------------------------------------------------------ turn flow

PHASES = ["setup", "briefing", "orders", "debrief"]
# How a turn is decided once every team's orders are in, step by step (`Adjudication`).
RESOLUTION_STEPS = ("_adjudicate", "_fire_injects", "_escalate", "_check_end")


def _build_flow() -> Machine:
    """The turn flow. Games are not added to the machine as models (that would
    cost time per game and keep every game alive); `fire` triggers an event on
    any object that has a `phase` attribute and the named callbacks.

    A turn resolves by one event, `resolve`. Its first transition's `prepare`
    callbacks decide the turn (transitions runs them before any condition);
    then the conditions read whether the game is over, and the turn flow goes
    on to the debrief or to the next turn's orders. Games carry it out with
    `run(game, RESOLVE)`, read from this machine: a trigger costs about 110,000
    instructions, and a game plays thousands of turns a second."""
    machine = Machine(
        model=None,
        states=PHASES,
        initial="setup",
        auto_transitions=False,
        model_attribute="phase",
        ignore_invalid_triggers=False,
    )
    add = machine.add_transition
    add("begin", "setup", "briefing", after="_on_begin")
    add("start_play", "briefing", "orders", after="_start_turn")
    add("resolve", "orders", "debrief", prepare=list(RESOLUTION_STEPS), conditions="_is_over")
    # Tried second. Internal (no destination): the phase stays "orders" without leaving and
    # re-entering it, which cost a quarter of the trigger's instructions for nothing.
    add("resolve", "orders", None, unless="_is_over", after="_start_turn")
    add("undo", ["orders", "debrief"], "orders")
    add("end_now", ["briefing", "orders"], "debrief")
    return machine


FLOW = _build_flow()


def fire(model: Any, trigger: str, *args: Any) -> bool:
    return FLOW.events[trigger].trigger(model, *args)


# A callback as transitions takes it: the name of the model's method, or a function.
Callback = str | Callable[..., Any]
# One of a trigger's transitions: (prepare, conditions as (callback, expected), dest, after).
Move = tuple[tuple[Callback, ...], tuple[tuple[Callback, bool], ...], str | None, tuple[Callback, ...]]


def plan(machine: Machine, trigger: str, source: str) -> tuple[Move, ...]:
    """The transitions `trigger` tries from state `source`, read from `machine`, for `run`
    (none if it has none from there: the trigger would do nothing).

    Only what `run` carries out may be in them (prepare, conditions, unless, after and a
    destination): a callback anywhere else in the machine is refused here."""
    others = [machine.prepare_event, machine.before_state_change, machine.after_state_change, machine.finalize_event]
    for state in machine.states.values():
        others += [state.on_enter, state.on_exit]
    moves = []
    event = machine.events.get(trigger)  # none: no transition was ever added to it
    for t in event.transitions.get(source, ()) if event else ():
        if t.before or any(others) or machine.send_event:
            raise ValueError(
                f"'{trigger}' from {source}: only prepare, conditions and after can be run without a trigger"
            )
        conditions = tuple((c.func, bool(c.target)) for c in t.conditions)
        moves.append((tuple(t.prepare), conditions, t.dest, tuple(t.after)))
    return tuple(moves)


def _call(model: Any, callback: Callback, args: tuple) -> Any:
    if isinstance(callback, str):
        return getattr(model, callback)(*args)
    return callback(*args)


def run(model: Any, moves: tuple[Move, ...], attribute: str, *args: Any) -> bool:
    """Does what triggering the event that `moves` were read from does to `model` (in its
    source state), in the same order, without the trigger: prepare, then the conditions;
    the first transition whose conditions all hold moves `attribute` to its destination
    (none: it stays) and runs its after callbacks. Each callback is given `args`.

    A trigger costs about 110,000 instructions: 7% of a game when every turn resolved
    through one, 3% when the ladder moved through one. The machines still say what
    happens (`RESOLVE`, `LadderMoves.plans`), still run the rarer triggers (undo, the
    facilitator's end, the ladder's pushes), and `crisis graph` draws them as they are."""
    for prepare, conditions, dest, after in moves:
        for callback in prepare:
            _call(model, callback, args)
        for callback, expected in conditions:
            if _call(model, callback, args) != expected:
                break
        else:
            if dest is not None:
                setattr(model, attribute, dest)
            for callback in after:
                _call(model, callback, args)
            return True
    return False


# What `fire(game, "resolve")` does once every team's orders are in: decide the turn, then
# go to the debrief or open the next turn's orders. And the two triggers every game fires
# once, to begin and to open turn 1 (2% of a game through the machine's dispatch).
RESOLVE = plan(FLOW, "resolve", "orders")
BEGIN = plan(FLOW, "begin", "setup")
START_PLAY = plan(FLOW, "start_play", "briefing")


# ------------------------------------------------------------------- ladder


class LadderCursor:
    """The model the ladder machine moves; the game copies its level in and out."""

    __slots__ = ("level", "fired")

    def __init__(self, level: str):
        self.level = level
        self.fired: int | None = None  # the index of the transition taken, if any


def _build_ladder(loaded: Loaded) -> Machine:
    """The escalation ladder as a state machine: one state per level.

    `push_up`/`push_down` step between neighbouring levels that are not
    terminal. The scenario's transitions join the `evaluate` event level by
    level, the first time a game asks from that level (`LadderMoves`): a
    `from: "*"` transition would otherwise be copied to every level up front.
    """
    ladder = loaded.scenario.ladder
    ids = [level.id for level in ladder.levels]
    terminal = {level.id for level in ladder.levels if level.outcome}
    machine = Machine(
        model=None,
        states=ids,
        initial=ladder.start,
        auto_transitions=False,
        model_attribute="level",
        ignore_invalid_triggers=True,
    )
    for lower, upper in zip(ids, ids[1:]):
        if lower not in terminal and upper not in terminal:
            machine.add_transition("push_up", lower, upper)
            machine.add_transition("push_down", upper, lower)
    return machine


class LadderMoves:
    """The scenario's ladder transitions, added to the machine's `evaluate`
    event one level at a time: each level gets, in file order, the transitions
    that name it in `from` and those from any level (`*`), so the first that
    applies is taken. A game visits few levels; building every level's list at
    the start costs levels x transitions."""

    def __init__(self, loaded: Loaded, machine: Machine):
        ladder = loaded.scenario.ladder
        self.machine = machine
        self.transitions = ladder.transitions
        self.terminal = {level.id for level in ladder.levels if level.outcome}
        self.built: dict[str, tuple[Callable, ...]] = {}  # level -> the conditions of its transitions
        self.plans: dict[str, tuple[Move, ...]] = {}  # level -> its `evaluate` transitions, for `run`
        self.lock = threading.Lock()  # games of one scenario may run in threads

    def from_level(self, level: str) -> bool:
        """Whether any transition may start at `level` (its transitions are then in the machine)."""
        return bool(self.guards(level))

    def guards(self, level: str) -> tuple[Callable, ...]:
        """The compiled conditions of the transitions from `level`, in the machine's order."""
        found = self.built.get(level)
        if found is None:
            with self.lock:
                found = self.built.get(level)
                if found is None:
                    found = self._add(level)
                    self.plans[level] = plan(self.machine, "evaluate", level)
                    self.built[level] = found  # last: another thread reads `plans` once this is set
        return found

    def plan(self, level: str) -> tuple[Move, ...]:
        """The machine's `evaluate` transitions from `level`, for `run` (after `guards(level)`)."""
        return self.plans[level]

    def _add(self, level: str) -> tuple[Callable, ...]:
        if level in self.terminal:
            return ()
        added = []
        for index, t in enumerate(self.transitions):
            sources = t.source if isinstance(t.source, list) else [t.source]
            if t.to != level and (level in sources or "*" in sources):
                self.machine.add_transition(
                    "evaluate", level, str(t.to), conditions=[_guard(t.when)], after=[_record(index)]
                )
                added.append(compiled(t.when))
        return tuple(added)


def compiled(expr: Expr) -> Fn:
    """The function `expr` was compiled to (loading a scenario compiles all its expressions)."""
    if expr.fn is None:
        raise ValueError(f"{expr!r} was not compiled: rules are built from a loaded scenario")
    return expr.fn


def _guard(condition) -> Callable:
    return lambda state, cursor: condition(state)


def _record(index: int) -> Callable:
    def record(state, cursor):
        cursor.fired = index

    return record


# ------------------------------------------------------------------- effects

# The kinds of effect. The two that change a track come first: `kind <= FORMULA` tells them.
TRACK, FORMULA, FLAG, PUSH = 0, 1, 2, 3  # FORMULA: a track change computed from the state


@dataclass(frozen=True, slots=True)
class EffectOp:
    kind: int
    key: str
    value: Any  # a number, a Formula, or True/False
    low: float = 0
    high: float = 0


@dataclass(frozen=True, slots=True)
class ModifierRule:
    """A modifier of a chance, with its condition compiled: `add` points while `holds(state)`."""

    reason: str
    add: float
    when: Condition  # as written (its source says what it reads)
    holds: Fn  # its compiled function

    @staticmethod
    def of(modifiers: Iterable[Modifier]) -> tuple[ModifierRule, ...]:
        return tuple(ModifierRule(m.reason, m.add, m.when, compiled(m.when)) for m in modifiers)


@dataclass(frozen=True, slots=True)
class ResultRule:
    key: str  # roll key: "us.strike#0"
    base: float
    modifiers: tuple[ModifierRule, ...]
    effects: tuple[EffectOp, ...]
    news: Any
    failure_effects: tuple[EffectOp, ...]
    failure_news: Any
    label: str  # the roll's name: "US: Strike the launch site", then the result's label if any
    # RollMade's last fields: (role, action, index, result label, inject: None).
    about: tuple[str, str, int, str | None, None]
    needs_main: bool  # rolled only when the action's main result succeeded
    reveal: Reveal | None


@dataclass(frozen=True, slots=True)
class OrderPlan:
    """What resolving an order of one action does, prepared once per scenario: the
    resolution reads one plan, not a table per step (`Adjudication._resolve_order`)."""

    key: str  # "role.action"
    rank: tuple[int, int]  # where its orders come in the resolution: (category, role) rank
    cost: tuple[EffectOp, ...]  # what paying for it does; empty when it is free
    cost_cause: str  # "cost of role.action"
    signal: Any  # the public statement it makes (a template), or None
    results: tuple[ResultRule, ...]
    covert: bool  # its news is attributed (`Adjudication._attribute`)


@dataclass(frozen=True, slots=True)
class Option:
    """An action as a team sees it at order time: offered or not, and why not.

    Frozen: the common ones are built once per scenario (`Offer`) and shared."""

    role: str
    action: Action
    available: bool
    reason: str | None  # why it is not available
    key: str  # "role.action"


@dataclass(frozen=True, slots=True)
class Offer:
    """What deciding whether a team may order an action now reads, and the options
    it gives (built once: a bot's turn asks it of every action). Only an option
    that cannot be paid for is made at play time: its reason quotes the budget."""

    action: Action
    key: str  # "role.action"
    max_uses: int | None
    when: Callable | None  # its compiled `available_when`
    costs: tuple[tuple[str, float, float], ...]  # (track, amount, min), as in `Rules.costs`
    open: Option  # available
    used_up: Option  # not available: used `max_uses` times
    unmet: Option  # not available: `when` does not hold


SHUT_PATTERNS_KEPT = 1024  # per role: 2,000 random games of the flagship make 809 for the US


@dataclass(frozen=True, slots=True)
class OfferLimits:
    """A role's actions as `Game._offered` checks them each turn: each kind of limit in
    a loop of its own over only the actions it limits, rather than every limit of every
    action in turn (bots ask it of every role every turn: it cost a tenth of a game).
    An action is on offer unless one of them shuts it, as `Game._judge` decides."""

    every: dict[str, Option]  # action id -> its option when available, in the role's order
    pairs: tuple[tuple[str, Option], ...]  # the same, to build a dict of some of them from
    # The same without some actions, by the indexes shut: games of a scenario shut the same
    # few sets of actions again and again, and building the dict cost 3% of a game.
    shut_out: dict[tuple[int, ...], dict[str, Option]]
    capped: tuple[tuple[int, str, int], ...]  # (index, key, max_uses) of the actions with `max_uses`
    conditional: tuple[tuple[int, Callable], ...]  # (index, compiled `available_when`)
    # (track, its min, ((amount, index), ...)) for each track the role's actions cost, the
    # dearest action first: a track's value less an amount can only fall as the amount
    # grows (floating point rounding keeps the order), so once one action can be paid
    # for, the cheaper ones after it can too.
    budgets: tuple[tuple[str, float, tuple[tuple[float, int], ...]], ...]

    def open_but(self, shut: tuple[int, ...]) -> dict[str, Option]:
        """`every` without the actions at the indexes `shut` (read only: it is shared)."""
        found = self.shut_out.get(shut)
        if found is None:
            on_offer = [True] * len(self.pairs)
            for index in shut:
                on_offer[index] = False
            found = dict(compress(self.pairs, on_offer))
            if len(self.shut_out) < SHUT_PATTERNS_KEPT:  # a bound, however many patterns a scenario makes
                self.shut_out[shut] = found
        return found

    @staticmethod
    def of(offers: tuple[Offer, ...]) -> OfferLimits:
        spending: dict[str, list[tuple[float, int]]] = {}
        lows: dict[str, float] = {}
        for index, offer in enumerate(offers):
            for track, amount, low in offer.costs:
                spending.setdefault(track, []).append((amount, index))
                lows[track] = low
        return OfferLimits(
            {offer.action.id: offer.open for offer in offers},
            tuple((offer.action.id, offer.open) for offer in offers),
            {},
            tuple((i, o.key, o.max_uses) for i, o in enumerate(offers) if o.max_uses is not None),
            tuple((i, o.when) for i, o in enumerate(offers) if o.when is not None),
            tuple(
                (track, lows[track], tuple(sorted(rows, key=lambda row: -row[0]))) for track, rows in spending.items()
            ),
        )


@dataclass(frozen=True, slots=True)
class InjectRule:
    """What deciding whether an inject fires needs, read every turn."""

    inject: Inject
    id: str
    turns: frozenset[int] | None  # the turns it may fire in; None: any turn
    repeat: bool
    when: Callable | None  # its compiled condition
    key: str  # roll key: "inject:protest"
    label: str  # the roll's name: "Inject: Protest at the embassy"
    base: float  # its chance
    modifiers: tuple[ModifierRule, ...]
    about: tuple[None, None, None, None, str]  # RollMade's last fields: the inject's id at the end


class Rules:
    """A scenario, prepared for play."""

    def __init__(self, loaded: Loaded):
        s = loaded.scenario
        self.loaded = loaded
        self.scenario = s
        self.role_ids = [r.id for r in s.roles]
        self.roles: dict[str, Role] = {r.id: r for r in s.roles}
        self.actions: dict[str, Action] = {}  # "role.action" -> Action
        self.results: dict[str, tuple[ResultRule, ...]] = {}
        self.bounds: dict[str, tuple[float, float]] = {t.id: (t.min, t.max) for t in s.tracks}
        self.track_labels: dict[str, str] = {t.id: t.label for t in s.tracks}
        for role in s.roles:
            for t in role.tracks:
                self.bounds[f"{role.id}.{t.id}"] = (t.min, t.max)
                self.track_labels[f"{role.id}.{t.id}"] = t.label
        self.flag_ids = {f.id for f in s.flags}
        self.flags_public = {f.id: f.visibility == "public" for f in s.flags}
        self.flag_descriptions = {f.id: f.description for f in s.flags}
        self.track_visibility = {t.id: t.visibility for t in s.tracks}
        for role in s.roles:
            for t in role.tracks:
                self.track_visibility[f"{role.id}.{t.id}"] = t.visibility
        self.per_turn = [(t.id, t.per_turn) for t in s.tracks if t.per_turn] + [
            (f"{role.id}.{t.id}", t.per_turn) for role in s.roles for t in role.tracks if t.per_turn
        ]
        # The same changes, and each order's cost below, as effects: one loop applies them all.
        self.per_turn_effects = self.track_changes(self.per_turn)
        self.costs: dict[str, tuple[tuple[str, float, float], ...]] = {}  # key -> (track, amount, min)
        self.cost_effects: dict[str, tuple[EffectOp, ...]] = {}  # key -> what paying for the order does
        self.cost_causes = {f"{r.id}.{a.id}": cost_cause(f"{r.id}.{a.id}") for r in s.roles for a in r.actions}
        self.roll_labels = {f"{r.id}.{a.id}": f"{self.role_label(r.id)}: {a.label}" for r in s.roles for a in r.actions}
        for role in s.roles:
            for action in role.actions:
                key = f"{role.id}.{action.id}"
                self.actions[key] = action
                self.costs[key] = tuple(
                    (f"{role.id}.{t}", amount, self.bounds[f"{role.id}.{t}"][0]) for t, amount in action.cost.items()
                )
                self.cost_effects[key] = self.track_changes(
                    (f"{role.id}.{t}", -amount) for t, amount in action.cost.items()
                )
                self.results[key] = tuple(
                    ResultRule(
                        f"{key}#{i}",
                        r.chance,
                        ModifierRule.of(r.modifiers),
                        self.effects(r.effects),
                        r.news,
                        self.effects(r.failure.effects) if r.failure else (),
                        r.failure.news if r.failure else None,
                        self.roll_labels[key] + (f": {r.label}" if r.label else ""),
                        (role.id, action.id, i, r.label, None),
                        r.if_main_succeeds,
                        r.reveal,
                    )
                    for i, r in enumerate(action.results)
                )
        self.offers: dict[str, tuple[Offer, ...]] = {
            r.id: tuple(self._offer(a, f"{r.id}.{a.id}") for a in r.actions) for r in s.roles
        }
        self.offer = {o.key: o for offers in self.offers.values() for o in offers}
        self.offers_by_id = {role: {o.action.id: o for o in offers} for role, offers in self.offers.items()}
        self.offer_limits = {role: OfferLimits.of(offers) for role, offers in self.offers.items()}
        # role -> track -> (action id, amount, min) of each action of the role that spends on
        # it, the dearest first (as in `OfferLimits.budgets`).
        self.spenders: dict[str, dict[str, tuple[tuple[str, float, float], ...]]] = {}
        for role in s.roles:
            spending: dict[str, list[tuple[str, float, float]]] = {}
            for action in role.actions:
                for track, amount, low in self.costs[f"{role.id}.{action.id}"]:
                    spending.setdefault(track, []).append((action.id, amount, low))
            self.spenders[role.id] = {
                track: tuple(sorted(rows, key=lambda row: -row[1])) for track, rows in spending.items()
            }
        # Secrets: who may know of each order, and what each role cannot see.
        self.action_visibility = {key: a.visibility for key, a in self.actions.items()}
        self.attributions = {
            key: tuple((r.claimed_by, r.blamed_on, r.chance) for r in a.attribution) for key, a in self.actions.items()
        }
        # The causes of changes that name an order, and the roll keys of orders -> that order's key.
        self.cause_action = {key: key for key in self.actions} | {cost_cause(key): key for key in self.actions}
        self.roll_action = {rule.key: key for key, rules in self.results.items() for rule in rules}
        self.unseen: dict[str, Unseen] = {r.id: unseen_by(s, r.id) for r in s.roles}
        self.starts = {t.id: t.start for t in s.tracks} | {f"{r.id}.{t.id}": t.start for r in s.roles for t in r.tracks}
        self.flag_starts = {f.id: f.start for f in s.flags}
        self.expiring = tuple((f.id, f.expires) for f in s.flags if f.expires)
        # Roles people may play; the others (`bot_only`) are always played by their doctrine bot.
        self.playable_roles = [r.id for r in s.roles if not r.bot_only]
        self.orders_per_turn = {r.id: r.orders_per_turn or s.orders_per_turn for r in s.roles}
        rank = {c: i for i, c in enumerate(s.resolution_order)}
        role_rank = {r: i for i, r in enumerate(self.role_ids)}
        self.resolution_key = {
            key: (rank[a.category], role_rank[key.split(".", 1)[0]]) for key, a in self.actions.items()
        }
        # role -> action id -> what resolving its order does.
        self.order_plans: dict[str, dict[str, OrderPlan]] = {
            role.id: {
                action.id: OrderPlan(
                    key,
                    self.resolution_key[key],
                    self.cost_effects[key],
                    self.cost_causes[key],
                    action.signal,
                    self.results[key],
                    action.visibility == "covert",
                )
                for action in role.actions
                for key in [f"{role.id}.{action.id}"]
            }
            for role in s.roles
        }
        self.injects: dict[str, Inject] = {i.id: i for i in s.injects}
        self.inject_rolls = {i.id: (f"inject:{i.id}", f"Inject: {i.title}") for i in s.injects}  # key, label
        self.inject_effects = {i.id: self.effects(i.effects) for i in s.injects}
        self.inject_turns = {
            i.id: (None if i.turn is None else frozenset(i.turn if isinstance(i.turn, list) else [i.turn]))
            for i in s.injects
        }
        self.inject_rules = tuple(
            InjectRule(
                i,
                i.id,
                self.inject_turns[i.id],
                i.repeat,
                i.when.fn if i.when else None,
                *self.inject_rolls[i.id],
                i.chance,
                ModifierRule.of(i.modifiers),
                (None, None, None, None, i.id),
            )
            for i in s.injects
        )
        self.levels: dict[str, Level] = {level.id: level for level in s.ladder.levels}
        self.outcomes: dict[str, Outcome] = {o.id: o for o in s.outcomes}
        self.default_outcome = next(o for o in s.outcomes if o.default)
        self.outcomes_every_turn = [  # (outcome id, its compiled condition)
            (o.id, compiled(o.when)) for o in s.outcomes if o.when is not None and o.checked == "every_turn"
        ]
        self.ladder = _build_ladder(loaded)
        self.ladder_moves = LadderMoves(loaded, self.ladder)

    def _offer(self, action: Action, key: str) -> Offer:
        times = "once" if action.max_uses == 1 else f"{action.max_uses} times"
        when = action.available_when
        role = key.split(".", 1)[0]
        offered = Option(role, action, True, None, key)
        return Offer(
            action,
            key,
            action.max_uses,
            when.fn if when is not None else None,
            self.costs[key],
            offered,
            Option(role, action, False, f"can be ordered only {times} per game", key),
            Option(role, action, False, (action.unavailable_reason or f"needs: {when.source}") if when else "", key),
        )

    def effects(self, effects: Effects) -> tuple[EffectOp, ...]:
        ops = []
        for key, value in effects.items():
            if key == "ladder":
                ops.append(EffectOp(PUSH, key, int(cast(float, value))))  # checking allows a whole number only
            elif key in self.flag_ids:
                ops.append(EffectOp(FLAG, key, bool(value)))
            else:
                low, high = self.bounds[key]
                ops.append(EffectOp(FORMULA if isinstance(value, Formula) else TRACK, key, value, low, high))
        return tuple(ops)

    def track_changes(self, changes: Iterable[tuple[str, float]]) -> tuple[EffectOp, ...]:
        """(track, amount) pairs as effects."""
        return tuple(EffectOp(TRACK, key, amount, *self.bounds[key]) for key, amount in changes)

    def role_label(self, role_id: str) -> str:
        role = self.roles[role_id]
        return role.short_name or role.name


def rules_for(loaded: Loaded) -> Rules:
    """The scenario's rules, built on first use and kept with it."""
    rules = loaded.cache.get("rules")
    if rules is None:
        rules = loaded.cache["rules"] = Rules(loaded)
    return rules
