"""The White Cell: the facilitator's powers over the game.

Every act goes through the White Cell's desk (`game.tui.desk`): the session at
a hot-seat table, or the host for a networked facilitator. The session records
each act in the log beside what the rules would have given, and saves; the
after-action review shows them all.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from game.engine import GameError
from game.tui import render
from game.tui.desk import DeskError
from game.tui.screens.dialogs import Ask, Choose, Confirm, Dialog, TextScreen
from game.tui.text import mark, track_line
from game.workshop.present import RevealView
from game.workshop.session import HUMAN

if TYPE_CHECKING:
    from game.tui.base import SeatApp

FAILURES = (GameError, ValueError, DeskError)

ACTS = [
    ("pause", "Pause or restart the clock"),
    ("reveal", "Reveal every team's view"),
    ("inject", "Fire an inject now"),
    ("news", "Publish a news item"),
    ("override", "Override a roll of the last turn"),
    ("undo", "Undo the last turn"),
    ("seat", "Hand a team to a bot (or back)"),
    ("start", "Start turn 1 now, without waiting for the teams still reading"),
    ("end", "End the game now"),
    ("close", "Back to the game"),
]


def reveal_text(view: RevealView) -> Text:
    """Every team's tracks, objectives and orders (given or being chosen), and the hidden state."""
    out = Text.assemble((f"Every team's view · turn {view.header.turn} · phase: {view.phase}\n\n", "bold"))
    for team in view.teams:
        out.append(f"{team.name} ({team.player})\n", style="bold underline")
        for track in team.team.tracks:
            out.append_text(track_line(track))
            out.append("\n")
        for objective in team.team.objectives:
            out.append(f"{mark(objective.holds_now)}  {objective.text}\n")
        if team.status == "sent":
            out.append(f"Orders this turn (secret): {', '.join(team.orders) or 'no orders'}\n", style="italic")
        elif team.status == "choosing":
            out.append(f"Choosing, not yet sent: {', '.join(team.orders)}\n", style="italic")
        else:
            out.append("No orders given yet this turn.\n", style="italic")
        out.append("\n")
    out.append_text(render.situation(view.situation))
    return out


