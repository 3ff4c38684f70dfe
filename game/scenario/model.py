"""The scenario format, version 1: every key a scenario file may hold.

Each class is one kind of YAML mapping; each field is one key, with its type,
default and a one-line doc. These classes are the single description of the
format: the reader (`reader.Reader`), the JSON Schema (`crisis schema`) and the
tests of docs/scenario-format.md are all derived from them.

After loading, `Condition`, `Formula` and `Template` fields hold compiled
objects (callable on the game state); ids and references are `str`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from game.scenario.expr import Condition, Formula
from game.scenario.fields import Date, Id, Model, PartialDate, Ref, spec
from game.scenario.text import Template

FORMAT_VERSION = 1

Basis = Literal["reported", "disputed", "fictional"]
Category = Literal["diplomatic", "military", "economic", "information", "legal"]
CATEGORIES: tuple[str, ...] = ("diplomatic", "military", "economic", "information", "legal")
# Orders resolve by category in this order unless the scenario sets `resolution_order`.
DEFAULT_RESOLUTION_ORDER = ["information", "diplomatic", "legal", "economic", "military"]
# Who learns of an order: everyone ("public"), its own team only ("private"; its
# effects on what others see still show), or everyone sees its effects but not
# who did it ("covert"; see `Attribution`).
Visibility = Literal["public", "private", "covert"]

# A change to the state: keys name a track (`tension`, `us.capital`), a flag, or
# `ladder`; values are a number (added), a formula (its value is added), or
# true/false (for flags).
Effects = dict[Ref, float | bool | Formula]


@dataclass(kw_only=True, slots=True)
class Source(Model):
    """A published source that facts in the scenario cite."""

    noun: ClassVar[str] = "source"
    id: Id = spec("How provenance blocks cite this source.")
    title: str = spec("Headline or title.")
    outlet: str = spec("Publisher, agency or website.")
    date: PartialDate = spec("Publication date (YYYY-MM-DD, or YYYY-MM or YYYY when that is all that is known).")
    url: str | None = spec("Web address, if any.", None)
    note: str | None = spec("What this source is used for, or how far to trust it.", None)


@dataclass(kw_only=True, slots=True)
class Provenance(Model):
    """Where a piece of the scenario comes from: reported fact or invention."""

    noun: ClassVar[str] = "provenance"
    basis: Basis = spec(
        "'reported' (a sourced fact), 'disputed' (sources disagree) or 'fictional' (an extrapolation written for play)."
    )
    date: PartialDate | None = spec("When the reported event happened (YYYY-MM-DD, YYYY-MM or YYYY).", None)
    cite: list[Ref] = spec("Ids of entries in `sources`.", [])
    note: str | None = spec("A short note for players and the debrief, e.g. how sources differ.", None)


@dataclass(kw_only=True, slots=True)
class Paragraph(Model):
    """A paragraph of briefing text with its provenance."""

    noun: ClassVar[str] = "paragraph"
    text: Template = spec("The paragraph; may show the state through {placeholders}.")
    provenance: Provenance | None = spec("Reported fact or fiction, with sources.", None)


# A briefing is a list of paragraphs: plain text, or a mapping with provenance.
Paragraphs = list[Template | Paragraph]


@dataclass(kw_only=True, slots=True)
class Track(Model):
    """A number that the game tracks: tension, casualties, political capital..."""

    noun: ClassVar[str] = "track"
    id: Id = spec("Name used in conditions and effects (`tension`; a role's as `us.capital`).")
    label: str = spec("Name shown to players.")
    start: float = spec("Value at the start of the game.")
    min: float = spec("Lowest value; changes below it stop there.", 0)
    max: float = spec("Highest value; changes above it stop there.", 100)
    per_turn: float = spec("Change applied at the start of every turn after the first.", 0)
    unit: str | None = spec("Shown after the value, e.g. '%'.", None)
    description: str | None = spec("What the number means, for players and authors.", None)
    visibility: Literal["public", "private", "hidden"] | None = spec(
        "Who sees it: 'public' (everyone), 'private' (only the owning team; role tracks "
        "only) or 'hidden' (only the facilitator). Default: public for scenario tracks, "
        "private for role tracks.",
        None,
    )
    provenance: Provenance | None = spec("Where the starting value comes from.", None)


@dataclass(kw_only=True, slots=True)
class Flag(Model):
    """A yes/no fact about the situation, such as 'talks have opened'."""

    noun: ClassVar[str] = "flag"
    id: Id = spec("Name used in conditions and effects.")
    description: str = spec("What it means when the flag is set.")
    start: bool = spec("Value at the start of the game.", False)
    visibility: Literal["public", "hidden"] = spec("'public' or 'hidden' (facilitator only).", "public")
    expires: int | None = spec(
        "Once set, the flag clears itself at the start of the turn this many turns later.", None, ge=1, le=100
    )


@dataclass(kw_only=True, slots=True)
class Objective(Model):
    """Something a team wants by the end of the game, worth points."""

    noun: ClassVar[str] = "objective"
    id: Id = spec("Identifier, unique within the role.")
    text: str = spec("The objective as the team reads it.")
    when: Condition = spec("Condition that must hold at the end of the game.")
    points: int = spec("Points scored when it holds.", 1, ge=-100, le=100)


@dataclass(kw_only=True, slots=True)
class Modifier(Model):
    """A change to a chance while a condition holds."""

    noun: ClassVar[str] = "modifier"
    when: Condition = spec("Condition, checked when the roll is made.")
    add: float = spec("Percentage points added to the chance (negative to lower it).", ge=-100, le=100)
    reason: str = spec("Why, in a few words; shown beside the roll.")


@dataclass(kw_only=True, slots=True)
class Failure(Model):
    """What happens when a result's roll fails."""

    noun: ClassVar[str] = "failure"
    effects: Effects = spec("Changes to the state.", {})
    news: Template | None = spec("News text.", None)


