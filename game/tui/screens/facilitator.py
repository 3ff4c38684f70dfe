"""The White Cell: the facilitator's powers over the game.

Every act goes through the session, which records it in the log beside what
the rules would have given, and saves; the after-action review shows them all.
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
from game.players import BOTS
from game.tui import render
from game.tui.screens.dialogs import Ask, Choose, Confirm, TextScreen
from game.tui.text import mark, track_line
from game.workshop.flow import FACILITATOR
from game.workshop.present import Presenter
from game.workshop.session import HUMAN, Session

ACTS = [
    ("pause", "Pause or restart the clock"),
    ("reveal", "Reveal every team's view"),
    ("inject", "Fire an inject now"),
    ("news", "Publish a news item"),
    ("override", "Override a roll of the last turn"),
    ("undo", "Undo the last turn"),
    ("seat", "Hand a team to a bot (or back)"),
    ("start", "Start turn 1 now (briefings)"),
    ("end", "End the game now"),
    ("close", "Back to the game"),
]


def reveal_text(session: Session) -> Text:
    """Every team's tracks, objectives and orders (given or being chosen), and the hidden state."""
    game = session.game
    presenter = Presenter(game, session.players())
    out = Text.assemble((f"Every team's view · turn {game.turn} · phase: {game.phase}\n\n", "bold"))
    for role in game.scenario.roles:
        view = presenter.team(role.id)
        out.append(f"{role.name} ({session.players()[role.id]})\n", style="bold underline")
        for track in view.tracks:
            out.append_text(track_line(track))
            out.append("\n")
        for objective in view.objectives:
            out.append(f"{mark(objective.holds_now)}  {objective.text}\n")
        pending = game.pending.get(role.id)
        draft = session.flow.drafts.get(role.id)
        label = lambda a, r=role.id: game.rules.actions[f"{r}.{a}"].label  # noqa: E731
        if pending:
            out.append(
                f"Orders this turn (secret): {', '.join(map(label, pending.actions)) or 'no orders'}\n", style="italic"
            )
        elif draft:
            out.append(f"Choosing, not yet sent: {', '.join(map(label, draft))}\n", style="italic")
        else:
            out.append("No orders given yet this turn.\n", style="italic")
        out.append("\n")
    situation = presenter.situation(FACILITATOR)
    out.append_text(render.situation(situation))
    return out


class FacilitatorScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "close", "Back to the game")]

    def __init__(self, session: Session):
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("White Cell (facilitator)", classes="dialog-title")
            yield Static("Teams should look away. Every act is recorded for the review.", classes="dialog-detail")
            yield Label("↑↓ move    enter: choose    escape: back", classes="dialog-keys")
            yield OptionList(*[Option(label, id=key) for key, label in ACTS], id="acts")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        getattr(self, f"act_{event.option.id}")()

    def action_close(self) -> None:
        self.dismiss(None)

    def act_close(self) -> None:
        self.dismiss(None)

    def done(self, message: str, changed: bool = True) -> None:
        self.app.tell(message)
        self.dismiss(None)
        if changed:
            self.app.after_facilitator()

    def attempt(self, act, message: str, changed: bool = True) -> None:
        try:
            act()
        except (GameError, ValueError) as exc:
            self.app.tell(str(exc), "error", 8)
            return
        self.done(message, changed)

    # ---------------------------------------------------------------- acts

    def act_pause(self) -> None:
        paused = self.session.pause()
        self.done("Clock paused." if paused else "Clock running.", changed=False)

    def act_reveal(self) -> None:
        self.session.reveal()
        self.app.push_screen(
            TextScreen(reveal_text(self.session), "facilitator only · escape: close", text_id="reveal-text")
        )

    def act_inject(self) -> None:
        game = self.session.game
        injects = game.rules.injects
        choices = [
            (i.id, i.title + (" (already fired)" if game.state.fired.get(i.id) else "")) for i in injects.values()
        ]

        def chosen(inject_id: str | None) -> None:
            if not inject_id:
                return
            try:
                preview = self.session.preview_inject(inject_id)
            except GameError as exc:
                self.app.tell(str(exc), "error", 8)
                return
            self.app.push_screen(
                Confirm(f"Fire '{injects[inject_id].title}' now?", f"All teams will read: {preview}"),
                lambda yes: (
                    self.attempt(
                        lambda: self.session.fire_inject(inject_id), f"Inject fired: {injects[inject_id].title}"
                    )
                    if yes
                    else None
                ),
            )

        self.app.push_screen(Choose("Fire which inject? (it happens now, before the turn resolves)", choices), chosen)

    def act_news(self) -> None:
        def written(text: str | None) -> None:
            if text:
                self.attempt(lambda: self.session.post_news(text), "News item published.")

        self.app.push_screen(Ask("News item for all teams:"), written)

    def act_override(self) -> None:
        session = self.session
        turn = session.last_resolved_turn()
        rolls = Presenter(session.game).rolls(turn) if turn else []
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
                        lambda: session.override(key, reason),
                        f"{roll.name}: now {flip}. The turn was re-run; everyone sees its results again.",
                    )

            self.app.push_screen(Ask(f"Make it {flip}. Why? (shown in the review)"), reason_given)

        self.app.push_screen(
            Choose(f"Override which roll of turn {turn}? (it will be turned the other way)", choices), chosen
        )

    def act_undo(self) -> None:
        def reason_given(reason: str | None, fresh: bool) -> None:
            if reason:
                dice = "with fresh dice" if fresh else "with the same dice"
                self.attempt(
                    lambda: self.session.undo(reason, fresh_dice=fresh),
                    f"The last turn was taken back; every team orders again, {dice}.",
                )

        def dice_chosen(choice: str | None) -> None:
            if choice:
                self.app.push_screen(
                    Ask("Why is the turn taken back? (shown in the review)"),
                    lambda reason: reason_given(reason, choice == "fresh"),
                )

        self.app.push_screen(
            Choose(
                "Undo the last turn: with which dice?",
                [
                    ("fresh", "Fresh dice (the teams cannot know what will fail)"),
                    ("same", "The same dice (to replay the turn exactly as it fell)"),
                ],
                "Its results are set aside (the review keeps them) and every team orders again. White Cell "
                "injects and news since that turn's orders began are taken back too.",
            ),
            dice_chosen,
        )

    def act_seat(self) -> None:
        session = self.session
        players = session.players()
        choices = [
            (r, f"{session.name(r)} (now: {'human team' if k == HUMAN else k + ' bot'})") for r, k in players.items()
        ]

        def team_chosen(role: str | None) -> None:
            if not role:
                return
            kinds = [(HUMAN, "A human team")] + [(k, f"The {k} bot") for k in BOTS]
            self.app.push_screen(
                Choose(f"Who plays {session.name(role)} from now on?", kinds),
                lambda kind: (
                    self.attempt(
                        lambda: session.hand_to_bot(role, kind), f"{session.name(role)} is now played by {kind}."
                    )
                    if kind
                    else None
                ),
            )

        self.app.push_screen(Choose("Which team?", choices), team_chosen)

    def act_start(self) -> None:
        self.attempt(self.session.start_now, "Turn 1 has begun.")

    def act_end(self) -> None:
        outcomes = [(o.id, o.title) for o in self.session.scenario.outcomes]

        def chosen(outcome: str | None) -> None:
            if not outcome:
                return

            def reason_given(reason: str | None) -> None:
                if reason:
                    self.attempt(lambda: self.session.end(outcome, reason), "The game is over.")

            self.app.push_screen(Ask("Why end it here? (shown in the review)"), reason_given)

        self.app.push_screen(Choose("End the game with which outcome?", outcomes), chosen)
