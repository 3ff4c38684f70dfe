"""Keys typed in bursts land where they were typed, and a click after them waits for them.

A terminal hands the app everything typed since its last read at once: a fast
typist, a paste, or `tmux send-keys` with several keys. These tests feed the
very bytes a terminal (tmux at 80x24) sends through Textual's own terminal
parser into the running app, all before the app has handled the first one, as
the real driver does; Pilot.press cannot show the problem, as it waits for each
key's effect before sending the next.
"""

import asyncio

from helpers import ROOT, TUTORIAL
from net_harness import hosted, run_bounded
from test_net_join import join, until
from test_tui_play import keys_handled
from textual._time import get_time  # the clock of Key.time (Textual is pinned)
from textual._xterm_parser import XTermParser
from textual.command import CommandPalette
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, Static

from game.engine import events as ev
from game.tui.app import CrisisApp
from game.tui.base import PENDING_LIMIT
from game.tui.join import JoinApp
from game.tui.screens.dialogs import TooSmallScreen
from game.tui.screens.orders import ConfirmOrders, OrdersScreen
from game.tui.screens.remote import ConsoleScreen
from game.tui.screens.setup import SetupScreen
from game.workshop.flow import FACILITATOR

SIZE = (80, 24)
# What tmux sends for its key names (captured from a pane: `tmux send-keys Tab End BSpace 4`).
TAB, END, BACKSPACE, DOWN, CTRL_G = "\t", "\x1b[4~", "\x7f", "\x1b[B", "\x07"
PASSPHRASE = "umpiring"  # the shortest a White Cell takes: 8 characters


async def typed(pilot, data: str, workers: bool = True, screen: bool = True) -> list[str]:
    """Feed `data`, as read from the terminal in one read, to the app, and wait until it
    has handled it all (`workers`: and the work it started; `screen`: and drawn the
    screen it opened). Returns the keys Textual's parser found in it."""
    app = pilot.app
    keys = []
    for event in XTermParser().feed(data):
        keys.append(getattr(event, "key", type(event).__name__))
        app._driver.process_message(event)  # what the terminal driver does with each one
    await pilot.pause()
    await keys_handled(pilot, workers, screen)
    return keys


def setup_app(tmp_path) -> CrisisApp:
    """The game straight on the tutorial's setup screen, with the hand-over protection on."""
    return CrisisApp(ROOT / "scenarios", tmp_path / "saves", scenario=TUTORIAL, seed=17883)


def orders_app(tmp_path) -> CrisisApp:
    """The tutorial, to be played quickly to the US orders (no quiet moment after each new
    screen: the bursts below are typed on one screen and the dialogs over it)."""
    return CrisisApp(
        ROOT / "scenarios", tmp_path / "saves", scenario=TUTORIAL, seed=5, handover_delay=0, handover_key="enter"
    )


async def to_orders(pilot) -> None:
    """Setup (White Cell passphrase: umpiring), the public briefing, the US hand-over and
    private briefing, one key at a time."""
    app = pilot.app
    app.screen.query_one("#passphrase", Input).value = PASSPHRASE
    await pilot.press("ctrl+g", "enter", "enter", "enter")
    for _ in range(100):  # on a busy machine the orders screen may take a few frames to mount
        if isinstance(app.screen, OrdersScreen) and app.screen.is_mounted:
            return
        await pilot.pause()
    raise AssertionError(f"no orders screen but {app.screen}")


def test_setup_fields_edited_in_one_burst_get_what_was_typed(tmp_path):
    """A facilitator tabs to the seed, fixes its last two digits, tabs to the turns and
    retypes them, all in one quick burst. Each field must end as typed: no character
    lost after a Backspace, none landing in the field left before."""

    async def run():
        app = setup_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            assert isinstance(app.screen, SetupScreen)
            data = TAB * 3 + END + BACKSPACE * 2 + "42" + TAB + END + BACKSPACE + "5"
            keys = await typed(pilot, data)
            assert keys == ["tab"] * 3 + ["end", "backspace", "backspace", "4", "2", "tab", "end", "backspace", "5"]
            screen = app.screen
            assert screen.query_one("#seed", Input).value == "17842"
            assert screen.query_one("#turns", Input).value == "5"
            assert app.focused is screen.query_one("#turns", Input)

    asyncio.run(run())


