"""Workshop practicalities in the terminal game: saves, quitting, the timer,
the White Cell, sources, themes, NO_COLOR and small terminals."""

import asyncio
import re
from pathlib import Path

from helpers import ROOT, finished_tutorial, imported_with, tick_while_closing, tutorial_played
from test_tui_play import PASSPHRASE, past_the_quiet_moment, screen_text, settle, start_with_passphrase
from textual.widgets import OptionList, Static

from game.engine import events as ev
from game.tui.app import CrisisApp
from game.tui.screens.briefing import HandOverScreen, PrivateBriefingScreen
from game.tui.screens.dialogs import Ask, Choose, Confirm, TextScreen, TooSmallScreen
from game.tui.screens.end import EndScreen
from game.tui.screens.facilitator import FacilitatorScreen
from game.tui.screens.orders import OrdersScreen
from game.tui.screens.results import ResultsScreen
from game.tui.screens.review import ReviewScreen
from game.tui.screens.setup import SetupScreen
from game.tui.screens.sources import SourcesScreen
from game.tui.screens.title import TitleScreen
from game.workshop.saves import read_save

SIZE = (80, 24)
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def tutorial_app(tmp_path, **kwargs):
    kwargs.setdefault("handover_delay", 0)
    kwargs.setdefault("handover_key", "enter")
    return CrisisApp(ROOT / "scenarios", tmp_path / "saves", scenario=TUTORIAL, seed=5, **kwargs)


async def to_orders(pilot, turns: int | None = None):
    """Setup (with a passphrase; `turns`: a shorter game), the public briefing, the US
    hand-over and private briefing."""
    if turns is not None:
        pilot.app.screen.query_one("#turns").value = str(turns)
    await start_with_passphrase(pilot)
    await pilot.press("enter", "enter", "enter")
    for _ in range(100):  # on a busy machine the orders screen may take a few frames to mount
        await pilot.pause()
        if isinstance(pilot.app.screen, OrdersScreen) and pilot.app.screen.is_mounted:
            break


async def play_first_turn(app, pilot):
    """Setup and briefings, then the US orders its first action; bots do the rest."""
    await to_orders(pilot)
    await pilot.press("space", "c", "enter", "enter")  # choose, confirm, why, intent (the tutorial asks)
    await settle(app, pilot)


async def open_finished_tutorial(app, pilot, saves) -> None:
    """Resume `finished_tutorial` from the title screen: the end screen."""
    app.resume(finished_tutorial(saves))
    await pilot.pause()
    assert isinstance(app.screen, EndScreen)


def title_app(saves):
    return CrisisApp(ROOT / "scenarios", saves, seed=5, handover_delay=0, handover_key="enter")


