"""The safe condition language: short expressions over the game state.

Authors write conditions such as ``tension >= 60 and us.capital < 3``. They are
parsed with Python's `ast` module, checked against a whitelist of node kinds and
against the scenario's names, and compiled once, at load time, into closures.
Nothing is ever passed to `eval`; a compiled expression can read only the
game state it is given, through the names the scenario defines.

The state a compiled expression reads (the engine provides it) has:
``values`` (dict: track name -> number, role tracks as ``"role.track"``),
``flags`` (dict: flag id -> bool), ``orders`` (set of ``"role.action"`` of the
most recent turn), ``turn``, ``max_turns``, ``level_index`` and ``last_turn``
(dict: flag id or ``"role.action"`` -> the turn it was last set or carried out),
which ``turns_since(name)`` reads.
"""

from __future__ import annotations

import ast
import math
import operator
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from game.scenario.diagnostics import Loc, did_you_mean

MAX_LENGTH = 400
MAX_DEPTH = 24

NUM, BOOL, LEVEL, TEXT = "number", "true/false", "level", "text"
# What `turns_since` gives for something that never happened: more than any game lasts.
NEVER = 1000

Fn = Callable[[Any], Any]


class ExprError(Exception):
    def __init__(self, message: str, offset: int = 0, name: str | None = None):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.name = name  # the unknown name, when that is the problem


@dataclass(frozen=True, slots=True)
class Symbol:
    """A name an expression may use: its type and how to read it from the state."""

    type: str
    read: Fn
    track: str | None = None  # the track `read` reads, if it reads one (`_Compiler.pair` reads it directly)


class Symbols:
    """The names of one scenario. Built by the checker; shared by all expressions."""

    def __init__(self) -> None:
        self.names: dict[str, Symbol] = {}
        self.level_ids: dict[str, int] = {}  # level id -> its index on the ladder
        self.level_names: list[str] = []  # index on the ladder -> the level's name
        self.text_only: dict[str, Symbol] = {}  # names only text may show (`date`, `us.name`)
        self.since: dict[str, Fn] = {}  # flags and actions -> turns since they last happened
        self.suggest: Callable[[str, Iterable[str]], str] = did_you_mean  # " (did you mean 'x'?)"
        self._for_text: Symbols | None = None

    def add(self, name: str, symbol: Symbol) -> None:
        self.names.setdefault(name, symbol)  # a duplicate id is reported elsewhere; the first counts

    def for_text(self) -> Symbols:
        """These symbols plus the names only text templates may use."""
        if self._for_text is None:
            merged = Symbols()
            merged.names = {**self.names, **self.text_only}
            merged.level_ids, merged.level_names = self.level_ids, self.level_names
            merged.since = self.since
            merged.suggest = self.suggest
            self._for_text = merged
        return self._for_text


class Expr:
    """An expression as written in the file; `compile` makes it callable."""

    __slots__ = ("source", "loc", "inline_shift", "fn", "type")
    result_type = BOOL

    def __init__(self, source: str, loc: Loc, inline_shift: int | None = None):
        self.source = source
        self.loc = loc
        # Columns inside the expression map to the file only when it sits on one
        # line: the shift is 0 for a plain scalar, 1 after an opening quote.
        self.inline_shift = inline_shift
        self.fn: Fn | None = None
        self.type: str | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.source!r})"

    def __str__(self) -> str:
        return self.source

    def __call__(self, state) -> Any:
        return self.fn(state)  # type: ignore[misc]  # compiled at load: a scenario that loaded has it

    def loc_at(self, offset: int) -> Loc:
        if self.inline_shift is None:
            return self.loc
        return Loc(self.loc.line, self.loc.col + self.inline_shift + offset)

    def compile(self, symbols: Symbols) -> None:
        """Compile against `symbols`; raises ExprError with an offset into the source."""
        self.fn, self.type = compile_expression(self.source, symbols, self.result_type)


class Condition(Expr):
    """A true/false expression."""

    __slots__ = ()
    result_type = BOOL


class Formula(Expr):
    """A numeric expression."""

    __slots__ = ()
    result_type = NUM


def constant(value: Any, type_: str) -> tuple[Fn, str]:
    return (lambda s: value), type_


