"""What a facilitator's review of the hot seat found, driven at 80x24: one short
pilot test per finding (the rules behind them are tested without the screens)."""

import asyncio
import html
import os
import shutil

from helpers import ROOT
from test_tui_play import SIZE, new_app, screen_text
from textual.widgets import Input

from game.tui.screens.briefing import PublicBriefingScreen
from game.tui.screens.setup import SetupScreen

TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
MADE_UP = "heron-granite-lotus-42"


def whole_screen(app) -> str:
    """Every character the terminal shows, dialogs and the screens under them included."""
    return html.unescape(app.export_screenshot()).replace("\xa0", " ")


def test_a_made_up_passphrase_shows_only_when_the_facilitator_asks_and_a_short_one_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("game.tui.screens.setup.generate_passphrase", lambda: MADE_UP)

    async def run():
        app = new_app(tmp_path, scenario=TUTORIAL)
        async with app.run_test(size=SIZE) as pilot:
            assert isinstance(app.screen, SetupScreen)
            app.screen.query_one("#passphrase", Input).value = "ab"
            await pilot.press("ctrl+g")
            assert isinstance(app.screen, SetupScreen) and app.session is None
            assert "needs at least 8 characters (this one has 2)" in screen_text(app)
            app.screen.query_one("#passphrase", Input).value = ""
            await pilot.press("ctrl+g")
            # The room sees the screen: first only the request to look away.
            shown = whole_screen(app)
            assert "look away" in shown and MADE_UP not in shown and "All teams" not in shown
            await pilot.press("s")
            assert MADE_UP in whole_screen(app)
            await pilot.press("s")
            assert MADE_UP not in whole_screen(app)
            await pilot.press("escape")
            assert isinstance(app.screen, PublicBriefingScreen)
            assert app.session.settings.opens_white_cell(MADE_UP)

    asyncio.run(run())


def test_escape_before_the_made_up_passphrase_was_shown_asks_first(monkeypatch):
    """Escape on the 'teams, look away' page went on at once: one stray key, and the
    passphrase shown only this once was lost (the White Cell locked until the game is
    closed and `crisis passphrase` run). Unseen, it asks; once seen, it goes on."""
    from game.tui.screens.dialogs import Confirm
    from game.tui.screens.passphrase import PassphraseScreen

    class FakeApp:
        asked: list = []

        def push_screen(self, screen, callback):
            self.asked.append((screen, callback))

    app, closed = FakeApp(), []
    monkeypatch.setattr(PassphraseScreen, "app", property(lambda self: app))
    monkeypatch.setattr(PassphraseScreen, "dismiss", lambda self, result: closed.append(result))
    monkeypatch.setattr(
        PassphraseScreen, "query_one", lambda self, *a: type("Box", (), {"update": lambda box, text: None})()
    )
    page = PassphraseScreen(MADE_UP)
    page.action_close()
    [(question, answered)] = app.asked
    assert isinstance(question, Confirm) and "shown only this once" in question.detail and not closed
    answered(False)
    assert not closed
    answered(True)
    assert closed == [None]
    page, closed[:], app.asked[:] = PassphraseScreen(MADE_UP), [], []
    page.action_show_or_hide()
    page.action_show_or_hide()  # shown, then hidden again: seen
    page.action_close()
    assert closed == [None] and not app.asked