@dataclass(kw_only=True, slots=True)
class Reveal(Model):
    """What an intelligence result shows the acting team about another team."""

    noun: ClassVar[str] = "reveal"
    role: Ref = spec("The team watched.")
    orders: bool = spec("Show that team's orders of this turn, private and covert ones included.", True)
    tracks: list[Ref] = spec("Ids of that team's own tracks whose current values are shown.", [])


@dataclass(kw_only=True, slots=True)
class Result(Model):
    """One possible consequence of an action, rolled for on its own."""

    noun: ClassVar[str] = "result"
    label: str | None = spec("A name for this result, shown as the roll's name, e.g. 'Lawmakers protest'.", None)
    chance: float = spec("Base chance in percent.", 100, ge=0, le=100)
    modifiers: list[Modifier] = spec("Changes to the chance while conditions hold.", [])
    if_main_succeeds: bool = spec(
        "Rolled only when the action's first (main) result succeeded; not for the first result itself.", False
    )
    effects: Effects = spec("Changes to the state when the roll succeeds.", {})
    news: Template | None = spec("News text when the roll succeeds.", None)
    reveal: Reveal | None = spec("Intelligence the acting team gets when the roll succeeds.", None)
    failure: Failure | None = spec("Effects and news when the roll fails.", None)


@dataclass(kw_only=True, slots=True)
class Attribution(Model):
    """One way the others may read a covert action: who claims it, or whom they blame."""

    noun: ClassVar[str] = "attribution"
    claimed_by: Ref | None = spec("A role or actor that claims the act: a front, or the team itself.", None)
    blamed_on: Ref | None = spec("A role or actor the others blame, rightly or not.", None)
    chance: float = spec("Chance of this reading in percent; what the list leaves of 100 is 'unclaimed'.", ge=0, le=100)


@dataclass(kw_only=True, slots=True)
class Action(Model):
    """A move a team may order."""

    noun: ClassVar[str] = "action"
    id: Id = spec("Identifier, unique within the role; `us.strike` in conditions.")
    label: str = spec("Short name shown in the list of actions.")
    category: Category = spec("diplomatic, military, economic, information or legal (legal/political).")
    description: Template = spec("What the action is and what it risks.")
    cost: dict[Ref, float] = spec("Amounts taken from the role's own tracks when ordered.", {})
    available_when: Condition | None = spec("Condition for the action to be offered.", None)
    unavailable_reason: str | None = spec("Shown when `available_when` does not hold.", None)
    max_uses: int | None = spec(
        "How many times per game it may be ordered (orders count, successful or not).", None, ge=1
    )
    results: list[Result] = spec("Its possible consequences, each rolled for separately.")
    visibility: Visibility = spec(
        "Who learns of the order: 'public' (everyone), 'private' (its own team; others see only its "
        "effects on what they can see) or 'covert' (everyone sees its effects and news, not who did it).",
        "public",
    )
    attribution: list[Attribution] = spec(
        "For a covert action that makes news: who claims it or is blamed, with chances.", []
    )
    signal: Template | None = spec(
        "A public statement every team reads in the team's name when the order is carried out; "
        "what lies behind it stays as secret as the action.",
        None,
    )
    provenance: Provenance | None = spec("Whether the move was made in reality.", None)


