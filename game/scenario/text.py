"""Text templates: news and briefings that show the state, e.g. ``Tension is {tension}.``

A placeholder holds any expression of the condition language, plus a few names
only text may use (``date``, ``us.name``). Placeholders are checked and
compiled at load time like conditions; ``{{`` and ``}}`` write literal braces.
"""

from __future__ import annotations

from typing import Any

from game.scenario.diagnostics import Loc
from game.scenario.expr import (
    BOOL,
    LEVEL,
    NUM,
    ExprError,
    Fn,
    Symbols,
    compile_expression,
)


def format_number(value: float, exact: bool = False) -> str:
    """A number as people write it: 3 (not 3.0), and at most one decimal (2.5); with
    `exact`, every digit (0.25), for messages that quote what an author wrote."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    if exact:
        return str(value)
    return f"{value:.1f}".rstrip("0").rstrip(".")


class Template:
    """Text with `{placeholders}`; `compile` checks them, `render` fills them in."""

    __slots__ = ("source", "loc", "inline_shift", "parts", "names", "fixed")

    def __init__(self, source: str, loc: Loc, inline_shift: int | None = None):
        self.source = source
        self.loc = loc
        self.inline_shift = inline_shift
        self.parts: list[str | Fn] | None = None
        self.fixed: str | None = None  # the text, once compiled, when it has no placeholder
        self.names: list[tuple[str, int]] = []  # each name a placeholder shows, with its offset in the source

    def __repr__(self) -> str:
        return f"Template({self.source!r})"

    def __str__(self) -> str:
        return self.source

    def loc_at(self, offset: int) -> Loc:
        if self.inline_shift is None:
            return self.loc
        return Loc(self.loc.line, self.loc.col + self.inline_shift + offset)

    def compile(self, symbols: Symbols) -> None:
        """Raises ExprError with an offset into the source text."""
        parts: list[str | Fn] = []
        names: list[tuple[str, int]] = []
        literal: list[str] = []
        text, i, size = self.source, 0, len(self.source)
        while i < size:
            # Text up to the next brace is literal: copy it in one piece.
            opening, closing = text.find("{", i), text.find("}", i)
            brace = min(opening if opening >= 0 else size, closing if closing >= 0 else size)
            if brace > i:
                literal.append(text[i:brace])
                i = brace
                if i == size:
                    break
            if text.startswith("{{", i) or text.startswith("}}", i):
                literal.append(text[i])
                i += 2
            elif text[i] == "{":
                end = text.find("}", i + 1)
                if end < 0:
                    raise ExprError("'{' is not closed (write '{{' for a literal brace)", i)
                if literal:
                    parts.append("".join(literal))
                    literal = []
                parts.append(self._placeholder(text[i + 1 : end], i + 1, symbols, names))
                i = end + 1
            else:
                raise ExprError("'}' without '{' (write '}}' for a literal brace)", i)
        if literal:
            parts.append("".join(literal))
        self.parts = parts
        self.names = names
        self.fixed = "".join(parts) if all(isinstance(p, str) for p in parts) else None  # type: ignore[arg-type]

    @staticmethod
    def _placeholder(source: str, offset: int, symbols: Symbols, names: list[tuple[str, int]]) -> Fn:
        used: list[tuple[str, int]] = []
        try:
            fn, type_ = compile_expression(source, symbols.for_text(), want=None, used=used)
        except ExprError as exc:
            raise ExprError(exc.message, offset + exc.offset, exc.name) from None
        names.extend((name, offset + at) for name, at in used)
        if type_ == NUM:
            return lambda s: format_number(fn(s))
        if type_ == BOOL:
            return lambda s: "yes" if fn(s) else "no"
        if type_ == LEVEL:
            level_names = symbols.level_names
            return lambda s: level_names[fn(s)]
        return lambda s: str(fn(s))

    def render(self, state: Any) -> str:
        if self.fixed is not None:
            return self.fixed
        if self.parts is None:
            return self.source
        return "".join([p if isinstance(p, str) else p(state) for p in self.parts])
