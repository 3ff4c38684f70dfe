"""Reports as Markdown that renders on common viewers (GitHub, GitLab, editors).

Charts are plain-character charts in code blocks (`charts.py`). Every text from
a scenario, a save or a player goes through `md`, which escapes what Markdown
(or raw HTML inside it) would read as markup: links, emphasis, tags, table
cells, braces for template engines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from game.reports.charts import chart_axis, escalation_chart
from game.reports.compare import Comparison
from game.reports.report import (
    BASIS_TAGS,
    BELIEFS_INTRO,
    REVEALS_ALL,
    Report,
    act_line,
    orders_summary,
    outcome_line,
    real_line,
    roll_line,
    seating,
    turn_heading,
    turns_line,
)
from game.scenario.text import format_number

CHART_WIDTH = 72
CHART_ROWS = 11  # an odd number of rows puts the middle label on a round value
# ASCII punctuation that Markdown (or GitHub's extensions: tables, strikethrough,
# math) reads as markup anywhere in a line; a backslash makes each literal.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~&$])")
# At the start of a line, these begin a list, a quote or a heading underline.
_LINE_START = re.compile(r"^([-+=])|^(\d+)([.)])")


def md(text: object) -> str:
    """Text on one line, with everything Markdown would read as markup escaped."""
    line = _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    return _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", line)


def bullet(lines: Iterable[str], indent: str = "") -> list[str]:
    """Items of an already-escaped list."""
    return [f"{indent}- {line}" for line in lines]


def row(cells: Iterable[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def table(header: list[str], rows: Iterable[Iterable[object]]) -> list[str]:
    return [row(header), row("---" for _ in header), *(row(r) for r in rows)]


def code_block(lines: list[str]) -> list[str]:
    """A fenced block longer than any run of backticks inside it."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + "text", *lines, fence]


def seen_by(audience: str | None) -> str:
    return f"*\\[{md(audience)}\\]* " if audience else ""


def tag(basis: str | None) -> str:
    return f" *\\[{BASIS_TAGS[basis]}\\]*" if basis in BASIS_TAGS else ""


# ----------------------------------------------------------------- report


def report_text(report: Report) -> str:
    """The after-action report of one game."""
    d = report.debrief
    out = [f"# After-action report: {md(report.title)}", "", f"*{md(REVEALS_ALL)}*", ""]
    out += table(
        ["", ""],
        [
            ["Scenario", f"{md(report.title)} ({md(report.scenario_id)})"],
            ["In-game dates", f"{md(report.start)} to {md(report.end)}"],
            ["Seed", report.seed],
            ["Turns", turns_line(report)],
            ["Outcome", md(outcome_line(report))],
            *([md(t.name), md(t.played_by)] for t in report.teams),
        ],
    )
    out += outcome_section(report)
    out += charts_section(report)
    out += story_section(report)
    out += ["", "## Turning points", "", "The moments to discuss, most important first.", ""]
    out += bullet(f"**{md(p.kind)}**: {md(p.text)}" for p in d.turning_points) or ["Nothing stood out."]
    out += record_section(report)
    out += beliefs_section(report)
    out += ["", "## Discussion questions", ""]
    for i, q in enumerate(d.discussion, 1):
        who = f"**For {md(', '.join(q.role_names))}:** " if q.roles else ""
        out.append(f"{i}. {who}{md(q.text)}")
    if not d.discussion:
        out.append("The scenario asks no discussion questions of this game.")
    out += sources_section(report)
    return "\n".join(out) + "\n"


def beliefs_section(report: Report) -> list[str]:
    """What fog of war hid from each team, team by team, with the truth beside it."""
    if not report.beliefs:
        return []
    out = ["", "## What each team believed, beside what was true", "", md(BELIEFS_INTRO)]
    for t in report.beliefs:
        out += ["", f"### {md(t.team)}", "", md(t.summary)]
        for block in t.blocks():
            out += ["", f"**{md(block.lead)}**" + (f" {md(block.note)}" if block.note else ""), ""]
            cells = [[md(cell) for cell in row] for row in block.rows]
            out += table(list(block.header), cells) if block.header else bullet(row[0] for row in cells)
    return out