async def title_read(pilot) -> None:
    """Wait until the title screen has listed the saves and read every scenario (its worker)."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def pick(pilot, label):
    """Highlight the option with `label` in the current list and press enter."""
    listing = pilot.app.screen.query_one(OptionList)
    index = next((i for i in range(listing.option_count) if label in str(listing.get_option_at_index(i).prompt)), None)
    assert index is not None, f"no option {label!r}"
    listing.highlighted = index
    await pilot.press("enter")


async def white_cell(pilot):
    await pilot.press("w", *PASSPHRASE, "enter")
    assert isinstance(pilot.app.screen, FacilitatorScreen)


def test_a_save_made_before_turn_1_is_listed_as_such():
    from game.tui.screens.title import save_state

    class Save:
        def __init__(self, summary):
            self.summary = summary

    assert save_state(Save({"phase": "briefing", "turn": 0})) == "in progress, before turn 1"  # was "turn 0"
    assert save_state(Save({"phase": "orders", "turn": 3})) == "in progress, turn 3"


def test_saving_under_a_name_and_loading_it_from_the_title_screen(tmp_path):
    async def run():
        app = tutorial_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await play_first_turn(app, pilot)
            assert isinstance(app.screen, ResultsScreen)
            await pilot.press("ctrl+s")
            assert isinstance(app.screen, Ask)
            assert f"(in {tmp_path / 'saves'}/)" in screen_text(app)  # the folder it writes to, not "saves/"
            await pilot.press("ctrl+u", *"workshop one", "enter")
            await pilot.pause()
            saved = tmp_path / "saves" / "workshop-one.json"
            assert saved.is_file()
            assert read_save(saved).summary["turn"] == 2
            tick_while_closing(app)  # the clocks' tick, as the app closes, does nothing

        app = CrisisApp(ROOT / "scenarios", tmp_path / "saves", seed=5, handover_delay=0, handover_key="enter")
        async with app.run_test(size=SIZE) as pilot:
            assert isinstance(app.screen, TitleScreen)
            await title_read(pilot)
            assert re.search(r"workshop-one\s+\W*\s*\w{3} \d\d \w{3} \d\d:\d\d · in progress, turn 2", screen_text(app))
            await pick(pilot, "workshop-one")
            await pilot.pause()
            assert app.session is not None and app.session.game.turn == 2
            # The table was reading turn 1's results when it saved: it reads them again.
            assert isinstance(app.screen, ResultsScreen) and app.screen.turn == 1

    asyncio.run(run())


def test_the_title_is_drawn_before_the_scenarios_are_read_and_enter_waits_for_them(tmp_path, monkeypatch):
    """`crisis play` draws the title screen first and reads the scenarios behind it. A
    facilitator who presses Enter at once (on the flagship, highlighted) must get the
    flagship's setup once it is read: not an error, not nothing."""
    import threading

    import game.scenario

    gate = threading.Event()
    real_load = game.scenario.load

    def slow_load(path):
        gate.wait(10)  # reading the scenarios takes as long as the test says
        return real_load(path)

    monkeypatch.setattr(game.scenario, "load", slow_load)

    async def run():
        app = title_app(tmp_path / "saves")
        async with app.run_test(size=SIZE) as pilot:
            try:
                await pilot.pause()
                assert isinstance(app.screen, TitleScreen)
                text = screen_text(app)
                assert "baghdad-2023.yaml (reading…)" in text and "Reading the scenario…" in text
                await pilot.press("enter")
                assert isinstance(app.screen, TitleScreen)  # still reading
            finally:
                gate.set()
            await title_read(pilot)
            assert isinstance(app.screen, SetupScreen)
            assert Path(app.screen.loaded.path).name == "baghdad-2023.yaml"

    asyncio.run(run())


def test_a_scenario_with_errors_is_listed_with_them_on_the_title_screen(tmp_path):
    """A scenario file with a mistake is listed as having errors; highlighted, it shows
    them as file:line:col: message; Enter says it cannot be opened."""
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    (scenarios / "tutorial.yaml").write_bytes(TUTORIAL.read_bytes())
    broken = TUTORIAL.read_text(encoding="utf-8").replace("ask_intent: true", "ask_intent: maybe-later")
    (scenarios / "broken.yaml").write_text(broken, encoding="utf-8")

    async def run():
        app = CrisisApp(scenarios, tmp_path / "saves", seed=5, handover_delay=0, handover_key="enter")
        async with app.run_test(size=(100, 30)) as pilot:
            await title_read(pilot)
            assert "broken.yaml (has errors)" in screen_text(app)
            assert "Tutorial: Rockets at Camp Juniper" in screen_text(app)
            await pick(pilot, "broken.yaml")
            await pilot.pause()
            assert isinstance(app.screen, TitleScreen) and app.session is None
            detail = str(app.screen.query_one("#title-detail", Static).render())
            assert re.search(r"broken\.yaml:389:\d+: .*ask_intent", detail), detail
            assert "has errors and cannot be opened" in screen_text(app)

    asyncio.run(run())


def test_the_title_screen_does_not_wait_for_the_rules_to_be_imported():
    """The title screen is drawn before the rules are imported (half a second of
    `crisis play`'s start): importing the app must not import them."""
    assert imported_with("game.tui.app", "game.scenario", "game.engine", "game.workshop.session", "game.reports") == []


