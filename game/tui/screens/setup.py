"""Setup: who plays each role, the seed, the turn limit and the turn timer."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, Select, Static

from game.scenario.loader import Loaded
from game.tui.widgets.footer import KeyFooter
from game.workshop.passphrase import MIN_LENGTH, generate_passphrase, hash_passphrase, passphrase_problem
from game.workshop.session import Settings

if TYPE_CHECKING:
    from game.tui.app import CrisisApp  # imports this screen: typing only

PLAYER_CHOICES = [
    ("Human team", "human"),
    ("Doctrine bot", "doctrine"),
    ("Heuristic bot", "heuristic"),
    ("Random bot", "random"),
]
BOTS_EXPLAINED = (
    "Doctrine bots follow the priorities the scenario writes for their role; heuristic "
    "bots play toward their objectives; random bots pick any action they may take."
)
EXPIRY = [("send the orders chosen so far", "keep"), ("let the doctrine bot decide", "bot")]


class SetupScreen(Screen):
    BINDINGS = [
        Binding("ctrl+g", "start", "Start the game", priority=True),
        Binding("escape", "back", "Back"),
    ]
    if TYPE_CHECKING:  # the hot-seat app, which starts the game set up here (it imports this module)
        app = getters.app(CrisisApp)

    def __init__(self, loaded: Loaded, seed: int | None = None):
        super().__init__()
        self.loaded = loaded
        self.seed = seed if seed is not None else random.SystemRandom().randint(1, 99999)

    def compose(self) -> ComposeResult:
        s = self.loaded.scenario
        yield Header()
        with VerticalScroll(id="setup"):
            yield Static(
                Text(f"{s.title}\nWho plays each role? Roles nobody takes are played by bots."), classes="screen-title"
            )
            with Grid(id="setup-grid"):
                for i, role in enumerate(r for r in s.roles if not r.bot_only):
                    yield Label(Text(role.name))
                    default = "human" if i == 0 else "doctrine"
                    yield Select(PLAYER_CHOICES, value=default, allow_blank=False, id=f"seat-{role.id}")
                yield Label("Seed (same seed, same dice)")
                # Plain text, checked at start: a restricted field would turn "0.25" into 25.
                yield Input(str(self.seed), id="seed")
                yield Label(f"Turns (scenario: {s.turns.max})")
                yield Input(str(s.turns.max), id="turns")
                yield Label("Turn timer, minutes (0: none)")
                yield Input("0", id="timer")
                yield Label("When the timer runs out")
                yield Select(EXPIRY, value="keep", allow_blank=False, id="expiry")
                yield Label("White Cell passphrase")
                yield Input(
                    placeholder=f"{MIN_LENGTH}+ characters; empty: one is made up", password=True, id="passphrase"
                )
            bot_only = [r.name for r in s.roles if r.bot_only]
            if bot_only:  # parties with agency that no team plays
                yield Static(Text("Always played by its doctrine bot: " + ", ".join(bot_only) + "."), classes="explain")
            yield Static(BOTS_EXPLAINED, classes="explain")
            yield Button("Start the game", id="start", variant="primary")
        yield Static("tab: next field    ctrl+g: start    escape: back", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "setup"
        self.query(Select).first().focus()

    def settings(self) -> tuple[Settings, str | None] | None:
        """The settings, and the passphrase when it was made up here (to show it once);
        None after saying what to mend (a number out of range, a passphrase too short)."""
        s = self.loaded.scenario
        seating = {r.id: self.chosen(f"#seat-{r.id}") for r in s.roles if not r.bot_only}
        seed = self.number("seed", "The seed must be a whole number", whole=True, low=None)
        turns = self.number("turns", "Turns must be a whole number from 1 to 100", whole=True, low=1, high=100)
        timer = self.number("timer", "The timer must be a number of minutes from 0 to 120 (0.5 is 30 s)", high=120)
        if seed is None or turns is None or timer is None:
            return None
        box = self.query_one("#passphrase", Input)
        typed = box.value.strip()
        problem = passphrase_problem(typed) if typed else None
        if problem is not None:
            self.app.tell(
                f"{problem[0].upper()}{problem[1:]}. Type a longer one, or leave it empty to have one made up.",
                "error",
                10,
            )
            box.focus()
            return None
        passphrase = typed or generate_passphrase()
        settings = Settings(seating, seed, turns, timer, self.chosen("#expiry"), hash_passphrase(passphrase))
        return settings, (None if typed else passphrase)

    def chosen(self, select_id: str) -> str:
        """The option a select shows (these have no blank, so always one of their options)."""
        value = self.query_one(select_id, Select).value
        assert isinstance(value, str), "a select without a blank always shows an option"
        return value

    def number(self, field: str, rule: str, whole: bool = False, low: float | None = 0, high: float | None = None):
        """The number typed in `field`, or None after saying `rule` and what was typed (and
        putting the cursor there)."""
        box = self.query_one(f"#{field}", Input)
        typed = box.value.strip() or ("0" if field == "timer" else "")
        try:
            value = int(typed) if whole else float(typed)
        except ValueError:
            value = None
        in_range = (
            value is not None
            and value == value  # not NaN
            and (low is None or value >= low)
            and (high is None or value <= high)
        )
        if not in_range:
            shown = typed[:20] or "nothing"
            self.app.tell(f"{rule}; it reads {shown!r}.", "error", 8)
            box.focus()
            return None
        return value

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_start()

    def action_start(self) -> None:
        chosen = self.settings()
        if chosen is not None:
            self.app.start_game(self.loaded, *chosen)

    def action_back(self) -> None:
        self.app.show_title()
