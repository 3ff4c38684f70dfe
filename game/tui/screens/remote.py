"""Screens that only a networked seat has: the room's projector view, the White
Cell's console, a team's waiting screen, and the after-action report.

Like every screen they draw seat views and nothing else; the room's views are
the public's, so nothing private can reach the projector.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markdown import Markdown as RichMarkdown
from rich.text import Text
from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Digits, Label, Static

from game.scenario.text import format_number
from game.tui import render
from game.tui.hanging import Hanging
from game.tui.screens.briefing import PublicBriefingScreen
from game.tui.screens.orders import clock_text
from game.tui.text import bar, basis_tag
from game.tui.widgets.footer import KeyFooter
from game.tui.widgets.header import SeatHeader
from game.tui.widgets.tabbar import TabBar, tab_bindings
from game.workshop.present import Header, NewsView, ResultsView, SituationView, WaitingView

if TYPE_CHECKING:
    from game.tui.base import SeatApp
    from game.tui.join import JoinApp


def _with_results(out: Text, results: ResultsView | None) -> Text:
    if results is not None:
        out.append(f"\nResults of turn {results.turn}\n", style="bold underline")
        out.append_text(render.results(results))
    return out


class WaitingForOthersScreen(Screen):
    """A team whose orders are in (or whose seat a bot plays): whom the game waits for and the
    turn's clock, then its own orders, the news so far and the situation, all from its own views."""

    if TYPE_CHECKING:  # the join client, which keeps the clocks (it imports this module)
        app = getters.app(JoinApp)

    def __init__(self, header: Header, message: str, situation: SituationView, waiting: WaitingView):
        super().__init__()
        self.header, self.message = header, message
        self.situation, self.waiting = situation, waiting

    def compose(self) -> ComposeResult:
        yield SeatHeader(self.header, "waiting")
        yield Static(id="waiting-message")
        with VerticalScroll(classes="reading"):
            yield Static(Hanging(self.page()), id="waiting-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.tick()

    def page(self) -> Text:
        out = render.waiting(self.waiting)
        out.append("\n")
        out.append_text(render.situation(self.situation))
        return out

    def tick(self) -> None:
        """The message, with the time left before the turn resolves at the latest."""
        line = Text(self.message, style="bold")
        seconds = self.app.seconds_left_of()
        if seconds is not None:
            paused = bool((self.app.frame.get("clock") or {}).get("paused"))
            line.append(f"\nThe turn resolves at the latest in {clock_text(seconds, paused)}", style="not bold")
        self.query_one("#waiting-message", Static).update(line)

    def update(self, header: Header, message: str, situation: SituationView, waiting: WaitingView) -> None:
        self.header, self.message, self.situation, self.waiting = header, message, situation, waiting
        self.query_one(SeatHeader).show(header)
        self.tick()
        self.query_one("#waiting-text", Static).update(Hanging(self.page()))


class RoomBriefingScreen(PublicBriefingScreen, inherit_bindings=False):
    """The public briefing on the projector, until the teams have read theirs and turn 1 begins."""

    def __init__(self, view):
        super().__init__(view, lambda: None)

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if "hint" in widget.classes:
                widget = Static("↑↓ scroll    the teams are reading their briefings", classes="hint")
            yield widget


class FittedLines(Static):
    """Lines drawn for the width they have, one line each (the ladder, the tracks): redrawn
    when the screen is resized, so nothing wraps on a small projector and nothing is cut on a
    large one."""

    DEFAULT_CSS = "FittedLines { height: auto; text-wrap: nowrap; text-overflow: ellipsis; }"

    def __init__(self, draw: Callable[[int], Text], **kwargs):
        super().__init__(**kwargs)
        self.draw = draw

    def redraw(self) -> None:
        self.update(self.draw(max(self.content_size.width, 20)))

    def on_resize(self) -> None:
        self.redraw()


def fitted_tracks(view: SituationView, width: int) -> Text:
    """The tracks, each on one line of at most `width` cells, aligned: the whole label and
    value first, then the bar as room allows (none on a narrow column), then each provenance
    tag if it fits; a label too long even so is shortened with an ellipsis."""
    values = [f"{format_number(t.value)}/{format_number(t.high)}{t.unit}" for t in view.tracks]
    value_width = max(map(len, values), default=0)
    label_width = min(max((len(t.label) for t in view.tracks), default=0), 40)
    bar_width = min(width - label_width - value_width - 2, 12)
    if bar_width < 4:  # no room for a bar worth reading: the labels keep what there is
        bar_width = 0
        label_width = max(min(label_width, width - value_width - 1), 8)
    out = Text()
    for track, value in zip(view.tracks, values, strict=True):
        label = track.label if len(track.label) <= label_width else track.label[: label_width - 1] + "…"
        line = Text(f"{label:<{label_width}} ")
        if bar_width:
            line.append(bar(track.value, track.low, track.high, bar_width) + " ", style="bold")
        line.append(f"{value:>{value_width}}")
        tag = basis_tag(track.basis)
        if tag.plain and line.cell_len + 1 + tag.cell_len <= width:
            line.append(" ")
            line.append_text(tag)
        line.truncate(width, overflow="ellipsis")
        out.append_text(line)
        out.append("\n")
    out.rstrip()
    return out


class RoomScreen(Screen):
    """The projector: the public situation in large, plain text. It takes no input but scrolling.

    Laid out for 80x24 first: the ladder beside the turn and the headline track (one line a
    rung), whom the turn waits for, then the tracks beside the news, newest first, each
    column scrolling on its own; a larger terminal shows more of each."""

    if TYPE_CHECKING:  # the join client, which keeps the clocks (it imports this module)
        app = getters.app(JoinApp)

    DEFAULT_CSS = """
    RoomScreen #room-top { height: auto; }
    RoomScreen #room-ladder { width: 1fr; padding: 0 1; }
    RoomScreen #room-numbers { width: 24; height: auto; padding: 0 1; }
    RoomScreen #room-numbers Label { text-style: bold; text-wrap: nowrap; text-overflow: ellipsis; }
    RoomScreen #room-waiting { padding: 0 1; text-style: bold; height: auto; }
    RoomScreen #room-body { height: 1fr; }
    RoomScreen #room-body VerticalScroll { width: 1fr; padding: 0 1; }
    """

    def __init__(self, situation: SituationView, news: NewsView, results: ResultsView | None, waiting: list[str]):
        super().__init__()
        self.situation, self.news, self.results, self.waiting = situation, news, results, waiting

    def compose(self) -> ComposeResult:
        yield SeatHeader(self.situation.header, "the room")
        with Horizontal(id="room-top"):
            yield FittedLines(self.ladder_text, id="room-ladder")
            with Vertical(id="room-numbers"):
                yield Label("Turn", id="room-turn-label")
                yield Digits(id="room-turn")
                yield Label("", id="room-headline-label")
                yield Digits(id="room-headline")
        yield Static(id="room-waiting")
        with Horizontal(id="room-body"):
            with VerticalScroll(id="room-situation"):
                yield Static(Text("Situation", style="bold underline"))
                yield FittedLines(lambda width: fitted_tracks(self.situation, width), id="room-tracks")
                yield Static(id="room-facts")
            with VerticalScroll(id="room-log"):
                yield Static(id="room-text")

    def on_mount(self) -> None:
        self.draw()

    def ladder_text(self, width: int) -> Text:
        out = Text.assemble(("Escalation ladder\n", "bold underline"))
        out.append_text(render.ladder(self.situation, width))
        out.rstrip()
        return out

    def tick(self) -> None:
        """Whom the turn waits for, and the time left before it resolves at the latest."""
        waiting = Text(
            f"Waiting for orders from: {', '.join(self.waiting)}" if self.waiting else "The turn is being resolved…"
        )
        seconds = self.app.seconds_left_of() if self.waiting else None
        paused = bool((self.app.frame.get("clock") or {}).get("paused"))
        reading = self.app.reading_left() if self.waiting else None
        if seconds is not None:
            waiting.append(f"    {clock_text(seconds, paused)}", style="bold reverse")
        elif reading is not None:
            waiting.append(f"\nReading the results: the clocks start at the latest in {clock_text(reading, paused)}")
        self.query_one("#room-waiting", Static).update(waiting)

    def update(self, situation: SituationView, news: NewsView, results: ResultsView | None, waiting: list[str]) -> None:
        self.situation, self.news, self.results, self.waiting = situation, news, results, waiting
        self.query_one(SeatHeader).show(situation.header)
        self.draw()

    def draw(self) -> None:
        view, header = self.situation, self.situation.header
        for lines in self.query(FittedLines):
            lines.redraw()
        self.query_one("#room-turn-label", Label).update(f"Turn (of {header.max_turns})")
        self.query_one("#room-turn", Digits).update(str(header.turn))
        headline = next((t for t in view.tracks if t.label == view.headline), None)
        if headline is not None:
            self.query_one("#room-headline-label", Label).update(
                Text(f"{headline.label} (of {format_number(headline.high)})")
            )
            self.query_one("#room-headline", Digits).update(format_number(headline.value))
        self.tick()
        facts = [text for text, holds in view.flags if holds]
        out = Text()
        if facts:
            out.append("\nFacts of the situation\n", style="bold underline")
            out.append("".join(f"• {fact}\n" for fact in facts))
        self.query_one("#room-facts", Static).update(Hanging(out))
        # The news, newest first, beside the tracks: at 80x24 both show under the ladder.
        news = Text.assemble(("News\n", "bold underline"))
        news.append_text(render.news(self.news))
        self.query_one("#room-text", Static).update(Hanging(_with_results(news, self.results)))


CONSOLE_TABS = [("teams", "Teams"), ("situation", "Situation"), ("news", "News"), ("results", "Last turn")]


class ConsoleScreen(Screen):
    """The White Cell's console: every team's presence and progress, and every view (the facilitator sees all)."""

    BINDINGS = [
        *tab_bindings(CONSOLE_TABS),
        Binding("w", "app.white_cell", "White Cell acts"),
    ]

    if TYPE_CHECKING:  # the join client, which keeps the clocks (it imports this module)
        app = getters.app(JoinApp)

    def __init__(self, frame: dict, views: dict):
        super().__init__()
        self.frame, self.views = frame, views
        self.tab = "teams"

    def compose(self) -> ComposeResult:
        yield SeatHeader(self.views["situation"].header, "White Cell console")
        yield TabBar(CONSOLE_TABS, "teams")
        with VerticalScroll(id="console-page"):
            yield Static(id="console-text")
        yield Static("1-4 tabs  ↑↓ scroll  w: act (pause, inject, news, override, undo, bots, end)", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.draw()
        self.query_one("#console-page").focus()

    def update(self, frame: dict, views: dict) -> None:
        self.frame, self.views = frame, views
        self.query_one(SeatHeader).show(views["situation"].header)
        self.draw()

    def action_tab(self, tab: str) -> None:
        self.tab = tab
        self.query_one(TabBar).show(tab)
        self.draw()
        self.query_one("#console-page", VerticalScroll).scroll_home(animate=False)

    def tick(self) -> None:
        if self.tab == "teams":
            self.draw()

    def draw(self) -> None:
        views = self.views
        if self.tab == "teams":
            text = self.teams_text()
        elif self.tab == "situation":
            text = render.situation(views["situation"])
        elif self.tab == "news":
            text = render.news(views["news"])
        elif views.get("results") is not None:
            text = render.results(views["results"])
        else:
            text = Text("No turn has been resolved yet.", style="italic")
        self.query_one("#console-text", Static).update(Hanging(text))

    def teams_text(self) -> Text:
        frame = self.frame
        clock = frame.get("clock") or {}
        left = self.app.seconds_left_of  # the join client's clocks, counted down between frames
        out = Text.assemble((f"Phase: {frame['phase']} · turn {frame['turn']}", "bold"))
        if clock.get("paused"):
            out.append("  · the clock is PAUSED", style="bold reverse")
        reading = self.app.reading_left()
        if reading is not None:
            out.append(
                "\nThe teams are reading the results: every clock starts when the first team leaves them, "
                f"at the latest in {clock_text(reading, bool(clock.get('paused')))}"
            )
        out.append("\n\n")
        for team in frame["teams"]:
            online = "● online " if team["connected"] else "○ offline"
            out.append(f"{team['name']}\n", style="bold")
            if team["player"] != "human":
                # A bot needs no terminal and reads nothing: "offline, reading the briefing" misled.
                seat = f"{online} · " if team["connected"] else ""
                out.append(f"  {seat}played by the {team['player']} bot\n")
                if frame["phase"] in ("briefing", "orders"):
                    out.append("  gives its orders when the turn resolves\n")
                out.append("\n")
                continue
            out.append(f"  {online} · played by a human team\n")
            if frame["phase"] == "briefing":
                read = (
                    "read both briefings"
                    if team["read_private"]
                    else "reading the public briefing"
                    if not team["read_public"]
                    else "reading its private briefing"
                )
                out.append(f"  {read}\n")
            elif frame["phase"] == "orders":
                orders = {"sent": "orders sent", "choosing": "choosing", "none": "nothing chosen yet"}[team["orders"]]
                if team["orders"] == "none" and not (team["read_public"] and team["read_private"]):
                    out.append("  has not read its briefings yet")
                    reading = self.app.counted_down((clock.get("readers") or {}).get(team["role"]))
                    if reading is not None:
                        out.append(
                            f" (its clock starts at the latest in {clock_text(reading, bool(clock.get('paused')))})"
                        )
                elif team["orders"] == "none" and team["seen_results"] < frame["last_resolved"]:
                    out.append(f"  reading the results of turn {frame['last_resolved']}")
                else:
                    out.append(f"  {orders} ({team['chosen']} chosen)")
                seconds = left(team["role"])
                if seconds is not None and team["orders"] != "sent":
                    out.append(f"  {clock_text(seconds, bool(clock.get('paused')))}")
                out.append("\n")
            out.append("\n")
        views = frame.get("room_views", 0)
        room = (
            "○ offline" if not frame["room_connected"] else "● online" + (f" on {views} screens" if views > 1 else "")
        )
        out.append(f"The room (projector): {room}\n", style="bold")
        cell = frame["white_cell"]
        if cell.get("autosave_error"):
            out.append(f"\n{cell['autosave_error']}\n", style="bold reverse")
        elif cell.get("autosave"):
            out.append(f"\nAutosaved after every step to {cell['autosave']}\n", style="dim")
        return out


class ReportScreen(Screen):
    """The after-action report (Markdown) once the game is over; d saves a copy.

    A late game's report is long: it is laid out off the screen's thread (about a
    second), while the screen already shows and says so."""

    BINDINGS = [Binding("d", "download", "Save a copy"), Binding("escape", "back", "Back")]

    if TYPE_CHECKING:  # the app that shows messages
        app = getters.app(SeatApp)

    def __init__(self, markdown: str, name: str):
        super().__init__()
        self.markdown = markdown
        self.file_name = name

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="report-page"):
            yield Static(Text("Laying out the after-action report…", style="italic"), id="report")
        yield Static(REPORT_HINT, classes="hint", id="report-hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#report-page").focus()
        self.lay_out(max(self.size.width - 2, 40))

    @work(thread=True, exclusive=True)
    def lay_out(self, width: int) -> None:
        console = Console(file=io.StringIO(), width=width, force_terminal=True, color_system="truecolor")
        console.print(RichMarkdown(self.markdown))
        text = Text.from_ansi(console.file.getvalue())  # type: ignore[attr-defined]
        self.app.call_from_thread(self.query_one("#report", Static).update, text)

    def action_download(self) -> None:
        if self.app.is_web:  # the browser downloads it, and says where
            self.app.deliver_text(io.StringIO(self.markdown), save_filename=self.file_name, mime_type="text/markdown")
            self.app.tell(f"The report is on its way to your browser as {self.file_name}.")
            return
        # In a terminal, written here and now, so that what the team is told is true: Textual's
        # delivery writes later, fails quietly when there is no downloads folder, and
        # overwrites an earlier workshop's report of the same name.
        try:
            path = write_new(report_folder(), self.file_name, self.markdown)
        except OSError as exc:
            self.app.tell(f"Could not save the report: {exc.strerror or exc}", "error", 10)
            return
        self.app.tell(f"The report is saved as {path}", timeout=15)
        # Said on the screen too, for as long as it shows: a message goes after a while.
        self.query_one("#report-hint", Static).update(Text(f"Saved as {path}   (d: another copy   escape: back)"))

    def action_back(self) -> None:
        self.dismiss()


REPORT_HINT = "every team's secrets (the whole game)   ↑↓ scroll   d: save a copy   escape: back"


def report_file_name(title: str) -> str:
    """'after-action-report-baghdad-december-2023-mortars.md': the report of which game,
    in the first words of its scenario's title (letters and digits only)."""
    words = re.findall(r"[a-z0-9]+", title.lower())[:4]
    return "-".join(["after-action-report", *words]) + ".md"


def report_folder() -> Path:
    """Where a team's copy of the report goes from a terminal: the downloads folder
    if there is one, else the folder `crisis join` was started in."""
    downloads = Path.home() / "Downloads"
    return downloads if downloads.is_dir() else Path.cwd()


def write_new(folder: Path, name: str, text: str) -> Path:
    """Write `text` to a new file in `folder` named `name`, or `name` numbered
    ("report-2.md") if that is taken: a copy never replaces an earlier one. Only its owner
    may read it (it holds every team's secrets), as the saves."""
    stem, suffix = Path(name).stem, Path(name).suffix
    for number in range(1, 1000):
        path = folder / (name if number == 1 else f"{stem}-{number}{suffix}")
        try:
            file = os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8")
        except FileExistsError:
            continue
        try:
            with file:
                file.write(text)
        except OSError:
            path.unlink(missing_ok=True)  # no half a report left behind (a full disk, say)
            raise
        return path.resolve()
    raise FileExistsError(f"{folder / name} and 998 numbered copies already exist")
