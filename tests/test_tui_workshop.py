"""Workshop practicalities in the terminal game: saves, quitting, the timer,
the White Cell, sources, themes and NO_COLOR."""

import asyncio

from helpers import ROOT
from test_tui_play import screen_text, settle
from textual.widgets import OptionList

from game.engine import events as ev
from game.tui.app import CrisisApp
from game.tui.screens.briefing import HandOverScreen
from game.tui.screens.dialogs import Ask, Choose, Confirm
from game.tui.screens.facilitator import FacilitatorScreen, RevealScreen
from game.tui.screens.orders import OrdersScreen
from game.tui.screens.results import ResultsScreen
from game.tui.screens.sources import SourcesScreen
from game.tui.screens.title import TitleScreen
from game.workshop.saves import read_save

SIZE = (80, 24)
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"


def tutorial_app(tmp_path, **kwargs):
    return CrisisApp(ROOT / "scenarios", tmp_path / "saves", scenario=TUTORIAL, seed=5, handover_delay=0, **kwargs)


async def to_orders(pilot):
    await pilot.press("ctrl+g", "enter", "enter", "enter")  # setup, public briefing, hand-over, private briefing
    await pilot.pause()


async def play_first_turn(app, pilot):
    """Setup and briefings, then the US orders its first action; bots do the rest."""
    await to_orders(pilot)
    await pilot.press("space", "c", "y")
    await settle(app, pilot)


async def pick(pilot, label):
    """Highlight the option with `label` in the current list and press enter."""
    listing = pilot.app.screen.query_one(OptionList)
    index = next((i for i in range(listing.option_count) if label in str(listing.get_option_at_index(i).prompt)), None)
    assert index is not None, f"no option {label!r}"
    await pilot.press("home")
    for _ in range(listing.option_count):  # headings are skipped, so count by where the cursor is
        if listing.highlighted == index:
            break
        await pilot.press("down")
    await pilot.press("enter")


def test_saving_under_a_name_and_loading_it_from_the_title_screen(tmp_path):
    async def run():
        app = tutorial_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await play_first_turn(app, pilot)
            assert isinstance(app.screen, ResultsScreen)
            await pilot.press("ctrl+s")
            assert isinstance(app.screen, Ask)
            await pilot.press("ctrl+u", *"workshop one", "enter")
            await pilot.pause()
            saved = tmp_path / "saves" / "workshop-one.json"
            assert saved.is_file()
            assert read_save(saved).summary["turn"] == 2

        app = CrisisApp(ROOT / "scenarios", tmp_path / "saves", seed=5, handover_delay=0)
        async with app.run_test(size=SIZE) as pilot:
            assert isinstance(app.screen, TitleScreen)
            assert "workshop-one (turn 2)" in screen_text(app)
            await pick(pilot, "workshop-one")
            await pilot.pause()
            assert app.session is not None and app.session.game.turn == 2
            assert isinstance(app.screen, HandOverScreen)

    asyncio.run(run())


def test_a_damaged_save_is_listed_but_not_loaded_and_left_alone(tmp_path):
    saves = tmp_path / "saves"
    saves.mkdir()
    bad = saves / "broken.json"
    bad.write_text('{"format": "crisis-sim save", "version": 1, "sc', encoding="utf-8")

    async def run():
        app = CrisisApp(ROOT / "scenarios", saves, seed=5, handover_delay=0)
        async with app.run_test(size=SIZE) as pilot:
            assert "broken (cannot be loaded)" in screen_text(app)
            await pick(pilot, "broken")
            await pilot.pause()
            assert isinstance(app.screen, TitleScreen) and app.session is None
            assert "damaged or truncated" in screen_text(app)

    asyncio.run(run())
    assert bad.read_text(encoding="utf-8") == '{"format": "crisis-sim save", "version": 1, "sc'


def test_the_autosave_resumes_an_interrupted_game(tmp_path):
    async def run():
        app = tutorial_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await play_first_turn(app, pilot)
        app = CrisisApp(ROOT / "scenarios", tmp_path / "saves", seed=5, handover_delay=0)
        async with app.run_test(size=SIZE) as pilot:
            await pick(pilot, "Tutorial")  # opens setup; go back and resume instead
            await pilot.press("escape")
            await pilot.pause()
            listing = app.screen.query_one(OptionList)
            listing.highlighted = next(
                i for i in range(listing.option_count) if "Tutorial" in str(listing.get_option_at_index(i).prompt)
            )
            await pilot.press("r")
            await pilot.pause()
            assert app.session.game.turn == 2

    asyncio.run(run())


def test_quitting_mid_game_asks_first(tmp_path):
    async def run():
        app = tutorial_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await to_orders(pilot)
            await pilot.press("ctrl+q")
            assert isinstance(app.screen, Confirm)
            assert "Quit the game?" in screen_text(app)
            await pilot.press("n")
            assert isinstance(app.screen, OrdersScreen)
            await pilot.press("ctrl+q", "y")
            await pilot.pause()
        assert app.return_code == 0

    asyncio.run(run())


