"""What the host sends each seat: a frame of its screen, built from its views only.

A frame is what a seat's screen shows now: the stage (`Session.stage`), and
the seat views (`game.workshop.present`) that stage needs, as JSON data. Each
is built by the `Presenter` for that seat, which shows only what the seat may
know, so a frame holds another team's secret only if a view would (the tests
scan every frame for them). The room's frame is the public's view; the White
Cell's holds everything, with each team's presence and progress.

Clocks change every second, so they travel apart from the rest (`clock`): the
host sends a frame again only when something other than its clock changed.
"""

from __future__ import annotations

from typing import Any

from game.net.protocol import ROOM_SEAT, TEAM, WHITE_CELL
from game.reports.report import render_report
from game.workshop.flow import FACILITATOR, ROOM
from game.workshop.present import Presenter, to_data
from game.workshop.session import END, ORDERS, PRIVATE_BRIEFING, PUBLIC_BRIEFING, RESULTS, Session

ROOM_STAGE = "room"  # the room between the briefing and the end: the public situation, live


def seats_of(session: Session) -> list[str]:
    """The seats a host gives codes for: each team people may play (not a bot-only party), the White Cell, the room."""
    return [*session.game.rules.playable_roles, FACILITATOR, ROOM]


def seat_kind(session: Session, seat: str) -> str:
    if seat == FACILITATOR:
        return WHITE_CELL
    if seat == ROOM:
        return ROOM_SEAT
    return TEAM


class Reports:
    """The after-action report (Markdown), made once per state of the log: it takes a tenth of a second."""

    def __init__(self) -> None:
        self.events = -1
        self.text = ""

    def of(self, session: Session) -> str:
        if len(session.game.log) != self.events:
            self.text = render_report(session.game, session.players(), "md")
            self.events = len(session.game.log)
        return self.text


def build_frame(
    session: Session, presenter: Presenter, seat: str, presence: dict[str, int], reports: Reports
) -> dict[str, Any]:
    """The frame of `seat` now (without its number, which the host gives when it sends it)."""
    kind = seat_kind(session, seat)
    if kind == TEAM:
        frame = _team(session, presenter, seat)
    elif kind == ROOM_SEAT:
        frame = _room(session, presenter)
    else:
        frame = _white_cell(session, presenter, presence)
    if session.game.over and frame["stage"]["kind"] == END:
        frame["report"] = reports.of(session)  # the review: everything is revealed now
    return {"type": "frame", "seat": seat, "turn": session.game.turn, **frame}