def test_a_damaged_save_is_listed_but_not_loaded_and_left_alone(tmp_path):
    saves = tmp_path / "saves"
    saves.mkdir()
    bad = saves / "broken.json"
    bad.write_text('{"format": "crisis-sim save", "version": 1, "sc', encoding="utf-8")

    async def run():
        app = CrisisApp(ROOT / "scenarios", saves, seed=5, handover_delay=0, handover_key="enter")
        async with app.run_test(size=SIZE) as pilot:
            await title_read(pilot)
            assert re.search(r"broken\s+\W*\s*.{16} · cannot be loaded", screen_text(app))
            await pick(pilot, "broken")
            await pilot.pause()
            assert isinstance(app.screen, TitleScreen) and app.session is None
            assert "damaged or truncated" in screen_text(app)

    asyncio.run(run())
    assert bad.read_text(encoding="utf-8") == '{"format": "crisis-sim save", "version": 1, "sc'


def test_a_new_game_never_replaces_one_in_progress(tmp_path):
    async def run():
        # Two games of the same scenario, each left mid-game: one played without the screens
        # (as `crisis host` or an earlier session would leave it), then one in the terminal.
        tutorial_played(tmp_path / "saves", turns=1)
        app = tutorial_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await play_first_turn(app, pilot)
        autosaves = sorted((tmp_path / "saves").glob("autosave-tutorial-*.json"))
        assert len(autosaves) == 2

        app = CrisisApp(ROOT / "scenarios", tmp_path / "saves", seed=5, handover_delay=0, handover_key="enter")
        async with app.run_test(size=SIZE) as pilot:
            await title_read(pilot)
            text = screen_text(app)
            # Autosaves are listed by the scenario's title and the time, not by file name.
            assert len(re.findall(r"\w{3} \d\d \w{3} \d\d:\d\d · in progress, turn 2 · seed \d+", text)) == 2
            seeds = re.findall(r"in progress, turn 2 · seed (\d+)", text)  # told apart by their seeds
            assert sorted(int(x) for x in seeds) == sorted(read_save(p).seed for p in autosaves)
            listing = app.screen.query_one(OptionList)
            listing.highlighted = next(
                i for i in range(listing.option_count) if "Tutorial" in str(listing.get_option_at_index(i).prompt)
            )
            await pilot.press("r", "enter")  # two in progress: r asks which, the newest first
            await pilot.pause()
            assert app.session.game.turn == 2 and app.session.autosave_to in autosaves

    asyncio.run(run())


def test_quitting_asks_first_even_at_the_end(tmp_path):
    async def run():
        app = tutorial_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await to_orders(pilot)
            await pilot.press("ctrl+q")
            assert isinstance(app.screen, Confirm) and "Quit crisis-sim?" in screen_text(app)
            await pilot.press("n")
            assert isinstance(app.screen, OrdersScreen)
            await open_finished_tutorial(app, pilot, tmp_path / "saves")
            await pilot.press("ctrl+q")
            assert isinstance(app.screen, Confirm) and "stay in its autosave" in screen_text(app)
            await pilot.press("n", "enter")
            assert isinstance(app.screen, ReviewScreen)
            await pilot.press("ctrl+q", "y")
            await pilot.pause()
        assert app.return_code == 0

    asyncio.run(run())


def test_news_the_white_cell_publishes_mid_turn_is_told_on_the_teams_screen(tmp_path):
    """A team choosing its orders is alerted to news posted during its turn, not left to find
    it on the news tab."""

    async def run():
        app = tutorial_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await to_orders(pilot)
            assert isinstance(app.screen, OrdersScreen)
            await white_cell(pilot)
            await pick(pilot, "Publish a news item")
            await pilot.press(*"Ceasefire talks in Doha", "enter")
            await pilot.pause()
            assert isinstance(app.screen, OrdersScreen)
            assert "News just in: Ceasefire talks in Doha" in screen_text(app)
            assert app.session.take_messages("us") == []  # told once

    asyncio.run(run())


def test_the_white_cell_menu_greys_out_what_cannot_be_done_now_and_says_why(tmp_path):
    """In turn 1 there is no last turn to override or undo and turn 1 has begun: those acts are
    offered greyed out with the reason, and choosing one does nothing."""

    async def run():
        app = tutorial_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await to_orders(pilot)
            await white_cell(pilot)
            listing = app.screen.query_one(OptionList)
            shown = {
                listing.get_option_at_index(i).id: listing.get_option_at_index(i) for i in range(listing.option_count)
            }
            for act in ("override", "undo", "start", "pause"):
                assert shown[act].disabled, act
            for act in ("reveal", "inject", "news", "seat", "end"):
                assert not shown[act].disabled, act
            assert "(not now: no turn played yet)" in str(shown["override"].prompt)
            assert "(not now: turn 1 has already begun)" in str(shown["start"].prompt)
            assert "(not now: this game has no turn timer)" in str(shown["pause"].prompt)
            await pilot.press("home", *["down"] * 4, "enter")  # down skips the greyed ones
            assert not isinstance(app.screen, Choose) or "Override" not in screen_text(app)

    asyncio.run(run())


