"""The after-action report a workshop takes home: the data, and the one call that writes it.

`build_report(game, players)` gathers, from the game's event log alone, all a
report shows: the scenario, seed and teams, the outcome and scores, the story
turn by turn (headlines first, then every order revealed with the teams'
reasoning, each roll, the injects and the White Cell's acts beside what the
rules gave), the tracks and the ladder over the turns, the turning points, the
game beside the real timeline, the questions that apply and the sources.
`markdown.py` and `html.py` lay it out; `write_report` is what the review
screen and `crisis report` call. A replayed save gives the same report as the
game it was saved from: nothing here reads the clock or the machine.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from game.engine import Game
from game.engine import events as ev
from game.reports.beliefs import COVERT_ACT, STATEMENT, TRACK, UNSEEN_ORDER, Belief
from game.reports.beliefs import beliefs as beliefs_by_team
from game.reports.debrief import Debrief, FacilitatorAct, RollRecord, TrackInfo, TurnRecord, build_debrief
from game.reports.history import RealEvent, RealTimeline, game_beside_the_record
from game.reports.timeline import EventText, end_reason
from game.scenario.calendar import game_date

FORMATS = ("html", "md")
# At the top of every report: a copy passed round before the debrief gives every secret away.
REVEALS_ALL = (
    "This report reveals the whole game: every team's orders, reasons and private "
    "information. Share it after the debrief."
)
# Opens the report's section on fog of war.
BELIEFS_INTRO = (
    "Each team saw the other teams' private orders only through their effects, their covert "
    "acts only as news (claimed, blamed or not), and their private numbers not at all, unless "
    "its intelligence showed them. Here is each team's picture beside the truth."
)
BASIS_TAGS = {"reported": "reported fact", "disputed": "disputed", "fictional": "fiction"}


@dataclass(frozen=True, slots=True)
class Team:
    role: str
    name: str
    player: str  # "human", "doctrine", ... or "" when it never gave orders

    @property
    def played_by(self) -> str:
        if self.player == "human":
            return "human team"
        return f"{self.player} bot" if self.player else "no orders given"


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    outlet: str
    date: str
    url: str | None
    note: str | None

    @property
    def link(self) -> str | None:
        """The address to link to: only plain http(s) ones; anything else is shown as text."""
        return self.url if is_web_address(self.url) else None


@dataclass(frozen=True, slots=True)
class TeamBeliefs:
    """What fog of war hid from one team, by kind: the report lays each kind out its own way."""

    role: str
    team: str  # the role's name
    unseen: tuple[Belief, ...]  # other teams' orders hidden from it (`truth`: the order)
    covert: tuple[Belief, ...]  # covert acts it saw only as news, claimed, blamed or not
    statements: tuple[Belief, ...]  # statements it heard without the order behind them
    numbers: tuple[Belief, ...]  # the others' private tracks at the end (`subject`: the track's label)

    @property
    def summary(self) -> str:
        """One sentence for the facilitator: how far the team's picture was from the truth."""
        parts = []
        if self.unseen:
            shown = sum(b.learned is not None for b in self.unseen)
            parts.append(
                f"{len(self.unseen)} {_plural(len(self.unseen), 'order')} of the other teams "
                + ("was" if len(self.unseen) == 1 else "were")
                + " hidden from it"
                + (f" (its intelligence revealed {shown} of them)" if shown else "")
            )
        if self.covert:
            # Not scored right or wrong: a claim by a front name may well be the true hand's.
            noun = _plural(len(self.covert), "covert act")
            shown = sum(b.learned is not None for b in self.covert)
            parts.append(
                f"it saw {len(self.covert)} {noun} only as news"
                + (f" (its intelligence revealed {shown} of them)" if shown else "")
            )
        if self.statements:
            noun = _plural(len(self.statements), "statement")
            parts.append(
                f"it heard {len(self.statements)} {noun} without the order that made {_it(len(self.statements))}"
            )
        if self.numbers:
            known = sum(b.correct for b in self.numbers)
            noun = _plural(len(self.numbers), "private number")
            parts.append(f"of the others' {len(self.numbers)} {noun}, it knew {known} at the end")
        sentence = "; ".join(parts)
        return sentence[:1].upper() + sentence[1:] + "."

    def blocks(self) -> list[Block]:
        """The team's part of the section, kind by kind, for either format to lay out."""
        out = []
        header: tuple[str, ...]
        rows: tuple[tuple[str, ...], ...]
        if self.unseen:
            turns: dict[int, list[str]] = {}
            for b in self.unseen:
                turns.setdefault(b.turn, []).append(b.truth + _revealed(b))
            rows = tuple((f"Turn {turn}: " + "; ".join(orders),) for turn, orders in turns.items())
            out.append(Block("Orders hidden from it", "(it saw their effects, not the orders):", None, rows))
        if self.covert:
            header = ("Turn", "The news said", "What was so")
            rows = tuple((str(b.turn), b.believed, b.truth + _revealed(b)) for b in self.covert)
            out.append(Block("Covert acts it saw only as news:", "", header, rows))
        if self.statements:
            header = ("Turn", "It heard", "What was so")
            rows = tuple((str(b.turn), b.believed, b.truth) for b in self.statements)
            out.append(Block("Statements it heard without the order that made them:", "", header, rows))
        if self.numbers:
            header = ("Number", "It believed", "True", "Known at the end")
            rows = tuple(
                (
                    b.subject or "",
                    _value(b.believed, b.subject),
                    _value(b.truth, b.subject),
                    "yes" if b.correct else "out of date" if b.learned is not None else "no",
                )
                for b in self.numbers
            )
            out.append(Block("The other teams' private numbers, at the end:", "", header, rows))
        return out


