"""A game: the rules applied to one scenario, one seed and a list of commands.

`Game` is driven only by commands (`execute`); the helper methods (`submit`,
`resolve`, ...) build them. Each command is checked here, then carried out by
the turn flow machine, whose transitions call the rules of `adjudication.py`.
Everything the rules decide is emitted as events, which are both appended to
the log and applied to the state: the state is the log folded up.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import NoReturn, TypeVar, cast

from game.engine import commands as cmd
from game.engine import events as ev
from game.engine.adjudication import Adjudication
from game.engine.dice import TurnDice
from game.engine.errors import GameError, IllegalOrder, NotYourRole, PhaseError
from game.engine.rules import (
    BEGIN,
    RESOLVE,
    START_PLAY,
    LadderCursor,
    Offer,
    Option,
    Rules,
    fire,
    rules_for,
    run,
)
from game.engine.state import GameState, replay
from game.scenario.loader import Loaded
from game.scenario.model import Scenario
from game.scenario.text import format_number

E = TypeVar("E", bound=ev.Event)


class Offered:
    """A role's options at one version of the state (`Game._offered`)."""

    __slots__ = ("version", "open", "every")

    def __init__(self, version: int, open: dict[str, Option]):
        self.version = version  # `Game._version` when they were worked out
        self.open = open  # action id -> option, of the actions the role may order now, in order (read only)
        self.every: list[Option] | None = None  # every action, available or why not: made when asked