def test_the_white_cell_menu_opens_on_the_act_chosen_last_or_else_the_first_it_can_do(tmp_path):
    """The cursor kept its place when an act's question was cancelled, and went back to the
    top once an act was done. Now it always opens on the act chosen last (news after news,
    pause then restart), and on the first act that can be done now when that one cannot."""

    async def run():
        app = tutorial_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:

            def on() -> str:
                listing = app.screen.query_one(OptionList)
                assert listing.highlighted is not None
                return str(listing.get_option_at_index(listing.highlighted).id)

            await to_orders(pilot)
            await white_cell(pilot)
            assert on() == "reveal"  # nothing chosen yet: the first act it can do (no timer to pause)
            await pilot.press("down", "down")
            assert on() == "news"
            await pilot.press("enter")
            assert isinstance(app.screen, Ask)
            await pilot.press("escape")  # the question cancelled: back on the menu, on the news
            assert isinstance(app.screen, FacilitatorScreen) and on() == "news"
            await pilot.press("escape")
            await white_cell(pilot)
            assert on() == "news"  # opened again: on the act chosen last
            await pilot.press("enter", *"ok", "enter")
            assert not isinstance(app.screen, FacilitatorScreen)  # done, and closed
            await white_cell(pilot)
            assert on() == "news"  # and again after an act that was done
            await pick(pilot, "End the game now")
            await pick(pilot, app.session.scenario.outcomes[0].title)
            await pilot.press("x", "enter")
            assert app.session.game.over
            await white_cell(pilot)
            assert on() == "reveal"  # the game is over: no ending it again, the first act it can do

    asyncio.run(run())


def test_setup_refuses_a_number_it_would_have_to_guess_and_says_which(tmp_path):
    """Typed keys, not a set value: '0.25' turns is refused as typed (a restricted field
    used to keep '025', so 25 turns), with the cursor put back there; a whole number starts."""

    async def run():
        app = tutorial_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            turns = app.screen.query_one("#turns")
            turns.focus()
            await pilot.press("end", "backspace", "backspace", *"0.25")
            assert turns.value == "0.25"
            await start_with_passphrase(pilot)
            assert app.screen.__class__.__name__ == "SetupScreen" and app.session is None
            assert "Turns must be a whole number from 1 to 100; it reads '0.25'." in screen_text(app)
            assert app.focused is turns
            await pilot.press("end", *["backspace"] * 4, "2", "ctrl+g")
            assert app.session is not None and app.session.game.max_turns == 2

    asyncio.run(run())


def test_the_turn_timer_keeps_half_minutes_and_sends_the_orders_chosen_so_far(tmp_path):
    clock = FakeClock()

    async def run():
        app = tutorial_app(tmp_path, clock=clock)
        async with app.run_test(size=SIZE) as pilot:
            app.screen.query_one("#timer").value = "0.5"  # half a minute
            await to_orders(pilot)
            screen = app.screen
            assert "⏱ 00:30" in screen_text(app)
            # The tick may come to an orders screen not yet drawn (a busy run crashed on it).
            OrdersScreen(screen.desk, "us").update_clock()
            await pilot.press("space")
            chosen = list(screen.chosen)
            clock.now += 29
            app.tick()
            await pilot.pause()
            assert "⏱ 00:01" in screen_text(app)
            clock.now += 1
            app.tick()
            await settle(app, pilot)
            assert isinstance(app.screen, ResultsScreen)
            revealed = next(e for e in app.session.game.log if isinstance(e, ev.OrdersRevealed))
            assert dict(revealed.orders)["us"] == tuple(chosen)
            submitted = next(e for e in app.session.game.log if isinstance(e, ev.OrdersSubmitted) and e.role == "us")
            assert submitted.player == "timeout"
            assert "(the team's time ran out)" in screen_text(app)

    asyncio.run(run())


