"""How a turn is decided: the rules the turn flow machine calls once orders are in.

`Adjudication` is the half of `Game` that applies the scenario's rules: it opens
turns, resolves orders in their order with the dice, fires injects, moves the
ladder and checks for the end. Every decision is emitted as an event through
`Game._emit`; nothing here reads commands or the interface. (`Game` in
`game.py` is the other half: it checks commands and holds the log.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from game.engine import events as ev
from game.engine.rules import FLAG, FORMULA, TRACK, run

if TYPE_CHECKING:
    from game.engine.dice import TurnDice
    from game.engine.rules import EffectOp, InjectRule, LadderCursor, OrderPlan, ResultRule, Rules
    from game.engine.state import GameState
    from game.scenario.model import Scenario


class Adjudication:
    """The flow callbacks of a game (see `rules.FLOW`); mixed into `Game`."""

    # Provided by Game.
    rules: Rules
    state: GameState
    seed: int
    max_turns: int
    pending: dict[str, ev.OrdersSubmitted]
    overrides: dict[tuple[int, str], tuple[bool, str]]
    dice_rounds: dict[int, int]
    dice: TurnDice
    _cursor: LadderCursor
    _emit: Callable[[ev.Event], None]
    _unread: list[ev.Event | ev.Record]  # what was logged since the log was last read

    @property
    def scenario(self) -> Scenario:  # Game's: the loaded scenario's
        raise NotImplementedError

    _version: int

    @property
    def turn(self) -> int:
        return self.state.turn

    @property
    def over(self) -> bool:
        return self.state.outcome is not None

    def _on_begin(self) -> None:
        self._emit(ev.GameStarted(0, self.scenario.id, self.seed, self.max_turns, self.state.level))

    def _start_turn(self) -> None:
        state = self.state
        turn = state.turn + 1
        self.pending = {}
        # What `_emit` does with TurnBegan, its `apply` inline, the event as a compact record.
        self._unread.append((ev.TurnBegan, turn))
        state.turn, state.push = turn, 0
        self._version += 1
        if turn > 1:
            self._apply(self.rules.per_turn_effects, ev.PER_TURN)
            for flag, turns in self.rules.expiring:
                if state.flags[flag] and turn - state.last_turn.get(flag, 0) >= turns:
                    self._emit(ev.FlagSet(turn, flag, False, ev.EXPIRED))
        self._emit(ev.OrdersOpened(turn))

    def _adjudicate(self) -> None:
        rules, turn, state = self.rules, self.turn, self.state
        orders = tuple((r, self.pending[r].actions) for r in rules.role_ids)
        queue = []
        for role, actions in orders:
            plans = rules.order_plans[role]
            for position, action_id in enumerate(actions):
                plan = plans[action_id]
                # Sorted by rank, then position, role and action id: never as far as the plan.
                queue.append((plan.rank, position, role, action_id, plan))
        # What `_emit` does with OrdersRevealed, its `apply` inline with the keys of the plans.
        self._unread.append((ev.OrdersRevealed, turn, orders))
        state.orders = frozenset([order[4].key for order in queue])
        self._version += 1
        queue.sort()
        for _, _, role, action_id, plan in queue:
            self._resolve_order(role, action_id, plan)

    def _resolve_order(self, role: str, action_id: str, plan: OrderPlan) -> None:
        state, key = self.state, plan.key
        # What `_emit` does with ActionTaken, its `apply` inline: an order counts as used.
        # Logged as its compact record (`ev.Record`), as are rolls, news and track changes.
        self._unread.append((ev.ActionTaken, state.turn, role, action_id))
        state.uses[key] = state.uses.get(key, 0) + 1
        state.last_turn[key] = state.turn
        self._version += 1
        if plan.cost:  # (half the orders cost nothing: no call to apply nothing)
            self._apply(plan.cost, plan.cost_cause)
        if plan.signal is not None:
            # Into the log without `_emit`, as a compact record: a signal only records.
            self._unread.append((ev.SignalSent, state.turn, role, action_id, plan.signal.render(state)))
        main_succeeded = made_news = False
        for index, result in enumerate(plan.results):
            if result.needs_main and not main_succeeded:
                continue  # a further effect of a main result that failed: nothing to roll for
            success = self._roll(result)
            if index == 0:
                main_succeeded = success
            if success:
                if result.effects:
                    self._apply(result.effects, key)
                if result.news is not None:
                    self._news(result.news.render(self.state), "action", key)
                    made_news = True
                if result.reveal is not None:
                    self._reveal(role, result.reveal)
            else:
                if result.failure_effects:
                    self._apply(result.failure_effects, key)
                if result.failure_news is not None:
                    self._news(result.failure_news.render(self.state), "action", key)
                    made_news = True
        if made_news and plan.covert:
            self._attribute(role, action_id, key)

    def _die(self, key: str) -> int:
        """The roll of 1..100 for `key` this turn; a turn taken back with fresh dice rolls anew."""
        turn = self.state.turn
        renewed = self.dice_rounds.get(turn)
        return self.dice.d100(turn, f"{key}~{renewed}" if renewed else key)

    def _roll(self, rule: ResultRule | InjectRule) -> bool:
        """Whether what `rule` rolls for succeeds this turn; the roll is logged unless it
        was a certainty (a chance of 0 or 100 that no modifier or ruling touched)."""
        state = self.state
        modifiers, base = rule.modifiers, rule.base
        if modifiers:
            held, added = [], 0.0  # a loop, not a generator: a game asks about 150 modifiers
            for m in modifiers:
                if m.holds(state):
                    held.append((m.reason, m.add))
                    added += m.add
            applied = tuple(held)
            chance = min(100.0, max(0.0, base + added))
        else:
            applied, chance = (), base
        if 0 < chance < 100:
            roll = self._die(rule.key) if self.dice_rounds else self.dice.d100(state.turn, rule.key)
            by_rules = roll <= chance
        else:
            roll, by_rules = None, chance >= 100
        override = self.overrides.get((state.turn, rule.key)) if self.overrides else None
        success = override[0] if override else by_rules
        if roll is None and not applied and not override:
            return success  # a certainty, not a roll: nothing for the debrief to show
        # Into the log without `_emit`: a roll only records (RollMade has no `apply`).
        self._unread.append(
            (
                ev.RollMade,
                state.turn,
                rule.key,
                rule.label,
                base,
                applied,
                chance,
                roll,
                success,
                by_rules,
                override[1] if override else None,
                *rule.about,
            )
        )
        return success

    def _reveal(self, role: str, reveal) -> None:
        """Intelligence: show `role` what the watched team ordered this turn and holds now."""
        target = reveal.role
        orders = self.pending[target].actions if reveal.orders else None
        values = self.state.values
        tracks = tuple((f"{target}.{t}", values[f"{target}.{t}"]) for t in reveal.tracks)
        self._emit(ev.Revealed(self.turn, role, target, orders, tracks))

    def _attribute(self, role: str, action_id: str, key: str) -> None:
        """Who the world says did a covert order: one roll against the scenario's readings."""
        readings = self.rules.attributions[key]
        roll: int | None = None
        claimed_by = blamed_on = None
        if readings:
            roll = self._die(f"{key}@attribution")
            upto = 0.0
            for claimant, blamed, chance in readings:
                upto += chance
                if roll <= upto:
                    claimed_by, blamed_on = claimant, blamed
                    break
        self._unread.append((ev.Attributed, self.turn, role, action_id, claimed_by, blamed_on, roll))  # only records

    def _apply(self, effects: tuple[EffectOp, ...], cause: str) -> None:
        state = self.state
        values, log, turn = state.values, self._unread, state.turn
        # What `_emit` does with each TrackChanged and FlagSet, inline, without the calls to
        # `_emit` and to the event's `apply` (a game changes tracks about 250 times): log
        # it, change the state as its `apply` does, and mark the state changed (once, at the
        # end: nothing reads the options in between). tests/test_engine_shortcuts.py holds
        # these shortcuts to `_emit`.
        for op in effects:
            kind = op.kind
            if kind <= FORMULA:  # TRACK or FORMULA: a track changes
                old = values[op.key]
                new = old + (op.value if kind == TRACK else op.value.fn(state))
                new = op.low if new < op.low else op.high if new > op.high else new
                if new != old:
                    log.append((ev.TrackChanged, turn, op.key, old, new, cause))  # a compact record
                    values[op.key] = new
            elif kind == FLAG:
                # Setting a flag that is already set still sets it: `turns_since` counts
                # from this turn and a flag that `expires` holds its full time again.
                if op.value:
                    log.append((ev.FlagSet, turn, op.key, True, cause))
                    state.flags[op.key] = True
                    state.last_turn[op.key] = turn
                elif state.flags[op.key]:
                    log.append((ev.FlagSet, turn, op.key, False, cause))
                    state.flags[op.key] = False
            elif op.value:  # PUSH
                self._emit(ev.LadderPushed(turn, op.value, cause))
        self._version += 1

    def _news(self, text: str, source: str, ref: str | None, basis: str | None = None) -> None:
        # Into the log without `_emit`: news only records (NewsPublished has no `apply`).
        self._unread.append((ev.NewsPublished, self.state.turn, text, source, ref, basis))

    def _fire_injects(self) -> None:
        state = self.state
        turn, fired = state.turn, state.fired
        for rule in self.rules.inject_rules:
            if rule.turns is not None and turn not in rule.turns:
                continue
            if not rule.repeat and fired.get(rule.id):
                continue
            if rule.when is not None and not rule.when(state):
                continue
            if self._roll(rule):
                self._fire_inject(rule.inject, forced=False)

    def _fire_inject(self, inject, forced: bool) -> None:
        # What `_emit` does with InjectFired, its `apply` inline, the event as a compact record.
        state = self.state
        self._unread.append((ev.InjectFired, state.turn, inject.id, forced))
        state.fired[inject.id] = state.fired.get(inject.id, 0) + 1
        self._version += 1
        self._apply(self.rules.inject_effects[inject.id], ev.inject_cause(inject.id))
        basis = inject.provenance.basis if inject.provenance else None
        self._news(inject.news.render(self.state), "inject", inject.id, basis)

    def _escalate(self) -> None:
        state, ladder, cursor = self.state, self.rules.ladder, self._cursor
        if state.push:
            cursor.level = state.level
            push = ladder.events.get("push_up" if state.push > 0 else "push_down")
            for _ in range(abs(state.push)):
                if push is None or not push.transitions.get(cursor.level):
                    break  # the next level is terminal, or the end of the ladder
                push.trigger(cursor)
            if cursor.level != state.level:
                self._emit(ev.LadderMoved(state.turn, state.level, cursor.level, "push"))
        cursor.level, cursor.fired = state.level, None
        # The machine's transitions from the level, tried in file order: the first whose
        # condition holds is taken. In most turns none does, and trying them costs a few
        # calls per transition for nothing: they are tried when one holds. They are run
        # as the machine's `evaluate` trigger would run them, without its cost (`run`).
        moves = self.rules.ladder_moves
        for holds in moves.guards(state.level):  # a loop, not any() of a generator: every turn asks
            if holds(state):
                run(cursor, moves.plan(state.level), "level", state, cursor)
                break
        if cursor.fired is not None:
            self._emit(ev.LadderMoved(state.turn, state.level, cursor.level, "transition", cursor.fired))
            news = self.scenario.ladder.transitions[cursor.fired].news
            if news is not None:
                self._news(news.render(state), "ladder", cursor.level)

    def _check_end(self) -> None:
        state, rules = self.state, self.rules
        level = rules.levels[state.level]
        if level.outcome:
            return self._end(level.outcome, "terminal level")
        for outcome_id, holds in rules.outcomes_every_turn:
            if holds(state):
                return self._end(outcome_id, "condition")
        if state.turn >= state.max_turns:
            for outcome in self.scenario.outcomes:
                if outcome.when is not None and outcome.when(state):
                    return self._end(outcome.id, "turn limit")
            return self._end(rules.default_outcome.id, "turn limit")
        return None

    def _end(self, outcome_id: str, reason: str) -> None:
        state, outcome = self.state, self.rules.outcomes[outcome_id]
        scores, details = [], []
        for role in self.scenario.roles:
            total = outcome.scores.get(role.id, 0)
            for objective in role.objectives:
                held = bool(objective.when(state))
                details.append((role.id, objective.id, held, objective.points))
                total += objective.points if held else 0
            scores.append((role.id, total))
        self._emit(ev.GameEnded(state.turn, outcome_id, reason, tuple(scores), tuple(details)))

    def _is_over(self) -> bool:
        return self.over
