"""Checks that need the whole scenario: ids, references, expressions, the ladder.

The reader has already checked each value's type. Here every name is resolved,
every condition, formula and text template is compiled against the scenario's
names, and the ladder and outcomes are checked for a game that can end.
"""

from __future__ import annotations

import keyword
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Set
from difflib import get_close_matches
from typing import Protocol

from game.scenario.calendar import game_date
from game.scenario.cost import check_cost
from game.scenario.diagnostics import Loc, Report
from game.scenario.expr import (
    BOOL,
    LEVEL,
    NUM,
    TEXT,
    TURNS_SINCE,
    Condition,
    Expr,
    ExprError,
    Symbol,
    Symbols,
    compile_expression,
    since_reader,
)
from game.scenario.fields import loc_of, walk, walk_values
from game.scenario.model import (
    CATEGORIES,
    FORMAT_VERSION,
    Action,
    Inject,
    Paragraph,
    Provenance,
    Question,
    Role,
    Scenario,
)
from game.scenario.text import Template, format_number
from game.scenario.visibility import unseen_by

# Names with a fixed meaning in conditions and effects, and Python's keywords
# (which the expression parser cannot take as names): no id may be one.
RESERVED = (
    {
        "turn",
        "max_turns",
        "level",
        "ladder",
        "date",
        "true",
        "false",
        "name",
        "short_name",
        "min",
        "max",
        "abs",
        "round",
        TURNS_SINCE,
    }
    | set(keyword.kwlist)
    | set(keyword.softkwlist)
)
ANY_LEVEL = "*"


class _Identified(Protocol):
    """A format object with an id (a role, an action, a level...)."""

    id: str

    def where(self, field: str) -> Loc: ...


def check(
    scenario: Scenario, report: Report, broken_ids: Set[str] = frozenset(), dropped: Counter | None = None
) -> Symbols:
    """Check `scenario` in place, compiling its expressions; returns its names.

    `broken_ids` are ids of objects the reader dropped for errors already
    reported, and `dropped` counts them by kind: references to them are not
    reported again, nor are checks that their absence would fail.
    Required parts of the scenario that the reader could not read are None.
    """
    checker = _Checker(scenario, report, broken_ids, dropped or Counter())
    checker.run()
    return checker.symbols