def compile_expression(
    source: str, symbols: Symbols, want: str | None, used: list[tuple[str, int]] | None = None
) -> tuple[Fn, str]:
    """Compile `source`; `want` is the type it must give (None: any).

    The names it reads are appended to `used`, if given, with their offsets."""
    text = source.strip()
    if not text:
        raise ExprError("the expression is empty")
    if len(source) > MAX_LENGTH:
        raise ExprError(f"the expression is longer than {MAX_LENGTH} characters")
    try:
        with warnings.catch_warnings():  # e.g. an invalid escape in quotes: the checks below decide
            warnings.simplefilter("ignore")
            tree = ast.parse(text.replace("\n", " "), mode="eval")
    except SyntaxError as exc:
        if _complete_with_operand(text):
            raise ExprError("the expression ends too early", len(source.rstrip())) from None
        offset = max((exc.offset or 1) - 1, 0) + (len(source) - len(source.lstrip()))
        raise ExprError(f"cannot read the expression: {_syntax_message(exc)}{_operator_hint(text)}", offset) from None
    except (ValueError, RecursionError, MemoryError):
        raise ExprError("cannot read the expression") from None
    lead = len(source) - len(source.lstrip())
    compiler = _Compiler(symbols, text, lead, used)
    fn, type_ = compiler.compile(tree.body, 0)
    if want is not None and type_ != want:
        raise ExprError(f"this should give {want}, but gives {_a(type_)}")
    return fn, type_


