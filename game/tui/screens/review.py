"""The after-action review: every decision revealed, the escalation over the
whole game, the turning points, the White Cell's acts and the questions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from game.reports.beliefs import TRACK, UNSEEN_ORDER, beliefs
from game.reports.charts import chart_axis, escalation_chart
from game.reports.debrief import Debrief, build_debrief
from game.reports.history import RealTimeline, game_beside_the_record
from game.reports.report import beliefs as team_beliefs
from game.reports.report import write_report
from game.reports.timeline import EventText, end_reason
from game.scenario.text import format_number
from game.tui.hanging import Hanging
from game.tui.screens.whatif import WhatIf
from game.tui.text import basis_tag
from game.tui.widgets.footer import KeyFooter
from game.tui.widgets.tabbar import TabBar, tab_bindings
from game.workshop.present import Presenter
from game.workshop.session import Session

if TYPE_CHECKING:
    from game.tui.base import SeatApp

SECTION = "bold underline"
TABS = [
    ("timeline", "Timeline"),
    ("escalation", "Escalation"),
    ("turning", "Turning points"),
    ("whitecell", "White Cell"),
    ("questions", "Questions"),
    ("beliefs", "Beliefs"),
]


def timeline_text(d: Debrief, presenter: Presenter, record: RealTimeline | None = None) -> Text:
    out = Text()
    if d.outcome:
        out.append(f"Outcome: {d.outcome.title}", style="bold")
        out.append(f" (turn {d.outcome.turn}: {end_reason(d.outcome.reason)})\n")
    out.append("Scores: " + ", ".join(f"{s.name} {s.total}" for s in d.scores) + "\n")
    for turn in d.turns:
        out.append(f"\nTurn {turn.number} · {turn.date}", style=SECTION)
        moved = turn.level_start.id != turn.level_end.id
        out.append(f"   ladder: {turn.level_start.name}" + (f" → {turn.level_end.name}" if moved else "") + "\n")
        if turn.attempts > 1:
            out.append(f"  (played {turn.attempts} times: the White Cell took it back)\n", style="italic")
        if not turn.resolved:
            out.append("  (the game ended during this turn's orders: they were never resolved)\n", style="italic")
        for role in turn.orders:
            out.append(f"  {role.name} ({role.player}): ", style="bold")
            out.append(", ".join(o.label for o in role.orders) or "no orders")
            out.append("\n")
            reasons = list(dict.fromkeys(o.reason for o in role.orders if o.reason))
            if role.player != "human":
                for reason in reasons:  # a bot's doctrine rule or score, once per distinct reason
                    out.append(f"      why: {reason}\n", style="dim")
            if role.why:  # the team's own words, typed when it confirmed
                out.append(f"      why, in the team's words: {role.why}\n", style="italic")
            if role.intent:
                out.append(f"      what it thought the others intended: {role.intent}\n", style="italic")
        for roll in turn.rolls:
            name, kind = presenter.roll_name(roll)
            if kind == "event":
                verdict = "it happens" if roll.success else "it does not happen"
            else:
                verdict = "success" if roll.success else "failure"
            out.append(f"  dice: {name}: {EventText.dice(roll)}: {verdict}")
            if roll.override:
                out.append(
                    f" (White Cell: {roll.override}; the dice said {'success' if roll.rules_success else 'failure'})",
                    style="italic",
                )
            out.append("\n")
        for inject in turn.injects:
            out.append(f"  event: {inject.title}" + (" (fired by the White Cell)" if inject.forced else "") + "\n")
        for move in turn.ladder_moves:
            out.append(f"  LADDER: {move.old.name} → {move.new.name} ({move.why})\n", style="bold")
        for act in turn.facilitator_acts:
            out.append(f"  White Cell: {act.text}\n", style="italic")
        real = record.for_turn(turn.number) if record else ()
        if real:
            out.append("  In reality, in those days:\n", style="bold")
            for event in real:
                out.append(f"    {event.when}: ")
                out.append_text(basis_tag(event.basis))
                out.append(f" {' '.join(event.text.split())}\n")
    return out


def escalation_text(d: Debrief, width: int = 70) -> Text:
    out = Text()
    headline = next((t for t in d.tracks if t.role is None), None)
    if headline is not None:
        out.append(f"{headline.label} over the game (start, then after each turn)\n", style=SECTION)
        values = list(d.series[headline.key])
        # 11 rows put the middle row (and its label) on a round value: 0..100 in steps of 10.
        chart = escalation_chart(values, headline.low, headline.high, width, 11)
        out.append("\n".join(chart) + "\n")
        out.append(chart_axis(len(values), headline.low, headline.high, width, 11) + "\n\n")
    out.append("Escalation ladder by turn\n", style=SECTION)
    for i, index in enumerate(d.levels):
        level = d.ladder[index]
        label = "start" if i == 0 else f"turn {i}"
        out.append(f"  {label:<8} {'█' * (index + 1):<{len(d.ladder)}}  {level.name}\n")
    out.append("\nHow the tracks moved (start → end)\n", style=SECTION)
    moved = [t for t in d.tracks if d.series[t.key][0] != d.series[t.key][-1]]
    for track in moved:
        start, end = d.series[track.key][0], d.series[track.key][-1]
        out.append(f"  {track.label}: {format_number(start)} → {format_number(end)}\n")
    if not moved:
        out.append("  Nothing changed.\n")
    return out


def turning_points_text(d: Debrief) -> Text:
    out = Text.assemble(("The moments to discuss, most important first\n\n", "bold"))
    if not d.turning_points:
        out.append("Nothing stood out: the game moved little.\n")
    for point in d.turning_points:
        out.append(f"[{point.kind}] ", style="bold")
        out.append(point.text + "\n")
    return out


def white_cell_text(d: Debrief) -> Text:
    out = Text.assemble(("What the White Cell did, beside what the rules would have given\n\n", "bold"))
    if not d.facilitator_acts:
        out.append("The facilitator did not intervene: every result came from the rules and the dice.\n")
    for act in d.facilitator_acts:
        out.append(f"Turn {act.turn}: ", style="bold")
        out.append(act.text)
        if act.reason:
            out.append(f" (reason: {act.reason})")
        out.append("\n")
        if act.rules_gave:
            out.append(f"   the rules gave: {act.rules_gave}\n", style="italic")
        if not act.counted:
            out.append("   (later taken back)\n", style="dim")
    return out


def questions_text(d: Debrief, session: Session) -> Text:
    out = Text()
    if d.outcome:
        out.append(f"{d.outcome.title}\n", style="bold")
        out.append(" ".join(d.outcome.summary.split()) + "\n")
        if d.outcome.debrief:
            out.append("\n" + " ".join(d.outcome.debrief.split()) + "\n")
    out.append("\nDiscussion questions\n", style=SECTION)
    for i, question in enumerate(d.questions, 1):
        out.append(f"{i}. {' '.join(question.split())}\n\n")
    if not d.questions:
        out.append("The scenario has no discussion questions.\n")
    news = [n for t in d.turns for n in t.news if n.basis]
    if news:
        out.append("Fact or fiction: the events of this game that were drawn from reality\n", style=SECTION)
        for item in news:
            out.append_text(basis_tag(item.basis))
            out.append(f" {item.text}\n")
    return out


def beliefs_text(session: Session) -> Text:
    """What each team believed beside what was true: the hidden orders, hands and numbers."""
    out = Text.assemble(("What each team believed, beside what was true\n\n", "bold"))
    found = beliefs(session.game)
    if not any(found.values()):
        out.append("Nothing was hidden in this game: every team saw every order.\n")
    summaries = {t.role: t.summary for t in team_beliefs(session.game)}
    for role, items in found.items():
        if not items:
            continue
        out.append(session.name(role) + "\n", style=SECTION)
        out.append(summaries[role] + "\n", style="italic")
        for b in items:
            # A claim by a front name, or a statement, is not simply wrong: only shown, not marked.
            mark = "✔" if b.correct else "✘" if b.kind in (UNSEEN_ORDER, TRACK) else "·"
            out.append(f"  Turn {b.turn} {mark} believed: {b.believed}\n")
            out.append(f"           truth: {b.truth}", style="bold")
            out.append(f" (learned in turn {b.learned})\n" if b.learned else "\n")
        out.append("\n")
    return out


class ReviewScreen(Screen):
    BINDINGS = [
        *tab_bindings(TABS),
        Binding("b", "whatif", "What if…"),
        Binding("e", "export", "Export report"),
        Binding("n", "app.show_title", "New game"),
        Binding("i", "app.sources", "Sources"),
    ]

    if TYPE_CHECKING:  # the app that shows messages
        app = getters.app(SeatApp)

    def __init__(self, session: Session):
        super().__init__()
        self.session = session
        self.debrief = build_debrief(session.game)
        self.pages: dict[str, Text] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield TabBar(TABS, "timeline")
        with VerticalScroll(id="review-page"):
            yield Static(Hanging(self.page_text("timeline")), id="review-text")
        yield Static("1-6 tabs  ↑↓ scroll  b: what if…  e: export report  n: new game", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "After-action review"
        self.sub_title = self.session.scenario.title
        self.query_one("#review-page").focus()

    def page_text(self, tab: str) -> Text:
        d = self.debrief
        if tab not in self.pages:
            if tab == "timeline":
                record = game_beside_the_record(self.session.game)
                self.pages[tab] = timeline_text(d, Presenter(self.session.game), record)
            elif tab == "questions":
                self.pages[tab] = questions_text(d, self.session)
            elif tab == "beliefs":
                self.pages[tab] = beliefs_text(self.session)
            else:
                make = {"escalation": escalation_text, "turning": turning_points_text, "whitecell": white_cell_text}
                self.pages[tab] = make[tab](d)
        return self.pages[tab]

    def action_export(self) -> None:
        """Write the after-action report (HTML, for the projector and the printer) beside the saves."""
        session = self.session
        # Named like the game's autosave ("report-baghdad-2023-20261130-142500.html").
        game_name = session.autosave_to.stem.removeprefix("autosave-") if session.autosave_to else session.scenario.id
        path = session.saves_dir / f"report-{game_name}.html"
        try:
            written = write_report(session.game, session.players(), path, "html")
        except OSError as exc:
            self.app.tell(f"Could not write the report: {exc.strerror or exc}", "error", 10)
            return
        self.app.tell(f"Report written to {written.resolve()}", timeout=15)

    def action_whatif(self) -> None:
        WhatIf(self.app, self.session).start()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabBar).show(tab)
        self.query_one("#review-text", Static).update(Hanging(self.page_text(tab)))
        self.query_one("#review-page", VerticalScroll).scroll_home(animate=False)