async def showing_too_small(pilot) -> bool:
    for _ in range(40):  # the check runs once the new size is drawn
        await pilot.pause(0.05)
        if isinstance(pilot.app.screen, TooSmallScreen):
            return True
    return False


async def on_orders_two_seconds_into_a_half_minute(app, pilot, clock) -> None:
    """Setup with a 30-second turn timer, the US team's orders on screen, 2 seconds gone."""
    app.screen.query_one("#timer").value = "0.5"
    await to_orders(pilot)
    clock.now += 2
    assert app.session.seconds_left("us") == 28


def test_the_turn_timer_stops_while_the_terminal_is_too_small_as_its_message_says(tmp_path):
    """ "The game waits", said the message, while the team's clock ran on."""
    clock = FakeClock()

    async def run():
        app = tutorial_app(tmp_path, clock=clock)
        async with app.run_test(size=SIZE) as pilot:
            await on_orders_two_seconds_into_a_half_minute(app, pilot, clock)
            await pilot.resize_terminal(40, 15)
            assert await showing_too_small(pilot)
            clock.now += 10  # ten seconds with the game hidden
            await pilot.resize_terminal(*SIZE)
            for _ in range(40):
                await pilot.pause(0.05)
                if not isinstance(app.screen, TooSmallScreen):
                    break
            assert app.session.seconds_left("us") == 28 and not app.session.clocks.paused

    asyncio.run(run())


def test_the_turn_timer_stops_while_the_white_cell_is_open_over_a_teams_screen(tmp_path):
    """The facilitator opened the White Cell on Iraq's orders screen and time ran out under it:
    "Time is up for Government of Iraq". The clocks now stop from the passphrase question on."""
    clock = FakeClock()

    async def run():
        app = tutorial_app(tmp_path, clock=clock)
        async with app.run_test(size=SIZE) as pilot:
            await on_orders_two_seconds_into_a_half_minute(app, pilot, clock)
            await white_cell(pilot)
            clock.now += 60  # a long White Cell act, more than the whole turn's time
            app.tick()
            assert app.session.seconds_left("us") == 28 and app.session.clocks.paused
            await pilot.press("escape")  # the menu closes: the team's clock goes on
            app.tick()
            assert not app.session.clocks.paused
            clock.now += 3
            assert app.session.seconds_left("us") == 25

    asyncio.run(run())


def test_the_white_cell_overrides_a_roll_and_everyone_sees_the_re_run(tmp_path):
    async def run():
        app = tutorial_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await play_first_turn(app, pilot)
            await pilot.press("enter")  # results -> the next turn's hand-over
            rolled = [e for e in app.session.turn_events() if isinstance(e, ev.RollMade) and e.roll is not None]
            assert rolled
            await white_cell(pilot)
            await pick(pilot, "Reveal every team's view")
            text = screen_text(app)
            assert isinstance(app.screen, TextScreen) and "No orders given yet this turn." in text
            await pilot.press("escape")
            await pick(pilot, "Publish a news item")  # it would close the override: it says so
            assert app.screen.question.endswith("(after it, no roll of the last turn can be overridden)")
            await pilot.press("escape")
            assert isinstance(app.screen, FacilitatorScreen)  # back at the menu, nothing published
            await pick(pilot, "Override a roll")
            assert isinstance(app.screen, Choose)
            await pilot.press("enter")
            assert isinstance(app.screen, Ask)
            assert "the others are told only that a result changed" in app.screen.question
            await pilot.press(*"ruling", "enter")
            await pilot.pause()
            game = app.session.game
            overridden = [e for e in game.attempt(1) if isinstance(e, ev.RollMade) and e.override == "ruling"]
            assert overridden and overridden[0].success != overridden[0].rules_success
            # Everyone sees the re-run turn: its results again, with the White Cell's reason.
            assert isinstance(app.screen, ResultsScreen) and app.screen.turn == 1
            assert "set by the White Cell: ruling" in screen_text(app)

    asyncio.run(run())


