"""`crisis join`: one seat of a networked workshop, in a terminal or a browser tab.

The app asks for the seat's code (never on the command line), joins the host
(`game.net.client`) and shows what the host's frames say the seat's screen
is: a team gets the hot-seat screens without hand-overs, the facilitator a
console with every view and the White Cell's acts, the room the public
situation for the projector. Every view comes from the frame, which the host
built from this seat's views only; the app holds no game and no rules.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from game.net import protocol as p
from game.net.client import CONNECTED, RECONNECTING, Client, CommandRefused, Refused
from game.tui.base import SeatApp
from game.tui.desk import DeskError
from game.tui.screens.briefing import PrivateBriefingScreen, PublicBriefingScreen
from game.tui.screens.dialogs import Ask, Confirm, WaitingScreen
from game.tui.screens.end import EndScreen
from game.tui.screens.facilitator import FacilitatorScreen
from game.tui.screens.orders import OrdersScreen
from game.tui.screens.remote import (
    ConsoleScreen,
    ReportScreen,
    RoomBriefingScreen,
    RoomScreen,
    WaitingForOthersScreen,
    report_file_name,
)
from game.tui.screens.results import ResultsScreen
from game.workshop.present import (
    BriefingView,
    EndView,
    NewsView,
    OrdersView,
    ResultsView,
    RevealView,
    RollShown,
    SituationView,
    TeamView,
    WaitingView,
    from_data,
)
from game.workshop.session import END, ORDERS, PRIVATE_BRIEFING, PUBLIC_BRIEFING, RESULTS

VIEWS = {
    "briefing": BriefingView,
    "orders": OrdersView,
    "situation": SituationView,
    "news": NewsView,
    "team": TeamView,
    "results": ResultsView,
    "end": EndView,
    "waiting": WaitingView,
}
# The commands that end a team's stage: sent once per stage, whatever keys are pressed.
STAGE_ENDING = {"read_public", "read_private", "submit", "seen_results"}


class RemoteDesk:
    """A team's desk in a networked client: the views of the last frame, commands to the host."""

    def __init__(self, app: JoinApp):
        self.app = app

    def _view(self, name: str) -> Any:
        return self.app.views[name]

    def orders(self, role: str) -> OrdersView:
        return self._view("orders")

    def situation(self, seat: str) -> SituationView:
        return self._view("situation")

    def news(self, seat: str) -> NewsView:
        return self._view("news")

    def team(self, role: str) -> TeamView:
        return self._view("team")

    def seconds_left(self, role: str) -> float | None:
        return self.app.seconds_left_of(role)

    @property
    def paused(self) -> bool:
        clock = self.app.frame.get("clock") or {}
        return bool(clock.get("paused"))

    def draft(self, role: str, actions: list[str]) -> None:
        self.app.send("draft", {"actions": list(actions)}, quiet=True)


class RemoteWhiteCell:
    """The White Cell's desk in a networked client: it reads the facilitator's frame, and its acts are
    commands to the host, returned as awaitables for the console to wait on."""

    def __init__(self, app: JoinApp):
        self.app = app

    @property
    def cell(self) -> dict[str, Any]:
        return self.app.frame["white_cell"]

    def injects(self) -> list[tuple[str, str, bool]]:
        return [(i, title, fired) for i, title, fired in self.cell["injects"]]

    def outcomes(self) -> list[tuple[str, str]]:
        return [(i, title) for i, title in self.cell["outcomes"]]

    def rolls(self) -> tuple[int, list[tuple[str, RollShown]]]:
        return self.app.frame["last_resolved"], [(k, from_data(RollShown, r)) for k, r in self.cell["rolls"]]

    def acts(self) -> dict[str, str | None]:
        return dict(self.cell.get("acts", {}))

    def game_over(self) -> bool:
        return self.app.frame.get("phase") == "debrief"

    def players(self) -> dict[str, str]:
        return {t["role"]: t["player"] for t in self.app.frame["teams"]}

    def name(self, role: str) -> str:
        return next((t["name"] for t in self.app.frame["teams"] if t["role"] == role), role)

    def bots(self) -> list[str]:
        from game.players import BOTS

        return list(BOTS)

    async def _do(self, do: str, **args: Any) -> Any:
        client = self.app.client
        if client is None:
            raise DeskError("not connected to the host")
        try:
            return await client.command(do, args)
        except (CommandRefused, Refused) as exc:
            raise DeskError(exc.message) from None

    def pause(self):
        return self._do("pause", paused=not self.cell["paused"])

    async def reveal(self) -> RevealView:
        return from_data(RevealView, await self._do("reveal"))

    def preview_inject(self, inject: str):
        return self._do("preview_inject", inject=inject)

    def fire_inject(self, inject: str):
        return self._do("fire_inject", inject=inject)

    def post_news(self, text: str):
        return self._do("post_news", text=text)

    def override(self, key: str, reason: str):
        return self._do("override", key=key, reason=reason)

    def undo(self, reason: str, fresh_dice: bool):
        return self._do("undo", reason=reason, fresh_dice=fresh_dice)

    def hand_to_bot(self, role: str, kind: str):
        return self._do("hand_to_bot", role=role, kind=kind)

    def start_now(self):
        return self._do("start_now")

    def end(self, outcome: str, reason: str):
        return self._do("end", outcome=outcome, reason=reason)