def test_r_on_the_title_screen_asks_which_game_when_a_scenario_has_several_in_progress(tmp_path):
    from helpers import tutorial_played
    from textual.widgets import OptionList

    from game.tui.app import CrisisApp
    from game.tui.screens.dialogs import Choose
    from game.workshop.saves import read_save

    older = tutorial_played(tmp_path / "saves", turns=1, seed=11).autosave_to
    tutorial_played(tmp_path / "saves", turns=1, seed=12)
    os.utime(older, (1_700_000_000, 1_700_000_000))  # listed newest first, by the file's time

    async def run():
        # The tutorial alone on the title screen: the other scenarios would only be read, at a cost.
        (tmp_path / "scenarios").mkdir()
        shutil.copy(TUTORIAL, tmp_path / "scenarios")
        app = CrisisApp(tmp_path / "scenarios", tmp_path / "saves", handover_delay=0, handover_key="enter")
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            listing = app.screen.query_one(OptionList)
            listing.highlighted = next(
                i for i in range(listing.option_count) if "Tutorial" in str(listing.get_option_at_index(i).prompt)
            )
            await pilot.pause()
            assert "2 games in progress: press r to choose one" in screen_text(app)
            await pilot.press("r")
            assert isinstance(app.screen, Choose) and app.session is None
            choices = screen_text(app)
            assert choices.index("in progress, turn 2 · seed 12") < choices.index("in progress, turn 2 · seed 11")
            await pilot.press("down", "enter")
            assert app.session is not None and app.session.game.seed == read_save(older).seed == 11

    asyncio.run(run())


# Textual's own commands, which mean nothing at a workshop table.
TEXTUALS = {"Theme", "Keys", "Screenshot", "Maximize", "Minimize"}


def test_the_command_palette_offers_the_games_commands_and_none_of_textuals(tmp_path):
    """What ctrl+p lists, on the hot seat before and during a game and on a joined seat
    (the palette's one provider is `get_system_commands`)."""
    from game.net import protocol
    from game.scenario import load
    from game.tui.join import JoinApp
    from game.workshop.session import Session, Settings

    app = new_app(tmp_path)

    def titles(app):
        return [c.title for c in app.get_system_commands(None)]

    assert titles(app) == ["Help", "Light theme", "Quit"]  # the title screen: no game to save
    app.session = Session.new(load(TUTORIAL), Settings({"us": "human"}), tmp_path)
    listed = titles(app)
    assert set(listed) == {"Help", "Save the game", "Sources", "White Cell", "Title screen", "Light theme", "Quit"}
    light = next(c for c in app.get_system_commands(None) if c.title == "Light theme")
    light.callback()
    assert app.theme == "textual-light" and "Dark theme" in titles(app) and "Light theme" not in titles(app)

    joined = JoinApp("ws://127.0.0.1:1")
    assert titles(joined) == ["Help", "Light theme", "Leave the workshop"]
    joined.welcome, joined.frame = {"kind": protocol.WHITE_CELL}, {"stage": "orders"}
    assert "White Cell" in titles(joined)
    assert not TEXTUALS & {*titles(app), *titles(joined)}


def test_the_palettes_title_screen_asks_first_when_the_autosave_failed(tmp_path, monkeypatch):
    """'Title screen' drops the game, as it is autosaved: not when its autosave failed
    (a full disk, a read-only folder), or the game would be lost without a word."""
    from game.scenario import load
    from game.tui.screens.dialogs import Confirm
    from game.workshop.session import Session, Settings

    app = new_app(tmp_path)
    pushed, shown = [], []
    monkeypatch.setattr(app, "push_screen", lambda screen, callback=None: pushed.append((screen, callback)))
    monkeypatch.setattr(app, "show", lambda screen: shown.append(screen))
    app.session = Session.new(load(TUTORIAL), Settings({"us": "human"}), tmp_path)
    leave = next(c for c in app.get_system_commands(None) if c.title == "Title screen")
    app.session.autosave_error = "autosave failed: No space left on device"
    leave.callback()
    [(question, answered)] = pushed
    assert isinstance(question, Confirm) and "No space left on device" in question.detail
    assert app.session is not None and not shown  # nothing dropped before the answer
    asyncio.run(app.action_quit())  # quitting says so too, rather than "it is saved"
    assert "No space left on device" in pushed.pop()[0].detail
    answered(False)
    assert app.session is not None and not shown
    answered(True)
    assert app.session is None and shown
    # Saved as it goes: no question.
    app.session, pushed[:] = Session.new(load(TUTORIAL), Settings({"us": "human"}), tmp_path), []
    leave.callback()
    assert app.session is None and not pushed