def test_text_typed_then_ctrl_g_in_one_burst_starts_the_game_with_it(tmp_path):
    """A facilitator types the seed, tabs to the passphrase, types it and presses ctrl+g,
    all in one burst. ctrl+g acts at once (a priority key), and it used to start the game
    before the fields had taken the text typed just before it: the game began with the
    old seed and a made-up passphrase. The game must start with what was typed."""

    async def run():
        app = setup_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await typed(pilot, TAB * 3 + END + BACKSPACE * 2 + "42" + TAB * 4 + PASSPHRASE + CTRL_G)
            session = app.session
            assert session is not None and session.settings.seed == 17842
            assert session.settings.opens_white_cell(PASSPHRASE)

    asyncio.run(run())


def middle(widget) -> tuple[int, int]:
    """The cell in the middle of `widget` on the screen."""
    region = widget.region
    return region.x + region.width // 2, region.y + region.height // 2


def clicked(widget) -> str:
    """What tmux sends for a left click in the middle of `widget` (SGR mouse: press, release; 1-based)."""
    x, y = middle(widget)
    return f"\x1b[<0;{x + 1};{y + 1}M\x1b[<0;{x + 1};{y + 1}m"


def scrolled_down(widget) -> str:
    """What tmux sends for the mouse wheel turned down once over `widget`."""
    x, y = middle(widget)
    return f"\x1b[<65;{x + 1};{y + 1}M"


def test_a_click_right_after_typing_waits_for_the_keys_before_it(tmp_path):
    """A facilitator fixes the seed and, without a pause, clicks "Start the game". The
    click went straight to the button while the keys before it still waited their turn:
    the game started with the old seed. A click must wait behind the keys typed before it."""

    async def run():
        app = setup_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            start = app.screen.query_one("#start")
            keys = await typed(pilot, TAB * 3 + END + BACKSPACE * 2 + "42" + clicked(start))
            assert keys[-2:] == ["MouseDown", "MouseUp"]
            session = app.session
            assert session is not None and session.settings.seed == 17842

    asyncio.run(run())


def pasted(text: str) -> str:
    """Text pasted into a terminal that asked for bracketed paste (Textual does)."""
    return f"\x1b[200~{text}\x1b[201~"


def test_text_pasted_right_after_tab_goes_to_the_field_tabbed_to(tmp_path):
    """A facilitator tabs to the seed and pastes one, tabs and pastes the number of turns,
    faster than the screen follows. Each paste must replace the field it was pasted into
    (the whole of it, as a field entered with Tab is selected), not the field before."""

    async def run():
        app = setup_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            keys = await typed(pilot, TAB * 3 + pasted("31337") + TAB + pasted("4"))
            assert keys == ["tab"] * 3 + ["Paste", "tab", "Paste"]
            screen = app.screen
            assert screen.query_one("#seed", Input).value == "31337"
            assert screen.query_one("#turns", Input).value == "4"

    asyncio.run(run())


def test_orders_confirmed_with_why_and_intent_in_one_burst_keep_both_texts(tmp_path):
    """A team that knows the keys chooses an order, confirms, types why, Enter, what it
    thinks the others intend, Enter, all in one burst. The dialog opened by the `c` and
    the move to the second field by the first Enter must come before the text typed
    after them: nothing lost, nothing in the wrong field."""

    async def run():
        app = orders_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await to_orders(pilot)
            await typed(pilot, " c" + "to show resolve\r" + "a pause\r")
            sent = [e for e in app.session.game.log if isinstance(e, ev.OrdersSubmitted) and e.role == "us"]
            assert [(e.why, e.intent) for e in sent] == [("to show resolve", "a pause")]

    asyncio.run(run())