class _Checker:
    def __init__(self, scenario: Scenario, report: Report, broken_ids: Set[str], dropped: Counter):
        self.s = scenario
        self.report = report
        self.broken = broken_ids
        self._meant: list[str] | None = None
        self.dropped = dropped
        self.symbols = Symbols()
        self.symbols.suggest = report.suggest
        # Required parts the reader could not read are None: check the rest.
        self.roles = scenario.roles or []
        self.outcomes = scenario.outcomes
        self.ladder = scenario.ladder

    def error(self, loc: Loc, message: str) -> None:
        self.report.error(loc, message)

    def is_broken(self, name: str) -> bool:
        """Whether `name` probably means something dropped for an error already
        reported: an invalid id (`Tension!`, `friction zone`) is referred to by the
        id the author meant (`tension`, `friction`), and one error is enough."""
        if not self.broken:
            return False
        meant = self._meant_ids()
        for part in name.split("."):
            word = _as_id(part)
            if part in self.broken or word in meant or get_close_matches(word, meant, n=1, cutoff=0.75):
                return True
            if any(word in m.split("_") for m in meant):
                return True
        return False

    def _meant_ids(self) -> list[str]:
        if self._meant is None:
            self._meant = [_as_id(b) for b in self.broken]
        return self._meant

    def unknown(self, ref, what: str, choices, suffix: str = "") -> None:
        """Report a reference to something that does not exist."""
        if not self.is_broken(ref):
            self.error(ref.loc, f"unknown {what} '{ref}'{suffix}{self.report.suggest(ref, choices)}")

    def warning(self, loc: Loc, message: str) -> None:
        self.report.warning(loc, message)

    def run(self) -> None:
        s = self.s
        if s.format is not None and s.format != FORMAT_VERSION:
            self.error(
                s.where("format"),
                f"unsupported format version {s.format}; this version of crisis-sim reads format {FORMAT_VERSION}",
            )
        if s.date and s.turns and game_date(s.date, s.turns.days, s.turns.max + 1).startswith("after"):
            self.error(s.where("date"), "the game would run past the year 9999")
        self.check_ids()
        self.build_symbols()
        self.check_provenance()
        self.check_roles()
        self.check_ladder()
        self.check_injects()
        self.check_outcomes()
        self.check_resolution_order()
        self.check_debrief()
        self.check_history()
        self.compile_all()
        self.check_secret_text()
        check_cost(self.s, self.report)
        if self.report.ok:
            self.check_secrets()

    # ------------------------------------------------------------------ ids

    def unique(
        self, items: Iterable[_Identified], what: str, taken: dict[str, tuple[str, Loc]] | None = None
    ) -> dict[str, tuple[str, Loc]]:
        """Report ids used twice (or used by another kind in `taken`), naming where the first is."""
        seen = taken if taken is not None else {}
        for item in items:
            ident = item.id
            if ident in RESERVED:
                self.error(item.where("id"), f"'{ident}' is a reserved word and cannot be the id of {_a(what)}")
            elif ident in seen:
                kind, first = seen[ident]
                self.error(
                    item.where("id"),
                    f"the id '{ident}' is already used by {_a(kind)} (at line {first.line}, column {first.col})",
                )
            else:
                seen[ident] = (what, item.where("id"))
        return seen

    def check_ids(self) -> None:
        s = self.s
        self.unique(s.sources, "source")
        names: dict[str, tuple[str, Loc]] = {}
        self.unique(self.roles, "role", names)
        self.unique(s.actors, "actor", names)
        self.unique(s.tracks, "track", names)
        self.unique(s.flags, "flag", names)
        for role in self.roles:
            own: dict[str, tuple[str, Loc]] = {}
            self.unique(role.tracks, "track", own)
            self.unique(role.actions, "action", own)
            self.unique(role.objectives, "objective")
        if self.ladder:
            self.unique(self.ladder.levels, "level")
        self.unique(s.injects, "inject")
        self.unique(self.outcomes or [], "outcome")

    # -------------------------------------------------------------- symbols

    def build_symbols(self) -> None:
        s, sym = self.s, self.symbols
        for track in s.tracks:
            sym.add(track.id, Symbol(NUM, _read_value(track.id), track.id))
        for flag in s.flags:
            sym.add(flag.id, Symbol(BOOL, _read_flag(flag.id)))
            sym.since.setdefault(flag.id, since_reader(flag.id))
        for role in self.roles:
            for track in role.tracks:
                key = f"{role.id}.{track.id}"
                sym.add(key, Symbol(NUM, _read_value(key), key))
            for action in role.actions:
                key = f"{role.id}.{action.id}"
                sym.add(key, Symbol(BOOL, _read_order(key)))
                sym.since.setdefault(key, since_reader(key))
            sym.text_only[f"{role.id}.name"] = _text_constant(role.name)
            sym.text_only[f"{role.id}.short_name"] = _text_constant(role.short_name or role.name)
        for actor in s.actors:
            sym.text_only[f"{actor.id}.name"] = _text_constant(actor.name)
        sym.add("turn", Symbol(NUM, lambda st: st.turn))
        sym.add("max_turns", Symbol(NUM, lambda st: st.max_turns))
        sym.add("level", Symbol(LEVEL, lambda st: st.level_index))
        levels = self.ladder.levels if self.ladder else []
        sym.level_ids = {level.id: i for i, level in enumerate(levels)}
        sym.level_names = [level.name for level in levels]
        start, days = s.date or "2000-01-01", s.turns.days if s.turns else 7
        sym.text_only["date"] = Symbol(TEXT, lambda st: game_date(start, days, max(st.turn, 1)))

    # ----------------------------------------------------------- provenance

    def check_provenance(self) -> None:
        source_ids = {src.id for src in self.s.sources}
        cited = set()
        dated = {id(entry.provenance) for entry in self.s.history}  # a history entry has its own date
        for prov in walk(self.s, Provenance):
            cited.update(prov.cite)
            for ref in prov.cite:
                if ref not in source_ids:
                    self.unknown(ref, "source", source_ids)
            if prov.basis in ("reported", "disputed") and not prov.cite:
                self.error(prov.loc, f"a {prov.basis} fact needs 'cite' with at least one source")
            if prov.basis == "reported" and "date" not in prov.locs and id(prov) not in dated:
                self.warning(prov.loc, "a reported fact should give the 'date' it happened")
        for src in self.s.sources:
            if src.id not in cited:
                self.warning(src.where("id"), f"source '{src.id}' is never cited")

    # ---------------------------------------------------------------- roles

    def check_roles(self) -> None:
        s = self.s
        if s.roles is not None and not s.roles and not self.dropped["role"]:
            self.error(s.where("roles"), "the scenario needs at least one role")
        if self.roles and all(role.bot_only for role in self.roles):
            self.error(self.roles[0].where("bot_only"), "every role is bot_only; at least one role must be playable")
        for role in self.roles:
            if role.bot_only and not role.doctrine:
                self.warning(
                    role.where("bot_only"),
                    f"role '{role.id}' is bot_only but has no doctrine; its bot plays toward its objectives",
                )
            if not role.actions and not self.dropped["action"]:
                self.error(role.where("actions"), f"role '{role.id}' needs at least one action")
            track_ids = {t.id for t in role.tracks}
            action_ids = {a.id for a in role.actions}
            for track in role.tracks:
                self.check_track(track, owned=True)
            for action in role.actions:
                self.check_action(role, action, track_ids)
            for rule in role.doctrine:
                if not rule.prefer:
                    self.error(rule.where("prefer"), "a doctrine rule needs at least one action in 'prefer'")
                for ref in rule.prefer:
                    if ref not in action_ids:
                        self.unknown(ref, "action", action_ids, f" for role '{role.id}'")
        for track in s.tracks:
            self.check_track(track, owned=False)

    def check_track(self, track, *, owned: bool) -> None:
        if track.min >= track.max:
            self.error(
                track.where("max"),
                f"track '{track.id}': max ({format_number(track.max, exact=True)}) must be above min ({format_number(track.min, exact=True)})",
            )
        elif not track.min <= track.start <= track.max:
            self.error(
                track.where("start"),
                f"track '{track.id}': start {format_number(track.start, exact=True)} is outside its range {format_number(track.min, exact=True)}..{format_number(track.max, exact=True)}",
            )
        if track.visibility == "private" and not owned:
            self.error(
                track.where("visibility"),
                f"track '{track.id}' belongs to no role, so it cannot be "
                "private (use 'hidden' to show it only to the facilitator)",
            )
        if track.visibility is None:
            track.visibility = "private" if owned else "public"

    def check_action(self, role: Role, action: Action, track_ids: set[str]) -> None:
        for key, amount in action.cost.items():
            if key not in track_ids:
                own = key.split(".", 1)[1] if key.startswith(f"{role.id}.") else None
                if own in track_ids:
                    self.error(
                        loc_of(key), f"write '{own}' (without '{role.id}.'): a cost names one of the role's own tracks"
                    )
                elif key in self.symbols.names and self.symbols.names[key].type == NUM:
                    self.error(
                        loc_of(key),
                        f"'{key}' is not a track of role '{role.id}': costs are paid from "
                        "the role's own tracks (use effects to change other tracks)",
                    )
                else:
                    self.unknown(key, "track", track_ids, f" in the cost of '{action.id}'")
            elif amount < 0:
                self.error(
                    action.where("cost"),
                    f"action '{action.id}': cost of '{key}' must not be negative (give resources through effects)",
                )
        if not action.results:
            self.error(action.where("results"), f"action '{action.id}' needs at least one result")
        self.check_secrecy_of(role, action)
        for position, result in enumerate(action.results):
            if position == 0 and result.if_main_succeeds:
                self.error(
                    result.where("if_main_succeeds"),
                    f"the first result of action '{action.id}' is its main result; "
                    "'if_main_succeeds' belongs on the results after it",
                )
            if result.reveal is not None:
                self.check_reveal(role, result.reveal)
            self.check_effects(result.effects)
            if result.failure:
                self.check_effects(result.failure.effects)
            if result.news is None and not result.effects and result.failure is None and result.reveal is None:
                self.warning(result.loc, f"a result of action '{action.id}' has neither effects nor news")

    def check_secrecy_of(self, role: Role, action: Action) -> None:
        """`attribution` and `signal` against the action's visibility."""
        if action.attribution and action.visibility != "covert":
            self.error(
                action.where("attribution"),
                f"action '{action.id}' is {action.visibility}: 'attribution' is for covert actions "
                "(add 'visibility: covert')",
            )
        if action.signal is not None and action.visibility == "covert":
            self.error(
                action.where("signal"),
                f"action '{action.id}' is covert, so it cannot make a statement in its team's name "
                "(use 'attribution' with 'claimed_by' for a claim)",
            )
        parties = {r.id for r in self.roles} | {a.id for a in self.s.actors}
        total = 0.0
        for reading in action.attribution:
            total += reading.chance or 0
            named = [ref for ref in (reading.claimed_by, reading.blamed_on) if ref is not None]
            if len(named) == 2:
                self.error(reading.loc, "an attribution gives either 'claimed_by' or 'blamed_on', not both")
            elif not named:
                self.error(
                    reading.loc,
                    "an attribution needs 'claimed_by' (who claims the act) or 'blamed_on' (whom the others "
                    "blame); 'unclaimed' needs no entry: it is what the chances leave of 100",
                )
            for ref in named:
                if ref not in parties:
                    self.unknown(ref, "role or actor", parties)
        if total > 100:
            self.error(
                action.where("attribution"),
                f"the chances of the attribution of action '{action.id}' add up to {format_number(total, exact=True)}, more than 100",
            )

    def check_reveal(self, role: Role, reveal) -> None:
        target = next((r for r in self.roles if r.id == reveal.role), None)
        if target is None:
            self.unknown(reveal.role, "role", [r.id for r in self.roles])
            return
        if target.id == role.id:
            self.error(reveal.role.loc, f"role '{role.id}' cannot reveal its own orders and tracks; name another role")
        track_ids = {t.id for t in target.tracks}
        for ref in reveal.tracks:
            if ref not in track_ids:
                own = ref.split(".", 1)[1] if ref.startswith(f"{target.id}.") else None
                hint = f" (write '{own}' without '{target.id}.')" if own in track_ids else ""
                self.unknown(ref, "track", track_ids, f" of role '{target.id}'{hint}")

    def check_secrets(self) -> None:
        """Warn where a role's bot or its list of orders would read what the role cannot see."""
        for role in self.roles:
            unseen = unseen_by(self.s, role.id)
            readers = [
                (
                    rule.when,
                    f"the doctrine of role '{role.id}' reads '{{}}', which that role cannot see; its bot "
                    "decides on what it believes (the starting value, or what intelligence last showed)",
                )
                for rule in role.doctrine
            ] + [
                (
                    action.available_when,
                    f"action '{action.id}' is offered depending on '{{}}', which role '{role.id}' "
                    "cannot see: whether it is offered tells the team about it",
                )
                for action in role.actions
            ]
            for condition, message in readers:
                if condition is None:
                    continue
                for name, offset in self.names_in(condition):
                    if name in unseen:
                        self.warning(condition.loc_at(offset), message.format(name))

    def names_in(self, condition: Condition | None) -> list[tuple[str, int]]:
        """The names a (valid) condition reads, with their offsets in its source."""
        used: list[tuple[str, int]] = []
        if condition is not None:
            compile_expression(condition.source, self.symbols, None, used)
        return used

    def check_effects(self, effects: dict) -> None:
        names = self.symbols.names
        for key, value in effects.items():
            if key == "ladder":
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not float(value).is_integer():
                    self.error(key.loc, "'ladder' moves the ladder by a whole number of levels, e.g. 1 or -1")
                elif self.ladder and abs(value) >= max(len(self.ladder.levels), 2):
                    self.error(
                        key.loc, f"'ladder' moves at most {len(self.ladder.levels) - 1} levels: the ladder's length"
                    )
                continue
            symbol = names.get(key)
            if symbol is None or symbol.type not in (NUM, BOOL) or key in ("turn", "max_turns"):
                self.unknown(key, "track or flag", self.effect_targets(), " in effects")
            elif symbol.type == BOOL and "." in key:
                self.error(key.loc, f"'{key}' is an action; effects can change tracks and flags only")
            elif symbol.type == BOOL and not isinstance(value, bool):
                self.error(key.loc, f"'{key}' is a flag: set it to true or false")
            elif symbol.type == NUM and isinstance(value, bool):
                self.error(key.loc, f"'{key}' is a track: give a number to add (or a formula), not true/false")

    def effect_targets(self) -> list[str]:
        return [
            n
            for n, sym in self.symbols.names.items()
            if n not in ("turn", "max_turns", "level") and (sym.type == NUM or "." not in n)
        ] + ["ladder"]

    # --------------------------------------------------------------- ladder

    def check_ladder(self) -> None:
        ladder = self.ladder
        if ladder is None:
            return
        levels = {level.id: level for level in ladder.levels}
        outcome_ids = {o.id for o in self.outcomes or []}
        for level in ladder.levels:
            if level.outcome is not None and level.outcome not in outcome_ids:
                self.unknown(level.outcome, "outcome", outcome_ids)
        terminal = {level.id for level in ladder.levels if level.outcome is not None}
        if not terminal and not self.dropped["level"]:
            self.error(
                ladder.where("levels"),
                "the ladder has no terminal level (give at least one level an 'outcome' that ends the game)",
            )
        if len(terminal) == len(levels) and levels:
            self.error(ladder.where("levels"), "every level of the ladder is terminal; the game could not be played")
        if ladder.start not in levels:
            self.unknown(ladder.start, "level", levels)
        elif ladder.start in terminal:
            self.error(loc_of(ladder.start), f"the ladder cannot start at '{ladder.start}': it is a terminal level")
        entered = set()
        for t in ladder.transitions:
            sources = t.source if isinstance(t.source, list) else [t.source]
            if not sources:
                self.error(t.where("source"), "a transition needs at least one level in 'from' (or '*' for any level)")
            for ref in sources:
                if ref == ANY_LEVEL:
                    continue
                if ref not in levels:
                    self.unknown(ref, "level", levels)
                elif ref in terminal:
                    self.error(
                        loc_of(ref), f"level '{ref}' is terminal: the game ends there, so no move can start from it"
                    )
                elif ref == t.to:
                    self.error(loc_of(ref), f"a transition from '{ref}' to itself does nothing")
            if t.to not in levels:
                self.unknown(t.to, "level", levels)
            entered.add(t.to)
        for level_id in terminal - entered:
            self.warning(
                levels[level_id].loc, f"no transition leads to the terminal level '{level_id}'; it can never be reached"
            )

    # -------------------------------------------------------------- injects

    def check_injects(self) -> None:
        parties = {r.id for r in self.roles} | {a.id for a in self.s.actors}
        max_turns = self.s.turns.max if self.s.turns else None
        for inject in self.s.injects:
            if inject.actor is not None and inject.actor not in parties:
                self.unknown(inject.actor, "role or actor", parties)
            for turn in scheduled_turns(inject):
                if max_turns and not 1 <= turn <= max_turns:
                    self.warning(
                        loc_of(turn, inject.where("turn")),
                        f"inject '{inject.id}' is scheduled for turn {turn}, but the game has {max_turns} turns",
                    )
            self.check_effects(inject.effects)

    # ------------------------------------------------------------- outcomes

    def check_outcomes(self) -> None:
        outcomes = self.outcomes
        if outcomes is None:
            return
        if not outcomes:
            if not self.dropped["outcome"]:
                self.error(self.s.where("outcomes"), "the scenario needs at least one outcome")
            return
        defaults = [o for o in outcomes if o.default]
        if not defaults and not self.dropped["outcome"]:
            self.error(
                self.s.where("outcomes"),
                "no outcome has 'default: true'; one is needed for when the turns run out and no other outcome applies",
            )
        for extra in defaults[1:]:
            self.error(
                extra.where("default"), f"outcome '{extra.id}' is a second default; only one outcome may be the default"
            )
        role_ids = {r.id for r in self.roles}
        named_by_level = {level.outcome for level in self.ladder.levels if level.outcome} if self.ladder else set()
        for outcome in outcomes:
            for role_id in outcome.scores:
                if role_id not in role_ids:
                    self.unknown(role_id, "role", role_ids)
            if outcome.when is None and not outcome.default and outcome.id not in named_by_level and self.ladder:
                self.warning(
                    outcome.loc,
                    f"outcome '{outcome.id}' has no 'when', is not the default and no "
                    "terminal level names it; it can never happen",
                )
            if outcome.when is None and outcome.checked == "at_turn_limit":
                self.warning(outcome.where("checked"), f"outcome '{outcome.id}' has 'checked' but no 'when'")

    def check_resolution_order(self) -> None:
        counts = Counter(self.s.resolution_order)
        missing = [c for c in CATEGORIES if c not in counts]
        repeated = {c for c, n in counts.items() if n > 1}
        if missing or repeated:
            parts = []
            if missing:
                parts.append("is missing " + ", ".join(missing))
            if repeated:
                parts.append("repeats " + ", ".join(sorted(repeated)))
            self.error(
                self.s.where("resolution_order"),
                "resolution_order " + " and ".join(parts) + "; list every category once",
            )

    # ------------------------------------------------- debrief and history

    def check_debrief(self) -> None:
        role_ids = {r.id for r in self.roles}
        for question in self.s.debrief.questions if self.s.debrief else []:
            if isinstance(question, Question):
                for role_id in question.roles:
                    if role_id not in role_ids:
                        self.unknown(role_id, "role", role_ids)

    def check_history(self) -> None:
        previous = None
        for entry in self.s.history:
            if entry.provenance.basis == "fictional":
                self.error(
                    entry.provenance.where("basis"),
                    "a history entry is what really happened: its basis is 'reported' or 'disputed', not 'fictional'",
                )
            if previous is not None and entry.date < previous:
                self.warning(entry.where("date"), f"history entry of {entry.date} comes after one of {previous}")
            previous = entry.date

    # ------------------------------------------------------------ compiling

    def compile_all(self) -> None:
        for _, value in walk_values(self.s):
            # Effects are dicts that may hold formulas among their values.
            for item in value.values() if isinstance(value, dict) else [value]:
                if isinstance(item, (Expr, Template)):
                    self.compile(item)

    def compile(self, item: Expr | Template) -> None:
        try:
            item.compile(self.symbols)
        except ExprError as exc:
            if exc.name is None or not self.is_broken(exc.name):
                self.error(item.loc_at(exc.offset), f"in '{_clip(item.source)}': {exc.message}")

    # ------------------------------------------------------- secrets in text

    def check_secret_text(self) -> None:
        """Warn where text a team reads shows what that team may not know:
        another team's private track or secret order, a hidden track or a hidden
        flag. The end of the game (outcomes, debrief questions) reveals everything,
        so it may."""
        unseen = {role.id: unseen_by(self.s, role.id) for role in self.roles}
        private = {
            f"{role.id}.{t.id}": role.id for role in self.roles for t in role.tracks if t.visibility == "private"
        }
        secret_orders = {f"{role.id}.{a.id}": (role.id, a.visibility) for role in self.roles for a in role.actions}
        flags = {f.id for f in self.s.flags}
        for template, reader, what in self.texts_teams_read():
            if not isinstance(template, Template):
                continue  # no text given, or one the reader could not read
            readers = [reader] if reader else list(unseen)
            for name, offset in template.names:
                if not any(name in unseen[r] for r in readers):
                    continue
                if name in private:
                    secret = f"a private track of role '{private[name]}' that other teams may not see"
                elif name in secret_orders:
                    owner, visibility = secret_orders[name]
                    secret = f"a {visibility} order of role '{owner}' that other teams may not see"
                else:
                    secret = (
                        f"{'a hidden flag' if name in flags else 'a hidden track'} that only the facilitator may see"
                    )
                self.warning(template.loc_at(offset), f"{what} shows '{name}', {secret}")

    def texts_teams_read(self) -> Iterator[tuple[Template | None, str | None, str]]:
        """(template, the role that alone reads it or None for every team, what it is)."""
        s = self.s
        for item in s.situation or []:
            yield _text_of(item), None, "the situation"
        for role in self.roles:
            for item in role.public_briefing or []:
                yield _text_of(item), None, f"the public briefing of '{role.id}'"
            for item in role.private_briefing or []:
                yield _text_of(item), role.id, f"the private briefing of '{role.id}'"
            for action in role.actions:
                yield action.description, role.id, f"the description of action '{role.id}.{action.id}'"
                # News of a private order goes to its own team; a signal to everyone.
                news_reader = role.id if action.visibility == "private" else None
                for result in action.results:
                    news = [result.news, result.failure.news if result.failure else None]
                    for text in news:
                        yield text, news_reader, f"news of action '{role.id}.{action.id}'"
                yield action.signal, None, f"the signal of action '{role.id}.{action.id}'"
        for actor in s.actors:
            yield actor.description, None, f"the description of actor '{actor.id}'"
        if self.ladder:
            for level in self.ladder.levels:
                yield level.description, None, f"the description of level '{level.id}'"
            for t in self.ladder.transitions:
                yield t.news, None, "news of a ladder transition"
        for inject in s.injects:
            yield inject.news, None, f"news of inject '{inject.id}'"


def _text_of(item) -> Template:
    return item.text if isinstance(item, Paragraph) else item


def scheduled_turns(inject: Inject) -> list[int]:
    if inject.turn is None:
        return []
    return inject.turn if isinstance(inject.turn, list) else [inject.turn]


def _read_value(key: str):
    return lambda st: st.values[key]


def _read_flag(key: str):
    return lambda st: st.flags[key]


def _read_order(key: str):
    return lambda st: key in st.orders


def _text_constant(text: str) -> Symbol:
    return Symbol(TEXT, lambda st: text)


def _clip(source: str) -> str:
    text = " ".join(source.split())  # one line, whatever the YAML folding left
    return text if len(text) <= 40 else text[:37] + "..."


def _as_id(text: str) -> str:
    """`text` as the id its author probably meant: `Friction Zone` -> `friction_zone`."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _a(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun
