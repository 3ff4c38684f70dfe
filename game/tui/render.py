"""The seat views of `game.workshop.present`, drawn as Rich text.

Screens show nothing but what these functions draw from a view, so what a
team sees is exactly what its view holds. Scenario and player text goes in
as plain text (a `Text` is never parsed for markup), so `[brackets]` in a
title stay brackets.
"""

from __future__ import annotations

from rich.text import Text

from game.engine.views import TrackView
from game.scenario.text import format_number
from game.tui.text import basis_tag, mark, paragraph, track_line
from game.workshop.present import (
    ActionShown,
    BriefingView,
    EndView,
    NewsShown,
    NewsView,
    ResultsView,
    SituationView,
    TeamView,
    WaitingView,
)

SECTION = "bold underline"
SPARKS = "▁▂▃▄▅▆▇█"


def _heading(out: Text, title: str) -> None:
    out.append(title + "\n", style=SECTION)


def _paragraphs(out: Text, items) -> None:
    for shown in items:
        out.append_text(paragraph(shown.text, shown.basis, shown.note))
        out.append("\n\n")


# ------------------------------------------------------------------ briefings


def public_briefing(view: BriefingView) -> Text:
    out = Text.assemble((view.title + "\n", "bold"))
    out.append(f"The situation on {view.header.date}\n\n", style="italic")
    _paragraphs(out, view.situation)
    for name, items in view.public:
        _heading(out, name)
        _paragraphs(out, items)
    out.append(
        "[reported] facts come from the sources (press i); [disputed] ones are told "
        "differently by different sources; [fiction] is written for the game.",
        style="dim",
    )
    return out


def private_briefing(view: BriefingView) -> Text:
    out = Text.assemble((f"Private briefing: {view.header.seat_name}\n", "bold"))
    out.append("For your team only.\n\n", style="italic")
    _paragraphs(out, view.private)
    _heading(out, "Your objectives")
    for objective in view.objectives:
        out.append(f"• {objective.text} ({objective.points} point{'s' * (abs(objective.points) != 1)})\n")
    if view.resources:
        out.append("\n")
        _heading(out, "Your resources")
        for track in view.resources:
            out.append(f"• {track.label}: {scaled(track)}\n")
    return out


def scaled(track: TrackView) -> str:
    """'6 of 10' (or '6% of 100%'): a number always with its scale."""
    return f"{format_number(track.value)}{track.unit} of {format_number(track.high)}{track.unit}"


# ------------------------------------------------------------------ situation


def ladder(view: SituationView, width: int = 70) -> Text:
    """The ladder, top rung first; the current level marked with an arrow and words."""
    out = Text()
    for level in reversed(view.ladder):
        end = " (ends game)" if level.ends_game else ""
        now = "  ◀ now" if level.current else ""
        room = max(width - len(end) - len(now) - 2, 4)  # for the name, on one line with its marks
        name = level.name if len(level.name) <= room else level.name[: room - 1] + "…"
        out.append(
            ("▶ " if level.current else "  ") + name + end + now + "\n",
            style="bold reverse" if level.current else ("dim" if level.ends_game else ""),
        )
    return out


def sparkline(values: tuple[float, ...] | list[float], low: float, high: float) -> str:
    """A one-line chart: each value as a block whose height is its place in low..high."""
    span = (high - low) or 1
    return "".join(SPARKS[min(len(SPARKS) - 1, max(0, int((v - low) / span * len(SPARKS))))] for v in values)