def test_enter_on_the_confirm_dialog_in_a_burst_goes_field_by_field(tmp_path):
    """A team chooses, confirms and presses Enter in one burst, before the dialog shows.
    Enter must do what it does on the dialog once drawn: the first goes from "why" to
    "what the others intend" (it does not send the orders without asking), the second
    sends them, with both answers empty."""

    async def run():
        app = orders_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await to_orders(pilot)

            def sent() -> list[tuple[str, str]]:
                log = app.session.game.log
                return [(e.why, e.intent) for e in log if isinstance(e, ev.OrdersSubmitted) and e.role == "us"]

            await typed(pilot, " c\r")
            assert isinstance(app.screen, ConfirmOrders) and sent() == []
            assert app.focused is app.screen.query_one("#intent", Input)
            # The dialog says so: it used to say "enter: send" above the first of two questions.
            keys = app.screen.query_one(".dialog-keys", Label).render()
            assert "enter: next question, then send" in str(keys)
            await typed(pilot, "\r")
            assert sent() == [("", "")]

    asyncio.run(run())


def test_confirming_with_nothing_chosen_says_no_orders_outright(tmp_path):
    """c then Enter, a double tap, sent an empty turn under "Send these orders?"."""

    async def run():
        app = orders_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await to_orders(pilot)
            await typed(pilot, "c")
            assert isinstance(app.screen, ConfirmOrders)
            title = str(app.screen.query_one(".dialog-title", Label).render())
            assert title == "Send NO orders for United States this turn?"
            assert "no orders: your team does nothing this turn" in str(
                app.screen.query_one(".dialog-detail", Static).render()
            )

    asyncio.run(run())


def test_the_white_cell_opened_and_news_written_in_one_burst(tmp_path):
    """A facilitator who knows the way types it all at once: w, the passphrase, Enter,
    down twice to "Publish a news item" (the menu opens on "Reveal": with no turn timer
    there is no clock to pause), Enter, the news, Enter. Each dialog must be open
    before the keys meant for it are handled: the passphrase must not go to the orders
    screen, nor the news to the menu."""

    async def run():
        app = orders_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await to_orders(pilot)
            await typed(pilot, "w" + PASSPHRASE + "\r" + DOWN * 2 + "\r" + "Talks in Erbil\r")
            news = [e for e in app.session.game.log if isinstance(e, ev.NewsPublished) and e.source == "facilitator"]
            assert [e.text for e in news] == ["Talks in Erbil"]
            assert isinstance(app.screen, OrdersScreen)  # the White Cell closed after its act

    asyncio.run(run())


def test_a_joined_white_cell_writes_news_in_one_burst(tmp_path):
    """The same for a facilitator joined over the network (`crisis join`), whose acts go
    to the host: w, down to "Publish a news item" (before turn 1, the menu opens on
    "Reveal" and skips the acts not possible yet), Enter, the news, Enter."""

    async def run():
        async with hosted(tmp_path) as (host, plain, uri):
            app = JoinApp(uri, handover_delay=0)
            async with app.run_test(size=SIZE) as pilot:
                await join(pilot, plain[FACILITATOR])
                await until(pilot, lambda: isinstance(app.main_screen, ConsoleScreen))
                await typed(pilot, "w" + DOWN + "\r" + "Talks in Erbil\r", workers=False)

                def published() -> list[str]:
                    log = host.session.game.log
                    return [e.text for e in log if isinstance(e, ev.NewsPublished) and e.source == "facilitator"]

                await until(pilot, lambda: published() == ["Talks in Erbil"], seconds=5)

    run_bounded(run())


F1, CTRL_P, CTRL_Q = "\x1bOP", "\x10", "\x11"  # what tmux sends for F1, ctrl+p and ctrl+q


def test_help_opened_while_the_terminal_was_too_small_leaves_no_cover_behind(tmp_path):
    """A facilitator shrinks the window, presses F1 (the help opens over the "too small"
    message), makes the window large again and closes the help. The game must come back:
    the message must not stay on screen for good, taking every key."""

    async def run():
        app = setup_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.resize_terminal(50, 15)
            await pilot.pause()
            assert isinstance(app.screen, TooSmallScreen)
            await typed(pilot, F1)
            await pilot.resize_terminal(*SIZE)
            await pilot.pause()
            await typed(pilot, "q")  # closes the help, if it opened
            assert isinstance(app.screen, SetupScreen)
            await typed(pilot, TAB * 3 + END + BACKSPACE + "9")
            assert app.screen.query_one("#seed", Input).value == "17889"

    asyncio.run(run())


