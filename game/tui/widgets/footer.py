"""Textual's footer, rebuilt only when the keys it shows change.

Textual's Footer rebuilds all its key widgets whenever the focus moves, even
if the same keys remain; on the turn screen that tripled the work of switching
tabs. This one compares what it would show and keeps itself when nothing changed.

Each key it builds starts compact (the key's own default) and is then bound to the
footer's setting (not compact): two restylings of every key of every footer, two
thirds of all the restyling the game's screens did. Each key is given the footer's
setting before it is mounted instead: the same keys, drawn the same, restyled never.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            # (The palette's key is not bound to the footer's setting: it stays compact.)
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    def bindings_changed(self, screen: Screen) -> None:
        shown = tuple(
            (key, active.binding.description, active.enabled)
            for key, active in screen.active_bindings.items()
            if active.binding.show
        )
        if shown == self._shown:
            return
        self._shown = shown
        super().bindings_changed(screen)