def _complete_with_operand(text: str) -> bool:
    """Whether the text reads once a value is added at its end (`a >= 5 and`)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text.replace("\n", " ") + " 0", mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


# Operators from other languages, and what to write instead.
_FOREIGN_OPERATORS = [("&&", "and"), ("||", "or"), ("=<", "<="), ("=>", ">="), ("<>", "!=")]


def _operator_hint(text: str) -> str:
    for wrong, right in _FOREIGN_OPERATORS:
        if wrong in text:
            return f" (write '{right}' instead of '{wrong}')"
    if "!" in text.replace("!=", ""):
        return " (write 'not' instead of '!')"
    if "=" in text.replace("==", "").replace("!=", "").replace("<=", "").replace(">=", ""):
        return " (to compare, write '==')"
    return ""


def _syntax_message(exc: SyntaxError) -> str:
    msg = exc.msg or "invalid syntax"
    if msg.startswith("invalid syntax. Perhaps you forgot a comma"):
        msg = "invalid syntax"
    return msg


def _a(type_: str) -> str:
    return {NUM: "a number", BOOL: "true/false", LEVEL: "a level", TEXT: "text"}[type_]


_COMPARE = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_ARITH = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
}
_SYMBOL_OF = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}


def _round(x: float) -> float:
    return round(x) if math.isfinite(x) else x  # round() of infinity or NaN would raise


_FUNCTIONS: dict[str, Callable[..., float]] = {"min": min, "max": max, "abs": abs, "round": _round}
MAX_CONSTANT = 1e12
# Every arithmetic result is kept within +-MAX_VALUE ("saturates"). As every
# operand is then within it too, no step can overflow, reach infinity or make
# NaN (inf - inf): a formula's value is always a finite number, by construction.
MAX_VALUE = 1e12


def saturate(x: float) -> float:
    """`x` kept within +-MAX_VALUE (NaN, which bounded operands cannot make, as 0)."""
    if x > MAX_VALUE:
        return MAX_VALUE
    if x < -MAX_VALUE:
        return -MAX_VALUE
    return x if x == x else 0.0


_LITERALS = {"true": True, "false": False, "True": True, "False": False}


def _safe_div(a: float, b: float) -> float:
    return a / b if b else 0.0  # dividing by zero gives 0 rather than stopping a game


def _safe_floordiv(a: float, b: float) -> float:
    return a // b if b else 0.0


def _safe_mod(a: float, b: float) -> float:
    return a % b if b else 0.0


_ARITH.update({ast.Div: _safe_div, ast.FloorDiv: _safe_floordiv, ast.Mod: _safe_mod})


class _Compiler:
    def __init__(self, symbols: Symbols, text: str, lead: int, used: list[tuple[str, int]] | None = None):
        self.symbols = symbols
        self.text = text
        self.lead = lead
        self.encoded = text.encode()
        self.used = used
        self.known: dict[Fn, Any] = {}  # the compiled constants and their values
        self.tracks: dict[Fn, str] = {}  # the compiled track reads and their tracks

    def constant(self, value: Any, type_: str) -> tuple[Fn, str]:
        fn, type_ = constant(value, type_)
        self.known[fn] = value
        return fn, type_

    def offset(self, node: ast.AST) -> int:
        # ast columns count UTF-8 bytes; we report characters.
        byte_col = getattr(node, "col_offset", 0)
        return len(self.encoded[:byte_col].decode(errors="ignore")) + self.lead

    def fail(self, node: ast.AST, message: str) -> ExprError:
        return ExprError(message, self.offset(node))

    def compile(self, node: ast.AST, depth: int) -> tuple[Fn, str]:
        if depth > MAX_DEPTH:
            raise self.fail(node, f"the expression is nested more than {MAX_DEPTH} levels deep")
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise self.fail(node, f"'{self.snippet(node)}' is not allowed in a condition")
        return method(node, depth + 1)

    def snippet(self, node: ast.AST) -> str:
        segment = ast.get_source_segment(self.text, node) or type(node).__name__
        return segment if len(segment) <= 30 else segment[:27] + "..."

    def expect(self, node: ast.AST, depth: int, type_: str, role: str) -> Fn:
        fn, got = self.compile(node, depth)
        if got != type_:
            raise self.fail(node, f"{role} needs {_a(type_)}, but '{self.snippet(node)}' is {_a(got)}")
        return fn

    # -- leaves

    def _Constant(self, node: ast.Constant, depth: int) -> tuple[Fn, str]:
        value = node.value
        if isinstance(value, bool):
            return self.constant(value, BOOL)
        if isinstance(value, (int, float)):
            if not (abs(value) <= MAX_CONSTANT):  # also refuses inf and nan
                raise self.fail(node, f"the number {self.snippet(node)} is too large (the limit is 10^12)")
            return self.constant(value, NUM)
        if isinstance(value, str):
            return self.constant(value, TEXT)
        raise self.fail(node, f"'{self.snippet(node)}' is not allowed in a condition")

    def dotted(self, node: ast.AST) -> str | None:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Attribute):
            base = self.dotted(node.value)
            return f"{base}.{node.attr}" if base else None
        return None

    def _Name(self, node: ast.AST, depth: int) -> tuple[Fn, str]:
        name = self.dotted(node)
        if name is None:  # a Name always has one; this tells the type checker
            raise self.fail(node, f"'{self.snippet(node)}' is not a name")
        if name in _LITERALS:
            return self.constant(_LITERALS[name], BOOL)
        symbol = self.symbols.names.get(name)
        if symbol is None and name in self.symbols.text_only:
            raise self.fail(node, f"'{name}' is text: it can be shown in text ({{{name}}}), not used in a condition")
        if symbol is None:
            hint = self.symbols.suggest(name, self.symbols.names)
            if name in ("yes", "no", "on", "off", "none", "None"):
                hint = " (write true or false)"
            error = self.fail(node, f"unknown name '{name}'{hint}")
            error.name = name
            raise error
        if self.used is not None:
            self.used.append((name, self.offset(node)))
        if symbol.track is not None:
            self.tracks[symbol.read] = symbol.track
        return symbol.read, symbol.type

    def _Attribute(self, node: ast.Attribute, depth: int) -> tuple[Fn, str]:
        if self.dotted(node) is None:
            raise self.fail(node, f"'{self.snippet(node)}' is not a name")
        return self._Name(node, depth)

    # -- operators

    def _BoolOp(self, node: ast.BoolOp, depth: int) -> tuple[Fn, str]:
        word = "and" if isinstance(node.op, ast.And) else "or"
        fns = [self.expect(v, depth, BOOL, f"'{word}'") for v in node.values]
        if isinstance(node.op, ast.And):
            return _all(fns), BOOL
        if len(fns) == 2:
            a, b = fns
            return (lambda s: a(s) or b(s)), BOOL
        if len(fns) == 3:
            a, b, c = fns
            return (lambda s: a(s) or b(s) or c(s)), BOOL
        return (lambda s: any(f(s) for f in fns)), BOOL

    def _UnaryOp(self, node: ast.UnaryOp, depth: int) -> tuple[Fn, str]:
        if isinstance(node.op, ast.Not):
            f = self.expect(node.operand, depth, BOOL, "'not'")
            return (lambda s: not f(s)), BOOL
        if isinstance(node.op, (ast.USub, ast.UAdd)):
            f = self.expect(node.operand, depth, NUM, "a sign")
            if isinstance(node.op, ast.UAdd):
                return f, NUM
            if f in self.known:  # a negative number
                return self.constant(-self.known[f], NUM)
            return (lambda s: -f(s)), NUM
        raise self.fail(node, f"'{self.snippet(node)}' is not allowed in a condition")

    def _BinOp(self, node: ast.BinOp, depth: int) -> tuple[Fn, str]:
        op = _ARITH.get(type(node.op))
        if op is None:
            raise self.fail(node, f"the operator in '{self.snippet(node)}' is not allowed")
        symbol = _SYMBOL_OF[type(node.op)]
        a = self.expect(node.left, depth, NUM, f"'{symbol}'")
        b = self.expect(node.right, depth, NUM, f"'{symbol}'")
        return (lambda s: saturate(op(a(s), b(s)))), NUM

    def _Compare(self, node: ast.Compare, depth: int) -> tuple[Fn, str]:
        operands = [node.left, *node.comparators]
        compiled = [self.compile(o, depth) for o in operands]
        fns: list[Fn] = []
        for (fa, ta), (fb, tb), op_node, left, right in zip(compiled, compiled[1:], node.ops, operands, operands[1:]):
            op = _COMPARE.get(type(op_node))
            if op is None:
                raise self.fail(node, f"the comparison in '{self.snippet(node)}' is not allowed")
            fa, ta = self.level_side(fa, ta, tb, left)
            fb, tb = self.level_side(fb, tb, ta, right)
            if ta != tb:
                raise self.fail(node, f"cannot compare {_a(ta)} with {_a(tb)} in '{self.snippet(node)}'")
            if ta == TEXT:
                raise self.fail(node, f"text can only be compared with 'level', in '{self.snippet(node)}'")
            if ta == BOOL and op not in (operator.eq, operator.ne):
                raise self.fail(node, "true/false values can only be compared with == or !=")
            fns.append(self.pair(type(op_node), fa, fb))
        return _all(fns), BOOL

    def pair(self, op: type[ast.cmpop], a: Fn, b: Fn) -> Fn:
        """`a op b`. Most conditions compare a name with a number (`tension >= 60`):
        with the number known, one comparison in one closure is 3 calls fewer."""
        if a in self.known and b not in self.known:
            a, b, op = b, a, _MIRRORED[op]
        if b in self.known:
            track = self.tracks.get(a)
            if track is not None:  # a track with a number: one closure, no call to read it
                return _TRACK_WITH_VALUE[op](track, self.known[b])
            return _WITH_VALUE[op](a, self.known[b])
        return _pair(_COMPARE[op], a, b)

    def level_side(self, fn: Fn, type_: str, other_type: str, node: ast.AST) -> tuple[Fn, str]:
        """A quoted level id compared with `level` becomes that level's place on the ladder."""
        if type_ != TEXT or other_type != LEVEL:
            return fn, type_
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            raise self.fail(
                node, f"'level' can only be compared with a level id in quotes, not with '{self.snippet(node)}'"
            )
        name = node.value
        index = self.symbols.level_ids.get(name)
        if index is None:
            raise ExprError(
                f"unknown ladder level '{name}'{self.symbols.suggest(name, self.symbols.level_ids)}",
                self.offset(node),
                name,
            )
        return self.constant(index, LEVEL)

    def _IfExp(self, node: ast.IfExp, depth: int) -> tuple[Fn, str]:
        test = self.expect(node.test, depth, BOOL, "'if'")
        a, ta = self.compile(node.body, depth)
        b = self.expect(node.orelse, depth, ta, "'else'")
        return (lambda s: a(s) if test(s) else b(s)), ta

    def _Call(self, node: ast.Call, depth: int) -> tuple[Fn, str]:
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        if name == TURNS_SINCE:
            return self._turns_since(node)
        fn = _FUNCTIONS.get(name)
        if fn is not None and node.keywords:
            raise self.fail(node, f"'{name}' takes no named arguments")
        if fn is None:
            known = ", ".join([*_FUNCTIONS, TURNS_SINCE])
            raise self.fail(node, f"'{self.snippet(node.func)}' is not a function here (known: {known})")
        call: Callable[..., float] = fn
        args = [self.expect(a, depth, NUM, f"'{name}'") for a in node.args]
        want = 1 if name in ("abs", "round") else None
        if (want and len(args) != want) or (not want and len(args) < 2):
            raise self.fail(node, f"'{name}' takes {'one value' if want else 'two or more values'}")
        if len(args) == 1:
            (a,) = args
            return (lambda s: call(a(s))), NUM
        return (lambda s: call(*[f(s) for f in args])), NUM

    def _turns_since(self, node: ast.Call) -> tuple[Fn, str]:
        """`turns_since(flag)` or `turns_since(role.action)`: 0 in the turn it happened."""
        usage = "'turns_since' takes one flag or action, e.g. turns_since(talks_open) or turns_since(us.strike)"
        if node.keywords or len(node.args) != 1:
            raise self.fail(node, usage)
        name = self.dotted(node.args[0])
        if name is None:
            raise self.fail(node.args[0], usage)
        read = self.symbols.since.get(name)
        if read is not None and self.used is not None:
            self.used.append((name, self.offset(node.args[0])))
        if read is None:
            if name in self.symbols.names:
                raise self.fail(node.args[0], f"{usage}; '{name}' is neither")
            error = self.fail(
                node.args[0], f"unknown flag or action '{name}'{self.symbols.suggest(name, self.symbols.since)}"
            )
            error.name = name
            raise error
        return read, NUM