def test_the_turn_timer_sends_the_orders_chosen_so_far(tmp_path):
    async def run():
        app = tutorial_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            # Past the four roles' seats, the seed and the turns: a one-minute timer.
            await pilot.press("tab", "tab", "tab", "tab", "tab", "tab", "ctrl+u", "1")
            await to_orders(pilot)
            screen = app.screen
            assert "⏱ 01:00" in screen_text(app)
            await pilot.press("space")
            chosen = list(screen.chosen)
            screen.seconds_left = 1
            screen.tick()
            await settle(app, pilot)
            assert isinstance(app.screen, ResultsScreen)
            revealed = next(e for e in app.session.game.log if isinstance(e, ev.OrdersRevealed))
            assert dict(revealed.orders)["us"] == tuple(chosen)
            submitted = next(e for e in app.session.game.log if isinstance(e, ev.OrdersSubmitted) and e.role == "us")
            assert submitted.player == "timeout"

    asyncio.run(run())


def test_the_white_cell_overrides_a_roll_and_undoes_a_turn(tmp_path):
    async def run():
        app = tutorial_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await play_first_turn(app, pilot)
            await pilot.press("enter")  # results -> next turn's hand-over
            game = app.session.game
            rolled = [e for e in app.session.turn_events() if isinstance(e, ev.RollMade) and e.roll is not None]
            assert rolled
            await pilot.press("w")
            assert isinstance(app.screen, Confirm)
            await pilot.press("y")
            assert isinstance(app.screen, FacilitatorScreen)
            await pick(pilot, "Reveal every team's view")
            assert (
                isinstance(app.screen, RevealScreen)
                and "Orders this turn" in screen_text(app)
                or "No orders given yet" in screen_text(app)
            )
            await pilot.press("escape")
            await pick(pilot, "Override a roll")
            assert isinstance(app.screen, Choose)
            await pilot.press("enter")
            assert isinstance(app.screen, Ask)
            await pilot.press(*"ruling", "enter")
            await pilot.pause()
            overridden = [e for e in game.log if isinstance(e, ev.RollMade) and e.override == "ruling"]
            assert overridden and overridden[0].success != overridden[0].rules_success
            await pilot.press("w", "y")
            await pick(pilot, "Undo the last turn")
            await pilot.press("y", *"misread", "enter")
            await pilot.pause()
            assert game.turn == 1 and game.phase == "orders"
            assert any(isinstance(e, ev.TurnUndone) and e.reason == "misread" for e in game.log)
            assert isinstance(app.screen, HandOverScreen)

    asyncio.run(run())


def test_sources_are_one_key_away_and_facts_are_marked(tmp_path):
    async def run():
        app = CrisisApp(
            ROOT / "scenarios",
            tmp_path / "saves",
            scenario=ROOT / "scenarios" / "baghdad-2023.yaml",
            seed=5,
            handover_delay=0,
        )
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+g")
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


def test_the_command_palette_offers_the_game_commands(tmp_path):
    async def run():
        app = tutorial_app(tmp_path)
        async with app.run_test(size=SIZE):
            titles = {c.title for c in app.get_system_commands(app.screen)}
            assert {"Help", "Save the game", "Sources", "White Cell", "Title screen"} <= titles
            assert any("theme" in t.lower() for t in titles)  # light and dark themes

    asyncio.run(run())


def test_a_passphrase_keeps_the_teams_out_of_the_white_cell(tmp_path):
    async def run():
        app = tutorial_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            # The passphrase is the last field of the setup form.
            app.screen.query_one("#passphrase").focus()
            await pilot.press(*"umpire")
            await to_orders(pilot)
            await pilot.press("w")
            assert isinstance(app.screen, Ask)
            await pilot.press(*"guess", "enter")
            await pilot.pause()
            assert isinstance(app.screen, OrdersScreen)  # refused
            await pilot.press("w", *"umpire", "enter")
            assert isinstance(app.screen, FacilitatorScreen)
            await pick(pilot, "Reveal every team's view")
            notes = [e.text for e in app.session.game.log if isinstance(e, ev.FacilitatorNoted)]
            assert notes == ["looked at every team's view"]  # the review will show it
            # The lock is saved with the game, not the passphrase.
            saved = next((tmp_path / "saves").glob("autosave-*.json")).read_text(encoding="utf-8")
            assert "umpire" not in saved and "white_cell_lock" in saved

    asyncio.run(run())


def test_a_hand_over_ignores_a_second_enter_meant_for_the_screen_before(tmp_path):
    async def run():
        app = CrisisApp(ROOT / "scenarios", tmp_path / "saves", scenario=TUTORIAL, seed=5, handover_delay=5)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+g", "enter")  # public briefing done: the US hand-over
            assert isinstance(app.screen, HandOverScreen)
            await pilot.press("enter")  # too soon: a double press
            assert isinstance(app.screen, HandOverScreen)

    asyncio.run(run())


def test_the_review_asks_what_if_and_shows_the_branch(tmp_path):
    from test_tui_snapshots import play_tutorial_to_the_end

    from game.tui.screens.dialogs import TextScreen

    async def run():
        app = tutorial_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await play_tutorial_to_the_end(pilot)
            await pilot.press("enter")  # end -> review
            await pilot.press("b")
            await pick(pilot, "Turn 1")
            await pick(pilot, "Iran-aligned militias")
            await pick(pilot, "Announce a pause")
            await pilot.pause()
            assert isinstance(app.screen, TextScreen)
            text = screen_text(app)
            assert "What if Militias had ordered Announce a pause in turn 1?" in text
            assert "As played:" in text and "The branch:" in text

    asyncio.run(run())
