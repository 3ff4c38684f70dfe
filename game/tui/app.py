"""The Textual app: a thin face on a workshop session at one hot-seat table.

It asks the session what the table shows now (`Session.table_stage`), shows
the screen for it, and passes on what the teams do. The flow itself (who is
at the keyboard, what each team has read, the clocks, the White Cell's acts)
is the session's. The app keeps only what belongs to a keyboard and a screen:
keys typed ahead across a hand-over are dropped, and messages meant for one
team never stay on screen for the next.
"""

from __future__ import annotations

import secrets
import time
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from game.tui.base import SeatApp
from game.tui.screens.dialogs import Ask, Confirm, WaitingScreen
from game.tui.screens.title import TitleScreen
from game.workshop.flow import TABLE

# The rules, the workshop session and the screens of a game are imported where first
# needed, not with this module: they take about half a second to import, and the title
# screen is drawn without them (its worker reads the scenarios).
if TYPE_CHECKING:
    from game.scenario.loader import Loaded
    from game.tui.desk import LocalDesk
    from game.workshop.session import Session, Settings


class CrisisApp(SeatApp):
    TITLE = "crisis-sim"
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("ctrl+s", "save", "Save"),
        Binding("w", "facilitator", "White Cell"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("escape", "hide_keys", "Close the keys panel", show=False),
    ]

    def __init__(
        self,
        scenarios_dir: Path,
        saves_dir: Path,
        scenario: Path | None = None,
        seed: int | None = None,
        handover_delay: float = 0.5,
        handover_key: str | None = None,
        clock=time.monotonic,
    ):
        super().__init__(handover_delay)  # seconds of keys dropped around a hand-over
        self.default_seed = seed  # None: a fresh random seed for each game
        # The key that passes a hand-over: None, a new random digit each time (tests may fix one).
        self.handover_key = handover_key
        self.clock = clock  # the session's clock for the turn timers
        self.scenarios_dir = scenarios_dir
        self.saves_dir = saves_dir
        self.start_scenario = scenario
        self.session: Session | None = None
        self.desk: LocalDesk | None = None
        self.stopped_for_size = False  # the clocks stopped while the terminal was too small
        self.white_cell_called = False  # the White Cell's passphrase question is open
        self.held_for_white_cell = False  # the clocks stopped while the White Cell was open
        self.held: typing.IO[bytes] | None = None  # the claim on the resumed autosave (`claim`)

    # -------------------------------------------------------------- start

    def on_mount(self) -> None:
        self.set_interval(1, self.tick)
        self.call_after_refresh(self.check_size)
        if self.start_scenario is None:
            self.push_screen(TitleScreen(self.scenarios_dir, self.saves_dir))
            return
        from game.scenario import ScenarioError, load
        from game.tui.screens.setup import SetupScreen

        try:
            loaded = load(self.start_scenario)
        except ScenarioError as exc:
            self.push_screen(TitleScreen(self.scenarios_dir, self.saves_dir))
            self.tell(f"{self.start_scenario} has errors:\n" + "\n".join(map(str, exc.diagnostics[:5])), "error", 15)
            return
        self.push_screen(SetupScreen(loaded, self.default_seed))

    def show_title(self) -> None:
        self.let_go()
        self.session = self.desk = None
        self.show(TitleScreen(self.scenarios_dir, self.saves_dir))

    def open_setup(self, loaded: Loaded) -> None:
        from game.tui.screens.setup import SetupScreen

        self.show(SetupScreen(loaded, self.default_seed))

    def start_game(self, loaded: Loaded, settings: Settings, passphrase: str | None = None) -> None:
        from game.tui.desk import LocalDesk
        from game.workshop.session import Session

        self.session = Session.new(loaded, settings, self.saves_dir, clock=self.clock)
        self.let_go()
        if self.session.autosave_to is not None:  # its own: no host, nor `crisis passphrase`, writes it meanwhile
            self.held = self.claim(self.session.autosave_to) or None
        self.desk = LocalDesk(self.session)
        self.advance()
        if passphrase:  # made up at setup: for the facilitator's eyes only, before any team sits down
            from game.tui.screens.passphrase import PassphraseScreen

            self.quiet()  # a key typed ahead must not close it unread
            self.push_screen(PassphraseScreen(passphrase))

    def resume(self, path: Path) -> None:
        from game.scenario import ScenarioError
        from game.tui.desk import LocalDesk
        from game.workshop.saves import SaveError
        from game.workshop.session import Session

        held = self.claim(path)
        if held is False:
            self.tell(
                f"Cannot load {path.name}: it is open elsewhere (crisis host, or another crisis-sim window); "
                "close it there first.",
                "error",
                12,
            )
            return
        try:
            session = Session.resume(path, saves_dir=self.saves_dir, clock=self.clock, search=(self.scenarios_dir,))
        except (SaveError, ScenarioError) as exc:
            if held:
                held.close()
            self.tell(f"Cannot load {path.name}: {exc}", "error", 12)
            return
        self.let_go()
        self.held = held
        self.session = session
        self.desk = LocalDesk(session)
        self.tell(f"Loaded {path.name}: turn {session.game.turn}.")
        self.advance()

    @staticmethod
    def claim(path: Path) -> typing.IO[bytes] | typing.Literal[False] | None:
        """This app's claim on the autosave it resumes, which it goes on writing (saves.claim):
        False when a host (or another window) has the game open (each would write over the
        other's, and one game be lost); None for a save made by hand (the game goes on in a new autosave) or
        where no claim can be made (a read-only folder: the game is read all the same)."""
        from game.workshop.saves import claim

        if not path.name.startswith("autosave-"):
            return None
        try:
            held = claim(path)
        except (OSError, ValueError):
            return None
        return False if held is None else held

    def let_go(self) -> None:
        """Give up the claim on the game left."""
        if self.held:
            self.held.close()
        self.held = None

    def on_unmount(self) -> None:
        self.let_go()  # the app is closing: the game is another's to open

    # ------------------------------------------------------- the game flow

    def advance(self) -> None:
        """Show whatever the table needs next."""
        from game.tui.screens.briefing import HandOverScreen, PrivateBriefingScreen, PublicBriefingScreen
        from game.tui.screens.end import EndScreen
        from game.tui.screens.orders import OrdersScreen
        from game.tui.screens.results import ResultsScreen
        from game.workshop.session import END, HAND_OVER, ORDERS, PRIVATE_BRIEFING, PUBLIC_BRIEFING, RESULTS

        session, desk = self.session, self.desk
        if session is None or desk is None:
            return self.show_title()
        if session.autosave_error:
            self.tell(session.autosave_error, "error", 10)
        stage = session.table_stage()
        if stage.kind == PUBLIC_BRIEFING:
            return self.show(PublicBriefingScreen(desk.briefing(TABLE), self.briefed_public), TABLE)
        if stage.kind == HAND_OVER:
            purposes = {
                PRIVATE_BRIEFING: "Your private briefing follows.",
                ORDERS: f"Your orders for turn {stage.turn}.",
            }
            purpose = purposes.get(stage.then or "", "")
            key = self.handover_key or self.fresh_handover_digit()
            return self.show(HandOverScreen(session.name(stage.seat), purpose, self.keyboard_taken, key), None)
        if stage.kind == PRIVATE_BRIEFING:
            role = stage.seat
            return self.show(PrivateBriefingScreen(desk.briefing(role), lambda: self.briefed_private(role)), role)
        if stage.kind == ORDERS:
            session.orders_shown(stage.seat)
            self.show(OrdersScreen(desk, stage.seat), stage.seat)
            self.tell_messages(stage.seat)  # after show, which clears the last seat's
            return None
        if stage.kind == RESULTS:
            turn = stage.turn
            view = desk.results(TABLE, turn)
            return self.show(ResultsScreen(view, desk.situation(TABLE), lambda: self.results_read(turn)), TABLE)
        if stage.kind == END:
            return self.show(EndScreen(desk.end(TABLE), self.show_review), TABLE)
        if session.ready():
            self.show(WaitingScreen("The turn is being resolved…"), TABLE)
            self.resolve_turn()
        return None

    def fresh_handover_digit(self) -> str:
        """A digit the last team could not have typed ahead: random, and not the last one."""
        last = getattr(self, "_last_handover_digit", None)
        digit = secrets.choice([d for d in "123456789" if d != last])
        self._last_handover_digit = digit
        return digit

    @property
    def playing(self) -> Session:
        """The session of the game on: the screens that call for it exist only while there is one."""
        assert self.session is not None, "no game is on"
        return self.session

    def keyboard_taken(self) -> None:
        from game.workshop.session import HAND_OVER

        session = self.session
        stage = session.table_stage() if session else None
        if session is None or stage is None or stage.kind != HAND_OVER:
            return
        session.take_keyboard(stage.seat)
        self.advance()  # a second Enter is dropped: it must not choose an order on the screen behind

    def briefed_public(self) -> None:
        self.playing.read_public(TABLE)
        self.advance()

    def briefed_private(self, role: str) -> None:
        self.playing.read_private(role)
        self.advance()

    def results_read(self, turn: int) -> None:
        self.playing.seen_results(TABLE, turn)
        self.advance()

    def orders_given(self, role: str, actions: list[str], why: str = "", intent: str = "") -> None:
        from game.engine import GameError

        try:
            self.playing.submit(role, actions, why, intent)
        except GameError as exc:
            self.tell(str(exc), "error", 8)
            return
        self.advance()

    def tick(self) -> None:
        """Once a second: run out the clocks, and show them."""
        session = self.session
        if session is None or not self.is_running:  # closing: the screens' widgets are being removed
            return
        from game.tui.screens.orders import OrdersScreen

        self.white_cell_holds_the_clocks(session)
        expired = session.tick()
        screen = self.main_screen
        if expired:
            for role in expired:
                session.take_messages(role)  # at one table, the teams learn it together:
            on_screen = isinstance(screen, OrdersScreen) and screen.role in expired
            if on_screen:
                self.advance()
                names = ", ".join(session.name(r) for r in expired)
                self.tell(f"Time is up for {names}: the orders were sent as the rules say.", "warning")
        elif isinstance(screen, OrdersScreen):
            screen.update_clock()

    @work(thread=True, exclusive=True, group="adjudication")
    def resolve_turn(self) -> None:
        """Bots choose and the turn resolves, off the UI thread."""
        self.playing.resolve()
        self.call_from_thread(self.advance)

    def show_review(self) -> None:
        from game.tui.screens.review import ReviewScreen

        self.show(ReviewScreen(self.playing), TABLE)

    def after_facilitator(self) -> None:
        """After a White Cell act: the same team keeps its screen when it still can."""
        from game.tui.screens.orders import OrdersScreen
        from game.workshop.session import ORDERS

        screen = self.main_screen
        stage = self.playing.table_stage()
        if isinstance(screen, OrdersScreen) and stage.kind == ORDERS and stage.seat == screen.role:
            screen.refresh_after_white_cell()
            self.tell_messages(screen.role)
            return
        self.advance()

    def tell_messages(self, seat: str) -> None:
        """The session's messages for the seat on screen (news just in, time up)."""
        if self.session is not None:
            for message in self.session.take_messages(seat):
                self.tell(message.text, message.severity, 12)

    def action_show_title(self) -> None:
        self.show_title()

    # -------------------------------------------------------- app actions

    def action_sources(self) -> None:
        from game.tui.screens.sources import SourcesScreen

        if self.session is not None:
            self.push_screen(SourcesScreen(self.session.scenario))
        else:
            self.tell("Start or load a game to see its sources.")

    def action_save(self) -> None:
        session = self.session
        if session is None:
            self.tell("There is no game to save yet.")
            return
        done = session.last_resolved_turn()
        default = f"{session.scenario.id}-after-turn{done}" if done >= 1 else f"{session.scenario.id}-start"

        def write(name: str) -> None:
            try:
                path = session.save(name)
            except OSError as exc:
                self.tell(f"Could not save: {exc.strerror or exc}", "error", 10)
                return
            self.tell(f"Saved to {path}")

        def named(name: str | None) -> None:
            if not name:
                return
            path = session.save_path(name)
            if path.exists() and path != session.last_save:
                self.push_screen(
                    Confirm(f"Replace {path.name}?", "A saved game of that name exists."),
                    lambda yes: write(name) if yes else None,
                )
            else:
                write(name)

        self.push_screen(Ask(f"Save the game as (in {session.saves_dir}/):", default), named)

    def game_waits(self, waiting: bool) -> None:
        """The teams' clocks stop while the terminal is too small to play on, as its message
        says, and go on after (unless the White Cell paused them, which stays as it was)."""
        session = self.session
        if session is None or not session.settings.timer_minutes:
            return
        if waiting and not session.clocks.paused:
            session.clocks.pause(True)
            self.stopped_for_size = True
        elif not waiting and self.stopped_for_size:
            session.clocks.pause(False)
            self.stopped_for_size = False

    def white_cell_holds_the_clocks(self, session: Session) -> None:
        """The teams' clocks stop while the White Cell (or its passphrase question) is open over
        a team's screen: the facilitator's interruption must not cost a team its time. They go
        on when it closes, unless the White Cell restarted them itself (or they were paused
        before it opened, which stays as it was)."""
        from game.tui.screens.facilitator import FacilitatorScreen

        if not session.settings.timer_minutes:
            return
        open_now = self.white_cell_called or any(isinstance(s, FacilitatorScreen) for s in self.screen_stack)
        if open_now and not self.held_for_white_cell:
            self.held_for_white_cell = not session.clocks.paused
            if self.held_for_white_cell:
                session.clocks.pause(True)
        elif not open_now and self.held_for_white_cell:
            self.held_for_white_cell = False
            if session.clocks.paused:
                session.clocks.pause(False)

    def action_facilitator(self) -> None:
        from game.tui.desk import LocalWhiteCell
        from game.tui.screens.facilitator import FacilitatorScreen

        session = self.session
        if session is None:
            self.tell("Start or load a game first.")
            return

        self.white_cell_called = True  # the clocks stop from the question on
        self.white_cell_holds_the_clocks(session)

        def answered(passphrase: str | None) -> None:
            if passphrase is None:
                self.white_cell_called = False
                return
            if session.settings.opens_white_cell(passphrase):
                self.clear_notifications()
                self.push_screen(FacilitatorScreen(LocalWhiteCell(session)))
                self.white_cell_called = False  # the screen holds them now
            else:
                # Asked again, not closed: what the facilitator types next would otherwise land
                # on the screen behind (a digit of it could open a team's hand-over).
                self.push_screen(
                    Ask("That is not the White Cell passphrase. Try again:", password=True),
                    answered,
                )

        def entered(yes: bool | None) -> None:
            if yes:
                self.push_screen(FacilitatorScreen(LocalWhiteCell(session)))
            self.white_cell_called = False

        if session.settings.white_cell_lock is None:  # a game saved before passphrases were required
            self.push_screen(
                Confirm(
                    "Enter the White Cell (facilitator mode)?",
                    "This game has no White Cell passphrase: any team could look at every team's secrets.",
                ),
                entered,
            )
            return
        self.push_screen(Ask("White Cell passphrase:", password=True), answered)

    async def action_quit(self) -> None:
        if self.session is None or self.session.game.phase == "setup":
            self.exit()
            return
        over = self.session.game.over
        detail = (
            _unsaved(self.session.autosave_error)
            if self.session.autosave_error
            else "The game and its review stay in its autosave; open it again from the title screen."
            if over
            else "It is saved after every order and every turn, choices in progress included; "
            "resume it from the title screen."
        )

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(Confirm("Quit crisis-sim?", detail), confirmed)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Keys that need a game are hidden until there is one."""
        if action == "hide_keys":
            return bool(self.screen.query("HelpPanel"))
        return not (action in ("save", "facilitator") and self.session is None)

    def game_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        if self.session is None:  # the title screen or setup: nothing to save, no sources yet
            return
        yield SystemCommand("Save the game", "Save a copy of the game in saves/", self.action_save)
        yield SystemCommand("Sources", "The scenario's sources: reported fact or fiction", self.action_sources)
        yield SystemCommand(
            "White Cell", "Facilitator mode: reveal, inject, override, undo, end", self.action_facilitator
        )
        yield SystemCommand("Title screen", "Leave this game (it is autosaved)", self.leave_game)

    def leave_game(self) -> None:
        """Back to the title screen; first asked, when the game's autosave failed (leaving
        would lose what it has not saved)."""
        session = self.session
        if session is None or not session.autosave_error:
            self.show_title()
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.show_title()

        self.push_screen(Confirm("Leave this game?", _unsaved(session.autosave_error)), confirmed)


def _unsaved(autosave_error: str) -> str:
    """Why leaving a game whose autosave failed loses it, and what to do instead."""
    return (
        f"The last {autosave_error}: what happened since is not saved, and leaving would lose it. "
        "Mend the saves folder first, then save with ctrl+s."
    )
