"""Reports and handouts as single, self-contained HTML files.

One file each: the CSS inline, the charts as inline SVG, no scripts, nothing
fetched from a network (links to sources are only links). Large type for a
projector, a print style for paper. Every text from a scenario, a save or a
player goes through `escape`: it is data, never markup. The pages are also
well-formed XML, so a strict parser can check them.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from game.reports import svg
from game.reports.compare import Comparison
from game.reports.handouts import Handout
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

CSS = """
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 20px; line-height: 1.45;
       color: #111; background: #fff; margin: 0 auto; padding: 1.5rem 2rem 4rem; max-width: 62rem; }
h1 { font-size: 1.9rem; margin: 0.2rem 0 0.8rem; }
h2 { font-size: 1.45rem; border-bottom: 3px solid #1f4e9c; padding-bottom: 0.2rem; margin-top: 2.4rem; }
h3 { font-size: 1.2rem; margin: 1.6rem 0 0.4rem; }
h4 { font-size: 1rem; margin: 0.9rem 0 0.2rem; text-transform: uppercase; letter-spacing: 0.04em; color: #333; }
table { border-collapse: collapse; width: 100%; margin: 0.6rem 0; }
th, td { border: 1px solid #999; padding: 0.35rem 0.55rem; text-align: left; vertical-align: top; }
th { background: #e8edf5; }
ul { margin: 0.3rem 0; padding-left: 1.4rem; }
li { margin: 0.15rem 0; }
.facts th { width: 12rem; }
.muted { color: #444; }
.why { color: #333; font-style: italic; }
.tag { font-size: 0.8em; border: 1px solid #666; border-radius: 0.3em; padding: 0 0.3em; white-space: nowrap; }
.held { font-weight: bold; }
.chart { width: 100%; height: auto; font-size: 15px; font-family: inherit; }
.chart text { fill: #111; }
.turn { border-left: 6px solid #1f4e9c; padding-left: 1rem; margin-top: 1.8rem; }
.headlines li { font-weight: bold; }
.whitecell { background: #fff6d8; border: 1px solid #c9a400; padding: 0.4rem 0.7rem; }
.reality td { width: 42%; }
.reality td:first-child { white-space: nowrap; width: auto; }
.reality ul { padding-left: 1.1rem; }
.briefing p { margin: 0.5rem 0; }
@media print {
  body { font-size: 11pt; max-width: none; padding: 0; }
  h2 { page-break-after: avoid; break-after: avoid; }
  .turn, table, svg, .whitecell { page-break-inside: avoid; break-inside: avoid; }
  a { color: #111; }
  .handout { page-break-after: always; break-after: page; }
}
"""


def e(text: object) -> str:
    """Any text from a scenario, a save or a player, made safe to put in the page."""
    return escape(str(text), quote=True)


def page(title: str, body: Iterable[str]) -> str:
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8"/>',
            '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
            f"<title>{e(title)}</title>",
            f"<style>{CSS}</style>",
            "</head>",
            "<body>",
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )


def items(lines: Iterable[str], cls: str = "") -> str:
    """A list of already-escaped items."""
    lines = list(lines)
    if not lines:
        return ""
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>"


def table(header: Iterable[str], rows: Iterable[Iterable[str]], cls: str = "") -> str:
    """A table of already-escaped cells."""
    attr = f' class="{cls}"' if cls else ""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def seen_by(audience: str | None) -> str:
    return f'<span class="tag">{e(audience)}</span> ' if audience else ""


def tag(basis: str | None) -> str:
    return f' <span class="tag">{e(BASIS_TAGS[basis])}</span>' if basis in BASIS_TAGS else ""


# ----------------------------------------------------------------- report


def report_page(report: Report) -> str:
    """The after-action report of one game."""
    d = report.debrief
    body = [f"<h1>After-action report: {e(report.title)}</h1>", f"<p class='muted'>{e(REVEALS_ALL)}</p>"]
    facts = [
        ("Scenario", f"{e(report.title)} <span class='muted'>({e(report.scenario_id)})</span>"),
        ("In-game dates", f"{e(report.start)} to {e(report.end)}"),
        ("Seed", e(report.seed)),
        ("Turns", turns_line(report)),
        ("Outcome", e(outcome_line(report))),
    ]
    facts += [(f"{e(t.name)}", e(t.played_by)) for t in report.teams]
    body.append('<table class="facts"><tbody>')
    body += [f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in facts]
    body.append("</tbody></table>")

    body += outcome_section(report)
    body += charts_section(report)
    body += story_section(report)
    body += turning_points_section(report)
    body += record_section(report)
    body += beliefs_section(report)
    body.append("<h2>Discussion questions</h2>")
    if d.discussion:
        body.append(
            "<ol>"
            + "".join(
                f"<li>{'<strong>For ' + e(', '.join(q.role_names)) + ':</strong> ' if q.roles else ''}{e(q.text)}</li>"
                for q in d.discussion
            )
            + "</ol>"
        )
    else:
        body.append("<p>The scenario asks no discussion questions of this game.</p>")
    body += sources_section(report)
    return page(f"After-action report: {report.title}", body)


def beliefs_section(report: Report) -> list[str]:
    """What fog of war hid from each team, team by team, with the truth beside it."""
    if not report.beliefs:
        return []
    body = ["<h2>What each team believed, beside what was true</h2>", f"<p>{e(BELIEFS_INTRO)}</p>"]
    for t in report.beliefs:
        body += [f"<h3>{e(t.team)}</h3>", f"<p>{e(t.summary)}</p>"]
        for block in t.blocks():
            body.append(f"<p><strong>{e(block.lead)}</strong>" + (f" {e(block.note)}" if block.note else "") + "</p>")
            cells = [[e(cell) for cell in row] for row in block.rows]
            body.append(table(block.header, cells) if block.header else items(row[0] for row in cells))
    return body


def outcome_section(report: Report) -> list[str]:
    d = report.debrief
    out = ["<h2>Outcome and scores</h2>"]
    if d.outcome is None:
        out.append(f"<p>{e(outcome_line(report))}.</p>")
    else:
        out.append(f"<h3>{e(d.outcome.title)}</h3>")
        out.append(f"<p>{e(' '.join(d.outcome.summary.split()))}</p>")
        if d.outcome.debrief:
            out.append(f"<p class='muted'>{e(' '.join(d.outcome.debrief.split()))}</p>")
        if d.outcome.basis:
            note = f": {' '.join(d.outcome.note.split())}" if d.outcome.note else ""
            out.append(f"<p class='muted'>[{e(d.outcome.basis)}]{e(note)}</p>")
    for score in d.scores:
        out.append(f"<h3>{e(score.name)}: {score.total} points</h3>")
        rows = [["Outcome", e(d.outcome.title) if d.outcome else "", e(score.outcome_points)]]
        for o in score.objectives:
            verdict = '<span class="held">held</span>' if o.held else "missed"
            rows.append(["Objective", f"{verdict}: {e(o.text)}", e(o.points if o.held else 0)])
        out.append(table(["For", "What", "Points"], rows))
    return out


def charts_section(report: Report) -> list[str]:
    d = report.debrief
    out = ["<h2>The ladder and the tracks over the game</h2>"]
    out.append("<p class='muted'>Each chart starts before turn 1 and shows the value after each turn.</p>")
    out.append("<h3>Escalation ladder</h3>")
    ticks = [(level.index, level.name) for level in d.ladder]
    out.append(svg.line_chart("Escalation ladder", [("ladder", d.levels)], 0, len(d.ladder) - 1, ticks, steps=True))
    for track in report.charts:
        values = d.series[track.key]
        out.append(f"<h3>{e(track.label)}</h3>")
        out.append(svg.line_chart(track.label, [(track.label, values)], track.low, track.high))
        out.append(f"<p class='muted'>{e(track.label)}: " + ", ".join(e(format_number(v)) for v in values) + "</p>")
    return out


def story_section(report: Report) -> list[str]:
    out = ["<h2>The game turn by turn</h2>"]
    if report.briefing_acts:
        out.append('<div class="whitecell"><strong>White Cell, before turn 1</strong>')
        out.append(items(e(act_line(a)) for a in report.briefing_acts))
        out.append("</div>")
    for turn in report.turns:
        out.append('<section class="turn">')
        out.append(f"<h3>{e(turn_heading(turn))}</h3>")
        if turn.attempts > 1:
            out.append(f"<p class='muted'>Played {turn.attempts} times: the White Cell took it back.</p>")
        out.append("<h4>Headlines</h4>")
        out.append(
            items((seen_by(n.audience) + e(n.text) + tag(n.basis) for n in turn.news), "headlines") or "<p>No news.</p>"
        )
        out.append("<h4>Orders, revealed</h4>")
        for orders in turn.orders:
            line = f"<strong>{e(orders.name)}</strong> <span class='muted'>({e(orders.player)})</span>: "
            line += e(", ".join(o.label for o in orders.orders) or "no orders")
            reasons = list(dict.fromkeys(o.reason for o in orders.orders if o.reason))
            notes = [f"<span class='why'>why: {e(r)}</span>" for r in reasons]
            if orders.why:
                notes.append(f"<span class='why'>why, in the team's words: {e(orders.why)}</span>")
            if orders.intent:
                notes.append(f"<span class='why'>what the team thought the others intended: {e(orders.intent)}</span>")
            out.append(f"<p>{line}</p>" + items(notes))
        if turn.rolls:
            out.append("<h4>Dice</h4>")
            out.append(items(e(roll_line(r)) for r in turn.rolls))
        if turn.injects:
            out.append("<h4>Events from outside</h4>")
            out.append(
                items(
                    e(i.title)
                    + (" <span class='tag'>fired by the White Cell</span>" if i.forced else "")
                    + ": "
                    + e(i.effects)
                    for i in turn.injects
                )
            )
        if turn.ladder_moves:
            out.append("<h4>Ladder</h4>")
            out.append(
                items(
                    f"<strong>{e(m.old.name)} &#8594; {e(m.new.name)}</strong>: {e(m.why)}" for m in turn.ladder_moves
                )
            )
        if turn.changes:
            out.append("<h4>What changed</h4>")
            out.append(items(e(c.text()) for c in turn.changes))
        if turn.facilitator_acts:
            out.append('<div class="whitecell"><strong>White Cell</strong>')
            out.append(items(e(act_line(a)) for a in turn.facilitator_acts))
            out.append("</div>")
        out.append("</section>")
    if not report.turns:
        out.append("<p>No turn was played.</p>")
    return out


def turning_points_section(report: Report) -> list[str]:
    points = report.debrief.turning_points
    out = ["<h2>Turning points</h2>", "<p class='muted'>The moments to discuss, most important first.</p>"]
    out.append(
        items(f"<span class='tag'>{e(p.kind)}</span> {e(p.text)}" for p in points) or "<p>Nothing stood out.</p>"
    )
    return out


def record_section(report: Report) -> list[str]:
    real = report.real
    if real.empty:
        return []
    out = ["<h2>The game beside the record</h2>"]
    out.append("<p class='muted'>What the teams did each turn, beside what happened in reality in the same days.</p>")
    if real.before:
        out.append("<h3>Before the game</h3>" + items(e(real_line(r)) for r in real.before))
    rows = []
    for turn in report.turns:
        game = "".join(
            f"<strong>{e(o.name)}</strong>: {e(', '.join(x.label for x in o.orders) or 'no orders')}<br/>"
            for o in turn.orders
        )
        game += f"<em>Ladder: {e(turn.level_end.name)}</em>"
        reality = items(e(real_line(r)) for r in real.for_turn(turn.number))
        rows.append(
            [f"Turn {turn.number}<br/>{e(turn.date)}", game, reality or "<span class='muted'>nothing recorded</span>"]
        )
    out.append(table(["Turn", "In this game", "In reality"], rows, "reality"))
    unplayed = [n for n in range(len(report.turns) + 1, report.max_turns + 1) if real.for_turn(n)]
    later = [r for n in unplayed for r in real.for_turn(n)] + list(real.after)
    if later:
        out.append("<h3>What came next in reality</h3>" + items(e(real_line(r)) for r in later))
    return out


def sources_section(report: Report) -> list[str]:
    if not report.sources:
        return []
    out = ["<h2>Sources</h2>", "<ul>"]
    for s in report.sources:
        title = f'<a href="{e(s.link)}">{e(s.title)}</a>' if s.link else e(s.title)
        line = f"<strong>[{e(s.id)}]</strong> {title}. {e(s.outlet)}, {e(s.date)}."
        if s.url:
            line += f" <span class='muted'>{e(s.url)}</span>"
        if s.note:
            line += f" <span class='muted'>{e(' '.join(s.note.split()))}</span>"
        out.append(f"<li>{line}</li>")
    out.append("</ul>")
    return out


# ------------------------------------------------------------- comparison


def comparison_page(c: Comparison) -> str:
    """Several games of one scenario side by side."""
    body = [f"<h1>{len(c.games)} games of {e(c.title)}</h1>"]
    header = ["Game", "Seed", "Teams", "Outcome", "Turns"] + [f"{e(name)} score" for _, name in c.roles]
    rows = []
    for g in c.games:
        teams = "<br/>".join(e(line) for line in seating(g.report))
        scores = [e(g.score(role)) if g.score(role) is not None else "" for role, _ in c.roles]
        rows.append([e(g.label), e(g.report.seed), teams, e(g.outcome), e(g.report.turns_played), *scores])
    body.append(table(header, rows))
    body.append("<h2>Outcomes</h2>")
    body.append(items(e(f"{title}: {count} game{'s' * (count != 1)}") for title, count in c.outcomes))
    body.append("<h2>Where they diverged</h2>")
    first = c.games[0].label
    body.append(
        items(
            e(f"{d.label}: " + (f"parts from {first} in turn {d.turn}: {d.what}" if d.turn else d.what))
            for d in c.divergences
        )
        or "<p>Only one game.</p>"
    )
    body.append("<h2>Over the turns</h2>")
    ladder = c.games[0].report.debrief.ladder
    ticks = [(level.index, level.name) for level in ladder]
    series = [(g.label, g.report.debrief.levels) for g in c.games]
    body.append("<h3>Escalation ladder</h3>")
    body.append(svg.line_chart("Escalation ladder in each game", series, 0, len(ladder) - 1, ticks, steps=True))
    body.append(legend(c))
    headline = next((t for t in c.games[0].report.debrief.tracks if t.role is None), None)
    if headline is not None:
        body.append(f"<h3>{e(headline.label)}</h3>")
        values = [(g.label, g.report.debrief.series[headline.key]) for g in c.games]
        body.append(svg.line_chart(f"{headline.label} in each game", values, headline.low, headline.high))
        body.append(legend(c))
    body.append("<h2>Turn by turn</h2>")
    rows = []
    for number in range(1, c.turns + 1):
        cells = [e(f"Turn {number}")]
        for g in c.games:
            turn = g.report.turns[number - 1] if number <= len(g.report.turns) else None
            cells.append(
                e(orders_summary(turn)) + "<br/>" + e(f"Ladder: {turn.level_end.name}")
                if turn
                else "<span class='muted'>over</span>"
            )
        rows.append(cells)
    body.append(table(["Turn"] + [e(g.label) for g in c.games], rows))
    return page(f"{len(c.games)} games of {c.title}", body)


def legend(c: Comparison) -> str:
    """Which line is which game, in words as well as colour."""
    parts = []
    for n, g in enumerate(c.games):
        colour, _, _, words = svg.STYLES[n % len(svg.STYLES)]
        parts.append(f'<span style="color:{colour}">{e(g.label)}</span>: {words}')
    return "<p class='muted'>" + "; ".join(parts) + "</p>"


# --------------------------------------------------------------- handouts


def handout_page(h: Handout) -> str:
    """A printable briefing page."""
    body = [
        '<div class="handout briefing">',
        f"<p class='muted'><strong>{e(h.kind)}</strong>: {e(h.audience)}</p>",
        f"<h1>{e(h.title)}</h1>",
    ]
    for section in h.sections:
        body.append(f"<h2>{e(section.heading)}</h2>")
        for p in section.paragraphs:
            note = f"<br/><span class='muted'>Note: {e(' '.join(p.note.split()))}</span>" if p.note else ""
            body.append(f"<p>{e(' '.join(p.text.split()))}{tag(p.basis)}{note}</p>")
        body.append(items(e(item) for item in section.items))
    body.append("</div>")
    return page(f"{h.kind}, {h.audience}: {h.title}", body)