@dataclass(kw_only=True, slots=True)
class DoctrineRule(Model):
    """One line of a bot's doctrine: when this holds, prefer these actions."""

    noun: ClassVar[str] = "doctrine rule"
    when: Condition | None = spec("Condition for the rule to apply (always, if left out).", None)
    prefer: list[Ref] = spec("Actions of this role, best first.")
    reason: str = spec("Why, as the debrief shows it.")


@dataclass(kw_only=True, slots=True)
class Role(Model):
    """A team, played by people or a bot; or, with `bot_only`, a party with its own doctrine."""

    noun: ClassVar[str] = "role"
    id: Id = spec("Identifier, used as the prefix of its names (`us.capital`).")
    name: str = spec("Full name, e.g. 'United States'.")
    short_name: str | None = spec("Short name for narrow screens, e.g. 'US'.", None)
    public_briefing: Paragraphs = spec("What every team knows about this role.")
    private_briefing: Paragraphs = spec("What only this team reads.")
    orders_per_turn: int | None = spec("Overrides the scenario's `orders_per_turn`.", None, ge=1, le=10)
    tracks: list[Track] = spec("The role's own tracks (resources, support, readiness).", [])
    objectives: list[Objective] = spec("Scored objectives.", [])
    actions: list[Action] = spec("Moves the team may order.")
    doctrine: list[DoctrineRule] = spec("Priority rules for the doctrine bot, first match first.", [])
    bot_only: bool = spec("Played only by its doctrine bot, never by a team: a party with agency such as Iran.", False)


@dataclass(kw_only=True, slots=True)
class Actor(Model):
    """A party that no team plays: it acts through injects, and may claim or be blamed for covert acts."""

    noun: ClassVar[str] = "actor"
    id: Id = spec("Identifier, named by injects' `actor`.")
    name: str = spec("Full name.")
    description: Template = spec("Who they are and what they want.")
    provenance: Provenance | None = spec("Sources for the description.", None)


@dataclass(kw_only=True, slots=True)
class Level(Model):
    """A rung of the escalation ladder."""

    noun: ClassVar[str] = "level"
    id: Id = spec("Identifier, used in transitions and in conditions (`level >= 'strikes'`).")
    name: str = spec("Name shown on the ladder.")
    description: Template = spec("What this level looks like.")
    outcome: Ref | None = spec("Makes the level terminal: entering it ends the game with this outcome.", None)


@dataclass(kw_only=True, slots=True)
class LadderTransition(Model):
    """A move on the ladder when a condition holds."""

    noun: ClassVar[str] = "transition"
    source: list[Ref] | Ref = spec(
        "Level id, list of level ids, or '*' for any level that is not terminal.", key="from"
    )
    to: Ref = spec("Level to move to.")
    when: Condition = spec("Condition, checked in the escalation phase.")
    news: Template | None = spec("News text when it happens.", None)


@dataclass(kw_only=True, slots=True)
class Ladder(Model):
    """The escalation ladder: ordered levels, lowest first."""

    noun: ClassVar[str] = "ladder"
    start: Ref = spec("The level the game starts at.")
    levels: list[Level] = spec("Levels from the calmest to the most violent.")
    transitions: list[LadderTransition] = spec("Moves between levels; the first that applies is taken.", [])


@dataclass(kw_only=True, slots=True)
class Inject(Model):
    """A news event outside the teams' hands."""

    noun: ClassVar[str] = "inject"
    id: Id = spec("Identifier.")
    title: str = spec("Headline.")
    actor: Ref | None = spec("The role or actor behind it, if any.", None)
    turn: list[int] | int | None = spec("Turn (or list of turns) it is scheduled for.", None)
    when: Condition | None = spec("Condition for it to fire.", None)
    chance: float = spec("Chance in percent, once it is due.", 100, ge=0, le=100)
    modifiers: list[Modifier] = spec("Changes to the chance while conditions hold.", [])
    repeat: bool = spec("May fire again in later turns.", False)
    effects: Effects = spec("Changes to the state.", {})
    news: Template = spec("The news item players read.")
    provenance: Provenance | None = spec("Reported fact or fiction, with sources.", None)


