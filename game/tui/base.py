"""What every crisis-sim app shares, hot seat or joined over the network: one
main screen at a time (dialogs stack on it), keys typed in a burst handled one
after the other (mouse clicks in their turn among them), keys typed ahead
dropped when the screen changes, messages that never outlive their seat, a
message instead of the game on a terminal too small for it, and help."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from textual import events
from textual._time import get_time  # the clock of Key.time (Textual is pinned)
from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.errors import NoWidget
from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.widget import Widget

from game.tui.screens.dialogs import TooSmallScreen
from game.tui.screens.help import HelpScreen

MIN_SIZE = (60, 20)  # below this, a message asks for a larger terminal
KEY_WATCH = 0.1  # seconds between checks that the widget handling a key is still there
# Seconds a key may be in hand before the keys behind it go on whatever the reason (its
# handler hangs, its KeyHandled is lost). Measured in tmux at 80x24 on 2 busy cores: 1-60 ms
# for most keys, up to 260 ms for one that opens a screen (and waits for it to mount).
KEY_HOLD_LIMIT = 1.0
# Seconds at most that keys are dropped while a new screen is on its way: should the word
# that it is drawn never come (a screen closed before it was drawn), the keyboard must not
# stay dead until the next screen. A screen is drawn in well under a second.
PENDING_LIMIT = 2.0

# Typed input: a key, text pasted in one piece, or a mouse button pressed or released. A
# click acts (a button, a field given the focus), so it waits its turn behind the keys
# typed before it; mouse moves and the wheel only move the pointer or the view, and go
# straight through.
Typed = events.Key | events.Paste | events.MouseDown | events.MouseUp


@dataclass
class InHand:
    """A key handed out, and where the KeyHandled that follows it was sent."""

    typed: Typed
    target: MessagePump
    screen: Screen  # the screen on top when it was sent
    then: int  # times to follow it again once it is back
    since: float  # when it was handed out, on Textual's clock


class KeyHandled(Message, verbose=True):
    """Sent up the same way as a key, just behind it: when it reaches the app, the key
    before it has been handled all the way (by the widget, or a binding on the way up)."""

    def __init__(self, typed: Typed) -> None:
        super().__init__()
        self.typed = typed


class SeatApp(App):
    CSS_PATH = "app.tcss"
    own_screens = False  # every seat on a screen of its own (joined over the network), not one shared table

    def __init__(self, handover_delay: float = 0.5):
        super().__init__()
        self.handover_delay = handover_delay  # seconds of keys dropped around a screen change
        self.screen_pending = False  # a new screen is on its way: keys wait for it (and are dropped)
        self.shown_at = 0.0  # when the current screen was drawn, on Textual's clock
        self.pending_since = 0.0  # when the screen on its way was asked for, on the same clock
        self.seat_on_screen: str | None = None  # whose screen is showing
        self.white_cell_act: str | None = None  # the White Cell's act chosen last: its menu opens on it
        # Keys read from the terminal wait here until the one before is handled.
        self.typed_ahead: deque[Typed] = deque()
        self.in_hand: InHand | None = None  # the key being handled
        self.text_sent: tuple[Typed, MessagePump] | None = None  # the last text sent to a field, unfollowed
        self.key_watch_on = False
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
        self.pending_since = get_time()
        self.call_after_refresh(self._drawn)

    def _drawn(self) -> None:
        self.screen_pending = False
        self.shown_at = get_time()

    def dropped(self, event: Typed) -> bool:
        """Typed before the current screen was drawn, or just after: it was meant for
        another screen (another team's, at a hand-over)."""
        # A key's time is when it was typed (Textual's clock), not when it is handled.
        if self.handover_delay <= 0:
            return False
        if self.screen_pending and event.time < self.pending_since + PENDING_LIMIT:
            return True
        return event.time < self.shown_at + self.handover_delay

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, Typed) and not event.is_forwarded:  # straight from the terminal
            self.typed_ahead.append(event)
            await self.next_typed()
            return
        if isinstance(event, events.Key) and self.dropped(event):  # back from the widget, after a screen change
            event.stop()
            return
        await super().on_event(event)

    # Textual gives each key to the widget focused when the key is read, but moves the
    # focus (tab) or edits (backspace, end) in a binding, when the key comes back up
    # from that widget; and a binding's own effects (the next field on Enter, a dialog
    # opening) come later still, in messages. In a burst, every key was handed out
    # before the first came back: text landed in the field left before, and a
    # Backspace deleted what was typed after it. So keys are handed out one at a time:
    # each once the one before, and what it set off, has been handled.

    async def next_typed(self) -> None:
        """Hand out the keys typed ahead, while none is being handled."""
        self.release_held_too_long()
        while self.in_hand is None and self.typed_ahead and self.screen_stack:
            event = self.typed_ahead[0]
            if self.dropped(event):
                self.typed_ahead.popleft()
                continue
            target = self.target_of(event)
            text = isinstance(event, events.Key) and target.check_consume_key(event.key, event.character)
            if not text and self.text_sent is not None:
                # A key that acts may act at once (ctrl+g starts the game, before the key
                # reaches the field): it waits until the field has taken the text before it.
                self.follow(*self.text_sent, then=0, since=get_time())
                self.text_sent = None
                continue
            self.typed_ahead.popleft()
            await super().on_event(event)
            if text:  # text into a field: the field takes it itself, in order, and nothing moves
                self.text_sent = (event, target)
                continue
            self.follow(event, target, then=1, since=get_time())
        if self.in_hand is not None and self.typed_ahead and not self.key_watch_on:
            self.key_watch_on = True
            self.set_timer(KEY_WATCH, self.watch_key_in_hand)

    def target_of(self, event: Typed) -> Widget:
        """The widget Textual sends `event` to: the focused one for a key, the one under
        the mouse (or holding it) for a mouse button."""
        if not isinstance(event, events.MouseEvent):
            return self.focused or self.screen
        if self.mouse_captured is not None:
            return self.mouse_captured
        try:
            return self.get_widget_at(event.x, event.y)[0]
        except NoWidget:
            return self.screen

    def follow(self, typed: Typed, target: MessagePump, then: int, since: float) -> None:
        """Send a KeyHandled up the way from `target` (behind the key, or what it set off
        there); `then`: how many times more once it is back; `since`: when the key was
        handed out."""
        self.in_hand = InHand(typed, target, self.screen, then, since)
        if not target.post_message(KeyHandled(typed)):
            self.in_hand = None  # the widget is closing: it handles nothing more

    async def on_key_handled(self, message: KeyHandled) -> None:
        hand = self.in_hand
        if hand is None or message.typed is not hand.typed:
            return
        if not self.screen_stack:  # the app is closing
            self.in_hand = None
            self.typed_ahead.clear()
            return
        if self.screen is not hand.screen:  # the key opened or closed a screen: wait until it is ready
            self.follow(hand.typed, self.screen, hand.then, hand.since)
        elif hand.then:  # the messages the key's binding sent from the widget (Enter: submitted)
            target = hand.target if hand.target.is_attached else self.screen
            self.follow(hand.typed, target, hand.then - 1, hand.since)
        else:
            self.in_hand = None
        await self.next_typed()

    async def watch_key_in_hand(self) -> None:
        """A widget removed while it held the key (a dialog closed by it) never passes
        the news up: the keys behind it must not wait for ever."""
        self.key_watch_on = False
        hand = self.in_hand
        if hand is not None and not (hand.target.is_attached and hand.target.is_running):
            self.in_hand = None
        await self.next_typed()

    def release_held_too_long(self) -> None:
        """Whatever keeps a key in hand (a handler that hangs, a KeyHandled lost on the
        way), the keys behind it go on after KEY_HOLD_LIMIT: they may land early, but the
        keyboard never freezes."""
        hand = self.in_hand
        if hand is not None and get_time() - hand.since > KEY_HOLD_LIMIT:
            self.in_hand = None

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
            self.push_screen(TooSmallScreen(MIN_SIZE, self.check_size))
            self.game_waits(True)
        elif not too_small and showing:
            self.pop_screen()
            self.game_waits(False)

    def game_waits(self, waiting: bool) -> None:
        """The "too small" message says the game waits (and goes): an app whose clocks are
        its own stops them meanwhile."""

    def action_command_palette(self) -> None:
        """One command palette at a time. Textual looks for one only on top: with the
        "too small" message over it, a second (of the same id) ended the app."""
        if not any(isinstance(screen, CommandPalette) for screen in self.screen_stack):
            super().action_command_palette()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(own_screens=self.own_screens))

    # What the palette calls quitting: the hot seat quits, a joined seat leaves.
    quit_command = ("Quit", "Close crisis-sim (it asks first; the game is autosaved)")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette (ctrl+p): help, the game's own commands, a light or dark
        screen, and quit. Not Textual's others (screenshots, the keys panel, maximising a
        widget, a list of themes): they mean nothing at a workshop table."""
        yield SystemCommand("Help", "How to play, and every key", self.action_help)
        yield from self.game_commands(screen)
        if self.current_theme.dark:
            yield SystemCommand("Light theme", "Dark text on a light background: for a bright room", self.light)
        else:
            yield SystemCommand("Dark theme", "Light text on a dark background", self.dark)
        yield SystemCommand(*self.quit_command, self.action_quit)

    def game_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The commands of this face of the game, for the palette."""
        return ()

    def light(self) -> None:
        self.theme = "textual-light"

    def dark(self) -> None:
        self.theme = "textual-dark"

    def action_hide_keys(self) -> None:
        self.action_hide_help_panel()
