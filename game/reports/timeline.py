"""A game's events as text: one line per event, and the turn-by-turn timeline.

The timeline is what `crisis replay` prints and what the debrief shows: every
team's orders (secrets revealed), every roll with its chance and modifiers,
the injects, the ladder moves and the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from game.engine import Game
from game.engine import events as ev
from game.scenario.text import format_number


class Dice(Protocol):
    """A roll as the engine made it (`RollMade`) or the debrief recorded it (`RollRecord`)."""

    @property
    def base(self) -> float: ...
    @property
    def modifiers(self) -> Sequence[tuple[str, float]]: ...
    @property
    def chance(self) -> float: ...
    @property
    def roll(self) -> int | None: ...


END_REASONS = {
    "terminal level": "the ladder reached an end",
    "condition": "its conditions were met",
    "turn limit": "the turns ran out",
}


def end_reason(reason: str) -> str:
    """Why a game ended, for people."""
    if reason.startswith("facilitator"):
        why = reason.split(":", 1)[1].strip() if ":" in reason else ""
        return f"ended by the White Cell{': ' + why if why else ''}"
    return END_REASONS.get(reason, reason)


class EventText:
    """Turns events into lines of text, with the scenario's names."""

    def __init__(self, game: Game):
        self.game = game
        self.rules = game.rules

    def track(self, key: str) -> str:
        label = self.rules.track_labels[key]
        if "." in key:
            return f"{self.rules.role_label(key.split('.', 1)[0])} {label}"
        return label

    def action(self, role: str, action_id: str) -> str:
        return self.rules.actions[f"{role}.{action_id}"].label

    def party(self, party_id: str) -> str:
        """A role's short name or an actor's name."""
        if party_id in self.rules.roles:
            return self.rules.role_label(party_id)
        return next((a.name for a in self.game.scenario.actors if a.id == party_id), party_id)

    def cause(self, cause: str) -> str:
        """What made a change, in the scenario's words: 'US: Strike the launch site'."""
        if cause.startswith("cost of "):
            key = cause[len("cost of ") :]
            return f"cost of {self.rules.roll_labels.get(key, key)}"
        if cause.startswith("inject:"):
            inject = self.rules.injects.get(cause[len("inject:") :])
            return inject.title if inject else cause
        if cause == "per turn":
            return "change each turn"
        if cause == ev.UNKNOWN_CAUSE:
            return "cause unknown"
        if cause == ev.EXPIRED:
            return "it has run its course"
        return self.rules.roll_labels.get(cause, cause)

    @staticmethod
    def dice(e: Dice) -> str:
        """'chance 50 + 15 (already tense) = 65%, rolled 42'"""
        mods = "".join(f" {'+' if add >= 0 else '-'} {format_number(abs(add))} ({why})" for why, add in e.modifiers)
        die = f"rolled {e.roll}" if e.roll is not None else "no roll needed"
        return f"chance {format_number(e.base)}{mods} = {format_number(e.chance)}%, {die}"

    def line(self, e: ev.Event) -> str | None:
        if type(e) is ev.OrdersSubmitted:
            actions = ", ".join(self.action(e.role, a) for a in e.actions) or "(no orders)"
            return f"{self.rules.role_label(e.role)} orders ({e.player}): {actions}"
        if type(e) is ev.RollMade:
            verdict = "success" if e.success else "failure"
            text = f"{e.label}: {self.dice(e)}: {verdict}"
            if e.override is not None:
                rules_said = "success" if e.rules_success else "failure"
                text += f" [facilitator override; the dice said {rules_said}: {e.override}]"
            return text
        if type(e) is ev.TrackChanged:
            change = e.new - e.old
            return (
                f"{self.track(e.track)} {format_number(e.old)} -> {format_number(e.new)} "
                f"({'+' if change > 0 else ''}{format_number(change)}, {self.cause(e.cause)})"
            )
        if type(e) is ev.FlagSet:
            description = " ".join(self.rules.flag_descriptions[e.flag].split()).rstrip(".")
            return f"{'Now' if e.value else 'No longer'}: {description} ({self.cause(e.cause)})"
        if type(e) is ev.NewsPublished:
            tag = {"reported": " [reported fact]", "disputed": " [disputed]", "fictional": " [fiction]"}.get(
                e.basis or "", ""
            )
            who = " [facilitator]" if e.source == "facilitator" else ""
            return f"NEWS{who}{tag}: {e.text}"
        if type(e) is ev.SignalSent:
            order = f" ({self.action(e.role, e.action)})" if e.action else ""
            return f"STATEMENT by {self.rules.role_label(e.role)}{order}: {e.text}"
        if type(e) is ev.Attributed:
            return self.attribution(e)
        if type(e) is ev.Revealed:
            return self.reveal(e)
        if type(e) is ev.InjectFired:
            inject = self.rules.injects[e.inject]
            return f"Inject: {inject.title}" + (" [fired by the facilitator]" if e.forced else "")
        if type(e) is ev.LadderPushed:
            return f"Ladder pushed {'up' if e.amount > 0 else 'down'} {abs(e.amount)} ({self.cause(e.cause)})"
        if type(e) is ev.LadderMoved:
            old, new = self.rules.levels[e.old].name, self.rules.levels[e.new].name
            how = {
                "push": "pushed by the turn's moves",
                "transition": "the situation moved it",
                "facilitator": "set by the White Cell",
            }.get(e.cause, e.cause)
            return f"LADDER: {old} -> {new} ({how})"
        if type(e) is ev.FacilitatorNoted:
            return f"[White Cell] {e.text}"
        if type(e) is ev.GameEnded:
            scores = ", ".join(f"{self.rules.role_label(r)} {s}" for r, s in e.scores)
            return f"GAME OVER: {self.rules.outcomes[e.outcome].title} ({end_reason(e.reason)}); scores: {scores}"
        if type(e) is ev.TurnUndone:
            return f"[facilitator] turn {e.undone} taken back: {e.reason}"
        if type(e) is ev.RollOverridden:
            return f"[facilitator] roll {e.key} set to {'success' if e.success else 'failure'}: {e.reason}"
        return None

    def attribution(self, e: ev.Attributed) -> str:
        """'WHO DID IT? Claimed by ...', with the truth when the event holds it."""
        if e.claimed_by:
            said = f"claimed by {self.party(e.claimed_by)}"
        elif e.blamed_on:
            said = f"blamed on {self.party(e.blamed_on)}"
        else:
            said = "nobody has claimed it"
        if e.role is None:
            return f"WHO DID IT? {said[0].upper()}{said[1:]}"
        die = f", rolled {e.roll}" if e.roll is not None else ""
        return f"Covert order {self.rules.roll_labels[f'{e.role}.{e.action}']}: {said}{die}"

    def reveal(self, e: ev.Revealed) -> str:
        """What intelligence showed a team."""
        parts = []
        if e.orders is not None:
            orders = ", ".join(self.action(e.target, a) for a in e.orders) or "no orders"
            parts.append(f"{self.rules.role_label(e.target)} ordered this turn: {orders}")
        parts += [f"{self.track(key)} is {format_number(value)}" for key, value in e.tracks]
        return f"INTELLIGENCE for {self.rules.role_label(e.role)}: " + "; ".join(parts)