class Game(Adjudication):
    def __init__(self, loaded: Loaded, seed: int, max_turns: int | None = None):
        self.rules: Rules = rules_for(loaded)
        self.loaded = loaded
        self.seed = int(seed)
        self.max_turns = max_turns or loaded.scenario.turns.max
        self.state: GameState = GameState.start(loaded, self.max_turns)  # replaced when a turn is undone
        # turn -> where in the log its latest orders phase opened: an undo returns the state
        # to what it was there (`_emit`).
        self._opened_at: dict[int, int] = {}
        # The log: the events read so far, and what was logged since (events or their
        # compact records, see `ev.Record`), built into events when the log is next read.
        self._events: list[ev.Event] = []
        self._unread: list[ev.Event | ev.Record] = []
        self.commands: list[cmd.Command] = []
        self.phase = "setup"  # kept by the turn flow machine (rules.FLOW)
        self.pending: dict[str, ev.OrdersSubmitted] = {}  # this turn's secret orders
        self.overrides: dict[tuple[int, str], tuple[bool, str]] = {}
        self.dice_rounds: dict[int, int] = {}  # turn -> times it was taken back with fresh dice
        self.dice = TurnDice(self.seed)
        self._cursor = LadderCursor(loaded.scenario.ladder.start)
        # role -> its options at a version of the state. Bots and interfaces ask for
        # options often; they stay valid until an event changes the state.
        self._options: dict[str, Offered] = {}
        self._version = 0

    # ------------------------------------------------------------ reading

    @property
    def scenario(self) -> Scenario:
        return self.loaded.scenario

    @property
    def log(self) -> list[ev.Event]:
        """Every event of the game so far, in order: the game is its log.

        The same list each time, which grows as the game goes on; read it again
        (`game.log`) after a command to see the events the command added."""
        if self._unread:
            self._events.extend(map(ev.built, self._unread))
            self._unread.clear()  # in place: the adjudication may hold it while it logs
        return self._events

    def events_of(self, kind: type[E]) -> list[E]:
        """The log's events of one kind, in order. A kind logged as events is read without
        building the others (a batch of games reads only how each ended: `crisis simulate`);
        reading a kind logged as records (`ev.COMPACT`) builds the log."""
        if kind in ev.COMPACT:
            return [e for e in self.log if type(e) is kind]
        return [e for part in (self._events, self._unread) for e in part if type(e) is kind]

    def last_of(self, kind: type[E]) -> E | None:
        """The log's latest event of one kind (None if it has none), read from the end as
        `events_of` reads."""
        if kind in ev.COMPACT:
            return next((e for e in reversed(self.log) if type(e) is kind), None)
        for part in (self._unread, self._events):
            for e in reversed(part):
                if type(e) is kind:
                    return e
        return None

    def _log_length(self) -> int:
        return len(self._events) + len(self._unread)

    def waiting_for(self) -> list[str]:
        """Roles that have not yet given orders this turn."""
        if self.phase != "orders":
            return []
        return [r for r in self.rules.role_ids if r not in self.pending]

    def options(self, role: str, spent: dict[str, float] | None = None) -> list[Option]:
        """Every action of `role` with whether it can be ordered now.

        `spent` is what orders already chosen this turn will cost, so that a
        second order is offered only if both can be paid for.
        """
        offered = self._offered(role)
        if offered.every is None:
            offered.every = [self._judge(offer) for offer in self.rules.offers[role]]
        if not spent:
            return list(offered.every)
        return [self._after_spending(option, spent) for option in offered.every]

    def open_options(self, role: str, spent: dict[str, float], picked: Collection[str] = ()) -> list[Option]:
        """The actions `role` may still order after orders that cost `spent`, leaving out
        the action ids already `picked`: what a bot chooses from (`options` also says why
        the others are not offered)."""
        offered = self._offered(role)
        if not spent and not picked:
            return list(offered.open.values())
        # `_still_affordable` of every open action, asked the other way round: only the
        # actions that spend on a track spent on may be stopped, and the rules list them
        # per track, the dearest first. (Bots ask this twice a turn; a pass over every
        # action with its costs cost 5% of a game's instructions.)
        values, left_out = self.state.values, set(picked)
        spenders = self.rules.spenders[role]
        for track, amount_spent in spent.items():
            left = values[track] - amount_spent
            for action_id, amount, low in spenders.get(track, ()):
                if left - amount < low:
                    left_out.add(action_id)
                else:
                    break  # the cheaper ones after it can be paid for too
        if not left_out:
            return list(offered.open.values())
        still = offered.open.copy()  # a few actions left out of a dozen: popped, not filtered
        for action_id in left_out:
            still.pop(action_id, None)
        return list(still.values())

    def _offered(self, role: str) -> Offered:
        """The actions `role` may order as the state stands, with nothing spent yet.
        Kept until an event changes the state (bots and screens ask often)."""
        cached = self._options.get(role)
        if cached is None or cached.version != self._version:
            limits = self.rules.offer_limits.get(role) or self._no_such_role(role)
            state = self.state
            # Each limit in its own loop over the actions it limits (see `OfferLimits`);
            # this decides as `_judge` does (tests/test_engine_shortcuts.py holds them alike).
            shut: list[int] = []
            uses = state.uses
            for index, key, max_uses in limits.capped:
                if uses.get(key, 0) >= max_uses:
                    shut.append(index)
            for index, when in limits.conditional:
                if not when(state):
                    shut.append(index)
            values = state.values
            for track, low, dearest_first in limits.budgets:
                value = values[track]
                for amount, index in dearest_first:
                    if value - amount < low:
                        shut.append(index)
                    else:
                        break
            if shut:
                cached = Offered(self._version, limits.open_but(tuple(shut)))
            else:
                cached = Offered(self._version, limits.every)  # shared: read only
            self._options[role] = cached
        return cached

    def _judge(self, offer: Offer) -> Option:
        """`offer` as the state stands, with nothing spent yet: available, or why not."""
        state = self.state
        if offer.max_uses is not None and state.uses.get(offer.key, 0) >= offer.max_uses:
            return offer.used_up
        if offer.when is not None and not offer.when(state):
            return offer.unmet
        values = state.values
        for track, amount, low in offer.costs:
            if values[track] - amount < low:  # as `_unaffordable` reckons
                return Option(offer.open.role, offer.action, False, self._unaffordable(offer.key, None), offer.key)
        return offer.open

    def _after_spending(self, option: Option, spent: dict[str, float]) -> Option:
        """`option` once orders that cost `spent` are chosen: an action offered with nothing
        spent can be paid for, so only the tracks spent on may stop it now."""
        if option.available and not self._still_affordable(option.key, spent):
            return Option(option.role, option.action, False, self._unaffordable(option.key, spent), option.key)
        return option

    def _still_affordable(self, key: str, spent: dict[str, float]) -> bool:
        """Whether action `key`, affordable with nothing spent, still is after `spent`
        (as `_unaffordable` reckons, on the tracks spent on only)."""
        values = self.state.values
        for track, amount, low in self.rules.costs[key]:
            if track in spent and values[track] - spent[track] - amount < low:
                return False
        return True

    def _unaffordable(self, key: str, spent: dict[str, float] | None) -> str | None:
        """Why the team cannot pay for action `key` after `spent`, or None."""
        values = self.state.values
        for full, amount, low in self.rules.costs[key]:
            have = values[full] - (spent.get(full, 0) if spent else 0)
            if have - amount < low:
                return f"costs {format_number(amount)} {self.rules.track_labels[full]}; {format_number(have)} left"
        return None

    # ----------------------------------------------------------- commands

    def execute(self, command: cmd.Command) -> None:
        """Carry out one command; raises GameError if it breaks the rules."""
        handler = getattr(self, "_do_" + command.kind)
        handler(command)
        self.commands.append(command)

    def begin(self) -> None:
        self.execute(cmd.Begin())

    def start_play(self) -> None:
        self.execute(cmd.StartPlay())

    def submit(
        self,
        role: str,
        actions: Iterable[str],
        player: str = "human",
        reasons: Iterable[str] = (),
        why: str = "",
        intent: str = "",
    ) -> None:
        self.execute(cmd.Submit(role, tuple(actions), player, tuple(reasons), why, intent))

    def resolve(self) -> None:
        self.execute(cmd.Resolve())

    def force_inject(self, inject: str) -> None:
        self.execute(cmd.ForceInject(inject))

    def override_roll(self, key: str, success: bool, reason: str) -> None:
        self.execute(cmd.OverrideRoll(key, success, reason))

    def undo_turn(self, reason: str, fresh_dice: bool = True) -> None:
        """Take back the last finished turn; by default it is played again with new dice."""
        self.execute(cmd.UndoTurn(reason, fresh_dice))

    def post_news(self, text: str) -> None:
        self.execute(cmd.PostNews(text))

    def end_game(self, outcome: str, reason: str) -> None:
        self.execute(cmd.EndGame(outcome, reason))

    def note(self, text: str) -> None:
        self.execute(cmd.Note(text))

    # --------------------------------------------------- command handlers

    def _need_phase(self, *phases: str, doing: str) -> None:
        if self.phase not in phases:
            raise PhaseError(f"cannot {doing} now: the game is in its {self.phase} phase")

    def _do_begin(self, c: cmd.Begin) -> None:
        self._need_phase("setup", doing="begin the game")
        run(self, BEGIN, "phase")  # what `fire(self, "begin")` does

    def _do_start_play(self, c: cmd.StartPlay) -> None:
        self._need_phase("briefing", doing="start turn 1")
        run(self, START_PLAY, "phase")  # what `fire(self, "start_play")` does

    def _do_submit(self, c: cmd.Submit) -> None:
        if self.phase != "orders":  # checked first: the message is made only when it is needed
            self._need_phase("orders", doing=f"give orders for '{c.role}'")
        role, rules = c.role, self.rules
        offers = rules.offers_by_id.get(role)
        if offers is None:
            raise NotYourRole(f"there is no role '{role}' in this scenario")
        limit = rules.orders_per_turn[role]
        if len(c.actions) > limit:
            raise IllegalOrder(
                f"{rules.role_label(role)} may give at most {limit} "
                f"order{'s' * (limit != 1)} per turn, not {len(c.actions)}"
            )
        spent: dict[str, float] = {}
        chosen: list[str] = []
        values = self.state.values
        # The actions on offer, if they were worked out at this version of the state (a bot
        # chose from them): an action among them needs no second look at its limits.
        offered = self._options.get(role)
        on_offer = offered.open if offered is not None and offered.version == self._version else {}
        for raw in c.actions:
            action_id = self._own_action_id(role, raw) if "." in raw else raw
            if action_id in chosen:
                raise IllegalOrder(f"'{action_id}' is ordered twice")
            offer = offers.get(action_id)
            if offer is None:
                raise IllegalOrder(f"{rules.role_label(role)} has no action '{action_id}'")
            if action_id not in on_offer:
                option = self._judge(offer)
                if not option.available:
                    raise IllegalOrder(f"'{offer.action.label}' is not available: {option.reason}")
            # After orders that cost something, only the tracks spent on may stop it now
            # (`_after_spending`, inline: every order a bot gives is checked).
            for track, amount, low in offer.costs:
                if track in spent and values[track] - spent[track] - amount < low:
                    reason = self._unaffordable(offer.key, spent)
                    raise IllegalOrder(f"'{offer.action.label}' is not available: {reason}")
            for track, amount, _ in offer.costs:
                spent[track] = spent.get(track, 0) + amount
            chosen.append(action_id)
        if len(c.why) > cmd.MAX_REASONING or len(c.intent) > cmd.MAX_REASONING:
            for name, text in (("reason", c.why), ("reading of the others' intent", c.intent)):
                if len(text) > cmd.MAX_REASONING:
                    raise IllegalOrder(f"the {name} is {len(text)} characters long; at most {cmd.MAX_REASONING} fit")
        reasons = tuple(c.reasons) + ("",) * (len(chosen) - len(c.reasons))
        orders = ev.OrdersSubmitted(
            self.state.turn, role, tuple(chosen), c.player, reasons[: len(chosen)], c.why, c.intent
        )
        # What `_emit` does with orders: they change no state, and stay secret until the turn resolves.
        self._unread.append(orders)
        self.pending[role] = orders

    def _own_action_id(self, role: str, raw: str) -> str:
        """Accepts 'strike' or 'us.strike'; another role's action is refused."""
        if "." in raw:
            owner, action_id = raw.split(".", 1)
            if owner != role:
                raise NotYourRole(f"'{raw}' is an order for {owner}, not for {role}")
            return action_id
        return raw

    def _check_role(self, role: str) -> None:
        if role not in self.rules.roles:
            self._no_such_role(role)

    def _no_such_role(self, role: str) -> NoReturn:
        raise NotYourRole(f"there is no role '{role}' in this scenario")

    def _do_resolve(self, c: cmd.Resolve) -> None:
        self._need_phase("orders", doing="resolve the turn")
        missing = self.waiting_for()
        if missing:
            raise PhaseError("still waiting for orders from " + ", ".join(self.rules.role_label(r) for r in missing))
        run(self, RESOLVE, "phase")  # what `fire(self, "resolve")` does, without a trigger's cost each turn

    def _do_force_inject(self, c: cmd.ForceInject) -> None:
        self._need_phase("orders", doing="fire an inject")
        inject = self.rules.injects.get(c.inject)
        if inject is None:
            raise GameError(f"there is no inject '{c.inject}'")
        self._fire_inject(inject, forced=True)

    def _do_post_news(self, c: cmd.PostNews) -> None:
        self._need_phase("briefing", "orders", "debrief", doing="post news")
        if not c.text.strip():
            raise GameError("the news item is empty")
        self._emit(ev.NewsPublished(self.turn, c.text.strip(), "facilitator"))

    def _do_note(self, c: cmd.Note) -> None:
        self._emit(ev.FacilitatorNoted(self.turn, c.text))

    def _do_end_game(self, c: cmd.EndGame) -> None:
        self._need_phase("briefing", "orders", doing="end the game")
        outcome = self.rules.outcomes.get(c.outcome)
        if outcome is None:
            raise GameError(f"there is no outcome '{c.outcome}'")
        # An outcome that a terminal level stands for puts the ladder there, so
        # objectives that read the ladder agree with the outcome.
        level = next((lv.id for lv in self.scenario.ladder.levels if lv.outcome == outcome.id), None)
        if level is not None and level != self.state.level:
            self._emit(ev.LadderMoved(self.turn, self.state.level, level, "facilitator"))
        self._end(outcome.id, f"facilitator: {c.reason}")
        fire(self, "end_now")

    def _last_resolved_turn(self) -> int:
        """The turn an undo or override applies to: the latest one adjudicated.

        When the facilitator ended the game during a turn's orders, that turn
        is the one to reopen."""
        turn = self.state.turn
        if self.phase == "debrief" and turn >= 1:
            return turn
        if self.phase == "orders" and turn >= 2:
            return turn - 1
        raise PhaseError("there is no finished turn to take back")

    def _do_undo_turn(self, c: cmd.UndoTurn) -> None:
        self._need_phase("orders", "debrief", doing="undo a turn")
        turn = self._last_resolved_turn()
        self._undo_to(turn, c.reason, c.fresh_dice)

    def _undo_to(self, turn: int, reason: str, fresh_dice: bool = False) -> None:
        self._emit(ev.TurnUndone(self.turn, turn, reason, fresh_dice))
        self._emit(ev.OrdersOpened(turn))  # where the new attempt at the turn starts
        if fresh_dice:
            self.dice_rounds[turn] = self.dice_rounds.get(turn, 0) + 1
        self.pending = {}
        self.overrides = {k: v for k, v in self.overrides.items() if k[0] < turn}
        fire(self, "undo")

    def override_refusal(self) -> str | None:
        """Why no roll of the last turn can be overridden now; None when one can
        (for a White Cell menu that offers only what it can do)."""
        if self.phase not in ("orders", "debrief") or not (self.state.turn >= 2 or self.phase == "debrief"):
            return "no turn played yet"
        turn = self._last_resolved_turn()
        if self.pending:
            return "a team has already given orders for the next turn"
        if not any(isinstance(e, ev.RollMade) and e.roll is not None for e in self.attempt(turn)):
            return f"turn {turn} had no dice rolls"
        acted = next((e for e in self.attempt(turn + 1) if ev.by_white_cell(e)), None)
        if acted is not None:  # its re-run would repeat them out of order
            done = "news posted" if type(acted) is ev.NewsPublished else "an inject fired"
            return f"{done} in turn {turn + 1} closed it: a roll is overridden before any news or inject"
        return None

    def _do_override_roll(self, c: cmd.OverrideRoll) -> None:
        self._need_phase("orders", "debrief", doing="override a roll")
        turn = self._last_resolved_turn()
        if self.pending:
            raise PhaseError("override rolls before any team gives orders for the next turn")
        attempt = self.attempt(turn)
        if not any(isinstance(e, ev.RollMade) and e.key == c.key and e.roll is not None for e in attempt):
            raise GameError(f"no dice were rolled for '{c.key}' in turn {turn}")
        if any(ev.by_white_cell(e) for e in self.attempt(turn + 1)):
            raise PhaseError("a roll can be overridden only before other White Cell acts in the next turn")
        revealed = next(i for i, e in enumerate(attempt) if isinstance(e, ev.OrdersRevealed))
        before_orders = [e for e in attempt[:revealed] if ev.by_white_cell(e)]
        submitted = {e.role: e for e in attempt[:revealed] if isinstance(e, ev.OrdersSubmitted)}
        self._emit(ev.RollOverridden(turn, c.key, c.success, c.reason))
        # The re-run keeps the White Cell's earlier rulings on this turn's rolls (an undo drops them).
        this_turn = {k: v for k, v in self.overrides.items() if k[0] == turn}
        self._undo_to(turn, f"re-run with the override of {c.key}")
        self.overrides.update(this_turn)
        self.overrides[(turn, c.key)] = (c.success, c.reason)
        # The re-run repeats the turn as it was played: the White Cell's acts
        # during its orders phase, then every team's orders.
        for e in before_orders:
            if isinstance(e, ev.InjectFired):
                self._fire_inject(self.rules.injects[e.inject], forced=True)
            else:
                self._emit(ev.NewsPublished(turn, e.text, e.source))
        for role in self.rules.role_ids:
            if role in submitted:
                s = submitted[role]
                self._emit(ev.OrdersSubmitted(turn, s.role, s.actions, s.player, s.reasons, s.why, s.intent))
        self._do_resolve(cmd.Resolve())

    def attempt(self, turn: int) -> list[ev.Event]:
        """The events of the attempt at `turn` that counts: from its latest opening."""
        opened = max(
            (i for i, e in enumerate(self.log) if isinstance(e, ev.OrdersOpened) and e.turn == turn),
            default=len(self.log),
        )
        return [e for e in self.log[opened:] if e.turn == turn]

    def last_resolved_turn(self) -> int:
        """The latest turn whose results count (0 before the first): a turn the White Cell
        took back is not, nor a turn it ended the game in before its orders were revealed."""
        if self.phase == "debrief":
            resolved = any(type(e) is ev.OrdersRevealed for e in self.attempt(self.turn))
            return self.turn if resolved else max(self.turn - 1, 0)
        return max(self.turn - 1, 0) if self.phase == "orders" else 0

    # ------------------------------------------------------- the event log

    def _emit(self, event: ev.Event) -> None:
        """Log `event` and apply it to the state. (The adjudication's hottest loops log
        track changes, rolls and news themselves: see `Adjudication._apply`.)"""
        self._unread.append(event)
        kind = type(event)
        if kind in ev.CHANGES_STATE:  # most events only record: no call to a no-op `apply`
            event.apply(self.state)
            self._version += 1  # the options worked out before may no longer hold
        elif kind is ev.OrdersSubmitted:
            event = cast(ev.OrdersSubmitted, event)  # mypy narrows `type(event) is`, not this alias of it
            self.pending[event.role] = event  # secret until the turn resolves; the state is unchanged
        if kind is ev.OrdersOpened:
            self._opened_at[event.turn] = self._log_length()
            self._version += 1
        elif kind is ev.TurnUndone:
            # The state as it was when the undone turn's orders opened: the log up to there,
            # replayed. An undo is rare; a copy of the state kept at every turn in case of one
            # cost 1.5% of a game.
            undone = cast(ev.TurnUndone, event).undone
            self.state = replay(self.loaded, self.log[: self._opened_at[undone]])
            self._version += 1