def test_the_white_cell_undoes_a_turn_with_fresh_dice_or_the_same(tmp_path):
    async def run():
        app = tutorial_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await play_first_turn(app, pilot)
            await white_cell(pilot)
            await pick(pilot, "Undo the last turn")
            assert "Fresh dice" in screen_text(app) and "The game is over" not in screen_text(app)
            await pick(pilot, "Fresh dice")
            await pilot.press(*"misread", "enter")
            await pilot.pause()
            game = app.session.game
            assert game.turn == 1 and game.phase == "orders"
            assert any(isinstance(e, ev.TurnUndone) and e.reason == "misread" for e in game.log)
            assert isinstance(app.screen, HandOverScreen)
            assert "fresh dice" in screen_text(app)

    asyncio.run(run())


def test_an_undo_after_the_end_warns_that_the_review_may_have_been_read(tmp_path):
    """Allowed (a game ended by mistake), but every seat has been shown the review by then."""

    async def run():
        app = tutorial_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await play_first_turn(app, pilot)
            app.session.end(app.session.scenario.outcomes[0].id, "ended by mistake")
            await white_cell(pilot)
            await pick(pilot, "Undo the last turn")
            text = " ".join(screen_text(app).split())
            assert "The game is over: every team may have read the review, every secret in it." in text

    asyncio.run(run())


def test_sources_are_one_key_away_and_facts_are_marked(tmp_path):
    async def run():
        app = CrisisApp(
            ROOT / "scenarios",
            tmp_path / "saves",
            scenario=ROOT / "scenarios" / "baghdad-2023.yaml",
            seed=5,
            handover_delay=0,
            handover_key="enter",
        )
        async with app.run_test(size=SIZE) as pilot:
            await start_with_passphrase(pilot)
            assert "[reported]" in screen_text(app) or "[disputed]" in screen_text(app)
            await pilot.press("i")
            assert isinstance(app.screen, SourcesScreen)
            text = screen_text(app)
            assert "India TV" in text and "cited" in text

    asyncio.run(run())


