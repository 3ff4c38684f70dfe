"""A workshop session: one game at the table, and the whole flow around it.

The session owns everything that happens between the engine and the people:
who sits at which role, the briefings each team has read, whose turn it is at
the keyboard (at a hot-seat table), the hand-overs, the turn timers as
deadlines and the pause, every White Cell act, the messages addressed to a
seat, and the autosave after each of them. Faces (the Textual screens, the
network host) ask it what a seat should see now (`stage`) and send it what
the seat did; they hold no flow of their own.

It holds no rules (those are the engine's) and no user interface.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.engine import Game, GameError, Seat
from game.engine import events as ev
from game.engine.orders import spending
from game.players import make_bot
from game.scenario.loader import Loaded
from game.workshop.flow import FACILITATOR, ROOM, TABLE, Clock, Clocks, Flow
from game.workshop.passphrase import check_passphrase, hash_passphrase, passphrase_problem
from game.workshop.saves import SAVES_DIR, SaveError, new_autosave_path, read_save, resolve_scenario, restore, save_game

HUMAN = "human"
# On screens of their own, the teams' clocks start together when the first team leaves a
# turn's results, or at the latest this many seconds after the results came out.
READING_SECONDS = 120.0
EXPIRY = {"keep": "send the orders chosen so far", "bot": "let the doctrine bot decide"}


class FlowError(GameError):
    """A step the workshop's flow does not allow now (not the rules': the table's)."""


@dataclass(slots=True)
class Settings:
    seating: dict[str, str]  # role -> "human" or a bot kind
    seed: int = 1
    max_turns: int | None = None
    timer_minutes: float = 0  # 0: no timer
    on_expiry: str = "keep"
    white_cell_lock: str | None = None  # the passphrase's salted hash (game.workshop.passphrase)

    def saved(self) -> dict[str, Any]:
        return {
            "timer_minutes": self.timer_minutes,
            "on_expiry": self.on_expiry,
            "white_cell_lock": self.white_cell_lock,
        }

    def opens_white_cell(self, passphrase: str) -> bool:
        return self.white_cell_lock is None or check_passphrase(passphrase, self.white_cell_lock)


# What a seat's screen shows now (`Session.stage`, `Session.table_stage`).
PUBLIC_BRIEFING = "public_briefing"
PRIVATE_BRIEFING = "private_briefing"
HAND_OVER = "hand_over"
ORDERS = "orders"
WAITING = "waiting"
RESULTS = "results"
END = "end"


@dataclass(frozen=True, slots=True)
class Stage:
    kind: str
    seat: str  # a team, TABLE, ROOM or FACILITATOR
    turn: int = 0  # the turn it is about (results: the turn resolved)
    then: str | None = None  # hand-over: the stage the team goes on to
    waiting_for: tuple[str, ...] = ()  # waiting: the teams the game waits for


@dataclass(slots=True)
class Message:
    """A line for one seat only ("time is up"); never shown to another."""

    seat: str
    text: str
    severity: str = "information"  # or "warning", "error"