def _stage(kind: str, turn: int = 0, waiting_for: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    return {"kind": kind, "turn": turn, "waiting_for": list(waiting_for)}


def _team(session: Session, presenter: Presenter, role: str) -> dict[str, Any]:
    stage = session.stage(role)
    waiting = [session.name(r) for r in stage.waiting_for]
    out: dict[str, Any] = {"stage": _stage(stage.kind, stage.turn, waiting), "clock": None}
    views: dict[str, Any]
    if stage.kind in (PUBLIC_BRIEFING, PRIVATE_BRIEFING):
        views = {"briefing": presenter.briefing(role)}
    elif stage.kind == ORDERS:
        paused = session.clocks.paused
        views = {
            "orders": presenter.orders(role, session.flow.drafts.get(role, ()), None, paused),
            "situation": presenter.situation(role),
            "news": presenter.news(role),
            "team": presenter.team(role),
        }
        out["clock"] = {"seconds_left": session.seconds_left(role), "paused": paused}
    elif stage.kind == RESULTS:
        views = {"results": presenter.results(role, stage.turn), "situation": presenter.situation(role)}
    elif stage.kind == END:
        views = {"end": presenter.end(role)}
    else:  # waiting: for the other teams, or for the White Cell to give the team back
        # Its own orders and the news so far (both from its own view), the situation, and
        # the turn's clock (public: the room shows it too).
        views = {"situation": presenter.situation(role), "waiting": presenter.waiting(role)}
        out["played_by"] = session.players()[role]
        if stage.turn:
            out["clock"] = _turn_clock(session)
    out["views"] = to_data(views)
    return out


def _room(session: Session, presenter: Presenter) -> dict[str, Any]:
    game = session.game
    if game.phase == "briefing":
        return {"stage": _stage(PUBLIC_BRIEFING), "views": to_data({"briefing": presenter.briefing(ROOM)})}
    if game.over:
        return {"stage": _stage(END, game.turn), "views": to_data({"end": presenter.end(ROOM)})}
    done = session.last_resolved_turn()
    views: dict[str, Any] = {"situation": presenter.situation(ROOM), "news": presenter.news(ROOM)}
    if done:
        views["results"] = presenter.results(ROOM, done)
    waiting = [session.name(r) for r in session.waiting_for()]
    return {"stage": _stage(ROOM_STAGE, game.turn, waiting), "views": to_data(views), "clock": _turn_clock(session)}


def _turn_clock(session: Session) -> dict[str, Any]:
    """The room's clock (and a waiting team's): the longest time any team still choosing has
    left, when the turn resolves at the latest (None: no timer, or every clock stopped)."""
    left = [s for s in (session.due_in(r) for r in session.waiting_for()) if s is not None]
    clock = {"seconds_left": max(left) if left else None, "paused": session.clocks.paused}
    clock["reading"] = session.clocks.reading_left()  # before any clock runs: when they start at the latest
    return clock


def _white_cell(session: Session, presenter: Presenter, presence: dict[str, int]) -> dict[str, Any]:
    game, flow = session.game, session.flow
    done = session.last_resolved_turn()
    views: dict[str, Any] = {"situation": presenter.situation(FACILITATOR), "news": presenter.news(FACILITATOR)}
    if done:
        views["results"] = presenter.results(FACILITATOR, done)
    if game.over:
        views["end"] = presenter.end(FACILITATOR)
    teams = []
    for role, player in session.players().items():
        pending = game.pending.get(role)
        chosen = len(flow.drafts.get(role, ()))
        teams.append(
            {
                "role": role,
                "name": session.name(role),
                "player": player,
                "connected": presence.get(role, 0) > 0,
                "read_public": role in flow.public_read,
                "read_private": role in flow.private_read,
                "orders": "sent" if pending else ("choosing" if chosen else "none"),
                "chosen": len(pending.actions) if pending else chosen,
                "seen_results": flow.results_seen.get(role, 0),
            }
        )
    rolls = [[key, to_data(roll)] for key, roll in presenter.rolls(done)] if done else []
    return {
        "stage": _stage(END if game.over else game.phase, game.turn),  # "briefing", "orders" or "end"
        "phase": game.phase,
        "last_resolved": done,
        "views": to_data(views),
        "teams": teams,
        "room_connected": presence.get(ROOM, 0) > 0,
        "room_views": presence.get(ROOM, 0),  # screens showing the room's view (a projector, a preview)
        "white_cell": {
            "injects": [[i.id, i.title, bool(game.state.fired.get(i.id))] for i in game.rules.injects.values()],
            "outcomes": [[o.id, o.title] for o in session.scenario.outcomes],
            "rolls": rolls,
            "acts": session.white_cell_acts(),  # act -> None, or why it cannot be done now
            "paused": session.clocks.paused,
            "autosave": str(session.autosave_to or ""),
            "autosave_error": session.autosave_error,
        },
        "clock": {
            "paused": session.clocks.paused,
            "teams": {r: session.seconds_left(r) for r in session.teams()},
            "reading": session.clocks.reading_left(),
            # A seat given back mid-turn, reading its briefing: its clock starts then at the latest.
            "readers": {r: session.clocks.reader_left(r) for r in session.clocks.readers},
        },
    }
