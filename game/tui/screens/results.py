"""The results of a turn: what each team did and what came of it, with the dice."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from game.engine import events as ev
from game.engine.views import visible_to_every_team
from game.reports.timeline import EventText
from game.scenario.text import format_number
from game.tui.text import basis_tag
from game.tui.widgets.footer import KeyFooter
from game.tui.widgets.situation import situation_text
from game.tui.widgets.tabbar import TabBar
from game.workshop.session import Session

SECTION = "bold underline"


def results_text(session: Session, events: list[ev.Event]) -> Text:
    """The turn as everyone may now see it: orders revealed, rolls, injects, ladder.
    Hidden tracks and flags stay hidden; the facilitator sees them in the review."""
    game = session.game
    rules, text = game.rules, EventText(game)
    public = [e for e in events if not _hidden(game, e)]
    out = Text()
    revealed = next((e for e in public if type(e) is ev.OrdersRevealed), None)
    timed_out = {e.role for e in events if type(e) is ev.OrdersSubmitted and e.player == "timeout"}
    if revealed:
        out.append("What each team ordered\n", style=SECTION)
        for role, actions in revealed.orders:
            names = ", ".join(rules.actions[f"{role}.{a}"].label for a in actions) or "no orders"
            out.append(f"{rules.role_label(role)}: ", style="bold")
            out.append(names + (" (the team's time ran out)" if role in timed_out else "") + "\n")
        out.append("\n")
    out.append("What came of it\n", style=SECTION)
    current = None  # the order being resolved: its effects need not name it again
    for e in public:
        kind = type(e)
        if kind is ev.FlagSet and e.cause == current:
            out.append("  " + text.line(e).rsplit(" (", 1)[0] + "\n", style="dim")  # the cause is the heading
            continue
        if kind is ev.TrackChanged and e.cause == current:
            change = e.new - e.old
            out.append(
                f"  {text.track(e.track)}: {format_number(e.old)} -> {format_number(e.new)} "
                f"({'+' if change > 0 else ''}{format_number(change)})\n",
                style="dim",
            )
            continue
        if kind is ev.ActionTaken:
            current = f"{e.role}.{e.action}"
            out.append(f"\n{rules.role_label(e.role)}: {rules.actions[f'{e.role}.{e.action}'].label}\n", style="bold")
        elif kind is ev.RollMade:
            if e.key.startswith("inject:"):  # an event that may or may not happen
                out.append(f"\nEvent? {rules.injects[e.key[7:]].title}: {text.dice(e)}: ", style="")
                out.append(("IT HAPPENS" if e.success else "it does not happen") + "\n", style="bold")
            else:
                index, count = roll_number(rules, e.key)
                if index == 1:  # the action's main result
                    which = " (main result)" if count > 1 else ""
                    out.append(f"  dice{which}: {text.dice(e)}: ")
                    out.append(("SUCCESS" if e.success else "FAILURE") + "\n", style="bold")
                else:  # a further consequence, good or bad, rolled for on its own
                    out.append(f"  dice (further effect {index - 1} of {count - 1}): {text.dice(e)}: ")
                    out.append(("it happens" if e.success else "it does not happen") + "\n", style="bold")
            if e.override is not None:
                out.append(f"  (set by the White Cell: {e.override})\n", style="italic")
        elif kind is ev.NewsPublished:
            out.append("  White Cell news: " if e.source == "facilitator" else "  news: ")
            if e.basis:
                out.append_text(basis_tag(e.basis))
                out.append(" ")
            out.append(e.text + "\n")
        elif kind is ev.InjectFired:
            current = f"inject:{e.inject}"
            inject = rules.injects[e.inject]
            out.append(f"\nEvent: {inject.title}", style="bold")
            out.append(" (fired by the White Cell)\n" if e.forced else "\n")
        elif kind is ev.FacilitatorNoted:
            continue
        elif kind in (ev.TrackChanged, ev.FlagSet, ev.LadderPushed):
            out.append(f"  {text.line(e)}\n", style="dim")
        elif kind is ev.LadderMoved:
            out.append(f"\n{text.line(e)}\n", style="bold reverse")
        elif kind is ev.GameEnded:
            out.append(f"\nThe game is over: {rules.outcomes[e.outcome].title}\n", style="bold reverse")
    return out


def next_turn_text(session: Session, turn: int) -> Text:
    """What changed on its own as the next turn began (each track's weekly change)."""
    game = session.game
    if game.phase != "orders" or game.turn != turn + 1:
        return Text("")
    text = EventText(game)
    changes = [
        e
        for e in game.log
        if type(e) is ev.TrackChanged
        and e.turn == turn + 1
        and e.cause == "per turn"
        and visible_to_every_team(game, e)
    ]
    if not changes:
        return Text("")
    out = Text(f"\nAs turn {turn + 1} begins, on their own\n", style=SECTION)
    for e in changes:
        change = e.new - e.old
        out.append(
            f"  {text.track(e.track)}: {format_number(e.old)} -> {format_number(e.new)} "
            f"({'+' if change > 0 else ''}{format_number(change)})\n"
        )
    return out


def roll_number(rules, key: str) -> tuple[int, int]:
    """(which roll, of how many) for an action's roll key 'us.strike#1'."""
    action_key, _, index = key.partition("#")
    return int(index or 0) + 1, len(rules.results.get(action_key, ()))


def _hidden(game, e: ev.Event) -> bool:
    return not visible_to_every_team(game, e) or type(e) in (ev.TurnBegan, ev.OrdersOpened)


class ResultsScreen(Screen):
    BINDINGS = [
        Binding("enter", "next", "Continue"),
        Binding("1", "tab('results')", "Results", show=False),
        Binding("2", "tab('situation')", "Situation", show=False),
        Binding("i", "app.sources", "Sources"),
    ]

    def __init__(self, session: Session, events: list[ev.Event], turn: int):
        super().__init__()
        self.session = session
        self.events = events
        self.turn = turn

    def compose(self) -> ComposeResult:
        yield Header()
        yield TabBar([("results", "Results"), ("situation", "Situation")], "results")
        with VerticalScroll(id="results-log"):
            yield Static(self.results(), id="results-text")
        yield Static("↑↓ scroll    1 results  2 situation    enter: continue", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = f"Results of turn {self.turn}"
        self.sub_title = "everyone may look"
        self.query_one("#results-log").focus()

    def results(self) -> Text:
        out = results_text(self.session, self.events)
        out.append_text(next_turn_text(self.session, self.turn))
        return out

    def action_tab(self, tab: str) -> None:
        self.query_one(TabBar).show(tab)
        text = self.results() if tab == "results" else situation_text(self.session.game)
        self.query_one("#results-text", Static).update(text)
        self.query_one("#results-log", VerticalScroll).scroll_home(animate=False)

    def action_next(self) -> None:
        self.app.advance()