def taken_back(log: list[ev.Event]) -> set[int]:
    """Positions in the log of events that a later undo took back."""
    gone: set[int] = set()
    opened: dict[int, int] = {}  # turn -> position of its latest OrdersOpened
    for i, e in enumerate(log):
        if type(e) is ev.OrdersOpened:
            opened.setdefault(e.turn, i)
            if i == 0 or type(log[i - 1]) is not ev.TurnUndone:
                opened[e.turn] = i
        elif type(e) is ev.TurnUndone:
            start = opened.get(e.undone, i)
            gone.update(j for j in range(start + 1, i) if type(log[j]) is not ev.RollOverridden)
            opened[e.undone] = i + 1  # the new attempt opens right after the undo
    return gone


def timeline(game: Game, events: Iterable[ev.Event] | None = None) -> str:
    """The game turn by turn, for the debrief and `crisis replay`. What the White
    Cell took back stays in the record, marked '~'; the attempt that replaces it
    follows under its own heading ("Turn 2, played again")."""
    text = EventText(game)
    log = list(events if events is not None else game.log)
    gone = taken_back(log)
    lines = [f"{game.scenario.title} (seed {game.seed})"]
    for i, e in enumerate(log):
        if type(e) is ev.TurnBegan:
            if i not in gone:  # a turn that began, then went with an undo of the one before, has no heading
                lines += ["", f"Turn {e.turn}"]
            continue
        if type(e) is ev.TurnUndone:
            lines += ["", f"Turn {e.undone}, played again"]
        line = text.line(e)
        if line:
            # Text from the scenario or a save may hold line breaks: what follows
            # one stays indented under its event, never a line of its own.
            line = line.rstrip("\n").replace("\n", "\n      ")
            lines.append(("  ~ " if i in gone else "  ") + line + (" (taken back)" if i in gone else ""))
    return "\n".join(lines)