def situation(view: SituationView, label_width: int = 34, basis: bool = True, own: str | None = None) -> Text:
    """What the seat knows of the situation: the ladder, the tracks it may see, the headline's history."""
    out = Text()
    _heading(out, "Escalation ladder")
    out.append_text(ladder(view))
    out.append("\n")
    _heading(out, "Situation")
    shown = [t for t in view.tracks if own is None or not t.key.startswith(own + ".")]
    for track in shown:
        out.append_text(track_line(track, label_width=label_width, basis=basis))
        out.append("\n")
    if view.headline and view.history:
        headline = next((t for t in view.tracks if t.label == view.headline), None)
        if headline is not None:
            out.append(f"\n{view.headline} over the turns: ", style="bold")
            out.append(sparkline(view.history, headline.low, headline.high) + "  ")
            out.append(" → ".join(format_number(v) for v in view.history[-6:]) + "\n")
    facts = [(text, holds) for text, holds in view.flags if holds]
    if facts:
        out.append("\n")
        _heading(out, "Facts of the situation")
        for text, _ in facts:
            out.append(f"• {text}\n")
    return out


# ----------------------------------------------------------------------- news


def _news_line(out: Text, item: NewsShown) -> None:
    out.append("• ")
    if item.source == "facilitator":
        out.append("White Cell: ", style="bold")
    if item.basis:
        out.append_text(basis_tag(item.basis))
        out.append(" ")
    out.append(" ".join(item.text.split()) + "\n")


def news(view: NewsView) -> Text:
    """Headlines only: what the team has read. The dice and the numbers are in the results."""
    out = Text()
    if view.this_turn:
        _heading(out, f"This turn so far (turn {view.header.turn})")
        for item in view.this_turn:
            _news_line(out, item)
        out.append("\n")
    if view.began:
        _heading(out, "As this turn began, on their own")
        for change in view.began:
            out.append(f"  {change.text()}\n")
        out.append("\n")
    if view.last_turn:
        _heading(out, f"Last turn (turn {view.header.turn - 1})")
        for item in view.last_turn:
            _news_line(out, item)
    if view.own:
        out.append("\n")
        _heading(out, "What only your team saw of last turn")
        _entries(out, view.own)
    if not (view.this_turn or view.last_turn or view.began):
        out.append("No news yet: this is the first turn.", style="italic")
    return out


def waiting(view: WaitingView) -> Text:
    """A team waiting for the others: its own orders of this turn, then the news so far, newest turn first."""
    out = Text()
    if view.sent:
        _heading(out, f"Your orders for turn {view.header.turn} (sent)")
        out.append("".join(f"• {label}\n" for label in view.orders) or "No orders.\n")
        if view.timed_out:
            out.append("Sent for your team when its time ran out.\n", style="italic")
        for name, said in (("Why", view.why), ("What you think the others intend", view.intent)):
            if said:
                out.append(f"{name}: ", style="bold")
                out.append(" ".join(said.split()) + "\n")
        out.append("\n")
    _heading(out, "News so far")
    if not view.news:
        out.append("No news yet.\n", style="italic")
    for turn in sorted({item.turn for item in view.news}, reverse=True):
        out.append(f"Turn {turn}\n", style="bold")
        for item in view.news:
            if item.turn == turn:
                _news_line(out, item)
    return out


# ----------------------------------------------------------------------- team


def team(view: TeamView) -> Text:
    out = Text.assemble((f"{view.header.seat_name}\n", "bold"))
    _heading(out, "Your tracks")
    for track in view.tracks:
        out.append_text(track_line(track))
        out.append("\n")
    out.append("\n")
    _heading(out, "Objectives (would they hold if the game ended now?)")
    for objective in view.objectives:
        out.append(f"{mark(objective.holds_now)}  {objective.text} ({objective.points} pt)\n")
    out.append("\n")
    _heading(out, "Private briefing")
    _paragraphs(out, view.briefing)
    return out


# -------------------------------------------------------------------- orders


def action_detail(action: ActionShown, available: bool, reason: str | None) -> Text:
    text = Text.assemble((action.label + "\n", "bold"))
    if not available:  # first, so it is never below the fold
        text.append(f"Not available: {reason}\n", style="bold reverse")
    text.append(f"{action.category} · cost: {action.cost_text()}")
    if action.max_uses:
        text.append(f" · used {action.used} of {action.max_uses}")
    text.append("\n\n")
    text.append(action.description + "\n")
    if action.basis:  # its note stays for the review: it may tell what happened later
        text.append("\n")
        text.append_text(basis_tag(action.basis))
        text.append(
            " this move was made in reality" if action.basis != "fictional" else " a move written for the game",
            style="dim",
        )
        text.append("\n")
    rolled = [r for r in action.results if r.chance < 100]
    if rolled:
        text.append("\nWhat is rolled for (before modifiers):\n", style="dim")
        for result in action.results:
            text.append(f"  {result.name}: {format_number(result.chance)}%\n", style="dim")
        text.append("A roll of 1-100 at or under the chance succeeds.\n", style="dim")
    return text