@dataclass(kw_only=True, slots=True)
class Outcome(Model):
    """A way the game can end."""

    noun: ClassVar[str] = "outcome"
    id: Id = spec("Identifier, named by terminal levels.")
    title: str = spec("Name of the outcome.")
    summary: Template = spec("What happened, shown when the game ends.")
    debrief: Template | None = spec("Longer text for the after-action review.", None)
    when: Condition | None = spec("Condition that ends the game with this outcome.", None)
    checked: Literal["every_turn", "at_turn_limit"] = spec(
        "When `when` is checked: at the end of every turn, or only when the turns run out.",
        "every_turn",
    )
    default: bool = spec("The outcome when the turns run out and no other applies.", False)
    scores: dict[Ref, int] = spec("Points for each role when the game ends this way.", {})
    provenance: Provenance | None = spec("What really happened, for the debrief: reported fact or fiction.", None)


@dataclass(kw_only=True, slots=True)
class Turns(Model):
    """How long the game lasts."""

    noun: ClassVar[str] = "turns"
    max: int = spec("Number of turns; the game ends after the last one.", ge=1, le=100)
    days: int = spec("In-game days per turn.", 7, ge=1, le=365)


@dataclass(kw_only=True, slots=True)
class Question(Model):
    """A discussion question shown only where it applies: when its condition holds
    at the end of the game, to the teams it names."""

    noun: ClassVar[str] = "question"
    text: Template = spec("The question; may show the state through {placeholders}.")
    when: Condition | None = spec("Asked only if this holds when the game ends (always, if left out).", None)
    roles: list[Ref] = spec("The teams it is for, by role id (every team, if left out).", [])


@dataclass(kw_only=True, slots=True)
class Debrief(Model):
    """Material for the after-action review."""

    noun: ClassVar[str] = "debrief"
    questions: list[Template | Question] = spec(
        "Discussion questions: plain text, or a mapping with the conditions for asking it."
    )


@dataclass(kw_only=True, slots=True)
class HistoryEntry(Model):
    """Something that really happened, dated and sourced: reports set the game beside it."""

    noun: ClassVar[str] = "history entry"
    date: Date = spec("When it happened (YYYY-MM-DD, quoted).")
    text: str = spec("What happened, in a sentence or two.")
    provenance: Provenance = spec("Its sources: basis 'reported' or 'disputed', with `cite`.")


@dataclass(kw_only=True, slots=True)
class Scenario(Model):
    """A crisis scenario."""

    noun: ClassVar[str] = "scenario"
    format: int = spec("Version of this format; must be 1.")
    id: Id = spec("Identifier, stored in saves.")
    title: str = spec("Title.")
    date: Date = spec("Date of the situation at the start (YYYY-MM-DD).")
    summary: str = spec("A paragraph for the scenario picker.")
    author: str | None = spec("Author line.", None)
    licence: str | None = spec("Licence of the scenario text.", None)
    sources: list[Source] = spec("Sources that provenance blocks cite.", [])
    turns: Turns = spec("Length of the game.")
    orders_per_turn: int = spec("Orders each team may give per turn.", 2, ge=1, le=10)
    resolution_order: list[Category] = spec(
        "Order in which categories of orders resolve each turn.", list(DEFAULT_RESOLUTION_ORDER)
    )
    situation: Paragraphs = spec("The public briefing everyone reads first.")
    tracks: list[Track] = spec("Tracks of the whole situation (tension, casualties...).", [])
    flags: list[Flag] = spec("Yes/no facts of the situation.", [])
    roles: list[Role] = spec("The teams, and parties with agency that only a bot plays (`bot_only`).")
    actors: list[Actor] = spec("Parties no team plays (they act through injects and attributions).", [])
    ladder: Ladder = spec("The escalation ladder.")
    injects: list[Inject] = spec("News events outside the teams' hands.", [])
    outcomes: list[Outcome] = spec("Ways the game can end.")
    debrief: Debrief | None = spec("Discussion questions for the after-action review.", None)
    ask_intent: bool = spec("Ask each team, when it confirms its orders, what it thinks the other teams intend.", False)
    history: list[HistoryEntry] = spec(
        "What really happened, dated and sourced; reports show it beside the game, turn by turn.", []
    )

    def role(self, role_id: str) -> Role:
        return next(r for r in self.roles if r.id == role_id)