class JoinApp(SeatApp):
    TITLE = "crisis-sim"
    own_screens = True
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("w", "white_cell", "White Cell", show=False),
        Binding("ctrl+q", "quit", "Leave", priority=True),
        Binding("escape", "hide_keys", "Close the keys panel", show=False),
    ]

    def __init__(self, uri: str, handover_delay: float = 0.3, clock=time.monotonic, tab: str | None = None):
        super().__init__(handover_delay)
        self.uri = uri
        self.tab = tab  # started by the host's web front for a browser tab: its ticket
        self.clock = clock
        self.client: Client | None = None
        self.welcome: dict[str, Any] = {}
        self.frame: dict[str, Any] = {}
        self.frame_at = 0.0
        self.views: dict[str, Any] = {}
        self.views_before: dict[str, Any] = {}  # the views of the frame before the last
        self.stage_key: tuple | None = None
        self.stage_done: tuple | None = None  # the stage whose ending command the host has acked
        self.in_flight: set[str] = set()
        self.desk = RemoteDesk(self)
        self.white_cell = RemoteWhiteCell(self)

    # -------------------------------------------------------------- joining

    def on_mount(self) -> None:
        self.set_interval(1, self.tick)
        self.call_after_refresh(self.check_size)
        self.show(WaitingScreen(f"Joining the workshop at {self.uri}"))
        self.ask_code()

    def ask_code(self) -> None:
        def answered(code: str | None) -> None:
            if code is None:
                self.exit()
                return
            self.join(code)

        self.push_screen(Ask("Your seat's join code (from the facilitator):", password=True), answered)

    def join(self, code: str) -> None:
        self.client = Client(
            self.uri,
            code,
            on_welcome=self.welcomed,
            on_frame=self.on_frame,
            on_message=self.on_message,
            on_status=self.on_status,
            tab=self.tab,
        )
        self.run_worker(self.stay_connected(self.client), group="connection", exclusive=True)

    async def stay_connected(self, client: Client) -> None:
        try:
            await client.run()
        except Refused as exc:
            if self.client is not client:
                return
            self.client = None
            if exc.code == "taken_over":
                self.show(
                    WaitingScreen("This seat was opened from another terminal or browser. Press ctrl+q to leave.")
                )
                return
            self.tell(_refusal(exc), "error", 10)
            self.frame, self.views, self.stage_key = {}, {}, None
            self.show(WaitingScreen(f"Joining the workshop at {self.uri}"))
            self.ask_code()

    @property
    def kind(self) -> str:
        return self.welcome.get("kind", "")

    @property
    def seat(self) -> str:
        return self.welcome.get("seat", "")

    def welcomed(self, welcome: dict[str, Any]) -> None:
        if welcome.get("seat") != self.seat and self.seat:
            self.stage_key = None
        self.welcome = welcome
        self.sub_title = f"{welcome.get('name')} · {welcome.get('scenario')}"

    def on_status(self, status: str) -> None:
        if status == RECONNECTING and not self.welcome:
            # Never reached: a wrong address or a host not started yet. Said on the screen, where
            # it stays, not in a message that goes (the screen said only "Joining…" after it).
            self.show(
                WaitingScreen(
                    f"No host answers at {self.uri}: check the address the facilitator gave you "
                    "(and that the host is running). Trying again…"
                )
            )
        elif status == RECONNECTING:
            self.tell("The connection to the host is lost: reconnecting…", "warning", 8)
        elif status == CONNECTED and self.frame:
            self.tell("Connected again.")

    def on_message(self, message: dict[str, Any]) -> None:
        self.tell(str(message.get("text")), str(message.get("severity", "information")), 10)

    # --------------------------------------------------------------- frames

    def on_frame(self, frame: dict[str, Any]) -> None:
        try:
            views = {name: from_data(VIEWS[name], data) for name, data in frame["views"].items() if name in VIEWS}
        except (ValueError, KeyError, TypeError) as exc:
            self.tell(f"The host sent a screen this client cannot read: {exc}", "error", 10)
            return
        self.views_before = self.views
        self.frame, self.views, self.frame_at = frame, views, self.clock()
        self.advance()

    def advance(self) -> None:
        """Show what the last frame says this seat's screen is."""
        stage = self.frame["stage"]
        key = (stage["kind"], stage["turn"])
        same = key == self.stage_key
        if not same:
            # What ended an earlier stage says nothing of this one: an override or an undo
            # brings a stage back (the results of turn 2, the orders of turn 2) to be ended again.
            self.stage_done = None
        self.stage_key = key
        if self.kind == p.ROOM_SEAT:
            return self.show_room(same)
        if self.kind == p.WHITE_CELL:
            return self.show_console(same)
        return self.show_team(stage, same)

    def show_team(self, stage: dict[str, Any], same: bool) -> None:
        kind, views, screen = stage["kind"], self.views, self.main_screen
        same = same and screen.is_mounted  # a screen not yet drawn is replaced, not updated
        role = self.seat
        if kind == ORDERS:
            if same and isinstance(screen, OrdersScreen):
                # News the White Cell posts (or an inject) goes on the News tab at once, not at the results.
                pages = ("situation", "news", "team")
                if _without_draft(views["orders"]) != _without_draft(screen.view) or any(
                    views.get(page) != self.views_before.get(page) for page in pages
                ):
                    screen.refresh_after_white_cell()
                screen.update_clock()
                return
            return self.show(OrdersScreen(self.desk, role), role)
        if kind in (PUBLIC_BRIEFING, PRIVATE_BRIEFING):
            if same and isinstance(screen, PublicBriefingScreen | PrivateBriefingScreen):
                return
            make = PublicBriefingScreen if kind == PUBLIC_BRIEFING else PrivateBriefingScreen
            command = "read_public" if kind == PUBLIC_BRIEFING else "read_private"
            return self.show(make(views["briefing"], lambda: self.send(command)), role)
        if kind == RESULTS:
            if same and isinstance(screen, ResultsScreen) and screen.view == views["results"]:
                return
            turn = stage["turn"]
            return self.show(
                ResultsScreen(views["results"], views["situation"], lambda: self.send("seen_results", {"turn": turn})),
                role,
            )
        if kind == END:
            if same and isinstance(screen, EndScreen):
                return
            return self.show(EndScreen(views["end"], self.show_report), role)
        args = (views["situation"].header, self.waiting_text(stage), views["situation"], views["waiting"])
        if same and isinstance(screen, WaitingForOthersScreen):
            screen.update(*args)
            return
        self.show(WaitingForOthersScreen(*args), role)

    def waiting_text(self, stage: dict[str, Any]) -> str:
        played_by = self.frame.get("played_by", "human")
        if played_by != "human":
            return f"The White Cell has handed your team to the {played_by} bot. It may give it back to you."
        if stage["turn"] == 0:
            waiting = ", ".join(stage["waiting_for"])
            return (
                f"Waiting for the other teams to read their briefings: {waiting}."
                if waiting
                else "Turn 1 is about to begin."
            )
        waiting = ", ".join(stage["waiting_for"])
        return (
            f"Your orders are in. Waiting for: {waiting}."
            if waiting
            else "Your orders are in. The turn is being resolved…"
        )

    def show_room(self, same: bool) -> None:
        kind, views, screen = self.frame["stage"]["kind"], self.views, self.main_screen
        same = same and screen.is_mounted
        if kind == PUBLIC_BRIEFING:
            if not (same and isinstance(screen, RoomBriefingScreen)):
                self.show(RoomBriefingScreen(views["briefing"]), p.ROOM_SEAT)
            return
        if kind == END:
            if not (same and isinstance(screen, EndScreen)):
                self.show(EndScreen(views["end"], self.show_report), p.ROOM_SEAT)
            return
        args = (views["situation"], views["news"], views.get("results"), self.frame["stage"]["waiting_for"])
        if isinstance(screen, RoomScreen) and screen.is_mounted:
            screen.update(*args)
        else:
            self.show(RoomScreen(*args), p.ROOM_SEAT)

    def show_console(self, same: bool) -> None:
        screen = self.main_screen
        same = same and screen.is_mounted
        if self.frame["stage"]["kind"] == END and not (same and isinstance(screen, EndScreen)):
            self.show(EndScreen(self.views["end"], self.show_report), p.WHITE_CELL)
            return
        if isinstance(screen, EndScreen):
            return
        if isinstance(screen, ConsoleScreen) and screen.is_mounted:
            screen.update(self.frame, self.views)
        else:
            self.show(ConsoleScreen(self.frame, self.views), p.WHITE_CELL)

    def show_report(self) -> None:
        report = self.frame.get("report")
        if not report:
            self.tell("The report is on its way from the host.")
            return
        # The same for every seat (the review reveals it all): named for the game, not the seat.
        self.push_screen(ReportScreen(report, report_file_name(str(self.welcome.get("scenario", "")))))

    # ------------------------------------------------------------- commands

    def send(self, do: str, args: dict[str, Any] | None = None, quiet: bool = False) -> None:
        """Send a command for this seat; the screen changes when the host's next frame says so."""
        if self.client is None:
            return
        if do in STAGE_ENDING and (do in self.in_flight or self.stage_done == self.stage_key):
            return  # keys pressed again before the next screen came: the command is on its way
        self.in_flight.add(do)
        self.run_worker(self._send(do, args or {}, quiet, self.stage_key), group="commands")

    async def _send(self, do: str, args: dict[str, Any], quiet: bool, stage: tuple | None) -> None:
        client = self.client
        try:
            if client is None:
                return
            await client.command(do, args)
            if do in STAGE_ENDING and stage == self.stage_key:  # (not if the next screen came first)
                self.stage_done = stage
        except CommandRefused as exc:
            if not quiet or exc.code != "stale":
                self.tell(exc.message, "error", 8)
        except Refused:
            pass  # stay_connected says why
        finally:
            self.in_flight.discard(do)

    def orders_given(self, role: str, actions: list[str], why: str = "", intent: str = "") -> None:
        self.send("submit", {"actions": list(actions), "why": why, "intent": intent})

    def after_facilitator(self) -> None:
        """After a White Cell act: the host's next frame shows what changed."""

    def seconds_left_of(self, role: str | None = None) -> float | None:
        """A clock, counted down since the last frame (unless paused): the White Cell's copy of
        `role`'s, or this seat's own (a team's, or the room's: the longest a team has left)."""
        clock = self.frame.get("clock") or {}
        seconds = clock.get("seconds_left") if self.kind != p.WHITE_CELL else (clock.get("teams") or {}).get(role)
        return self.counted_down(seconds)

    def reading_left(self) -> float | None:
        """The results' reading time left (the room's and the White Cell's): the turn's clocks start then at the latest."""
        return self.counted_down((self.frame.get("clock") or {}).get("reading"))

    def counted_down(self, seconds: float | None) -> float | None:
        """`seconds` of the last frame's clock, counted down since it came (unless paused)."""
        clock = self.frame.get("clock") or {}
        if seconds is None:
            return None
        if clock.get("paused"):
            return float(seconds)
        return max(float(seconds) - (self.clock() - self.frame_at), 0.0)

    def tick(self) -> None:
        # Not while the app closes: its screens' widgets are removed before its timers stop.
        if not self.is_running or not self.main_screen.is_mounted:
            return
        screen = self.main_screen
        if isinstance(screen, OrdersScreen):
            screen.update_clock()
        elif isinstance(screen, ConsoleScreen | RoomScreen | WaitingForOthersScreen):
            screen.tick()

    # -------------------------------------------------------------- actions

    def action_white_cell(self) -> None:
        if self.kind != p.WHITE_CELL or not self.frame:
            return
        self.push_screen(FacilitatorScreen(self.white_cell))

    quit_command = ("Leave the workshop", "The game goes on at the host (it asks first)")

    def game_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        if self.kind == p.WHITE_CELL and self.frame:
            yield SystemCommand(
                "White Cell", "The White Cell's acts: pause, reveal, inject, override...", self.action_white_cell
            )

    def action_sources(self) -> None:
        self.tell("The scenario's sources are listed in the after-action report at the end of the game.")

    async def action_quit(self) -> None:
        if self.client is None:
            self.exit()
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(
            Confirm("Leave the workshop?", "The game goes on at the host. Join again with the same code to come back."),
            confirmed,
        )

    async def on_unmount(self) -> None:
        if self.client is not None:
            await self.client.close()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "hide_keys":
            return bool(self.screen.query("HelpPanel"))
        if action == "white_cell":
            return self.kind == p.WHITE_CELL
        return True


def _without_draft(view: OrdersView) -> OrdersView:
    import dataclasses

    return dataclasses.replace(view, draft=(), seconds_left=None)


def _refusal(exc: Refused) -> str:
    if exc.code == "wrong_code":
        return "That code is not one of this game's. Check it with the facilitator and try again."
    return exc.message