@dataclass(slots=True)
class Session:
    loaded: Loaded
    game: Game
    settings: Settings
    saves_dir: Path = SAVES_DIR
    autosave_to: Path | None = None  # this game's own autosave file
    flow: Flow = field(default_factory=Flow)
    clocks: Clocks = field(default_factory=lambda: Clocks(time.monotonic, 0))
    messages: list[Message] = field(default_factory=list)
    last_save: Path | None = None
    autosave_error: str | None = None
    table: bool = True  # one screen shared by the teams (hot seat), or a screen per seat (network)
    host: dict[str, Any] = field(default_factory=dict)  # a network host's own state, saved with the flow

    # ------------------------------------------------------------ creating

    @classmethod
    def new(
        cls,
        loaded: Loaded,
        settings: Settings,
        saves_dir: Path = SAVES_DIR,
        *,
        clock: Clock = time.monotonic,
        table: bool = True,
        started: dt.datetime | None = None,
    ) -> Session:
        game = Game(loaded, settings.seed, settings.max_turns)
        session = cls(loaded, game, settings, saves_dir, table=table)
        session.clocks = Clocks(clock, settings.timer_minutes * 60)
        session.autosave_to = new_autosave_path(loaded, saves_dir, started or dt.datetime.now())
        game.begin()
        session.autosave()
        return session

    @classmethod
    def resume(
        cls,
        path: Path,
        scenario_path: Path | None = None,
        saves_dir: Path = SAVES_DIR,
        *,
        clock: Clock = time.monotonic,
        table: bool = True,
        search: tuple[Path, ...] = (),
    ) -> Session:
        """Load a save, with the workshop's flow as it was; raises SaveError or
        ScenarioError with a message for the user. The scenario is the file the
        save names, else one in `search`, read only if its content is the one the
        game was played with (`scenario_path`: a file the user chose)."""
        save = read_save(path)
        loaded = resolve_scenario(save, search, scenario_path)
        game = restore(save, loaded)
        kept = save.settings  # checked by read_save
        settings = Settings(
            dict(save.players),
            save.seed,
            save.max_turns,
            kept.get("timer_minutes", 0),
            kept.get("on_expiry", "keep"),
            kept.get("white_cell_lock"),
        )
        session = cls(loaded, game, settings, saves_dir, table=table, last_save=path)
        session.clocks = Clocks(clock, settings.timer_minutes * 60)
        # An autosave goes on in its own file; a save made by hand is left as it was.
        session.autosave_to = path if path.name.startswith("autosave-") else new_autosave_path(loaded, saves_dir)
        flow = save.workshop
        if flow is not None:
            try:
                session.flow = Flow.restored(flow, {TABLE, ROOM, FACILITATOR, *session.teams()})
                host = flow.get("host", {})
                if not isinstance(host, dict):
                    raise ValueError("'host' should be a mapping")
                session.host = host  # the host checks what it reads of it
                session.clocks.pause(bool(flow.get("paused", False)))
                for role, left in (flow.get("clocks") or {}).items():
                    if role in session.teams() and isinstance(left, int | float) and left >= 0:
                        session.clocks.start(role, float(left))
                reading = flow.get("reading")
                if isinstance(reading, int | float) and not isinstance(reading, bool) and reading >= 0:
                    session.clocks.start_reading(float(reading))
                for role, left in (flow.get("readers") or {}).items():
                    if role in session.teams() and isinstance(left, int | float) and left >= 0:
                        session.clocks.start_reading_for(role, float(left))
            except (ValueError, AttributeError) as exc:
                raise SaveError(f"{path}: damaged: {exc}") from None
        else:  # an older save: everyone has read the briefings once the game began
            if game.phase != "briefing":
                session.flow.public_read = {TABLE, *session.teams()}
                session.flow.private_read = set(session.teams())
            session.flow.results_seen = dict.fromkeys([TABLE, *session.teams()], session.last_resolved_turn())
        if table:
            session.flow.keyboard = None  # whoever sits down first gets the hand-over screen
        return session

    # ------------------------------------------------------------- reading

    @property
    def scenario(self):
        return self.loaded.scenario

    def teams(self) -> list[str]:
        return list(self.game.rules.role_ids)

    def is_human(self, role: str) -> bool:
        return self.players()[role] == HUMAN

    def humans(self) -> list[str]:
        return [r for r in self.teams() if self.is_human(r)]

    def players(self) -> dict[str, str]:
        """Who plays each role: "human" or a bot kind. A bot-only role (a party with
        agency, such as Tehran) is always a bot: its doctrine bot unless told which."""
        playable = set(self.game.rules.playable_roles)
        out = {}
        for role in self.teams():
            kind = self.settings.seating.get(role, HUMAN)
            out[role] = kind if role in playable or kind != HUMAN else "doctrine"
        return out

    def name(self, seat: str) -> str:
        if seat in self.game.rules.roles:
            return self.game.rules.roles[seat].name
        return {FACILITATOR: "White Cell", ROOM: "the room", TABLE: "everyone"}.get(seat, seat)

    def last_resolved_turn(self) -> int:
        """The latest turn whose results are known (0 before the first): `Game.last_resolved_turn`."""
        return self.game.last_resolved_turn()

    def turn_events(self, turn: int | None = None) -> list[ev.Event]:
        """The events of the attempt that counts at `turn` (default: the last resolved turn)."""
        return self.game.attempt(self.last_resolved_turn() if turn is None else turn)

    def waiting_for(self) -> list[str]:
        """Human teams whose orders the turn waits for."""
        return [r for r in self.game.waiting_for() if self.is_human(r)]

    def stage(self, seat: str) -> Stage:
        """What `seat`'s own screen shows now (a screen per seat: network play)."""
        game, flow = self.game, self.flow
        if seat == FACILITATOR:
            return Stage(END if game.over else ORDERS if game.phase == "orders" else WAITING, seat, game.turn)
        if game.phase == "briefing":
            if seat not in flow.public_read:
                return Stage(PUBLIC_BRIEFING, seat)
            if seat in self.teams() and seat not in flow.private_read:
                return Stage(PRIVATE_BRIEFING, seat)
            unread = tuple(r for r in self.humans() if r not in flow.private_read)
            return Stage(WAITING, seat, 0, waiting_for=unread)
        if seat in self.teams() and self.is_human(seat) and seat not in flow.public_read and not game.over:
            # Turn 1 started before the team read the situation (or joined): it reads it first.
            return Stage(PUBLIC_BRIEFING, seat, game.turn)
        done = self.last_resolved_turn()
        if done and flow.results_seen.get(seat, 0) < done:
            return Stage(RESULTS, seat, done)
        if game.over:
            return Stage(END, seat, game.turn)
        if seat in self.teams() and self.is_human(seat) and seat not in game.pending:
            if seat not in flow.private_read:  # a team that took over from a bot reads its briefing first
                return Stage(PRIVATE_BRIEFING, seat, game.turn)
            return Stage(ORDERS, seat, game.turn)
        return Stage(WAITING, seat, game.turn, waiting_for=tuple(self.waiting_for()))

    def table_stage(self) -> Stage:
        """What the one shared screen of a hot-seat table shows now, hand-overs included."""
        game, flow = self.game, self.flow
        if game.phase == "briefing":
            if TABLE not in flow.public_read:
                return Stage(PUBLIC_BRIEFING, TABLE)
            role = next((r for r in self.humans() if r not in flow.private_read), None)
            if role is not None:
                return self._at_keyboard(Stage(PRIVATE_BRIEFING, role))
            return Stage(WAITING, TABLE)
        done = self.last_resolved_turn()
        if done and flow.results_seen.get(TABLE, 0) < done:
            return Stage(RESULTS, TABLE, done)
        if game.over:
            return Stage(END, TABLE, game.turn)
        role = next((r for r in self.humans() if r not in game.pending), None)
        if role is not None:
            if role not in flow.private_read:  # a team that took over from a bot reads its briefing first
                return self._at_keyboard(Stage(PRIVATE_BRIEFING, role, game.turn))
            return self._at_keyboard(Stage(ORDERS, role, game.turn))
        return Stage(WAITING, TABLE, game.turn)  # bots and the dice are at work

    def _at_keyboard(self, stage: Stage) -> Stage:
        if self.flow.keyboard == stage.seat:
            return stage
        return Stage(HAND_OVER, stage.seat, stage.turn, then=stage.kind)

    def take_messages(self, seat: str) -> list[Message]:
        """The messages for `seat`, which are then gone."""
        mine = [m for m in self.messages if m.seat == seat]
        self.messages = [m for m in self.messages if m.seat != seat]
        return mine

    def seconds_left(self, role: str) -> float | None:
        return self.clocks.left(role)

    def due_in(self, role: str) -> float | None:
        """Seconds before `role`'s orders are due at the latest: its clock, or for a team still
        on its own reading time, that and a whole turn (None: no clock runs for it)."""
        reading = self.clocks.reader_left(role)
        return self.clocks.left(role) if reading is None else reading + self.clocks.seconds

    # ------------------------------------------------- what the teams do

    def read_public(self, seat: str = TABLE) -> None:
        """`seat` has read the public briefing (TABLE: every team at once); on a screen of its
        own, a team that had not read it when turn 1 began reads it then."""
        late = not self.table and seat in self.teams() and seat not in self.flow.public_read
        if not (late and self.game.phase == "orders"):
            self._need_phase("briefing")
        self.flow.public_read.update([TABLE, *self.teams()] if seat == TABLE else [seat])
        self.flow.keyboard = None
        if self.game.phase == "briefing" and not self.humans():
            self._start_play()  # bots in every seat (a demonstration): no private briefing to wait for
        self.autosave()

    def take_keyboard(self, role: str) -> None:
        """At a hot-seat table, `role` has the keyboard now (it pressed Enter at its hand-over)."""
        stage = self.table_stage()
        if stage.kind != HAND_OVER or stage.seat != role:
            raise FlowError(f"it is not the {self.name(role)} team's turn at the keyboard")
        self.flow.keyboard = role
        self.autosave()

    def orders_shown(self, role: str) -> None:
        """`role`'s orders screen is in front of it: its turn timer starts (once per turn)."""
        self._start_clock(role)

    def team_away(self, role: str) -> None:
        """Nobody sits at `role`'s seat while the turn is open (networked play): its timer
        runs all the same, or the turn would wait for it for ever (the others' start when
        the first of them leaves the results, or when the reading time is over: with them, as
        a team just reconnecting to a restarted host is away too)."""
        if self.game.phase == "orders" and self.clocks.reading is None:
            self._start_clock(role)

    def read_private(self, role: str) -> None:
        """`role` has read its private briefing: before turn 1, or after taking over from a bot."""
        self._need_team(role)
        taking_over = self.game.phase == "orders" and role not in self.flow.private_read
        if not taking_over:
            self._need_phase("briefing")
        self.flow.private_read.add(role)
        if self.game.phase == "briefing" and all(r in self.flow.private_read for r in self.humans()):
            self._start_play()
        if taking_over and not self.table:  # given back by a bot mid-turn: the turn's time runs from now
            self._start_clock(role)
        self.autosave()

    def draft(self, role: str, actions: Iterable[str]) -> None:
        """What `role` has chosen so far: sent for it if its time runs out, kept in the autosave."""
        self._need_team(role)
        if self.game.phase == "orders" and role not in self.game.pending:
            self.flow.drafts[role] = tuple(actions)
            self.autosave()

    def submit(self, role: str, actions: Iterable[str], why: str = "", intent: str = "") -> None:
        """`role` sends its orders (with an optional one-line reason and reading of the others)."""
        self._need_team(role)
        self.game.submit(role, tuple(actions), HUMAN, **self._reasoning(why, intent))
        self._orders_in(role)

    def seen_results(self, seat: str, turn: int) -> None:
        """`seat` (TABLE: every team at the table) has read the results of `turn`."""
        seats = [TABLE, *self.teams()] if seat == TABLE else [seat]
        for s in seats:
            self.flow.results_seen[s] = max(self.flow.results_seen.get(s, 0), turn)
        self.flow.keyboard = None
        if not self.table and self.game.phase == "orders":
            self._start_turn_clocks()
        self.autosave()

    # ----------------------------------------------------- bots and time

    def ready(self) -> bool:
        """Every human team has given its orders: the turn can be resolved."""
        return self.game.phase == "orders" and not self.waiting_for()

    def resolve(self) -> list[ev.Event]:
        """Bots give their orders and the turn resolves; returns its events."""
        if not self.ready():
            raise FlowError("the turn waits for orders from " + ", ".join(self.name(r) for r in self.waiting_for()))
        game = self.game
        players = self.players()
        for role in self.teams():
            if players[role] != HUMAN and role not in game.pending:
                make_bot(players[role]).play(Seat(game, role))
        turn = game.turn
        game.resolve()
        self.flow.drafts.clear()
        self.clocks.clear()
        self.flow.keyboard = None
        if not self.table and not game.over:
            self.clocks.start_reading(READING_SECONDS)
            if self.clocks.paused and self.clocks.seconds:
                self._still_paused(game.turn)
        self.autosave()
        return game.attempt(turn)

    def tick(self) -> list[str]:
        """Start the clocks when the results' reading time is over; send the orders of every
        team whose time has run out; returns those teams."""
        if self.clocks.reading_over():
            self._start_turn_clocks()
            self.autosave()
        late = self.clocks.readers_done()
        for role in late:  # a seat given back mid-turn, still on its briefings: its time runs now
            self.clocks.readers.pop(role)
            self._start_clock(role)
            self._tell_clock_started(role)
        if late:
            self.autosave()
        expired = [r for r in self.clocks.expired() if self.game.phase == "orders" and r not in self.game.pending]
        for role in expired:
            self.expire(role)
        return expired

    def expire(self, role: str) -> None:
        """`role`'s time ran out: send what it had chosen, or let the doctrine bot decide."""
        game = self.game
        if self.settings.on_expiry == "bot":
            decision = make_bot("doctrine").decide(Seat(game, role))
            actions = decision.actions
            reasons = tuple(f"time ran out; the doctrine bot chose: {r}" for r in decision.reasons)
            told = "Time is up: the doctrine bot gave your orders."
        else:
            actions = self._still_available(role, self.flow.drafts.get(role, ()))
            reasons = ("time ran out; sent as chosen so far",) * len(actions)
            told = (
                "Time is up: your orders were sent as you had chosen them."
                if actions
                else "Time is up: no orders were sent for your team (none had been chosen)."
            )
        game.submit(role, actions, "timeout", reasons)
        self.messages.append(Message(role, told, "warning"))
        self._orders_in(role)

    def _still_available(self, role: str, chosen: tuple[str, ...]) -> tuple[str, ...]:
        """The orders of `chosen` that can still be given together (a White Cell act may have changed that)."""
        kept: list[str] = []
        for action in chosen[: self.game.rules.orders_per_turn[role]]:
            options = self.game.options(role, spending(self.game.rules, role, kept))
            if any(o.action.id == action and o.available for o in options) and action not in kept:
                kept.append(action)
        return tuple(kept)

    # ---------------------------------------------------------- White Cell

    def pause(self, paused: bool | None = None) -> bool:
        """Pause or restart every team's clock (toggle when `paused` is None)."""
        paused = (not self.clocks.paused) if paused is None else paused
        self.clocks.pause(paused)
        self.game.note("paused the clock" if paused else "restarted the clock")
        self.autosave()
        return paused

    def reveal(self) -> None:
        """The facilitator looks at every team's view (recorded for the review)."""
        self.game.note("looked at every team's view")
        self.autosave()

    def fire_inject(self, inject: str) -> None:
        before = len(self.game.log)
        self.game.force_inject(inject)
        self._news_just_in(before)
        self.autosave()

    def preview_inject(self, inject: str) -> str:
        """The news an inject would publish if fired now, with the numbers as they
        would stand after it (played on a copy of the game: nothing changes)."""
        scratch = Game(self.loaded, self.game.seed, self.game.max_turns)
        for command in self.game.commands:
            scratch.execute(command)
        scratch.force_inject(inject)
        news = [e for e in scratch.log[len(self.game.log) :] if type(e) is ev.NewsPublished]
        return " ".join(news[-1].text.split()) if news else ""

    def post_news(self, text: str) -> None:
        before = len(self.game.log)
        self.game.post_news(text)
        self._news_just_in(before)
        self.autosave()

    def _news_just_in(self, since: int) -> None:
        """Tell each team of news the White Cell made during the turn, on its next screen
        (news is public: every team reads the same words)."""
        if self.game.phase != "orders":
            return  # a briefing shows it; after the game, the review does
        for e in self.game.log[since:]:
            if type(e) is ev.NewsPublished:
                for role in self.humans():
                    self.messages.append(Message(role, "News just in: " + " ".join(e.text.split()), "warning"))

    def _still_paused(self, turn: int) -> None:
        """A pause goes on into the next turn: every seat is told, or it reads `05:00 paused` unexplained."""
        said = f"The clock is still paused: turn {turn}'s time starts when the White Cell restarts it."
        for seat in [*self.humans(), ROOM]:
            self.messages.append(Message(seat, said, "warning"))
        restart = f"The clock is still paused: turn {turn}'s time waits until you restart it (w: Pause or restart)."
        self.messages.append(Message(FACILITATOR, restart, "warning"))

    def _tell_teams(self, text: str) -> None:
        """A line for every human team, on its next screen: why its screen went back. What was
        still waiting to be told of the turn taken back ("News just in", "time is up") goes:
        it no longer happened."""
        self.messages = [m for m in self.messages if m.seat not in self.teams()]
        for role in self.humans():
            self.messages.append(Message(role, text, "warning"))

    def white_cell_acts(self) -> dict[str, str | None]:
        """Each White Cell act (pause, reveal, inject, news, override, undo, seat, start,
        end) -> None when it can be done now, else why not, in words for the menu."""
        game, phase = self.game, self.game.phase
        over = "the game is over" if phase == "debrief" else None
        played = (phase == "orders" and game.turn >= 2) or (phase == "debrief" and game.turn >= 1)
        undo = None if played else "no turn played yet"
        return {
            "pause": over or (None if self.settings.timer_minutes else "this game has no turn timer"),
            "reveal": None,
            "inject": over or (None if phase == "orders" else "injects fire during a turn's orders"),
            "news": None,
            "override": game.override_refusal(),
            "undo": undo,
            "seat": over,
            "start": None if phase == "briefing" else "turn 1 has already begun",
            "end": over,
        }

    def override(self, key: str, reason: str) -> bool:
        """Turn a roll of the last turn the other way, with a reason; the turn is
        re-run and every seat sees its results again. Returns the new result."""
        roll = next((e for e in self.turn_events() if type(e) is ev.RollMade and e.key == key), None)
        if roll is None:
            raise FlowError(f"no roll '{key}' in the last turn")
        turn = self.last_resolved_turn()
        self.game.override_roll(key, not roll.success, reason)
        self._results_changed(turn)
        self._tell_teams(f"The White Cell changed a result of turn {turn}: here are its results again.")
        self.autosave()
        return not roll.success

    def undo(self, reason: str, fresh_dice: bool = True) -> None:
        """Take the last turn back; every team orders again (with fresh dice unless told otherwise)."""
        turn = self.last_resolved_turn()
        self.game.undo_turn(reason, **self._fresh(fresh_dice))
        self.flow.drafts.clear()
        self.clocks.clear()
        self._results_changed(turn)
        self.flow.keyboard = None
        if not self.table:
            for role in self.humans():
                self._start_clock(role)
        dice = " (with new dice)" if fresh_dice else ""
        self._tell_teams(f"The White Cell took turn {turn} back: give your orders for it again{dice}.")
        self.autosave()

    def end(self, outcome: str, reason: str) -> None:
        self.game.end_game(outcome, reason)
        self.clocks.clear()
        self.flow.keyboard = None
        self.autosave()

    def hand_to_bot(self, role: str, kind: str) -> None:
        """A bot plays `role` from now on (a team that left); "human" gives it back."""
        self._need_team(role)
        if kind == HUMAN and role not in self.game.rules.playable_roles:
            raise FlowError(f"{self.name(role)} is played only by its bot")
        if kind != HUMAN:
            make_bot(kind)  # a ValueError names the bots there are
        self.settings.seating[role] = kind
        if kind == HUMAN:
            self.flow.private_read.discard(role)  # the people taking the seat read its briefing first
            # As after the results: its clock starts when it has read, at the latest after the
            # same reading time, or the turn waits for ever for a seat nobody reads at.
            mid_turn = not self.table and self.game.phase == "orders" and self.clocks.reading is None
            if mid_turn and not self.clocks.running(role) and role not in self.game.pending:
                self.clocks.start_reading_for(role, READING_SECONDS)
        self.game.note(f"{self.name(role)} is played by {'a human team' if kind == HUMAN else 'the ' + kind + ' bot'}")
        if kind != HUMAN:
            self.clocks.stop(role)
            self.flow.drafts.pop(role, None)
            if self.game.phase == "briefing" and all(r in self.flow.private_read for r in self.humans()):
                self._start_play()
        self.autosave()

    def start_now(self) -> None:
        """The facilitator starts turn 1 without waiting for every team to finish reading."""
        self._need_phase("briefing")
        if self.table:
            self.flow.private_read.update(self.teams())
            self.flow.public_read.update([TABLE, *self.teams()])
        # On screens of their own, a team that had not read its private briefing (or had not
        # joined yet) reads it before its orders, as one that takes over from a bot does; the
        # turn's time runs meanwhile.
        self._start_play()
        self.autosave()

    # -------------------------------------------------------------- saving

    def workshop_state(self) -> dict[str, Any]:
        state = {**self.flow.saved(), "paused": self.clocks.paused, "clocks": self.clocks.saved()}
        reading = self.clocks.reading_left()
        if reading is not None:
            state["reading"] = round(reading, 1)
        if self.clocks.readers:
            state["readers"] = self.clocks.saved_readers()
        if self.host:
            state["host"] = self.host
        return state

    def autosave(self) -> None:
        """Save to this game's autosave file; a failure is kept for the interface to show."""
        if self.autosave_to is None:
            return
        try:
            self._write(self.autosave_to)
            self.autosave_error = None
        except OSError as exc:
            self.autosave_error = f"autosave failed: {exc.strerror or exc}"

    def change_passphrase(self, passphrase: str, path: Path) -> Path:
        """Lock the White Cell with a new passphrase and save the game to `path` (its own
        file): for a facilitator who lost the old one, from the account that owns the saves."""
        problem = passphrase_problem(passphrase)
        if problem is not None:
            raise FlowError(problem)
        self.settings.white_cell_lock = hash_passphrase(passphrase)
        return self._write(path)

    def save_path(self, name: str) -> Path:
        return self.saves_dir / f"{safe_name(name)}.json"

    def save(self, name: str | None = None) -> Path:
        """Save to saves/<name>.json (a name from the scenario and turn if none is given)."""
        stem = name or f"{self.scenario.id}-turn{self.game.turn}"
        path = self._write(self.save_path(stem))
        self.last_save = path
        return path

    def _write(self, path: Path) -> Path:
        return save_game(self.game, path, self.players(), self.settings.saved(), workshop=self.workshop_state())

    # ------------------------------------------------------------ helpers

    def _need_phase(self, phase: str) -> None:
        if self.game.phase != phase:
            raise FlowError(f"that belongs to the {phase} phase; the game is in its {self.game.phase} phase")

    def _need_team(self, role: str) -> None:
        if role not in self.game.rules.roles:
            raise FlowError(f"there is no team '{role}' in this game")

    def _start_play(self) -> None:
        self.game.start_play()
        if not self.table:
            for role in self.humans():
                self._start_clock(role)

    def _start_turn_clocks(self) -> None:
        """On screens of their own, every team's clock starts together: a team still reading the
        results (or its briefings) reads on its own time, and is told so."""
        self.clocks.reading = None
        done = self.last_resolved_turn()
        for role in self.humans():
            if self.clocks.running(role):
                continue
            self._start_clock(role)
            still_reading = self.flow.results_seen.get(role, 0) < done or role not in self.flow.private_read
            if still_reading:
                self._tell_clock_started(role)

    def _tell_clock_started(self, role: str) -> None:
        """Tell a team still reading that its turn's clock started without it."""
        if not self.clocks.running(role):
            return
        yours = f"your {_minutes(self.clocks.seconds)} for turn {self.game.turn}"
        text = (
            f"The turn's clock is set, paused: {yours} start when the White Cell restarts it."
            if self.clocks.paused
            else f"The turn's clock is running: {yours} started now."
        )
        self.messages.append(Message(role, text, "warning"))

    def _start_clock(self, seat: str) -> None:
        human_to_order = seat in self.teams() and self.is_human(seat) and seat not in self.game.pending
        if human_to_order and not self.clocks.running(seat):
            self.clocks.start(seat)

    def _orders_in(self, role: str) -> None:
        self.clocks.stop(role)
        self.flow.drafts.pop(role, None)
        if self.table:
            self.flow.keyboard = role  # until the next team takes it over
        self.autosave()

    def _results_changed(self, turn: int) -> None:
        """The results of `turn` and later changed (an override or an undo): every seat reads them again."""
        for seat, seen in list(self.flow.results_seen.items()):
            self.flow.results_seen[seat] = min(seen, max(turn - 1, 0))

    def _reasoning(self, why: str, intent: str) -> dict[str, str]:
        """The team's own words, for engines that record them."""
        fields = {"why": why.strip(), "intent": intent.strip()}
        return {k: v for k, v in fields.items() if v and k in _SUBMIT_FIELDS}

    def _fresh(self, fresh_dice: bool) -> dict[str, bool]:
        return {"fresh_dice": fresh_dice} if "fresh_dice" in _UNDO_FIELDS else {}


def _fields(cls: type) -> set[str]:
    import dataclasses

    return {f.name for f in dataclasses.fields(cls)}


def _command_fields() -> tuple[set[str], set[str]]:
    from game.engine import commands

    return _fields(commands.Submit), _fields(commands.UndoTurn)


_SUBMIT_FIELDS, _UNDO_FIELDS = _command_fields()


def _minutes(seconds: float) -> str:
    minutes = seconds / 60
    return "1 minute" if minutes == 1 else f"{minutes:g} minutes"


def safe_name(text: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "-_" else "-" for c in text.strip())
    return cleaned.strip("-") or "game"
