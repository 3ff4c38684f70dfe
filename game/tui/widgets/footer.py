"""Textual's footer, rebuilt only when the keys it shows change.

Textual's Footer rebuilds all its key widgets whenever the focus moves, even
if the same keys remain; on the turn screen that tripled the work of switching
tabs. This one compares what it would show and keeps itself when nothing changed.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None

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
