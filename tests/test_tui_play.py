"""The terminal game driven with key presses only, as a workshop plays it.

These drive the real app (Textual's Pilot) at 80x24 from the title screen to
the after-action review, and check what is on the screen at each step; above
all, that nothing of one team's secrets shows while another team plays, even
with keys sent in bursts.
"""

import asyncio

from helpers import ROOT
from textual import events
from textual._time import get_time
from textual.widgets import Input, OptionList, Static

from game.engine import Seat
from game.engine import events as ev
from game.tui.app import CrisisApp
from game.tui.screens.briefing import HandOverScreen, PrivateBriefingScreen, PublicBriefingScreen
from game.tui.screens.end import EndScreen
from game.tui.screens.orders import ConfirmOrders, OrdersScreen
from game.tui.screens.results import ResultsScreen
from game.tui.screens.review import ReviewScreen
from game.tui.screens.setup import SetupScreen
from game.tui.screens.title import TitleScreen

SIZE = (80, 24)
PASSPHRASE = "umpiring"  # the shortest a White Cell takes: 8 characters


def screen_text(app) -> str:
    """Everything the current screen shows as text (statics, labels, lists), and the messages on it."""
    parts = []
    for widget in app.screen.query("*"):
        if isinstance(widget, Static):
            parts.append(str(widget.content))
        elif isinstance(widget, OptionList):
            parts += [str(widget.get_option_at_index(i).prompt) for i in range(widget.option_count)]
    parts += [str(n.message) for n in app._notifications]
    return "\n".join(parts)


def new_app(tmp_path, **kwargs):
    kwargs.setdefault("handover_delay", 0)
    kwargs.setdefault("handover_key", "enter")
    return CrisisApp(ROOT / "scenarios", tmp_path / "saves", seed=7, **kwargs)


CHARS = {"space": " ", "enter": "\r", "escape": "\x1b"}


async def burst(pilot, *keys: str) -> None:
    """Keys typed in one burst, as a terminal delivers them: all read at the same moment,
    before the app has handled the first (Pilot.press waits for each key's effect)."""
    app = pilot.app
    for key in keys:
        event = events.Key(key, CHARS.get(key, key if len(key) == 1 else None))
        event.set_sender(app)
        app._driver.send_message(event)
    await pilot.pause()
    await keys_handled(pilot)


async def settle(app, pilot):
    """Until the keys pressed are handled, and what they set off (screens, workers) is done."""
    await keys_handled(pilot)


async def keys_handled(pilot, workers: bool = True, screen: bool = True) -> None:
    """Until every key typed has been handled and (`screen`) no screen is on its way (the
    app hands keys out one at a time, and drops them while a new screen is drawn), then
    the work they started (`workers`). The pilot's wait for an idle app is not enough:
    the app is idle while it waits for the next frame to draw a screen."""
    app = pilot.app

    def busy() -> bool:
        return bool(app.typed_ahead) or app.in_hand is not None or (screen and app.screen_pending)

    for _ in range(500):
        if not busy():
            if workers:
                await app.workers.wait_for_complete()
            await pilot.pause()
            if not busy():
                return
        await pilot.pause(0.01)
    raise AssertionError(f"keys still waiting: {list(app.typed_ahead)}, in hand: {app.in_hand}")


async def past_the_quiet_moment(pilot) -> None:
    """Wait until the screen is drawn and the moment after it in which keys are dropped has
    passed. A fixed wait is not enough: on a busy machine a screen may be drawn later."""
    app = pilot.app
    for _ in range(250):
        await pilot.pause(0.02)
        if not app.screen_pending and get_time() > app.shown_at + app.handover_delay:
            return
    raise AssertionError(f"{type(app.screen).__name__} was never drawn")


async def start_with_passphrase(pilot, passphrase: str = PASSPHRASE):
    """Type the White Cell passphrase on the setup screen and start (no made-up passphrase to show)."""
    pilot.app.screen.query_one("#passphrase", Input).value = passphrase
    await pilot.press("ctrl+g")