# ------------------------------------------------------------------- results


def _entries(out: Text, entries) -> None:
    """Each order or event of a turn with its dice, changes, facts and news."""
    for entry in entries:
        if entry.kind == "ladder":
            out.append(f"\n{entry.title}\n", style="bold reverse")
            out.append(f"  {entry.detail}\n", style="italic")
        elif entry.kind == "end":
            out.append(f"\n{entry.title}\n", style="bold reverse")
        elif entry.kind == "news":
            out.append("\n")
        else:
            title = ("Event: " if entry.kind == "event" else "") + entry.title
            out.append(f"\n{title}", style="bold")
            out.append(f" ({entry.detail})\n" if entry.detail else "\n")
        for roll in entry.rolls:
            out.append("  dice: ")
            out.append(roll.name, style="bold" if roll.kind != "main" else "")
            rolled = f"rolled {roll.roll}" if roll.roll is not None else "certain"
            out.append(f": {roll.chance_text()}, {rolled}: ")
            out.append(roll.verdict().upper() if roll.kind != "further" else roll.verdict(), style="bold")
            out.append("\n")
            if roll.override is not None:
                out.append(f"    (set by the White Cell: {roll.override})\n", style="italic")
        for change in entry.changes:
            out.append(f"  {change.text()}\n", style="dim")
        for fact in entry.facts:
            out.append(f"  {fact}\n", style="dim")
        for item in entry.news:
            out.append("  ")
            _news_line(out, item)


def results(view: ResultsView) -> Text:
    """The turn as the seat may know it: orders, then what came of each, in the order it happened."""
    out = Text()
    if view.orders:
        _heading(out, "What each team ordered")
        for shown in view.orders:
            out.append(f"{shown.team}: ", style="bold")
            out.append(shown.text())
            out.append(" (the team's time ran out)\n" if shown.timed_out else "\n")
        out.append("\n")
    _heading(out, "What came of it")
    out.append(view.rule + "\n", style="dim")
    _entries(out, view.entries)
    if view.next_turn:
        out.append(f"\nAs turn {view.turn + 1} begins, on their own\n", style=SECTION)
        for change in view.next_turn:
            out.append(f"  {change.text()}\n")
    return out


# ----------------------------------------------------------------------- end


def end(view: EndView) -> Text:
    out = Text.assemble((f"{view.outcome}\n", "bold reverse"))
    out.append(f"{view.how}\n\n", style="italic")
    out.append(" ".join(view.summary.split()) + "\n\n")
    if view.debrief:
        out.append(" ".join(view.debrief.split()) + "\n\n")
    if view.basis:
        out.append_text(paragraph(view.note or "", view.basis))
        out.append("\n\n")
    _heading(out, "Scores (most points first)")
    # A role the scenario gives no points at all (a bot's patron, say) is not ranked:
    # "0 of 0 possible points" puzzled the room.
    scored = [s for s in view.scores if s.best or s.objectives]
    for place, score in enumerate(scored, 1):
        out.append(f"{place}. {score.team}: {score.total} of {score.best} possible points", style="bold")
        out.append(f" (outcome {score.outcome_points:+d})\n")
        for text, held, points in score.objectives:
            out.append(f"     {mark(held)}  {text} ({points:+d} if met)\n")
    unscored = [s.team for s in view.scores if s not in scored]
    if unscored:
        out.append(f"Not scored in this scenario: {', '.join(unscored)}.\n", style="dim")
    return out