class FacilitatorScreen(Dialog[None]):
    BINDINGS = [Binding("escape", "close", "Back to the game")]

    if TYPE_CHECKING:  # either app: it tells the table what the White Cell did
        app = getters.app(SeatApp)

    def __init__(self, desk):
        super().__init__()
        self.desk = desk  # a LocalWhiteCell, or a networked client's White Cell desk

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("White Cell (facilitator)", classes="dialog-title")
            yield Static("Teams should look away. Every act is recorded for the review.", classes="dialog-detail")
            yield Label("↑↓ move    enter: choose    escape: back", classes="dialog-keys")
            yield OptionList(*self.options(), id="acts")

    def on_mount(self) -> None:  # (Dialog's own runs too: Textual calls each class's handler)
        self.query_one("#acts", OptionList).highlighted = self.opening_act()

    def opening_act(self) -> int | None:
        """Where the cursor is when the menu opens: always on the act chosen last (a facilitator
        often does the same again: news after news, pause then restart), or on the first act
        that can be done now if that one cannot (or none was chosen yet). Cancelling an act's
        question comes back to the menu as it was, on that act."""
        options = self.query_one("#acts", OptionList).options
        usable = [i for i, option in enumerate(options) if not option.disabled]
        last = next((i for i in usable if options[i].id == self.app.white_cell_act), None)
        return last if last is not None else (usable[0] if usable else None)

    def options(self) -> list[Option]:
        """Every act, those that cannot be done now greyed out with the reason."""
        why_not = self.desk.acts()
        options = []
        for key, label in ACTS:
            reason = why_not.get(key)
            text = Text(label) if reason is None else Text.assemble(label, (f" (not now: {reason})", "dim"))
            options.append(Option(text, id=key, disabled=reason is not None))
        return options

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id != "close":
            self.app.white_cell_act = event.option.id
        getattr(self, f"act_{event.option.id}")()

    def action_close(self) -> None:
        self.dismiss(None)

    def ask(self, dialog: Dialog, then: Callable[[Any], None] | None = None) -> None:
        """One of the White Cell's questions: over this menu, which hides meanwhile, with
        "White Cell" on its border so the room's screen still says whose it is."""
        dialog.context = "White Cell"
        self.app.push_screen(dialog, then)

    def act_close(self) -> None:
        self.dismiss(None)

    def done(self, message: str, changed: bool = True) -> None:
        self.app.tell(message)
        self.dismiss(None)
        if changed:
            self.app.after_facilitator()

    def call(self, act: Callable[[], Any], then: Callable[[Any], object]) -> None:
        """Run `act` and hand its result to `then`; a failure is told, not raised. A remote
        desk's act is awaited in a worker, so the screen never waits on the network."""
        try:
            result = act()
        except FAILURES as exc:
            self.app.tell(str(exc), "error", 8)
            return
        if not inspect.isawaitable(result):
            then(result)
            return

        async def wait() -> None:
            try:
                value = await result
            except FAILURES as exc:
                self.app.tell(str(exc), "error", 8)
                return
            then(value)

        self.app.run_worker(wait(), group="white-cell")

    def attempt(self, act, message: str, changed: bool = True) -> None:
        self.call(act, lambda _result: self.done(message, changed))

    # ---------------------------------------------------------------- acts

    def act_pause(self) -> None:
        self.call(
            self.desk.pause, lambda paused: self.done("Clock paused." if paused else "Clock running.", changed=False)
        )

    def act_reveal(self) -> None:
        self.call(
            self.desk.reveal,
            lambda view: self.ask(
                TextScreen(reveal_text(view), "facilitator only · escape: close", text_id="reveal-text")
            ),
        )

    def act_inject(self) -> None:
        titles = {inject_id: title for inject_id, title, _ in self.desk.injects()}
        choices = [(i, title + (" (already fired)" if fired else "")) for i, title, fired in self.desk.injects()]

        def chosen(inject_id: str | None) -> None:
            if not inject_id:
                return

            def previewed(preview: str) -> None:
                self.ask(
                    Confirm(
                        f"Fire '{titles[inject_id]}' now?{self.closes_override()}", f"All teams will read: {preview}"
                    ),
                    lambda yes: (
                        self.attempt(lambda: self.desk.fire_inject(inject_id), f"Inject fired: {titles[inject_id]}")
                        if yes
                        else None
                    ),
                )

            self.call(lambda: self.desk.preview_inject(inject_id), previewed)

        self.ask(Choose("Fire which inject? (it happens now, before the turn resolves)", choices), chosen)

    def act_news(self) -> None:
        def written(text: str | None) -> None:
            if text:
                self.attempt(lambda: self.desk.post_news(text), "News item published.")

        self.ask(Ask("News item for all teams:" + self.closes_override()), written)

    def closes_override(self) -> str:
        """A warning for news or an inject: it closes the override of the last turn's rolls, if still open."""
        if self.desk.acts().get("override") is not None:
            return ""
        return " (after it, no roll of the last turn can be overridden)"

    def act_override(self) -> None:
        desk = self.desk
        turn, rolls = desk.rolls()
        if not rolls:
            self.app.tell("The last turn had no dice rolls to override.", "warning")
            return
        choices = [(key, roll.text()) for key, roll in rolls]

        def chosen(key: str | None) -> None:
            if not key:
                return
            roll = dict(rolls)[key]
            flip = (
                "it happens"
                if roll.kind == "event" and not roll.success
                else ("it does not happen" if roll.kind == "event" else "failure" if roll.success else "success")
            )

            def reason_given(reason: str | None) -> None:
                if reason:
                    self.attempt(
                        lambda: desk.override(key, reason),
                        f"{roll.name}: now {flip}. The turn was re-run; everyone sees its results again.",
                    )

            change = {
                "it happens": "make it happen",
                "it does not happen": "stop it from happening",
                "failure": "make it a failure",
                "success": "make it a success",
            }[flip]
            seen = "shown with the roll to the teams that know of it; the others are told only that a result changed"
            self.ask(Ask(f"{roll.name}: {change}. Why? ({seen})"), reason_given)

        self.ask(Choose(f"Override which roll of turn {turn}? (it will be turned the other way)", choices), chosen)

    def act_undo(self) -> None:
        def reason_given(reason: str | None, fresh: bool) -> None:
            if reason:
                dice = "with fresh dice" if fresh else "with the same dice"
                self.attempt(
                    lambda: self.desk.undo(reason, fresh),
                    f"The last turn was taken back; every team orders again, {dice}.",
                )

        def dice_chosen(choice: str | None) -> None:
            if choice:
                self.ask(
                    Ask("Why is the turn taken back? (shown in the review)"),
                    lambda reason: reason_given(reason, choice == "fresh"),
                )

        self.ask(
            Choose(
                "Undo the last turn: with which dice?",
                [
                    ("fresh", "Fresh dice (the teams cannot know what will fail)"),
                    ("same", "The same dice (to replay the turn exactly as it fell)"),
                ],
                "Its results are set aside (the review keeps them) and every team orders again. White Cell "
                "injects and news since that turn's orders began are taken back too."
                + (
                    " The game is over: every team may have read the review, every secret in it."
                    if self.desk.game_over()
                    else ""
                ),
            ),
            dice_chosen,
        )

    def act_seat(self) -> None:
        desk = self.desk
        players = desk.players()
        choices = [
            (r, f"{desk.name(r)} (now: {'human team' if k == HUMAN else k + ' bot'})") for r, k in players.items()
        ]

        def team_chosen(role: str | None) -> None:
            if not role:
                return
            kinds = [(HUMAN, "A human team")] + [(k, f"The {k} bot") for k in desk.bots()]
            self.ask(
                Choose(f"Who plays {desk.name(role)} from now on?", kinds),
                lambda kind: (
                    self.attempt(
                        lambda: desk.hand_to_bot(role, kind),
                        f"{desk.name(role)} is now played by "
                        + ("a human team (its private briefing comes first)." if kind == HUMAN else f"the {kind} bot."),
                    )
                    if kind
                    else None
                ),
            )

        self.ask(Choose("Which team?", choices), team_chosen)

    def act_start(self) -> None:
        self.ask(
            Confirm(
                "Start turn 1 now?",
                "Turn 1 begins at once for every team, its clock running. On screens of their own, a team "
                "still reading (or not yet joined) reads its briefings first, on the turn's time; at one "
                "table, the briefings not yet read are skipped. It cannot be taken back.",
            ),
            lambda yes: self.attempt(self.desk.start_now, "Turn 1 has begun.") if yes else None,
        )

    def act_end(self) -> None:
        outcomes = self.desk.outcomes()

        def chosen(outcome: str | None) -> None:
            if not outcome:
                return

            def reason_given(reason: str | None) -> None:
                if reason:
                    self.attempt(lambda: self.desk.end(outcome, reason), "The game is over.")

            self.ask(Ask("Why end it here? (shown in the review)"), reason_given)

        self.ask(Choose("End the game with which outcome?", outcomes), chosen)