async def choose_first_orders(app, pilot):
    """Choose the first available actions up to the limit, then confirm."""
    screen = app.screen
    assert isinstance(screen, OrdersScreen)
    wanted = screen.view.orders_per_turn
    for index, (available, _) in enumerate(screen.view.availability(screen.chosen)):
        if len(screen.chosen) >= wanted:
            break
        if available and screen.view.actions[index].id not in screen.chosen:
            await pilot.press("home", *["down"] * index, "space")
    chosen = list(screen.chosen)
    await pilot.press("c")
    assert "Send these orders" in screen_text(app)
    await pilot.press("enter")
    await settle(app, pilot)
    return chosen


def test_one_human_and_two_bots_play_the_flagship_from_title_to_review(tmp_path):
    async def run():
        app = new_app(tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            assert isinstance(app.screen, TitleScreen)
            await app.workers.wait_for_complete()  # the scenarios are read behind the title screen
            await pilot.pause()
            assert "Baghdad, December 2023" in screen_text(app)  # the flagship is listed first
            await pilot.press("enter")
            assert isinstance(app.screen, SetupScreen)
            # A short workshop: three turns (the whole path is the same for eight, and slower).
            app.screen.query_one("#turns", Input).value = "3"
            await pilot.press("ctrl+g")  # otherwise the defaults: US human, Iraq and militias doctrine bots
            # No passphrase was typed: one is made up and shown once, before anyone sits down.
            text = screen_text(app)
            assert "The White Cell passphrase" in text and "shown only this once" in text
            await pilot.press("escape", "y")  # on without seeing it: asked first
            assert isinstance(app.screen, PublicBriefingScreen)
            assert "[disputed]" in screen_text(app) and "mortar" in screen_text(app)
            await pilot.press("enter")
            assert isinstance(app.screen, HandOverScreen)
            assert "United States" in screen_text(app)
            await pilot.press("enter")
            assert isinstance(app.screen, PrivateBriefingScreen)
            assert "Your objectives" in screen_text(app)
            await pilot.press("enter")
            turns = 0
            # The US team has the keyboard after its briefing: no hand-over before turn 1.
            assert isinstance(app.screen, OrdersScreen)
            while not isinstance(app.screen, EndScreen):
                if app.session.game.turn > 1:  # after the results everyone looked at
                    assert isinstance(app.screen, HandOverScreen), type(app.screen)
                    await pilot.press("enter")
                assert isinstance(app.screen, OrdersScreen)
                assert f"Turn {app.session.game.turn} of 3" in screen_text(app)
                chosen = await choose_first_orders(app, pilot)
                assert isinstance(app.screen, ResultsScreen)
                text = screen_text(app)
                assert "What each team ordered" in text and "at or under the chance, it succeeds" in text
                game = app.session.game
                revealed = next(e for e in reversed(game.log) if isinstance(e, ev.OrdersRevealed))
                assert dict(revealed.orders)["us"] == tuple(chosen)
                turns += 1
                await pilot.press("enter")
            assert turns == app.session.game.turn
            outcome = app.session.game.rules.outcomes[app.session.game.state.outcome]
            assert outcome.title in screen_text(app) and "possible points" in screen_text(app)
            await pilot.press("enter")
            assert isinstance(app.screen, ReviewScreen)
            assert "Turn 1" in screen_text(app)
            # The game was autosaved as it went, in a file of its own.
            assert app.session.autosave_to.is_file()

    asyncio.run(run())


def secrets_of(session, role: str) -> set[str]:
    """Text that only `role` may see: its private briefing, and its private tracks' names."""
    scenario = session.scenario
    briefing = {" ".join(p.text.split())[:50] for p in Seat(session.game, role).view().private_briefing}
    elsewhere = {t.label for t in scenario.tracks} | {t.label for r in scenario.roles if r.id != role for t in r.tracks}
    private = {t.label for t in scenario.role(role).tracks if (t.visibility or "private") == "private"}
    return briefing | (private - elsewhere)


def test_three_teams_in_bursts_never_see_each_others_secrets(tmp_path):
    """Three human teams play two turns with keys sent in bursts. At every step, the
    screen and its messages hold nothing of another team's orders (until the results),
    private briefing, private tracks or messages."""

    async def run():
        app = new_app(tmp_path, scenario=ROOT / "scenarios" / "tutorial.yaml", handover_delay=0.25, handover_key=None)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("tab", "enter", "up", "enter", "tab", "enter", "up", "enter")
            await start_with_passphrase(pilot)
            session = app.session
            assert session.humans() == ["us", "iraq", "militias"]
            secrets = {r: secrets_of(session, r) for r in session.humans()}
            assert all(secrets.values())
            told: dict[str, list[str]] = {r: [] for r in session.humans()}  # messages each team was given
            ordered: dict[str, list[str]] = {}

            def check(owner: str | None) -> None:
                """Nothing on screen belongs to a team other than `owner` (None: the whole table)."""
                text = screen_text(app)
                for role in session.humans():
                    if role == owner:
                        continue
                    leaks = [s for s in secrets[role] if s in text] + [m for m in told[role] if m in text]
                    if session.game.phase == "orders" and not isinstance(app.screen, ResultsScreen):
                        leaks += [label for label in ordered.get(role, []) if label in text]
                    assert not leaks, f"{type(app.screen).__name__} for {owner} shows {role}'s {leaks}"

            async def wait_out_the_hand_over():
                check(None)
                await past_the_quiet_moment(pilot)

            await past_the_quiet_moment(pilot)  # keys just after a new screen are dropped
            await pilot.press("enter")  # the public briefing
            for role in session.humans():
                assert isinstance(app.screen, HandOverScreen)
                await wait_out_the_hand_over()
                # The hand-over's own digit, in a burst with Enter (which passes no hand-over):
                # the extra keys land in the quiet moment after the briefing appears.
                await burst(pilot, "enter", app.screen.key, app.screen.key, "enter")
                assert isinstance(app.screen, PrivateBriefingScreen)
                check(role)
                await past_the_quiet_moment(pilot)
                await pilot.press("enter")
            for _turn in (1, 2):
                ordered.clear()
                for role in session.humans():
                    if not isinstance(app.screen, OrdersScreen):
                        assert isinstance(app.screen, HandOverScreen)
                        await wait_out_the_hand_over()
                        await pilot.press(app.screen.key)
                        await past_the_quiet_moment(pilot)  # keys just after a hand-over are dropped
                    screen = app.screen
                    assert isinstance(screen, OrdersScreen) and screen.role == role
                    check(role)
                    # An order that cannot be given: its reason may quote a private value.
                    blocked = next((i for i, (ok, _) in enumerate(screen.view.availability([])) if not ok), None)
                    if blocked is not None:
                        await pilot.press("home", *["down"] * blocked, "space")
                        told[role] += [str(n.message) for n in app._notifications]
                    check(role)
                    await past_the_quiet_moment(pilot)
                    index = next(i for i, (ok, _) in enumerate(screen.view.availability([])) if ok)
                    # Choose, confirm and send in one burst, with keys typed ahead for the next screen.
                    await pilot.press("home", *["down"] * index)
                    await burst(pilot, "space", "c", "enter", "enter", "space", "c", "enter")
                    while isinstance(app.screen, ConfirmOrders):  # keys typed before it showed went nowhere
                        check(role)
                        await past_the_quiet_moment(pilot)
                        await pilot.press("enter")
                        await settle(app, pilot)
                    sent = next(
                        e for e in reversed(session.game.log) if type(e) is ev.OrdersSubmitted and e.role == role
                    )  # (after the last team's orders, the bot-only Tehran gives its own)
                    assert sent.actions == (screen.view.actions[index].id,)
                    ordered[role] = [screen.view.actions[index].label]
                    check(None if isinstance(app.screen, ResultsScreen | HandOverScreen) else role)
                assert isinstance(app.screen, ResultsScreen)
                text = screen_text(app)
                for role, labels in ordered.items():
                    for action in (a for a in session.game.rules.roles[role].actions if a.label in labels):
                        # Public orders are revealed to all once the turn resolves; covert ones never are.
                        assert (action.label in text) == (action.visibility == "public"), action.id
                check(None)
                await past_the_quiet_moment(pilot)
                await pilot.press("enter")

    asyncio.run(run())


def test_the_rules_never_import_textual():
    """Every module outside game/tui stays free of the user interface (also an import-linter contract)."""
    import subprocess
    import sys

    code = (
        "import sys, pkgutil, importlib, game; "
        "[importlib.import_module(m.name) for m in pkgutil.walk_packages(game.__path__, 'game.') "
        "if not m.name.startswith(('game.tui', 'game.__main__'))]; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
