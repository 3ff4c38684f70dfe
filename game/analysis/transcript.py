"""The transcript of a bot game: before each turn, what each team saw and which
actions it could take, then what happened. The golden transcripts in
tests/golden/ are these, for one recorded game per scenario."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from game.engine import Game, Seat
from game.engine import events as ev
from game.players.base import Player
from game.reports.timeline import EventText
from game.scenario.text import format_number as _n


def record_transcript(
    game: Game, players: Mapping[str, Player], before_turn: Callable[[Game], None] | None = None
) -> str:
    """Play `game` to the end, writing what each team saw and did, turn by turn."""
    text = EventText(game)
    out: list[str] = [
        f"# Transcript: {game.scenario.title}",
        f"# seed {game.seed}; players: " + ", ".join(f"{r}={p.kind}" for r, p in players.items()),
    ]
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
            view = seat.view()
            out.append(f"-- {view.name} sees:")
            out.append("   tracks: " + ", ".join(f"{t.label} {_n(t.value)}" for t in view.tracks))
            out.append(
                "   objectives: " + ", ".join(f"{o.id} {'yes' if o.holds_now else 'no'}" for o in view.objectives)
            )
            for option in view.options:
                mark = "+" if option.available else "-"
                why = f" ({option.reason})" if option.reason else ""
                out.append(f"   {mark} {option.action.id}{why}")
            players[role].play(seat)
            pending = game.pending[role]
            for action_id, reason in zip(pending.actions, pending.reasons):
                out.append(f"   => {action_id}: {reason}")
        game.resolve()
        out.append("-- what happened:")
        for e in game.log[start:]:
            if type(e) in (ev.OrdersSubmitted, ev.TurnBegan, ev.OrdersOpened) or e.turn != turn:
                continue  # the next turn's opening shows under that turn
            line = text.line(e)
            if line:
                out.append("   " + line)
        visible = [t for t in game.scenario.tracks]
        out.append("   tracks now: " + ", ".join(f"{t.label} {_n(game.state.values[t.id])}" for t in visible))
    return "\n".join(out) + "\n"
