"""The title screen: pick a scenario, or load a saved game.

It is drawn at once, with a line for each scenario file. The saved games are
listed, and the scenarios read and checked, in a worker behind it, filling the
list in as they come: reading the shipped scenarios takes a third of a second,
and importing the rules to do it as long again. Enter (or r) on a scenario still
being read acts once it is read. This module imports nothing of the rules: the
worker does, off the UI thread, once the screen is up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from game.tui.hanging import Hanging
from game.tui.screens.dialogs import Choose
from game.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from game.scenario.loader import Loaded
    from game.tui.app import CrisisApp  # imports this screen: typing only
    from game.workshop.saves import SaveEntry, SaveFile


def shipped_order(paths: list[Path], flagship: str) -> list[Path]:
    """The flagship first, then the others by name."""
    return sorted(paths, key=lambda p: (p.name != flagship, p.name))


def save_state(save: SaveFile | None) -> str:
    """In a word or three: 'in progress, turn 3', 'ended: Negotiated calm', 'cannot be loaded' (None)."""
    if save is None:
        return "cannot be loaded"
    summary = save.summary
    if summary.get("phase") == "debrief" or summary.get("outcome"):
        return f"ended: {summary.get('outcome')}"
    turn = summary.get("turn")
    return "in progress, before turn 1" if turn == 0 else f"in progress, turn {turn}"


def local_time(when: dt.datetime | None) -> str:
    """A save's time on this computer's clock, as people read it: 'Mon 30 Nov 09:12'."""
    if when is None:
        return "time unknown"
    return when.astimezone().strftime("%a %d %b %H:%M")


class TitleScreen(Screen):
    BINDINGS = [
        Binding("enter", "open", "Start / load", show=True),
        Binding("r", "resume", "Resume a game"),
        Binding("q", "app.quit", "Quit", show=False),
    ]
    if TYPE_CHECKING:  # the hot-seat app, which opens what is chosen here (it imports this module)
        app = getters.app(CrisisApp)

    class ScenarioRead(Message):
        """A scenario file read by the worker: the scenario, or the errors found in it."""

        def __init__(self, key: str, loaded: Loaded | None, errors: list[str]) -> None:
            super().__init__()
            self.key = key
            self.loaded = loaded
            self.errors = errors

    class SavesListed(Message):
        """The saved games, as the worker found them."""

        def __init__(self, saves: list[SaveEntry]) -> None:
            super().__init__()
            self.saves = saves

    def __init__(self, scenarios_dir: Path, saves_dir: Path, flagship: str = "baghdad-2023.yaml"):
        super().__init__()
        self.scenarios_dir = scenarios_dir
        self.saves_dir = saves_dir
        self.flagship = flagship
        self.scenarios: dict[str, Loaded] = {}
        self.broken: dict[str, list[str]] = {}  # scenario files with errors: the errors, file:line:col first
        self.saves: dict[str, SaveFile] = {}
        self.unreadable: dict[str, str] = {}  # saves that cannot be loaded: why
        self.saved_at: dict[str, dt.datetime | None] = {}  # as list_saves read it
        self.waiting: tuple[str, str] | None = None  # (action, key): Enter or r on a scenario still being read

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal(id="title-body"):
            yield OptionList(id="title-list")
            with VerticalScroll(id="title-detail-box"):
                yield Static(id="title-detail")
        yield Static("↑↓ choose    enter: open    r: resume a game    f1: help    q: quit", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "a tabletop crisis simulation"
        listing = self.query_one("#title-list", OptionList)
        listing.add_option(Option(Text("Scenarios", style="bold underline"), disabled=True))
        paths = shipped_order(list(self.scenarios_dir.glob("*.yaml")), self.flagship)
        for path in paths:
            listing.add_option(Option(Text.assemble(f"  {path.name} ", ("(reading…)", "dim")), id=f"scenario:{path}"))
        listing.highlighted = 1
        listing.focus()
        self.read_lists(paths)

    @work(thread=True, exclusive=True, group="title")
    def read_lists(self, paths: list[Path]) -> None:
        """List the saved games, then read and check each scenario, off the UI thread.
        Each result goes back as a message; once the screen is gone, the work stops."""
        from game.scenario import ScenarioError, load
        from game.workshop.saves import list_saves

        worker = get_current_worker()
        if not self.post_message(self.SavesListed(list_saves(self.saves_dir))):
            return
        for path in paths:
            if worker.is_cancelled:
                return
            try:
                read = self.ScenarioRead(f"scenario:{path}", load(path), [])
            except ScenarioError as exc:
                read = self.ScenarioRead(f"scenario:{path}", None, [str(d) for d in exc.diagnostics])
            if not self.post_message(read):
                return

    def on_title_screen_scenario_read(self, message: ScenarioRead) -> None:
        key, loaded = message.key, message.loaded
        if loaded is not None:
            self.scenarios[key] = loaded
            label = loaded.scenario.title
        else:
            self.broken[key] = message.errors
            label = f"{Path(key.split(':', 1)[1]).name} (has errors)"
        self.query_one("#title-list", OptionList).replace_option_prompt(key, Hanging(Text(f"  {label}")))
        if self.highlighted_key() == key:
            self.query_one("#title-detail", Static).update(self.detail(key))
        if self.waiting is not None and self.waiting[1] == key:
            action, _ = self.waiting
            self.waiting = None
            self.act(action, key)

    def on_title_screen_saves_listed(self, message: SavesListed) -> None:
        listing = self.query_one("#title-list", OptionList)
        if message.saves:
            listing.add_option(Option(Text("Saved games", style="bold underline"), disabled=True))
        for entry in message.saves:
            path, save = entry.path, entry.save
            key = f"save:{path}"
            if save is None:
                self.unreadable[key] = entry.reason or "unreadable"
            else:
                self.saves[key] = save
            self.saved_at[key] = entry.saved_at
            # An autosave by what it is and when ("Tutorial", then "Mon 30 Nov 09:12 · in progress, turn 2"),
            # a save made by hand by the name it was given.
            name = entry.title if path.name.startswith("autosave-") and entry.title else path.stem
            listing.add_option(Option(Hanging(Text(f"  {name}\n    {self.save_line(key)}")), id=key))

    def save_line(self, key: str) -> str:
        """A save in one line: when, how far, and the seed, which tells apart two games of
        one scenario saved in the same minute ('Mon 30 Nov 09:12 · in progress, turn 2 · seed 7')."""
        save = self.saves.get(key)
        seed = f" · seed {save.seed}" if save is not None else ""
        return f"{local_time(self.saved_at.get(key))} · {save_state(save)}{seed}"

    def highlighted_key(self) -> str | None:
        listing = self.query_one("#title-list", OptionList)
        if listing.highlighted is None:
            return None
        return listing.get_option_at_index(listing.highlighted).id

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one("#title-detail", Static).update(self.detail(event.option.id))

    def detail(self, key: str | None) -> Text:
        if key is None:
            return Text("")
        item = self.scenarios.get(key)
        if item is not None:
            s = item.scenario
            out = Text.assemble((s.title + "\n", "bold"))
            in_progress = len(self.in_progress(item))
            if in_progress == 1:
                out.append("A game in progress can be resumed: press r.\n", style="bold reverse")
            elif in_progress > 1:
                out.append(f"{in_progress} games in progress: press r to choose one.\n", style="bold reverse")
            out.append(f"Starts {s.date} · {s.turns.max} turns of {s.turns.days} days\n\n")
            out.append(" ".join(s.summary.split()) + "\n\n")
            out.append("Teams: " + ", ".join(r.name for r in s.roles if not r.bot_only) + "\n")
            # A party no team plays (played by its doctrine) is in play, not a team.
            others = [r.name for r in s.roles if r.bot_only] + [a.name for a in s.actors]
            if others:
                out.append("Also in play: " + ", ".join(others) + "\n")
            out.append(f"Escalation ladder: {len(s.ladder.levels)} levels; {len(s.outcomes)} possible outcomes\n")
            return out
        if key in self.broken:
            return Text("This scenario has errors:\n\n" + "\n".join(self.broken[key][:12]))
        if key.startswith("scenario:"):
            return Text("Reading the scenario…")
        if key in self.unreadable:
            return Text(f"This save cannot be loaded:\n\n{self.unreadable[key]}")
        save = self.saves.get(key)
        if save is not None:
            summary = save.summary
            out = Text.assemble((f"{summary.get('title', save.scenario_id)}\n", "bold"))
            out.append(f"Turn {summary.get('turn')} of {summary.get('max_turns')} · ladder: {summary.get('level')}\n")
            if summary.get("outcome"):
                out.append(f"Ended: {summary.get('outcome')}\n")
            saved = local_time(self.saved_at.get(key))
            out.append(f"{save_state(save).capitalize()} · saved {saved}\n")
            out.append(
                "Teams: "
                + ", ".join(
                    f"{r.upper() if len(r) <= 3 else r.title()} ({'human' if k == 'human' else k + ' bot'})"
                    for r, k in save.players.items()
                )
            )
            return out
        return Text("")

    def action_open(self) -> None:
        key = self.highlighted_key()
        if key is not None:
            self.act("open", key)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_open()

    def action_resume(self) -> None:
        key = self.highlighted_key()
        if key is not None and key.startswith("save:"):  # a save of the list: that one (or why it cannot be)
            self.act("open", key)
            return
        if key is None or not key.startswith("scenario:"):
            self.notify("Highlight a scenario to resume its autosave.")
            return
        self.act("resume", key)

    def act(self, action: str, key: str) -> None:
        """Open (or resume the game in progress of) the scenario or save `key`; a scenario
        still being read is opened once it is read."""
        if key.startswith("scenario:") and key not in self.scenarios and key not in self.broken:
            self.waiting = (action, key)
            return
        item = self.scenarios.get(key)
        if action == "resume":
            self.resume_one(item)
        elif item is not None:
            self.app.open_setup(item)
        elif key in self.saves:
            self.app.resume(Path(key.split(":", 1)[1]))
        elif key in self.unreadable:
            self.notify(f"This save cannot be opened: {self.unreadable[key]}", severity="error")
        else:
            self.notify("This item has errors and cannot be opened.", severity="error")

    def resume_one(self, loaded: Loaded | None) -> None:
        """Resume the game of `loaded` in progress; with several, the facilitator chooses
        (the newest first), never the newest unasked."""
        keys = self.in_progress(loaded) if loaded is not None else []
        if not keys:
            self.notify("There is no game of this scenario in progress.")
            return
        if len(keys) == 1:
            self.app.resume(Path(keys[0].split(":", 1)[1]))
            return

        def chosen(key: str | None) -> None:
            if key is not None:
                self.app.resume(Path(key.split(":", 1)[1]))

        assert loaded is not None
        self.app.push_screen(
            Choose(
                f"Which game of {loaded.scenario.title} to resume?",
                [(key, self.save_line(key)) for key in keys],
                f"{len(keys)} games of this scenario are in progress, the newest first.",
            ),
            chosen,
        )

    def in_progress(self, loaded: Loaded) -> list[str]:
        """The autosaves of games of `loaded` still in progress, newest first (as listed)."""
        return [
            key
            for key, save in self.saves.items()  # newest first
            if save.path is not None
            and save.path.name.startswith("autosave-")
            and save.scenario_id == loaded.scenario.id
            and save.scenario_digest == loaded.digest
            and save.summary.get("phase") != "debrief"
        ]