def test_the_command_palette_asked_for_again_under_the_too_small_message(tmp_path):
    """ctrl+p, the window shrinks (the "too small" message covers the palette), ctrl+p
    again: Textual opened a second palette under the same id and the app ended with a
    traceback. The second ctrl+p must do nothing, and the palette come back with the size."""

    async def run():
        app = setup_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await typed(pilot, CTRL_P)
            await pilot.resize_terminal(50, 15)
            await pilot.pause()
            await typed(pilot, CTRL_P)
            await pilot.resize_terminal(*SIZE)
            await pilot.pause()
            assert isinstance(app.screen, CommandPalette)
            assert sum(isinstance(screen, CommandPalette) for screen in app.screen_stack) == 1

    asyncio.run(run())


class Hung(Static, can_focus=True):
    """A widget whose key handler waits on something that never comes (a network
    command, a disk that hangs): no screen of ours does that today; if one ever does,
    the keyboard must still let the table leave."""

    def __init__(self) -> None:
        super().__init__("hung")
        self.release = asyncio.Event()

    async def on_key(self, event) -> None:
        await self.release.wait()


def test_ctrl_q_still_quits_after_a_key_whose_handling_never_ends(tmp_path):
    """A key is never done with (its handler hangs). The facilitator presses ctrl+q: it
    waited behind that key for ever, and only killing the terminal ended the game. Once
    a key has been in hand a moment, the keys behind it must go on: ctrl+q quits."""

    async def run():
        app = setup_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            hung = Hung()
            await app.screen.mount(hung)
            hung.focus()
            await pilot.pause()
            try:
                for event in XTermParser().feed("x" + CTRL_Q):
                    app._driver.process_message(event)
                # Not pilot.pause: it waits for every widget to be idle, the hung one too.
                for _ in range(60):
                    await asyncio.sleep(0.05)
                    if app.return_code is not None:
                        break
                assert app.return_code == 0  # quit (at setup, without a question)
            finally:
                hung.release.set()

    asyncio.run(run())


def test_keys_act_again_if_the_screen_on_its_way_never_says_it_is_drawn(tmp_path):
    """Keys typed while a new screen is on its way are dropped until it is drawn (another
    team's screen at a hand-over). Should the word that it is drawn never come, every key,
    ctrl+q included, was dropped until the next screen: a dead keyboard. Keys are dropped
    for PENDING_LIMIT at most."""

    async def run():
        app = setup_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            app.screen_pending = True  # as `quiet` leaves it, its callback lost
            app.pending_since = get_time()
            await typed(pilot, TAB * 3 + END + "9", screen=False)
            assert app.screen.query_one("#seed", Input).value == "17883"  # dropped: a screen is on its way
            app.pending_since = get_time() - PENDING_LIMIT - 0.1  # on its way for longer than that
            await typed(pilot, TAB * 3 + END + "9", screen=False)
            assert app.screen.query_one("#seed", Input).value == "178839"

    asyncio.run(run())


def test_the_mouse_wheel_scrolls_even_while_a_key_is_in_hand(tmp_path):
    """Clicks wait behind the keys typed before them, but the wheel acts on nothing but
    the view: it must scroll at once, even while a key is still being handled."""

    async def run():
        app = setup_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            form = app.screen.query_one("#setup", VerticalScroll)
            hung = Hung()
            await form.mount(hung, before=0)
            hung.focus()
            await pilot.pause()
            try:
                assert form.max_scroll_y > 0 and form.scroll_y == 0
                for event in XTermParser().feed("x" + scrolled_down(form)):
                    app._driver.process_message(event)
                for _ in range(10):  # well under KEY_HOLD_LIMIT: the "x" is still in hand
                    await asyncio.sleep(0.03)
                assert app.in_hand is not None and app.in_hand.typed.key == "x"
                assert form.scroll_y > 0
            finally:
                hung.release.set()

    asyncio.run(run())