@dataclass(frozen=True, slots=True)
class Block:
    """A part of a report's section in plain words: a lead (shown bold, then `note` if any),
    then a table, or a list when there is no header (one cell a row)."""

    lead: str
    note: str
    header: tuple[str, ...] | None
    rows: tuple[tuple[str, ...], ...]


def _revealed(b: Belief) -> str:
    return f" (revealed by its intelligence in turn {b.learned})" if b.learned is not None else ""


def _it(n: int) -> str:
    return "it" if n == 1 else "them"


def _plural(n: int, noun: str) -> str:
    return noun if n == 1 else noun + "s"


@dataclass(frozen=True, slots=True)
class Report:
    title: str
    scenario_id: str
    start: str  # "8 December 2023"
    end: str  # the last day of the last turn played
    seed: int
    turns_played: int
    max_turns: int
    teams: tuple[Team, ...]
    debrief: Debrief
    charts: tuple[TrackInfo, ...]  # the scenario's tracks worth a chart: those that moved
    real: RealTimeline
    briefing_acts: tuple[FacilitatorAct, ...]  # White Cell acts before turn 1
    beliefs: tuple[TeamBeliefs, ...]  # the teams fog of war hid something from
    sources: tuple[Source, ...]

    @property
    def turns(self) -> tuple[TurnRecord, ...]:
        return self.debrief.turns


def players_from_log(game: Game) -> dict[str, str]:
    """Who gave each team's orders, as the log recorded it (the latest turn's)."""
    players = {role: "" for role in game.rules.role_ids}
    for e in game.log:
        if type(e) is ev.OrdersSubmitted:
            players[e.role] = e.player
    return players


def build_report(game: Game, players: Mapping[str, str] | None = None) -> Report:
    """The report of `game`, finished or not; `players` is the seating (role ->
    "human" or a bot kind), read from the log when not given."""
    seating = {**players_from_log(game), **(players or {})}
    debrief = build_debrief(game)
    scenario = game.scenario
    days = scenario.turns.days
    turns_played = sum(1 for t in debrief.turns if t.resolved)
    # The dates of the turns played: a turn the game ended in before its orders were resolved is not one.
    last_day = dt.date.fromisoformat(scenario.date) + dt.timedelta(days=days * max(turns_played, 1) - 1)
    return Report(
        title=scenario.title,
        scenario_id=scenario.id,
        start=game_date(scenario.date, scenario.turns.days, 1),
        end=f"{last_day.day} {last_day:%B %Y}",
        seed=game.seed,
        turns_played=turns_played,
        max_turns=game.max_turns,
        teams=tuple(Team(r.id, r.name, seating.get(r.id, "")) for r in scenario.roles),
        debrief=debrief,
        charts=tuple(t for t in debrief.tracks if t.role is None and len(set(debrief.series[t.key])) > 1)
        or tuple(t for t in debrief.tracks[:1] if t.role is None),
        real=game_beside_the_record(game),
        briefing_acts=tuple(a for a in debrief.facilitator_acts if a.turn == 0),
        beliefs=beliefs(game),
        sources=tuple(Source(s.id, s.title, s.outlet, s.date, s.url, s.note) for s in scenario.sources),
    )


