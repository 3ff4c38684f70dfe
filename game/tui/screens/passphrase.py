"""The made-up White Cell passphrase, for the facilitator's eyes only.

At one terminal the whole room sees the screen. So the passphrase is not shown
at once: a facilitator-only page first asks the teams to look away, and the
passphrase appears only when the facilitator presses a key (and hides again with
the same key). Nothing of it stays on screen once the game goes on.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Static

from game.tui.screens.dialogs import Confirm
from game.tui.widgets.footer import KeyFooter

SHOW_KEY = "s"


class PassphraseScreen(Screen[None]):
    """'Teams, look away' first; the passphrase only while the facilitator shows it."""

    BINDINGS = [
        Binding(SHOW_KEY, "show_or_hide", "Show/hide"),
        Binding("escape", "close", "Done"),
    ]

    def __init__(self, passphrase: str):
        super().__init__()
        self.passphrase = passphrase
        self.shown = False
        self.seen = False  # shown at least once

    def compose(self) -> ComposeResult:
        yield Static(Text("White Cell only · the passphrase", style="bold"), id="passphrase-header")
        with Middle(), Center():
            yield Static(self.page(), id="passphrase-text")
        yield Static(self.hint(), classes="hint", id="passphrase-hint")
        yield KeyFooter()

    def page(self) -> Text:
        if not self.shown:
            return Text.assemble(
                ("For the facilitator only\n\n", "bold"),
                ("Teams, please look away from the screen.\n\n", "bold"),
                "The White Cell passphrase was made up for this game; it is shown only this once. "
                "The White Cell (w) sees every team's secrets.\n\n",
                "Facilitator: when nobody else can see the screen, press ",
                (f" {SHOW_KEY} ", "bold reverse"),
                " to show it.",
            )
        return Text.assemble(
            ("The White Cell passphrase\n\n", "bold"),
            (f"  {self.passphrase}  ", "bold reverse"),
            "\n\nWrite it down now: it is shown only this once. If it is lost, close the game and run "
            "`crisis passphrase` on its save (docs/saves.md).\n\n",
            "Press ",
            (f" {SHOW_KEY} ", "bold reverse"),
            " to hide it again.",
        )

    def hint(self) -> Text:
        if self.shown:
            return Text(f"{SHOW_KEY}: hide it    escape: hide it and go on to the briefing")
        return Text(f"{SHOW_KEY}: show the passphrase    escape: go on without it")

    def action_show_or_hide(self) -> None:
        self.shown = not self.shown
        self.seen = self.seen or self.shown
        self.query_one("#passphrase-text", Static).update(self.page())
        self.query_one("#passphrase-hint", Static).update(self.hint())

    def action_close(self) -> None:
        if self.seen:
            self.dismiss(None)
            return

        # Never shown: one stray key must not lose the White Cell's only way in.
        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(
            Confirm(
                "Go on without seeing the passphrase?",
                "It is shown only this once. Without it, the White Cell opens only after the game is "
                "closed and `crisis passphrase` is run on its save.",
            ),
            answered,
        )
