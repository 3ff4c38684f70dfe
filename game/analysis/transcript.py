"""The transcript of a bot game: before each turn, what each team saw and which
actions it could take, then what happened. The golden transcripts in
tests/golden/ are these, for one recorded game per scenario.

Without `as_role` it is the facilitator's whole view: every team's screen and
orders, and every event. With `as_role` it is the game as that team saw it:
its own screen and orders, and each turn's events as `perceive` shows them to
it (no other team's private or covert orders, their dice or private tracks).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from game.engine import Game, Seat
from game.engine import events as ev
from game.engine.views import perceived_log
from game.players.base import Player
from game.reports.timeline import EventText
from game.scenario.text import format_number as _n

# Events that are part of the turn's machinery, not of what happened in it.
_MACHINERY = (ev.OrdersSubmitted, ev.TurnBegan, ev.OrdersOpened)


def record_transcript(
    game: Game,
    players: Mapping[str, Player],
    before_turn: Callable[[Game], None] | None = None,
    as_role: str | None = None,
) -> str:
    """Play `game` to the end, writing what each team (or only `as_role`) saw and did, turn by turn."""
    text = EventText(game)
    out: list[str] = [
        f"# Transcript: {game.scenario.title}",
        f"# seed {game.seed}; players: " + ", ".join(f"{r}={p.kind}" for r, p in players.items()),
    ]
    if as_role is not None:
        Seat(game, as_role)  # refuses an unknown role
        out.append(f"# as {game.rules.roles[as_role].name} saw it")
    if game.phase == "setup":
        game.begin()
    if game.phase == "briefing":
        game.start_play()
    while game.phase == "orders":
        if before_turn:
            before_turn(game)
        start, turn = len(game.log), game.turn
        out += ["", f"== Turn {game.turn} ({game.rules.levels[game.state.level].name}) =="]
        for role in game.rules.role_ids:
            seat = Seat(game, role)
            shown = as_role is None or role == as_role
            if shown:
                out += _screen(seat)
            players[role].play(seat)
            if shown:
                pending = game.pending[role]
                for action_id, reason in zip(pending.actions, pending.reasons):
                    out.append(f"   => {action_id}: {reason}")
        game.resolve()
        events = [e for e in game.log[start:] if type(e) not in _MACHINERY and e.turn == turn]
        if as_role is None:
            out.append("-- what happened:")
        else:
            out.append(f"-- what {game.rules.role_label(as_role)} saw happen:")
            events = perceived_log(game, as_role, events)
            revealed = next((e for e in events if type(e) is ev.OrdersRevealed), None)
            if revealed is not None:
                out.append("   orders seen: " + _orders_seen(text, revealed, as_role))
        for e in events:
            line = text.line(e)
            if line:
                out.append("   " + line)
        if as_role is None:
            shown_tracks = [(t.label, game.state.values[t.id]) for t in game.scenario.tracks]
        else:
            shown_tracks = [(t.label, t.value) for t in Seat(game, as_role).view().tracks]
        out.append("   tracks now: " + ", ".join(f"{label} {_n(value)}" for label, value in shown_tracks))
    return "\n".join(out) + "\n"


def _screen(seat: Seat) -> list[str]:
    """What a team sees before it gives its orders: tracks, objectives, options."""
    view = seat.view()
    lines = [
        f"-- {view.name} sees:",
        "   tracks: " + ", ".join(f"{t.label} {_n(t.value)}" for t in view.tracks),
        "   objectives: " + ", ".join(f"{o.id} {'yes' if o.holds_now else 'no'}" for o in view.objectives),
    ]
    for option in view.options:
        mark = "+" if option.available else "-"
        why = f" ({option.reason})" if option.reason else ""
        lines.append(f"   {mark} {option.action.id}{why}")
    return lines


def _orders_seen(text: EventText, revealed: ev.OrdersRevealed, observer: str) -> str:
    """Each other team's orders that `observer` learned of: 'Iraq: Open talks; Militias: none seen'."""
    parts = []
    for role, actions in revealed.orders:
        if role != observer:
            names = ", ".join(text.action(role, a) for a in actions) or "none seen"
            parts.append(f"{text.rules.role_label(role)}: {names}")
    return "; ".join(parts) or "no other team"