def outcome_section(report: Report) -> list[str]:
    d = report.debrief
    out = ["", "## Outcome and scores", ""]
    if d.outcome is None:
        out.append(md(outcome_line(report)) + ".")
    else:
        out += [f"### {md(d.outcome.title)}", "", md(d.outcome.summary)]
        if d.outcome.debrief:
            out += ["", f"*{md(d.outcome.debrief)}*"]
        if d.outcome.basis:
            note = f": {d.outcome.note}" if d.outcome.note else ""
            out += ["", md(f"[{d.outcome.basis}]{note}")]
    for score in d.scores:
        out += ["", f"### {md(score.name)}: {score.total} points", ""]
        rows = [["Outcome", md(d.outcome.title) if d.outcome else "", score.outcome_points]]
        rows += [
            ["Objective", f"{'**held**' if o.held else 'missed'}: {md(o.text)}", o.points if o.held else 0]
            for o in score.objectives
        ]
        out += table(["For", "What", "Points"], rows)
    return out


def text_chart(values: list[float], low: float, high: float) -> list[str]:
    return code_block(
        escalation_chart(values, low, high, CHART_WIDTH, CHART_ROWS)
        + [chart_axis(len(values), low, high, CHART_WIDTH, CHART_ROWS)]
    )


def charts_section(report: Report) -> list[str]:
    d = report.debrief
    out = [
        "",
        "## The ladder and the tracks over the game",
        "",
        "Each chart starts before turn 1 (turn 0) and shows the value after each turn.",
        "",
    ]
    out += ["### Escalation ladder", ""]
    width = max(len(d.ladder), 1)
    bars = [
        f"{'start' if i == 0 else f'turn {i}':<8} {'#' * (index + 1):<{width}}  {d.ladder[index].name}"
        for i, index in enumerate(d.levels)
    ]
    out += code_block(bars)
    for track in report.charts:
        values = list(d.series[track.key])
        out += ["", f"### {md(track.label)}", ""]
        out += text_chart(values, track.low, track.high)
        out += ["", f"{md(track.label)}: " + ", ".join(format_number(v) for v in values)]
    return out


def story_section(report: Report) -> list[str]:
    out = ["", "## The game turn by turn"]
    if report.briefing_acts:
        out += ["", "**White Cell, before turn 1:**", ""] + bullet(md(act_line(a)) for a in report.briefing_acts)
    for turn in report.turns:
        out += ["", f"### {md(turn_heading(turn))}", ""]
        if turn.attempts > 1:
            out += [f"*Played {turn.attempts} times: the White Cell took it back.*", ""]
        out += ["**Headlines**", ""]
        out += bullet(seen_by(n.audience) + md(n.text) + tag(n.basis) for n in turn.news) or ["No news."]
        out += ["", "**Orders, revealed**", ""]
        for orders in turn.orders:
            out.append(
                f"- **{md(orders.name)}** ({md(orders.player)}): {md(', '.join(o.label for o in orders.orders) or 'no orders')}"
            )
            notes = [f"why: {md(r)}" for r in dict.fromkeys(o.reason for o in orders.orders if o.reason)]
            if orders.why:
                notes.append(f"why, in the team's words: *{md(orders.why)}*")
            if orders.intent:
                notes.append(f"what the team thought the others intended: *{md(orders.intent)}*")
            out += bullet(notes, "  ")
        if turn.rolls:
            out += ["", "**Dice**", ""] + bullet(md(roll_line(r)) for r in turn.rolls)
        if turn.injects:
            out += ["", "**Events from outside**", ""]
            out += bullet(
                md(i.title) + (" *(fired by the White Cell)*" if i.forced else "") + ": " + md(i.effects)
                for i in turn.injects
            )
        if turn.ladder_moves:
            out += ["", "**Ladder**", ""]
            out += bullet(f"**{md(m.old.name)} → {md(m.new.name)}**: {md(m.why)}" for m in turn.ladder_moves)
        if turn.changes:
            out += ["", "**What changed**", ""] + bullet(md(c.text()) for c in turn.changes)
        if turn.facilitator_acts:
            out += ["", "**White Cell**", ""] + bullet(md(act_line(a)) for a in turn.facilitator_acts)
    if not report.turns:
        out += ["", "No turn was played."]
    return out