def test_r_or_enter_on_an_unreadable_save_says_why_it_cannot_be_opened(tmp_path, monkeypatch):
    """r on a save that cannot be read said 'Highlight a scenario to resume its autosave',
    and Enter 'This item has errors': neither said what is wrong with the save."""
    from game.tui.screens.title import TitleScreen

    title = TitleScreen(tmp_path, tmp_path)
    told = []
    monkeypatch.setattr(title, "notify", lambda message, **kw: told.append(message))
    broken = tmp_path / "autosave-broken.json"
    title.unreadable[f"save:{broken}"] = "not a crisis-sim save (invalid JSON)"  # as list_saves gives it
    monkeypatch.setattr(title, "highlighted_key", lambda: f"save:{broken}")
    title.action_resume()
    title.action_open()
    assert told == ["This save cannot be opened: not a crisis-sim save (invalid JSON)"] * 2


def test_the_hot_seat_does_not_resume_a_game_a_host_is_serving(tmp_path, monkeypatch):
    """r on the title screen offers every game in progress, one that `crisis host` serves
    included: both would write its autosave, each over the other's, and one game be lost.
    The hot seat claims the autosave it resumes, as a host does, until it leaves the game."""
    from game.scenario import load
    from game.workshop.saves import claim
    from game.workshop.session import Session, Settings

    session = Session.new(load(TUTORIAL), Settings({"us": "human"}), tmp_path)
    session.autosave()
    path = session.autosave_to
    app = new_app(tmp_path)
    told = []
    monkeypatch.setattr(app, "tell", lambda message, *a: told.append(message))
    monkeypatch.setattr(app, "advance", lambda: None)
    monkeypatch.setattr(app, "show", lambda screen: None)
    host = claim(path)
    app.resume(path)
    assert app.session is None and "it is open elsewhere (crisis host, or another crisis-sim window)" in told[-1]
    host.close()
    app.resume(path)
    assert app.session is not None and claim(path) is None  # now the hot seat's
    app.show_title()
    claim(path).close()  # left: free again
    monkeypatch.setattr(app, "push_screen", lambda *a: None)
    app.start_game(load(TUTORIAL), Settings({"us": "human"}), "a made-up passphrase")
    assert claim(app.session.autosave_to) is None  # a new game's autosave is the hot seat's too


def test_a_question_from_the_white_cell_menu_is_drawn_alone_over_the_hidden_menu(tmp_path):
    from test_tui_play import PASSPHRASE, keys_handled, start_with_passphrase
    from textual.widgets import OptionList

    from game.tui.screens.dialogs import Ask
    from game.tui.screens.facilitator import FacilitatorScreen

    async def run():
        app = new_app(tmp_path, scenario=TUTORIAL)
        async with app.run_test(size=SIZE) as pilot:
            await start_with_passphrase(pilot)
            await pilot.press("w")
            app.screen.query_one(Input).value = PASSPHRASE
            await pilot.press("enter")
            assert isinstance(app.screen, FacilitatorScreen)
            menu = "Reveal every team's view"
            assert menu in whole_screen(app)
            acts = app.screen.query_one("#acts", OptionList)
            acts.highlighted = next(i for i in range(acts.option_count) if acts.get_option_at_index(i).id == "news")
            await pilot.press("enter")
            await keys_handled(pilot)  # the question drawn (on a busy machine, a frame later)
            assert isinstance(app.screen, Ask)
            shown = whole_screen(app)
            # One box: the question, titled as the White Cell's; no line of the menu's box behind it.
            assert "News item for all teams" in shown and "White Cell" in shown
            assert menu not in shown and "White Cell (facilitator)" not in shown
            await pilot.press("escape")
            await keys_handled(pilot)
            assert isinstance(app.screen, FacilitatorScreen) and menu in whole_screen(app)

    asyncio.run(run())
