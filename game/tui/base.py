"""What every crisis-sim app shares, hot seat or joined over the network: one
main screen at a time (dialogs stack on it), keys typed ahead dropped when the
screen changes, messages that never outlive their seat, a message instead of
the game on a terminal too small for it, and help."""

from __future__ import annotations

from textual import events
from textual._time import get_time  # the clock of Key.time (Textual is pinned)
from textual.app import App
from textual.screen import Screen

from game.tui.screens.dialogs import TooSmallScreen
from game.tui.screens.help import HelpScreen

MIN_SIZE = (60, 20)  # below this, a message asks for a larger terminal


class SeatApp(App):
    CSS_PATH = "app.tcss"

    def __init__(self, handover_delay: float = 0.5):
        super().__init__()
        self.handover_delay = handover_delay  # seconds of keys dropped around a screen change
        self.screen_pending = False  # a new screen is on its way: keys wait for it (and are dropped)
        self.shown_at = 0.0  # when the current screen was drawn, on Textual's clock
        self.seat_on_screen: str | None = None  # whose screen is showing
        # No sliding tab underlines or fades: they cost CPU on every switch and
        # add nothing at a workshop table.
        self.animation_level = "none"

    def show(self, screen: Screen, seat: str | None = None) -> None:
        """Replace the main screen (dialogs stack on top of it). Keys typed ahead
        are dropped until a moment after it is drawn, and a new seat on screen
        clears every message left for the one before."""
        self.quiet()
        if seat != self.seat_on_screen:
            self.clear_notifications()
            self.seat_on_screen = seat
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) < 2:
            self.push_screen(screen)
        else:
            self.switch_screen(screen)
        self.call_after_refresh(self.check_size)

    @property
    def main_screen(self) -> Screen:
        """The main screen, under any dialogs."""
        return self.screen_stack[1] if len(self.screen_stack) > 1 else self.screen

    def quiet(self) -> None:
        """Drop every key typed before the next screen is drawn, and for a moment
        after: keys typed ahead must not act on the next screen."""
        self.screen_pending = True
        self.call_after_refresh(self._drawn)

    def _drawn(self) -> None:
        self.screen_pending = False
        self.shown_at = get_time()

    async def on_event(self, event: events.Event) -> None:
        # A key's time is when it was typed (Textual's clock), not when it is handled.
        if (
            isinstance(event, events.Key)
            and self.handover_delay > 0
            and (self.screen_pending or event.time < self.shown_at + self.handover_delay)
        ):
            event.stop()
            return
        await super().on_event(event)

    def tell(self, message: str, severity: str = "information", timeout: float = 5) -> None:
        """A message on the screen (never markup: it may quote scenario text)."""
        self.notify(message, severity=severity, timeout=timeout, markup=False)  # type: ignore[arg-type]

    # What the shared screens ask of every app; the hot seat and a joined seat each
    # do it their own way.

    def orders_given(self, role: str, actions: list[str], why: str = "", intent: str = "") -> None:
        """A team confirmed its orders on the orders screen."""
        raise NotImplementedError

    def after_facilitator(self) -> None:
        """The White Cell acted: show the table what changed."""
        raise NotImplementedError

    # --------------------------------------------------------- terminal size

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.check_size)  # once the new size is in place

    def check_size(self) -> None:
        """Cover everything with a message while the terminal is too small for the game."""
        too_small = self.size.width < MIN_SIZE[0] or self.size.height < MIN_SIZE[1]
        showing = isinstance(self.screen, TooSmallScreen)
        if too_small and not showing:
            self.push_screen(TooSmallScreen(MIN_SIZE))
        elif not too_small and showing:
            self.pop_screen()

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_hide_keys(self) -> None:
        self.action_hide_help_panel()