def test_no_color_is_honoured_and_meaning_is_not_in_colour(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")

    async def run():
        app = tutorial_app(tmp_path)
        assert app.no_color
        async with app.run_test(size=SIZE) as pilot:
            await to_orders(pilot)
            await pilot.press("space")
            text = screen_text(app)
            assert "[x]" in text and " - " in text  # chosen and unavailable, in characters
            await pilot.press("2")
            assert "▶" in screen_text(app) and "◀ now" in screen_text(app)

    asyncio.run(run())


def test_the_passphrase_keeps_the_teams_out_of_the_white_cell(tmp_path):
    async def run():
        app = tutorial_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await to_orders(pilot)
            await pilot.press("w")
            assert isinstance(app.screen, Ask)
            await pilot.press(*"guess", "enter")
            await pilot.pause()
            # Refused, and asked again: what is typed next stays in the prompt, off the screen behind.
            assert isinstance(app.screen, Ask) and "not the White Cell passphrase" in screen_text(app)
            await pilot.press(*"guess 2", "escape")
            await pilot.pause()
            assert isinstance(app.screen, OrdersScreen)  # escape: back to the game, nothing opened
            await white_cell(pilot)
            await pick(pilot, "Reveal every team's view")
            notes = [e.text for e in app.session.game.log if isinstance(e, ev.FacilitatorNoted)]
            assert notes == ["looked at every team's view"]  # the review will show it
            # The lock is saved with the game, not the passphrase.
            saved = next((tmp_path / "saves").glob("autosave-*.json")).read_text(encoding="utf-8")
            assert PASSPHRASE not in saved and "scrypt$" in saved

    asyncio.run(run())


def test_a_hand_over_ignores_a_second_enter_meant_for_the_screen_before(tmp_path):
    async def run():
        app = tutorial_app(tmp_path, handover_delay=5)
        async with app.run_test(size=SIZE) as pilot:
            await start_with_passphrase(pilot)
            for _ in range(100):  # the briefing drawn (on a busy machine, a few frames after the pause)
                if not app.screen_pending:
                    break
                await pilot.pause()
            app.shown_at = 0  # the public briefing has been read a while
            await pilot.press("enter")  # public briefing done: the US hand-over
            assert isinstance(app.screen, HandOverScreen)
            await pilot.press("enter")  # too soon: a double press
            assert isinstance(app.screen, HandOverScreen)

    asyncio.run(run())


def test_a_hand_over_opens_only_with_its_own_digit_however_late_an_enter_comes(tmp_path):
    """A double Enter a second after confirming (past the quiet moment) passes no hand-over:
    only the digit shown on it does, a new one at each hand-over."""

    async def run():
        app = tutorial_app(tmp_path, handover_delay=0.2, handover_key=None)
        async with app.run_test(size=SIZE) as pilot:
            await start_with_passphrase(pilot)
            await past_the_quiet_moment(pilot)
            await pilot.press("enter")  # public briefing done: the US hand-over
            assert isinstance(app.screen, HandOverScreen)
            first = app.screen.key
            assert first in "123456789" and f" {first} " in screen_text(app)
            wrong = next(d for d in "123456789" if d != first)
            await past_the_quiet_moment(pilot)
            await pilot.press("enter", wrong, "space")
            assert isinstance(app.screen, HandOverScreen)
            assert f"That key does nothing here: press {first}." in screen_text(app)
            await pilot.press(first)
            await past_the_quiet_moment(pilot)
            assert isinstance(app.screen, PrivateBriefingScreen)
            digits = [app.fresh_handover_digit() for _ in range(50)]
            assert all(a != b for a, b in zip(digits, digits[1:], strict=False)) and len(set(digits)) > 3

    asyncio.run(run())


def test_a_terminal_too_small_is_told_so_and_the_game_waits(tmp_path):
    async def run():
        app = tutorial_app(tmp_path)
        async with app.run_test(size=(40, 15)) as pilot:
            assert await showing_too_small(pilot)
            assert "needs at least 60×20" in screen_text(app)
            await pilot.resize_terminal(80, 24)
            for _ in range(40):
                await pilot.pause(0.05)
                if not isinstance(app.screen, TooSmallScreen):
                    break
            assert not isinstance(app.screen, TooSmallScreen)
            assert app.screen.__class__.__name__ == "SetupScreen"

    asyncio.run(run())


def test_the_team_name_is_never_cut_on_a_narrow_terminal(tmp_path):
    async def run():
        app = tutorial_app(tmp_path)
        async with app.run_test(size=(60, 20)) as pilot:
            await to_orders(pilot)
            header = str(app.screen.query_one("SeatHeader").render())
            assert header.startswith("United States")

    asyncio.run(run())


def test_order_labels_use_the_width_they_have(tmp_path):
    async def run():
        app = tutorial_app(tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await to_orders(pilot)
            listing = app.screen.query_one("#actions", OptionList)
            prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
            labels = [a.label for a in app.screen.view.actions]
            assert all(label in prompt for label, prompt in zip(labels, prompts, strict=True))
            assert not any("…" in p for p in prompts)

    asyncio.run(run())


def test_the_review_asks_what_if_and_shows_the_branch(tmp_path):
    async def run():
        app = title_app(tmp_path / "saves")
        async with app.run_test(size=SIZE) as pilot:
            await open_finished_tutorial(app, pilot, tmp_path / "saves")
            await pilot.press("enter")  # end -> review
            await pilot.press("b")
            await pick(pilot, "Turn 1")
            await pick(pilot, "Iran-aligned militias")
            await pick(pilot, "Announce a pause")
            await pilot.pause()
            assert isinstance(app.screen, TextScreen)
            text = screen_text(app)
            assert "What if Militias had ordered Announce a pause in turn 1?" in text

    asyncio.run(run())


def test_the_review_exports_the_report_and_says_where(tmp_path):
    async def run():
        app = title_app(tmp_path / "saves")
        async with app.run_test(size=SIZE) as pilot:
            await open_finished_tutorial(app, pilot, tmp_path / "saves")
            await pilot.press("enter", "e")  # end -> review, then export
            await pilot.pause()
            reports = list((tmp_path / "saves").glob("report-tutorial-*.html"))
            assert len(reports) == 1
            assert str(reports[0].resolve()) in screen_text(app)
            assert "<html" in reports[0].read_text(encoding="utf-8")

    asyncio.run(run())


def test_a_team_may_say_why_and_the_review_shows_it(tmp_path):
    async def run():
        app = tutorial_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await to_orders(pilot, turns=2)
            # The tutorial also asks what the team thinks the others intend.
            await pilot.press("space", "c", *"to show resolve", "enter", *"a pause", "enter")
            await settle(app, pilot)
            sent = next(e for e in app.session.game.log if isinstance(e, ev.OrdersSubmitted) and e.role == "us")
            assert (sent.why, sent.intent) == ("to show resolve", "a pause")
            from game.reports.debrief import build_debrief

            orders = build_debrief(app.session.game).turns[0].orders
            assert next(o for o in orders if o.role == "us").why == "to show resolve"
            await pilot.press("enter")  # the results
            while app.session.game.phase != "debrief":
                await pilot.press("enter", "space", "c", "enter", "enter")
                await settle(app, pilot)
                await pilot.press("enter")
            await pilot.press("enter")  # the end -> the review
            text = screen_text(app)
            assert "why, in the team's words: to show resolve" in text
            assert "what it thought the others intended: a pause" in text

    asyncio.run(run())


def test_the_review_sets_what_each_team_believed_beside_the_truth(tmp_path):
    from game.reports.beliefs import beliefs
    from game.reports.report import beliefs as team_beliefs

    async def run():
        app = title_app(tmp_path / "saves")
        async with app.run_test(size=SIZE) as pilot:
            await open_finished_tutorial(app, pilot, tmp_path / "saves")
            await pilot.press("enter", "6")  # end -> review, the beliefs tab
            text = screen_text(app)
            found = [b for items in beliefs(app.session.game).values() for b in items]
            assert found, "the tutorial's covert and private orders leave teams in the dark"
            assert "What each team believed, beside what was true" in text
            assert all(b.truth in text and b.believed in text for b in found)
            # ✘ only where wrong is plain (an order never revealed, a number): a claim by a front
            # name, or a statement, is shown unmarked
            unmarked = [b for b in found if b.kind in ("covert act", "statement") and not b.correct]
            plainly_wrong = [b for b in found if b.kind in ("unseen order", "track") and not b.correct]
            assert unmarked and plainly_wrong, "the tutorial's game has both"
            assert all(f"Turn {b.turn} · believed: {b.believed}" in text for b in unmarked)
            assert all(f"Turn {b.turn} ✘ believed: {b.believed}" in text for b in plainly_wrong)
            # each team's counts in one sentence, as the take-home report has them
            assert all(t.summary in text for t in team_beliefs(app.session.game))

    asyncio.run(run())


def test_escape_closes_the_keys_panel(tmp_path):
    async def run():
        app = tutorial_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await to_orders(pilot)
            app.action_show_help_panel()  # Textual's keys panel (from the command palette)
            await pilot.pause()
            assert app.screen.query("HelpPanel")
            await pilot.press("escape")
            await pilot.pause()
            assert not app.screen.query("HelpPanel")
            assert isinstance(app.screen, OrdersScreen)

    asyncio.run(run())


def test_every_review_tab_stays_on_the_bar_at_60_and_80_columns(tmp_path):
    """The other tabs' titles shorten, evenly, so the sixth is never cut off the edge."""
    from game.tui.widgets.tabbar import TabBar

    async def run(size):
        saves = tmp_path / f"{size[0]}"
        app = title_app(saves)
        async with app.run_test(size=size) as pilot:
            await open_finished_tutorial(app, pilot, saves)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen)
            bar = app.screen.query_one(TabBar)
            text = str(bar.render())
            assert "[1 Timeline]" in text and " 6 Bel" in text and len(text.rstrip()) <= size[0] - 2
            await pilot.press("4")
            assert "[4 White Cell]" in str(app.screen.query_one(TabBar).render())
            return text

    wide, narrow = asyncio.run(run((80, 24))), asyncio.run(run((60, 20)))
    assert len(narrow.rstrip()) < len(wide.rstrip())
    # At 80 columns every title is whole: the tabs close up before any title is cut.
    assert "…" not in wide and "2 Escalation 3 Turning points 4 White Cell 5 Questions 6 Beliefs" in wide
    assert "…" in narrow