def record_section(report: Report) -> list[str]:
    real = report.real
    if real.empty:
        return []
    out = [
        "",
        "## The game beside the record",
        "",
        "What the teams did each turn, beside what happened in reality in the same days.",
    ]
    if real.before:
        out += ["", "### Before the game", ""] + bullet(md(real_line(r)) for r in real.before)
    out.append("")
    rows = []
    for turn in report.turns:
        reality = "<br>".join(md(real_line(r)) for r in real.for_turn(turn.number)) or "*nothing recorded*"
        rows.append(
            [
                md(f"Turn {turn.number}, {turn.date}"),
                md(orders_summary(turn)) + f"<br>Ladder: {md(turn.level_end.name)}",
                reality,
            ]
        )
    out += table(["Turn", "In this game", "In reality"], rows)
    unplayed = [n for n in range(len(report.turns) + 1, report.max_turns + 1) if real.for_turn(n)]
    later = [r for n in unplayed for r in real.for_turn(n)] + list(real.after)
    if later:
        out += ["", "### What came next in reality", ""] + bullet(md(real_line(r)) for r in later)
    return out


def sources_section(report: Report) -> list[str]:
    if not report.sources:
        return []
    out = ["", "## Sources", ""]
    for s in report.sources:
        title = f"[{md(s.title)}](<{s.link}>)" if s.link else md(s.title)
        line = f"**\\[{md(s.id)}\\]** {title}. {md(s.outlet)}, {md(s.date)}."
        if s.url and not s.link:
            line += f" {md(s.url)}"
        if s.note:
            line += f" {md(s.note)}"
        out.append(f"- {line}")
    return out


# ------------------------------------------------------------- comparison


def comparison_text(c: Comparison) -> str:
    """Several games of one scenario side by side."""
    out = [f"# {len(c.games)} games of {md(c.title)}", ""]
    header = ["Game", "Seed", "Teams", "Outcome", "Turns"] + [f"{md(name)} score" for _, name in c.roles]
    rows = []
    for g in c.games:
        teams = "<br>".join(md(line) for line in seating(g.report))
        scores = ["" if g.score(role) is None else g.score(role) for role, _ in c.roles]
        rows.append([md(g.label), g.report.seed, teams, md(g.outcome), g.report.turns_played, *scores])
    out += table(header, rows)
    out += ["", "## Outcomes", ""] + bullet(
        md(f"{title}: {count} game{'s' * (count != 1)}") for title, count in c.outcomes
    )
    out += ["", "## Where they diverged", ""]
    first = c.games[0].label
    out += bullet(
        md(f"{d.label}: " + (f"parts from {first} in turn {d.turn}: {d.what}" if d.turn else d.what))
        for d in c.divergences
    ) or ["Only one game."]
    out += ["", "## Turn by turn", ""]
    rows = []
    for number in range(1, c.turns + 1):
        cells: list[str | int | None] = [f"Turn {number}"]
        for g in c.games:
            turn = g.report.turns[number - 1] if number <= len(g.report.turns) else None
            cells.append(md(orders_summary(turn)) + f"<br>Ladder: {md(turn.level_end.name)}" if turn else "*over*")
        rows.append(cells)
    out += table(["Turn"] + [md(g.label) for g in c.games], rows)
    headline = next((t for t in c.games[0].report.debrief.tracks if t.role is None), None)
    if headline is not None:
        out += ["", f"## {md(headline.label)} in each game", ""]
        for g in c.games:
            values = list(g.report.debrief.series[headline.key])
            out += [f"**{md(g.label)}**", ""] + text_chart(values, headline.low, headline.high) + [""]
    return "\n".join(out).rstrip("\n") + "\n"