TURNS_SINCE = "turns_since"


def since_reader(name: str) -> Fn:
    """How many turns ago flag or action `name` last happened (NEVER if it did not)."""

    def read(state: Any) -> int:
        turn = state.last_turn.get(name)
        return NEVER if turn is None else state.turn - turn

    return read


def _pair(op, a: Fn, b: Fn) -> Fn:
    return lambda s: op(a(s), b(s))


# `a(s) op value`, for a value known when the condition is compiled.
_WITH_VALUE: dict[type[ast.cmpop], Callable[[Fn, Any], Fn]] = {
    ast.Eq: lambda a, v: lambda s: a(s) == v,
    ast.NotEq: lambda a, v: lambda s: a(s) != v,
    ast.Lt: lambda a, v: lambda s: a(s) < v,
    ast.LtE: lambda a, v: lambda s: a(s) <= v,
    ast.Gt: lambda a, v: lambda s: a(s) > v,
    ast.GtE: lambda a, v: lambda s: a(s) >= v,
}
# `s.values[track] op value`: the same, with `a` a track's read.
_TRACK_WITH_VALUE: dict[type[ast.cmpop], Callable[[str, Any], Fn]] = {
    ast.Eq: lambda k, v: lambda s: s.values[k] == v,
    ast.NotEq: lambda k, v: lambda s: s.values[k] != v,
    ast.Lt: lambda k, v: lambda s: s.values[k] < v,
    ast.LtE: lambda k, v: lambda s: s.values[k] <= v,
    ast.Gt: lambda k, v: lambda s: s.values[k] > v,
    ast.GtE: lambda k, v: lambda s: s.values[k] >= v,
}
# `value op a` is `a mirrored-op value`.
_MIRRORED = {ast.Eq: ast.Eq, ast.NotEq: ast.NotEq, ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE}


def _all(fns: list[Fn]) -> Fn:
    """All of `fns` hold (in order, stopping at the first that does not)."""
    if len(fns) == 1:
        return fns[0]
    if len(fns) == 2:
        a, b = fns
        return lambda s: a(s) and b(s)
    if len(fns) == 3:
        a, b, c = fns
        return lambda s: a(s) and b(s) and c(s)
    return lambda s: all(f(s) for f in fns)
