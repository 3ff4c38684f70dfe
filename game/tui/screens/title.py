"""The title screen: pick a scenario, or load a saved game."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from game.scenario import ScenarioError, load
from game.scenario.loader import Loaded
from game.tui.widgets.footer import KeyFooter
from game.workshop.saves import SaveError, SaveFile, list_saves

if TYPE_CHECKING:
    from game.tui.app import CrisisApp  # imports this screen: typing only


def shipped_order(paths: list[Path], flagship: str) -> list[Path]:
    """The flagship first, then the others by name."""
    return sorted(paths, key=lambda p: (p.name != flagship, p.name))


def save_state(save: SaveFile | SaveError) -> str:
    """In a word or three: 'in progress, turn 3', 'ended: Negotiated calm', 'cannot be loaded'."""
    if isinstance(save, SaveError):
        return "cannot be loaded"
    summary = save.summary
    if summary.get("phase") == "debrief" or summary.get("outcome"):
        return f"ended: {summary.get('outcome')}"
    return f"in progress, turn {summary.get('turn')}"


def local_time(when: dt.datetime | None) -> str:
    """A save's time on this computer's clock, as people read it: 'Mon 30 Nov 09:12'."""
    if when is None:
        return "time unknown"
    return when.astimezone().strftime("%a %d %b %H:%M")


class TitleScreen(Screen):
    BINDINGS = [
        Binding("enter", "open", "Start / load", show=True),
        Binding("r", "resume", "Resume the game in progress"),
        Binding("q", "app.quit", "Quit", show=False),
    ]
    if TYPE_CHECKING:  # the hot-seat app, which opens what is chosen here (it imports this module)
        app = getters.app(CrisisApp)

    def __init__(self, scenarios_dir: Path, saves_dir: Path, flagship: str = "baghdad-2023.yaml"):
        super().__init__()
        self.scenarios_dir = scenarios_dir
        self.saves_dir = saves_dir
        self.flagship = flagship
        self.scenarios: dict[str, Loaded | ScenarioError] = {}
        self.saves: dict[str, SaveFile | SaveError] = {}
        self.saved_at: dict[str, dt.datetime | None] = {}  # as list_saves read it

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
        self.refresh_list()

    def refresh_list(self) -> None:
        listing = self.query_one("#title-list", OptionList)
        listing.clear_options()
        listing.add_option(Option(Text("Scenarios", style="bold underline"), disabled=True))
        paths = shipped_order(list(self.scenarios_dir.glob("*.yaml")), self.flagship)
        for path in paths:
            key = f"scenario:{path}"
            if key not in self.scenarios:
                try:
                    self.scenarios[key] = load(path)
                except ScenarioError as exc:
                    self.scenarios[key] = exc
            item = self.scenarios[key]
            label = item.scenario.title if isinstance(item, Loaded) else f"{path.name} (has errors)"
            listing.add_option(Option(Text(f"  {label}"), id=key))
        saves = list_saves(self.saves_dir)
        if saves:
            listing.add_option(Option(Text("Saved games", style="bold underline"), disabled=True))
        for entry in saves:
            path, save = entry
            key = f"save:{path}"
            self.saves[key] = save
            self.saved_at[key] = entry.saved_at
            # An autosave by what it is and when ("Tutorial", then "Mon 30 Nov 09:12 · in progress, turn 2"),
            # a save made by hand by the name it was given.
            when = local_time(entry.saved_at)
            name = entry.title if path.name.startswith("autosave-") and entry.title else path.stem
            listing.add_option(Option(Text(f"  {name}\n    {when} · {save_state(save)}"), id=key))
        listing.highlighted = 1
        listing.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one("#title-detail", Static).update(self.detail(event.option.id))

    def detail(self, key: str | None) -> Text:
        item = self.scenarios.get(key) if key else None
        if isinstance(item, Loaded):
            s = item.scenario
            out = Text.assemble((s.title + "\n", "bold"))
            if self.interrupted(item) is not None:
                out.append("A game in progress can be resumed: press r.\n", style="bold reverse")
            out.append(f"Starts {s.date} · {s.turns.max} turns of {s.turns.days} days\n\n")
            out.append(" ".join(s.summary.split()) + "\n\n")
            out.append("Teams: " + ", ".join(r.name for r in s.roles if not r.bot_only) + "\n")
            # A party no team plays (played by its doctrine) is in play, not a team.
            others = [r.name for r in s.roles if r.bot_only] + [a.name for a in s.actors]
            if others:
                out.append("Also in play: " + ", ".join(others) + "\n")
            out.append(f"Escalation ladder: {len(s.ladder.levels)} levels; {len(s.outcomes)} possible outcomes\n")
            return out
        if isinstance(item, ScenarioError):
            return Text("This scenario has errors:\n\n" + "\n".join(str(d) for d in item.diagnostics[:12]))
        save = self.saves.get(key) if key else None
        if isinstance(save, SaveError):
            return Text(f"This save cannot be loaded:\n\n{save}")
        if isinstance(save, SaveFile):
            summary = save.summary
            out = Text.assemble((f"{summary.get('title', save.scenario_id)}\n", "bold"))
            out.append(f"Turn {summary.get('turn')} of {summary.get('max_turns')} · ladder: {summary.get('level')}\n")
            if summary.get("outcome"):
                out.append(f"Ended: {summary.get('outcome')}\n")
            saved = local_time(self.saved_at.get(key or ""))
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
        listing = self.query_one("#title-list", OptionList)
        if listing.highlighted is None:
            return
        key = listing.get_option_at_index(listing.highlighted).id
        if key is None:
            return
        item = self.scenarios.get(key)
        if isinstance(item, Loaded):
            self.app.open_setup(item)
        elif isinstance(self.saves.get(key), SaveFile):
            self.app.resume(Path(key.split(":", 1)[1]))
        elif key:
            self.notify("This item has errors and cannot be opened.", severity="error")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_open()

    def action_resume(self) -> None:
        listing = self.query_one("#title-list", OptionList)
        key = listing.get_option_at_index(listing.highlighted).id if listing.highlighted is not None else None
        item = self.scenarios.get(key) if key is not None else None
        if not isinstance(item, Loaded):
            self.notify("Highlight a scenario to resume its autosave.")
            return
        path = self.interrupted(item)
        if path is None:
            self.notify("There is no game of this scenario in progress.")
            return
        self.app.resume(path)

    def interrupted(self, loaded: Loaded) -> Path | None:
        """The most recent autosave of a game of `loaded` still in progress."""
        for save in self.saves.values():  # newest first
            if (
                isinstance(save, SaveFile)
                and save.path is not None
                and save.path.name.startswith("autosave-")
                and save.scenario_id == loaded.scenario.id
                and save.scenario_digest == loaded.digest
                and save.summary.get("phase") != "debrief"
            ):
                return save.path
        return None
