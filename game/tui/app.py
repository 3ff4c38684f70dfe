"""The Textual app: a thin conductor that walks a workshop through the game.

It asks the Session what comes next and shows the screen for it; screens call
back (`orders_given`, `briefed_private`...) when a team is done. Bots and the
adjudication of a turn run in a worker thread so the screen never freezes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from game.engine import GameError
from game.engine import events as ev
from game.scenario import ScenarioError, load
from game.scenario.loader import Loaded
from game.tui.screens.briefing import (
    HandOverScreen,
    PrivateBriefingScreen,
    PublicBriefingScreen,
)
from game.tui.screens.dialogs import Ask, Confirm
from game.tui.screens.end import EndScreen
from game.tui.screens.facilitator import FacilitatorScreen
from game.tui.screens.help import HelpScreen
from game.tui.screens.orders import OrdersScreen
from game.tui.screens.results import ResultsScreen
from game.tui.screens.review import ReviewScreen
from game.tui.screens.setup import SetupScreen
from game.tui.screens.sources import SourcesScreen
from game.tui.screens.title import TitleScreen
from game.workshop.saves import SAVES_DIR, SaveError
from game.workshop.session import Session, Settings


class CrisisApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "crisis-sim"
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("ctrl+s", "save", "Save"),
        Binding("w", "facilitator", "White Cell"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        scenarios_dir: Path,
        saves_dir: Path = SAVES_DIR,
        scenario: Path | None = None,
        seed: int | None = None,
        handover_delay: float = 0.6,
    ):
        super().__init__()
        self.default_seed = seed  # None: a fresh random seed for each game
        self.handover_delay = handover_delay  # seconds a hand-over ignores keys
        self.at_keyboard: str | None = None  # the team that has the keyboard now
        self.scenarios_dir = scenarios_dir
        self.saves_dir = saves_dir
        self.start_scenario = scenario
        self.session: Session | None = None
        self.public_briefed = False
        self.briefed: set[str] = set()
        self.clock_paused = False
        # No sliding tab underlines or fades: they cost CPU on every switch and
        # add nothing at a workshop table.
        self.animation_level = "none"

    # -------------------------------------------------------------- start

    def on_mount(self) -> None:
        if self.start_scenario is None:
            self.push_screen(TitleScreen(self.scenarios_dir, self.saves_dir))
            return
        try:
            loaded = load(self.start_scenario)
        except ScenarioError as exc:
            self.push_screen(TitleScreen(self.scenarios_dir, self.saves_dir))
            self.notify(
                f"{self.start_scenario} has errors:\n" + "\n".join(map(str, exc.diagnostics[:5])),
                severity="error",
                timeout=15,
            )
            return
        self.push_screen(SetupScreen(loaded, self.default_seed))

    def show(self, screen: Screen) -> None:
        """Replace the main screen (dialogs stack on top of it)."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) < 2:
            self.push_screen(screen)
        else:
            self.switch_screen(screen)

    def show_title(self) -> None:
        self.session = None
        self.show(TitleScreen(self.scenarios_dir, self.saves_dir))

    def open_setup(self, loaded: Loaded) -> None:
        self.show(SetupScreen(loaded, self.default_seed))

    def start_game(self, loaded: Loaded, settings: Settings) -> None:
        self.session = Session.new(loaded, settings, self.saves_dir)
        self.public_briefed = False
        self.briefed = set()
        self.at_keyboard = None
        self.advance()

    def resume(self, path: Path) -> None:
        try:
            session = Session.resume(path, saves_dir=self.saves_dir)
        except (SaveError, ScenarioError) as exc:
            self.notify(f"Cannot load {path.name}: {exc}", severity="error", timeout=12)
            return
        self.session = session
        self.public_briefed = False
        self.briefed = set()
        self.at_keyboard = None
        self.notify(f"Loaded {path.name}: turn {session.game.turn}.")
        self.advance()

    # ------------------------------------------------------- the game flow

    def advance(self) -> None:
        """Show whatever the game needs next."""
        session = self.session
        if session is None:
            return self.show_title()
        game = session.game
        if session.autosave_error:
            self.notify(session.autosave_error, severity="error", timeout=10)
        if game.phase == "briefing":
            if not self.public_briefed:
                return self.show(PublicBriefingScreen(session))
            role = next((r for r in session.humans() if r not in self.briefed), None)
            if role is None:
                session.start()
                return self.advance()
            return self.hand_over(
                role, "Your private briefing follows.", lambda: self.show(PrivateBriefingScreen(session, role))
            )
        if game.phase == "orders":
            role = session.next_human()
            if role is not None:
                return self.hand_over(
                    role, f"Turn {game.turn}: your orders.", lambda: self.show(OrdersScreen(session, role))
                )
            return self.resolve_turn()
        if game.phase == "debrief":
            return self.show(EndScreen(session))
        return None

    def hand_over(self, role: str, purpose: str, then) -> None:
        """The hand-over screen, unless the team already has the keyboard."""
        if role == self.at_keyboard:
            return then()
        self.at_keyboard = role
        name = self.session.game.rules.roles[role].name
        self.show(HandOverScreen(name, purpose, then, self.handover_delay))

    def briefed_public(self) -> None:
        self.public_briefed = True
        self.at_keyboard = None
        self.advance()

    def briefed_private(self, role: str) -> None:
        self.briefed.add(role)
        self.advance()

    def orders_given(self, role: str, actions: list[str]) -> None:
        try:
            self.session.submit(role, actions)
        except GameError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        self.advance()

    def time_up(self, role: str, selection: list[str]) -> None:
        try:
            self.session.expire(role, selection)
        except GameError as exc:
            self.notify(f"Time is up, but the orders could not be sent: {exc}", severity="error")
            return
        self.advance()

    @work(thread=True, exclusive=True, group="adjudication")
    def resolve_turn(self) -> None:
        """Bots choose and the turn resolves, off the UI thread."""
        session = self.session
        turn = session.game.turn
        session.play_bots()
        session.resolve()
        # The whole turn, White Cell acts during its orders included.
        self.call_from_thread(self.show_results, session.turn_events(turn), turn)

    def show_results(self, events: list[ev.Event], turn: int) -> None:
        self.at_keyboard = None  # results are for everyone; the next team needs a hand-over
        self.show(ResultsScreen(self.session, events, turn))

    def show_review(self) -> None:
        self.show(ReviewScreen(self.session))

    def after_facilitator(self) -> None:
        """After a White Cell act: the same team keeps its screen when it still can."""
        screen = self.screen_stack[1] if len(self.screen_stack) > 1 else self.screen  # under the dialogs
        game = self.session.game
        if (
            isinstance(screen, OrdersScreen)
            and game.phase == "orders"
            and screen.turn == game.turn
            and screen.role not in game.pending
        ):
            screen.refresh_after_white_cell()
            return
        self.at_keyboard = None
        self.advance()

    def action_show_title(self) -> None:
        self.show_title()

    # -------------------------------------------------------- app actions

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_sources(self) -> None:
        if self.session is not None:
            self.push_screen(SourcesScreen(self.session.scenario))
        else:
            self.notify("Start or load a game to see its sources.")

    def action_save(self) -> None:
        if self.session is None:
            self.notify("There is no game to save yet.")
            return
        game = self.session.game
        done = game.turn if game.phase == "debrief" else game.turn - 1
        default = f"{self.session.scenario.id}-after-turn{done}" if done >= 1 else f"{self.session.scenario.id}-start"

        def write(name: str) -> None:
            try:
                path = self.session.save(name)
            except OSError as exc:
                self.notify(f"Could not save: {exc.strerror or exc}", severity="error", timeout=10)
                return
            self.notify(f"Saved to {path}")

        def named(name: str | None) -> None:
            if not name:
                return
            path = self.session.save_path(name)
            if path.exists() and path != self.session.last_save:
                self.push_screen(
                    Confirm(f"Replace {path.name}?", "A saved game of that name exists."),
                    lambda yes: write(name) if yes else None,
                )
            else:
                write(name)

        self.push_screen(Ask("Save the game as (in saves/):", default), named)

    def action_facilitator(self) -> None:
        if self.session is None:
            self.notify("Start or load a game first.")
            return

        settings = self.session.settings
        if settings.white_cell_lock is None:

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self.push_screen(FacilitatorScreen(self.session))

            self.push_screen(
                Confirm(
                    "Enter the White Cell (facilitator mode)?",
                    "The facilitator can see every team's secrets. (A passphrase set at setup keeps the teams out.)",
                ),
                confirmed,
            )
            return

        def answered(passphrase: str | None) -> None:
            if passphrase is None:
                return
            if settings.opens_white_cell(passphrase):
                self.push_screen(FacilitatorScreen(self.session))
            else:
                self.notify("That is not the White Cell passphrase.", severity="error")

        self.push_screen(Ask("White Cell passphrase:", password=True), answered)

    async def action_quit(self) -> None:
        if self.session is None or self.session.game.phase in ("setup", "debrief"):
            self.exit()
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(
            Confirm(
                "Quit the game?",
                "It is saved after every team's orders and every turn; "
                "resume it from the title screen (press r). Orders a team is still "
                "choosing are lost.",
            ),
            confirmed,
        )

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Keys that need a game are hidden until there is one."""
        return not (action in ("save", "facilitator") and self.session is None)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "How to play, and every key", self.action_help)
        yield SystemCommand("Save the game", "Save a copy of the game in saves/", self.action_save)
        yield SystemCommand("Sources", "The scenario's sources: reported fact or fiction", self.action_sources)
        yield SystemCommand(
            "White Cell", "Facilitator mode: reveal, inject, override, undo, end", self.action_facilitator
        )
        yield SystemCommand("Title screen", "Leave this game (it is autosaved)", self.show_title)
