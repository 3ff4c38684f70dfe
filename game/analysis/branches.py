"""Counterfactual branches: "what if the US had done X in turn 3?"

A branch replays a game up to a turn, replaces one team's orders there, and
plays on with the same seed and the same players. Bots decide afresh from the
new situation; a human team repeats what it really ordered in each later turn,
as far as those orders are still possible. Because the dice are keyed by turn
and subject (see `game.engine.dice`), every roll the two games share comes out
the same, so where they diverge is down to the changed orders.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from game.engine import Game, GameError, Seat
from game.engine import commands as cmd
from game.engine import events as ev
from game.players import BOT_ONLY_PLAYER, make_bot
from game.players.base import Decision, Player, play_game, play_turn


class _Repeat(Player):
    """A human team in a branch: repeats its recorded orders while they are possible."""

    kind = "human"

    def __init__(self, orders: Mapping[int, tuple[str, ...]]):
        self.orders = orders

    def decide(self, seat: Seat) -> Decision:
        wanted = self.orders.get(seat.game.turn, ())
        open_ids = {o.action.id for o in seat.options() if o.available}
        chosen = tuple(a for a in wanted if a in open_ids)
        return Decision(chosen, ("as ordered in the original game",) * len(chosen))


def _stand_in(game: Game, role: str, orders: Mapping[int, tuple[str, ...]]) -> Player:
    """Who plays a role the branch was given no bot for: its doctrine if it is
    bot_only, else the human team repeating its orders."""
    if game.rules.roles[role].bot_only:
        return make_bot(BOT_ONLY_PLAYER)
    return _Repeat(orders)


def orders_by_turn(game: Game) -> dict[str, dict[int, tuple[str, ...]]]:
    """Each role's orders that counted, turn by turn."""
    out: dict[str, dict[int, tuple[str, ...]]] = {r: {} for r in game.rules.role_ids}
    for e in game.log:
        if type(e) is ev.OrdersRevealed:
            for role, actions in e.orders:
                out[role][e.turn] = actions
    return out


def branch(
    game: Game,
    turn: int,
    role: str,
    actions: tuple[str, ...],
    players: Mapping[str, Player | None],
    until: int | None = None,
) -> Game:
    """A new game: `game` up to `turn`, with `role`'s orders in `turn` replaced,
    played to the end, or only through turn `until` (to compare with a game
    that was saved before its end).

    `players[r]` is the bot that played role r, or None for a human team.
    Raises GameError if the new orders are not legal in that turn.
    """
    recorded = orders_by_turn(game)
    new = at_turn(game, turn)
    seats = {r: players.get(r) or _stand_in(game, r, recorded[r]) for r in game.rules.role_ids}
    new.submit(role, actions, "branch", ("the changed order",) * len(actions))
    play_turn(new, seats)
    if until is None:
        return play_game(new, seats)
    while new.phase == "orders" and new.turn <= until:
        play_turn(new, seats)
    return new


def at_turn(game: Game, turn: int) -> Game:
    """A copy of `game` as it stood when teams gave their orders for `turn`."""
    if not 1 <= turn <= game.state.turn:
        raise GameError(f"turn {turn} has not been played")
    new = Game(game.loaded, game.seed, game.max_turns)
    for command in _commands_before(game, turn):
        new.execute(command)
    # From `turn` on, the branch rolls the dice of the attempts that counted,
    # even where the White Cell took a turn back and had it rolled afresh.
    new.dice_rounds.update({t: rounds for t, rounds in game.dice_rounds.items() if t >= turn})
    return new


def _commands_before(game: Game, turn: int) -> list[cmd.Command]:
    """The commands that brought `game` to the orders phase of `turn`
    (the original, with its facilitator acts, as it stood then)."""
    replay = Game(game.loaded, game.seed, game.max_turns)
    kept = []
    for command in game.commands:
        if replay.phase == "orders" and replay.turn == turn and isinstance(command, (cmd.Submit, cmd.Resolve)):
            break
        if replay.phase in ("debrief",):
            break
        replay.execute(command)
        kept.append(command)
        if replay.phase == "orders" and replay.turn > turn:
            raise GameError(f"turn {turn} was taken back in this game")
    return kept


@dataclass(frozen=True, slots=True)
class Divergence:
    turn: int | None  # first turn whose events differ; None if the games are the same
    differences: list[str]  # readable lines: tracks, level and outcome where they differ


def compare(a: Game, b: Game) -> Divergence:
    """Where two games of one scenario part ways, and how they end."""
    turns_a, turns_b = _events_by_turn(a), _events_by_turn(b)
    first = next((t for t in sorted(set(turns_a) | set(turns_b)) if turns_a.get(t) != turns_b.get(t)), None)
    lines = []
    for key in a.state.values:
        va, vb = a.state.values[key], b.state.values[key]
        if va != vb:
            label = a.rules.track_labels[key]
            if "." in key:
                label = f"{a.rules.role_label(key.split('.', 1)[0])} {label}"
            lines.append(f"{label}: {va:g} vs {vb:g}")
    if a.state.level != b.state.level:
        lines.append(f"ladder: {a.rules.levels[a.state.level].name} vs {a.rules.levels[b.state.level].name}")
    if a.state.outcome != b.state.outcome:
        name = lambda g: g.rules.outcomes[g.state.outcome].title if g.state.outcome else "not ended"  # noqa: E731
        lines.append(f"outcome: {name(a)} vs {name(b)}")
    return Divergence(first, lines)


def _events_by_turn(game: Game) -> dict[int, list[ev.Event]]:
    by_turn: dict[int, list[ev.Event]] = {}
    for e in game.log:
        if type(e) is ev.OrdersSubmitted:
            continue  # who submitted first does not matter
        by_turn.setdefault(e.turn, []).append(e)
    return by_turn
