"""The White Cell: the facilitator's powers over the game.

Every act goes through the engine, which records it in the log beside what the
rules would have given; the after-action review shows them all.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from game.engine import GameError
from game.engine import events as ev
from game.engine.views import Seat
from game.reports.timeline import EventText
from game.tui.screens.dialogs import Ask, Choose, Confirm, TextScreen
from game.tui.screens.results import roll_number
from game.tui.text import mark, track_line
from game.workshop.session import Session

ACTS = [
    ("pause", "Pause or resume the clock"),
    ("reveal", "Reveal every team's view"),
    ("inject", "Fire an inject now"),
    ("news", "Publish a news item"),
    ("override", "Override a roll of the last turn"),
    ("undo", "Undo the last turn"),
    ("end", "End the game now"),
    ("close", "Back to the game"),
]


def reveal_text(session: Session) -> Text:
    game = session.game
    out = Text(f"Every team's view · turn {game.turn} · phase: {game.phase}\n\n", style="bold")
    for role in game.scenario.roles:
        view = Seat(game, role.id).view()
        seated = session.settings.seating.get(role.id, "human")
        out.append(f"{role.name} ({seated})\n", style="bold underline")
        for track in view.tracks:
            if track.key.startswith(role.id + "."):
                out.append_text(track_line(track))
                out.append("\n")
        for objective in view.objectives:
            out.append(f"{mark(objective.holds_now)}  {objective.text}\n")
        pending = game.pending.get(role.id)
        if pending:
            names = ", ".join(game.rules.actions[f"{role.id}.{a}"].label for a in pending.actions) or "no orders"
            out.append(f"Orders this turn (secret): {names}\n", style="italic")
        else:
            out.append("No orders given yet this turn.\n", style="italic")
        out.append("\n")
    hidden = [t for t in game.scenario.tracks if t.visibility == "hidden"]
    if hidden:
        out.append("Hidden tracks\n", style="bold underline")
        for t in hidden:
            out.append(f"{t.label}: {game.state.values[t.id]:g}\n")
    flags = [f for f in game.scenario.flags]
    if flags:
        out.append("\nFlags\n", style="bold underline")
        for f in flags:
            out.append(
                f"{'yes' if game.state.flags[f.id] else 'no '}  {' '.join(f.description.split())}"
                f"{' (hidden from the teams)' if f.visibility == 'hidden' else ''}\n"
            )
    return out


class RevealScreen(TextScreen):
    def __init__(self, session: Session):
        super().__init__(reveal_text(session), "facilitator only · escape: close", text_id="reveal-text")


class FacilitatorScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "close", "Back to the game")]

    def __init__(self, session: Session):
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("White Cell (facilitator)", classes="dialog-title")
            yield Static("Teams should look away. Every act is recorded for the review.", classes="dialog-detail")
            yield OptionList(*[Option(label, id=key) for key, label in ACTS], id="acts")
            yield Label("enter: choose    escape: back", classes="dialog-keys")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        getattr(self, f"act_{event.option.id}")()

    def action_close(self) -> None:
        self.dismiss(None)

    def act_close(self) -> None:
        self.dismiss(None)

    def done(self, message: str, changed: bool = True) -> None:
        self.app.notify(message)
        self.dismiss(None)
        if changed:
            self.app.after_facilitator()

    def failed(self, exc: GameError) -> None:
        self.app.notify(str(exc), severity="error", timeout=8)

    # ---------------------------------------------------------------- acts

    def act_pause(self) -> None:
        self.app.clock_paused = not self.app.clock_paused
        self.session.game.note("paused the clock" if self.app.clock_paused else "restarted the clock")
        self.session.autosave()
        self.done("Clock paused." if self.app.clock_paused else "Clock running.", changed=False)

    def act_reveal(self) -> None:
        self.session.game.note("looked at every team's view")
        self.session.autosave()
        self.app.push_screen(RevealScreen(self.session))

    def act_inject(self) -> None:
        injects = self.session.game.rules.injects
        choices = [
            (i.id, f"{i.title}" + (" (already fired)" if self.session.game.state.fired.get(i.id) else ""))
            for i in injects.values()
        ]

        def fire(inject_id: str) -> None:
            try:
                self.session.game.force_inject(inject_id)
                self.session.autosave()
                self.done(f"Inject fired: {injects[inject_id].title}")
            except GameError as exc:
                self.failed(exc)

        def chosen(inject_id: str | None) -> None:
            if inject_id:
                inject = injects[inject_id]
                preview = " ".join(inject.news.render(self.session.game.state).split())
                self.app.push_screen(
                    Confirm(
                        f"Fire '{inject.title}' now?", f"All teams will read (numbers as they stand now): {preview}"
                    ),
                    lambda yes: fire(inject_id) if yes else None,
                )

        self.app.push_screen(Choose("Fire which inject? (it happens now, before the turn resolves)", choices), chosen)

    def act_news(self) -> None:
        def written(text: str | None) -> None:
            if text:
                try:
                    self.session.game.post_news(text)
                    self.session.autosave()
                    self.done("News item published.", changed=False)
                except GameError as exc:
                    self.failed(exc)

        self.app.push_screen(Ask("News item for all teams:"), written)

    def act_override(self) -> None:
        game = self.session.game
        rolls = [e for e in self.session.turn_events() if type(e) is ev.RollMade and e.roll is not None]
        if not rolls:
            self.app.notify("The last turn had no dice rolls to override.", severity="warning")
            return
        text = EventText(game)
        choices = []
        for e in rolls:
            index, count = roll_number(game.rules, e.key)
            which = f" (roll {index} of {count})" if count > 1 and not e.key.startswith("inject:") else ""
            choices.append((e.key, f"{e.label}{which}: {text.dice(e)}: {'success' if e.success else 'failure'}"))

        def chosen(key: str | None) -> None:
            if not key:
                return
            roll = next(e for e in rolls if e.key == key)
            flip = not roll.success

            def reason_given(reason: str | None) -> None:
                if not reason:
                    return
                try:
                    game.override_roll(key, flip, reason)
                    self.session.autosave()
                    self.done(f"The roll is now a {'success' if flip else 'failure'}; the turn was re-run.")
                except GameError as exc:
                    self.failed(exc)

            self.app.push_screen(
                Ask(f"Make it a {'success' if flip else 'failure'}. Why? (shown in the review)"), reason_given
            )

        self.app.push_screen(Choose("Override which roll? (it will be turned the other way)", choices), chosen)

    def act_undo(self) -> None:
        def reason_given(reason: str | None) -> None:
            if not reason:
                return
            try:
                self.session.game.undo_turn(reason)
                self.session.autosave()
                self.done("The last turn was taken back; the teams give their orders again.")
            except GameError as exc:
                self.failed(exc)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.app.push_screen(Ask("Why is the turn taken back? (shown in the review)"), reason_given)

        self.app.push_screen(
            Confirm(
                "Undo the last turn?",
                "Its results are set aside (the review keeps them) "
                "and every team orders again. White Cell injects and news since that "
                "turn's orders began are taken back too.",
            ),
            confirmed,
        )

    def act_end(self) -> None:
        outcomes = [(o.id, o.title) for o in self.session.scenario.outcomes]

        def chosen(outcome: str | None) -> None:
            if not outcome:
                return

            def reason_given(reason: str | None) -> None:
                if not reason:
                    return
                try:
                    self.session.game.end_game(outcome, reason)
                    self.session.autosave()
                    self.done("The game is over.")
                except GameError as exc:
                    self.failed(exc)

            self.app.push_screen(Ask("Why end it here? (shown in the review)"), reason_given)

        self.app.push_screen(Choose("End the game with which outcome?", outcomes), chosen)