def beliefs(game: Game) -> tuple[TeamBeliefs, ...]:
    """What fog of war hid from each team, beside the truth (`game.reports.beliefs`), by kind;
    teams that missed nothing are left out."""
    out = []
    for team, items in beliefs_by_team(game).items():
        if items:
            of = {
                kind: tuple(b for b in items if b.kind == kind) for kind in (UNSEEN_ORDER, COVERT_ACT, STATEMENT, TRACK)
            }
            name = game.rules.roles[team].name
            out.append(TeamBeliefs(team, name, of[UNSEEN_ORDER], of[COVERT_ACT], of[STATEMENT], of[TRACK]))
    return tuple(out)


def _value(words: str, subject: str | None) -> str:
    """`words` ("Fear of a US war: 3 (its starting value)") without its track's label."""
    return words.removeprefix(f"{subject}: ") if subject else words


def is_web_address(url: str | None) -> bool:
    """Only plain http(s) addresses become links; `javascript:` and the like stay text."""
    if not url or not url.startswith(("https://", "http://")):
        return False
    return not any(c.isspace() or c in '<>"`' for c in url)


# ------------------------------------------------ lines both formats share


def roll_line(roll: RollRecord) -> str:
    """'US: Strike: chance 50 + 15 (tense) = 65%, rolled 42: success'."""
    text = f"{roll.label}: {EventText.dice(roll)}: {'success' if roll.success else 'failure'}"
    if roll.overridden:
        text += (
            f" (White Cell override: {roll.override}; the dice said {'success' if roll.rules_success else 'failure'})"
        )
    return text


def act_line(act: FacilitatorAct) -> str:
    text = act.text + (f" (reason: {act.reason})" if act.reason else "")
    if act.rules_gave:
        text += f"; the rules gave: {act.rules_gave}"
    if not act.counted:
        text += " (later taken back)"
    return text


def turns_line(report: Report) -> str:
    """Turns played (resolved) of the scenario's; a game ended while a turn was open says which."""
    line = f"{report.turns_played} of {report.max_turns}"
    turns = report.debrief.turns
    if turns and not turns[-1].resolved:
        line += f" (ended during turn {turns[-1].number}, before its orders were resolved)"
    return line


def outcome_line(report: Report) -> str:
    outcome = report.debrief.outcome
    if outcome is None:
        return f"Not finished: {report.turns_played} of {report.max_turns} turns played"
    return f"{outcome.title} (turn {outcome.turn}: {end_reason(outcome.reason)})"


def seating(report: Report) -> list[str]:
    """Who played, in as few lines as it takes: 'all doctrine bots', or one line per team."""
    kinds = {t.played_by for t in report.teams}
    if len(kinds) == 1 and len(report.teams) > 1:
        return [f"all {kinds.pop().replace('team', 'teams').replace('bot', 'bots')}"]
    return [f"{t.name}: {t.played_by}" for t in report.teams]


def turn_heading(turn: TurnRecord) -> str:
    moved = turn.level_end.id != turn.level_start.id
    ladder = f"{turn.level_start.name} → {turn.level_end.name}" if moved else turn.level_start.name
    return f"Turn {turn.number}, {turn.date} (ladder: {ladder})"


def real_line(event: RealEvent) -> str:
    tag = " [disputed]" if event.basis == "disputed" else ""
    return f"{event.when}: {event.text}{tag} ({', '.join(event.cite)})"


def orders_summary(turn: TurnRecord) -> str:
    """What the teams did in a turn, in one line."""
    return "; ".join(f"{o.name}: {', '.join(x.label for x in o.orders) or 'no orders'}" for o in turn.orders)


# ------------------------------------------------------------------ write


def render_report(game: Game, players: Mapping[str, str] | None, fmt: str) -> str:
    """The report of `game` as the text of a file in format `fmt` ('html' or 'md')."""
    from game.reports import html, markdown

    report = build_report(game, players)
    if fmt == "html":
        return html.report_page(report)
    if fmt == "md":
        return markdown.report_text(report)
    raise ValueError(f"unknown report format '{fmt}' (choose from {', '.join(FORMATS)})")


def write_report(game: Game, players: Mapping[str, str] | None, path: str | os.PathLike, fmt: str = "html") -> Path:
    """Write the report of `game` to `path` and return the path written.

    Raises ValueError for an unknown format and OSError when the file cannot be
    written; a file already at `path` is replaced whole or left as it was.
    Every report reveals every team's secrets: it is readable by its owner only (0600), as
    a save is, whoever else uses the machine; its owner hands it out after the debrief."""
    return write_text_atomically(Path(path), render_report(game, players, fmt))


def write_text_atomically(path: Path, text: str) -> Path:
    """Write beside `path`, then rename over it: never half a file; its owner's only (0600)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")  # made 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
