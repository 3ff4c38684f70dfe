"""The join client (`crisis join`) driven by Pilot against a host in the same
process: a team's turn, the White Cell's console and acts, and the room's
projector view, which never shows anything private."""

from __future__ import annotations

import contextlib
import time

from helpers import FLAGSHIP, tick_while_closing
from net_harness import Seat, hosted, new_session, run_bounded, through_briefings, timed_session
from test_net_host import static_secrets
from test_tui_play import screen_text
from test_tui_workshop import pick
from textual.widgets import Digits, Input

from game.engine import events as ev
from game.tui.join import JoinApp
from game.tui.screens.briefing import PrivateBriefingScreen, PublicBriefingScreen
from game.tui.screens.dialogs import Ask, Confirm, TextScreen
from game.tui.screens.end import EndScreen
from game.tui.screens.facilitator import FacilitatorScreen
from game.tui.screens.orders import OrdersScreen
from game.tui.screens.remote import ConsoleScreen, ReportScreen, RoomBriefingScreen, RoomScreen, WaitingForOthersScreen
from game.tui.screens.results import ResultsScreen
from game.workshop.flow import FACILITATOR, ROOM
from game.workshop.present import Presenter

SIZE = (100, 30)


async def until(pilot, test, seconds: float = 10.0) -> None:
    end = time.monotonic() + seconds
    while not test():
        if time.monotonic() > end:
            app = pilot.app
            raise AssertionError(
                f"timed out on {type(app.screen).__name__} (frame stage {app.frame.get('stage')}): "
                + " | ".join(str(n.message) for n in app._notifications)
                + screen_text(app)[:300]
            )
        await pilot.pause(0.02)


def digits(app, selector: str) -> str:
    return app.main_screen.query_one(selector, Digits).value if app.main_screen.is_mounted else ""


async def join(pilot, code: str) -> None:
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, Ask))
    app.screen.query_one(Input).value = code
    await pilot.press("enter")


def test_a_team_joins_with_its_code_and_plays_a_turn_without_hand_overs(tmp_path):
    async def run():
        async with hosted(tmp_path) as (host, plain, uri):
            session = host.session
            others = {name: Seat(uri, plain[name], name) for name in ("iraq", "militias")}
            white_cell = Seat(uri, plain[FACILITATOR], FACILITATOR)
            secrets = static_secrets(session, "iraq") | static_secrets(session, "militias")
            app = JoinApp(uri, handover_delay=0)
            async with app.run_test(size=SIZE) as pilot:

                def clean() -> bool:
                    text = screen_text(app)
                    return not [s for s in secrets if s in text]

                await join(pilot, "NOT-THE-CODE")
                await until(pilot, lambda: "not one of this game's" in screen_text(app) and isinstance(app.screen, Ask))
                await join(pilot, plain["us"].lower())  # typed any way
                await until(pilot, lambda: isinstance(app.main_screen, PublicBriefingScreen))
                assert clean()
                await pilot.press("enter")
                await until(pilot, lambda: isinstance(app.main_screen, PrivateBriefingScreen))
                assert "Private briefing: United States" in screen_text(app) and clean()
                await pilot.press("enter")
                await until(pilot, lambda: isinstance(app.main_screen, WaitingForOthersScreen))
                assert "Waiting for the other teams to read their briefings" in screen_text(app)
                await through_briefings(others, ["iraq", "militias"])
                await until(pilot, lambda: isinstance(app.main_screen, OrdersScreen))
                screen = app.main_screen
                await until(pilot, lambda: "Turn 1 of 3" in screen_text(app))
                assert clean()
                # News the White Cell posts mid-turn is on the News tab at once (it was only a toast).
                await pilot.press("3")
                await white_cell.do("post_news", text="Ceasefire talks open in Doha")
                await until(pilot, lambda: "Ceasefire talks open in Doha" in str(screen.page_text("news")))
                assert screen.query_one("TabBar").active == "news"  # shown again, on the tab it was on
                await pilot.press("1")
                await pilot.press("space")
                chosen = list(screen.chosen)
                await pilot.press("c")
                await pilot.press(*"hold", "enter", "enter")  # the why, then the intent (asked)
                await until(pilot, lambda: isinstance(app.main_screen, WaitingForOthersScreen))
                assert "Your orders are in. Waiting for: Government of Iraq, Iran-aligned militias." in screen_text(app)
                # While it waits: its own orders and reason, and the news so far (the White Cell's).
                waiting = screen_text(app)
                assert "Your orders for turn 1 (sent)" in waiting and "Why: hold" in waiting
                assert waiting.index("News so far") < waiting.index("Ceasefire talks open in Doha")
                assert session.game.pending["us"].actions == tuple(chosen) and session.game.pending["us"].why == "hold"
                iraq = others["iraq"]
                await iraq.do("submit", actions=iraq.available()[:1], why="", intent="")
                # The list of those still choosing keeps up (it stayed as it was, while the room's moved on).
                await until(
                    pilot, lambda: "Your orders are in. Waiting for: Iran-aligned militias." in screen_text(app)
                )
                militias = others["militias"]
                await militias.do("submit", actions=militias.available()[:1], why="", intent="")
                await until(pilot, lambda: "What each team ordered" in screen_text(app))
                assert isinstance(app.main_screen, ResultsScreen) and clean()
                await pilot.press("enter")
                await until(pilot, lambda: isinstance(app.main_screen, OrdersScreen) and app.main_screen.turn == 2)
            for seat in [*others.values(), white_cell]:
                await seat.close()

    run_bounded(run())


def test_an_address_where_no_host_answers_says_so_on_the_screen_and_keeps_trying():
    """It looked like a dropped connection: a passing message, then only "Joining…"."""
    import socket

    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]  # closed when the block ends: nobody listens there

    async def run():
        app = JoinApp(f"ws://127.0.0.1:{port}", handover_delay=0)
        async with app.run_test(size=SIZE) as pilot:
            await join(pilot, "AAAA-BBBB-CCCC")
            await until(pilot, lambda: "No host answers at ws://127.0.0.1:" in screen_text(app))
            assert "check the address the facilitator gave you" in screen_text(app)
            await pilot.pause(1.5)  # still said after a retry or two
            assert "No host answers at" in screen_text(app)
            # Help speaks of screens of their own, not of a hot seat's keyboard and hand-overs.
            await pilot.press("f1")
            await until(pilot, lambda: "How a turn works" in screen_text(app))
            text = " ".join(screen_text(app).split())
            assert "on its own screen" in text and "join again with the same code" in text
            assert "hand-over" not in text and "ctrl+s" not in text and "passphrase" not in text

    run_bounded(run())


async def us_through_turn_1(pilot, code: str, others: dict[str, Seat]) -> None:
    """The US (the app, joined with `code`) and the `others` (harness seats) give their orders for turn 1."""
    app = pilot.app
    await join(pilot, code)
    await until(pilot, lambda: isinstance(app.main_screen, PublicBriefingScreen))
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.main_screen, PrivateBriefingScreen))
    await pilot.press("enter")
    await through_briefings(others, list(others))
    await until(pilot, lambda: isinstance(app.main_screen, OrdersScreen))
    await pilot.press("space", "c", "enter", "enter")
    await until(pilot, lambda: isinstance(app.main_screen, WaitingForOthersScreen))
    for seat in others.values():
        await seat.do("submit", actions=seat.available()[:1], why="", intent="")
    await until(pilot, lambda: isinstance(app.main_screen, ResultsScreen))


@contextlib.asynccontextmanager
async def us_at_the_results_of_turn_1(tmp_path):
    """A hosted tutorial with the US in a join client at the results of turn 1 (the others
    played through harness seats), and the White Cell's seat: (session, White Cell, pilot)."""
    async with hosted(tmp_path) as (host, plain, uri):
        others = {name: Seat(uri, plain[name], name) for name in ("iraq", "militias")}
        white_cell = Seat(uri, plain[FACILITATOR], FACILITATOR)
        app = JoinApp(uri, handover_delay=0)
        async with app.run_test(size=SIZE) as pilot:
            await us_through_turn_1(pilot, plain["us"], others)
            yield host.session, white_cell, pilot
        for seat in [*others.values(), white_cell]:
            await seat.close()


def test_after_an_override_a_team_can_leave_the_results_it_had_already_left(tmp_path):
    """The client sent the command that ends a screen once per (screen, turn): the results of
    turn 1, shown again after the White Cell's override, could no longer be left."""

    async def run():
        async with us_at_the_results_of_turn_1(tmp_path) as (session, white_cell, pilot):
            app = pilot.app
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.main_screen, OrdersScreen) and app.main_screen.turn == 2)
            rolled = next(e.key for e in session.game.attempt(1) if isinstance(e, ev.RollMade) and e.roll)
            await white_cell.do("override", key=rolled, reason="the review will say why")
            await until(pilot, lambda: isinstance(app.main_screen, ResultsScreen))
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.main_screen, OrdersScreen) and app.main_screen.turn == 2)

    run_bounded(run())


def test_after_an_undo_a_team_can_send_orders_for_the_turn_again(tmp_path):
    """Orders sent for turn 1, then the turn taken back: the confirm dialog closed and
    nothing was sent, as the orders of turn 1 had been sent once already."""

    async def run():
        async with us_at_the_results_of_turn_1(tmp_path) as (session, white_cell, pilot):
            app = pilot.app
            await white_cell.do("undo", reason="once more", fresh_dice=True)
            await until(pilot, lambda: isinstance(app.main_screen, OrdersScreen) and app.main_screen.turn == 1)
            await pilot.press("space", "c", *"again", "enter", "enter")
            await until(pilot, lambda: isinstance(app.main_screen, WaitingForOthersScreen))
            assert session.game.pending["us"].why == "again"

    run_bounded(run())


def test_the_room_shows_how_long_the_turn_may_still_take(tmp_path):
    """The projector had no clock: its line says the longest time a team still choosing has left."""

    async def run():
        session, clock = timed_session(tmp_path / "saves", 2)
        async with hosted(tmp_path, session) as (host, plain, uri):
            seats = {r: Seat(uri, plain[r], r) for r in session.humans()}
            app = JoinApp(uri, handover_delay=0)
            async with app.run_test(size=SIZE) as pilot:
                await join(pilot, plain[ROOM])
                await through_briefings(seats, session.humans())
                await until(pilot, lambda: isinstance(app.main_screen, RoomScreen))
                assert app.frame["clock"] == {"seconds_left": 120.0, "paused": False, "reading": None}
                # The situation comes before the news: at 80x24 its tracks were below the fold.
                await until(pilot, lambda: "No news yet" in screen_text(app))
                text = screen_text(app)
                assert text.index("Situation") < text.index("No news yet")
                await until(pilot, lambda: "⏱ 02:00" in screen_text(app) or "⏱ 01:59" in screen_text(app))
                clock.now += 30  # the US sends its orders after 30 s; the others have 90 s left
                await seats["us"].do("submit", actions=seats["us"].available()[:1], why="", intent="")
                await until(pilot, lambda: (app.frame.get("clock") or {}).get("seconds_left") == 90.0)
                for role in ("iraq", "militias"):
                    await seats[role].do("submit", actions=seats[role].available()[:1], why="", intent="")
                await until(pilot, lambda: "Results of turn 1" in screen_text(app))
                await pilot.press("enter")  # back to the room's screen, with its clock
                await until(pilot, lambda: isinstance(app.main_screen, RoomScreen))
                tick_while_closing(app)
            for seat in seats.values():
                await seat.close()

    run_bounded(run())


def screen_lines(app) -> list[str]:
    """The terminal's lines as drawn (what a person sees, wrapped and cut as it is)."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text().splitlines()


def test_the_projector_at_80x24_shows_every_rung_on_one_line_and_the_latest_news(tmp_path):
    """At 80x24 the ladder's labels wrapped and the news fell below the bottom of the screen.
    Now every rung is one line, the tracks sit beside the news (newest first) under it, and a
    larger terminal shows more of the tracks."""

    async def run():
        session = new_session(tmp_path / "saves", FLAGSHIP)
        async with hosted(tmp_path, session) as (host, plain, uri):
            teams = session.humans()
            seats = {r: Seat(uri, plain[r], r) for r in [*teams, FACILITATOR]}
            app = JoinApp(uri, handover_delay=0)
            async with app.run_test(size=(80, 24)) as pilot:
                await join(pilot, plain[ROOM])
                await through_briefings(seats, teams)
                await seats[FACILITATOR].do("post_news", text="Talks resume in Erbil")
                await until(pilot, lambda: "Talks resume in Erbil" in screen_text(app))
                await pilot.pause()
                lines = screen_lines(app)
                assert len(lines) == 24
                shown = "\n".join(lines)
                for level in session.scenario.ladder.levels:  # each whole, on a line of its own
                    assert any(level.name in line for line in lines), level.name
                assert "▶ Strikes and counter-strikes  ◀ now" in shown
                assert "Talks resume in Erbil" in shown  # the latest news, above the bottom
                assert "Tension" in shown and "Waiting for orders from" in shown
                assert "Attacks since 17 October" not in shown  # shortened to fit beside the news
                await pilot.resize_terminal(120, 40)
                await pilot.pause()
                bigger = "\n".join(screen_lines(app))
                # More on a larger screen: whole labels, with their bars, and the facts below them.
                assert "Attacks since 17 October  ██" in bigger and "Facts of the situation" in bigger
                assert "Talks resume in Erbil" in bigger
            for seat in seats.values():
                await seat.close()

    run_bounded(run())


def test_the_white_cell_console_shows_presence_and_acts_on_the_host(tmp_path):
    async def run():
        async with hosted(tmp_path) as (host, plain, uri):
            session = host.session
            app = JoinApp(uri, handover_delay=0)
            async with app.run_test(size=SIZE) as pilot:
                await join(pilot, plain[FACILITATOR])
                await until(pilot, lambda: isinstance(app.main_screen, ConsoleScreen))
                assert "United States\n  ○ offline" in screen_text(app)
                us = Seat(uri, plain["us"], "us")
                await until(pilot, lambda: "United States\n  ● online" in screen_text(app))
                assert "reading the public briefing" in screen_text(app)
                # Hand the militias to a bot.
                await pilot.press("w")
                await until(pilot, lambda: isinstance(app.screen, FacilitatorScreen))
                await pick(pilot, "Hand a team to a bot")
                await pick(pilot, "Iran-aligned militias")
                await pick(pilot, "The doctrine bot")
                await until(pilot, lambda: "played by the doctrine bot" in screen_text(app))
                assert session.players()["militias"] == "doctrine"
                # A bot's seat is neither "offline" nor "reading the public briefing".
                militias = screen_text(app).split("Iran-aligned militias\n", 1)[1].split("\n\n", 1)[0]
                assert militias == "  played by the doctrine bot\n  gives its orders when the turn resolves"
                # Start turn 1 although no team has read its briefing.
                await pilot.press("w")
                await until(pilot, lambda: isinstance(app.screen, FacilitatorScreen))
                await pick(pilot, "Start turn 1 now")
                await until(pilot, lambda: isinstance(app.screen, Confirm))
                assert "It cannot be taken back." in app.screen.detail
                await pilot.press("y")
                await until(pilot, lambda: "Phase: orders" in screen_text(app))
                assert "  ● online  · played by a human team\n  has not read its briefings yet" in screen_text(app)
                # A team that had read nothing reads both briefings first, the turn's time running.
                await us.at("public_briefing", 1)
                await us.do("read_public")
                await us.at("private_briefing", 1)
                assert session.seconds_left("us") is None or session.seconds_left("us") > 0
                await us.do("read_private")
                await us.at("orders", 1)
                # Reveal: every team's view, for the White Cell only.
                await pilot.press("w")
                await until(pilot, lambda: isinstance(app.screen, FacilitatorScreen))
                await pick(pilot, "Reveal every team's view")
                await until(pilot, lambda: isinstance(app.screen, TextScreen))
                text = screen_text(app)
                assert "Every team's view" in text and "Government of Iraq (human)" in text
                iraq = Presenter(session.game).team("iraq")
                assert iraq.tracks and all(t.label in text for t in iraq.tracks)
                assert all(o.text in text for o in iraq.objectives)
                assert "looked at every team's view" in str(session.game.log)
                await pilot.press("escape", "escape")  # the reveal, then the White Cell's menu
                await until(pilot, lambda: isinstance(app.screen, ConsoleScreen))
                await us.close()
                await until(pilot, lambda: "United States\n  ○ offline" in screen_text(app))

    run_bounded(run())


def test_the_room_shows_the_public_situation_in_large_type_and_nothing_private(tmp_path):
    async def run():
        async with hosted(tmp_path) as (host, plain, uri):
            session = host.session
            teams = session.humans()
            secrets = set().union(*(static_secrets(session, r) for r in teams))
            app = JoinApp(uri, handover_delay=0)
            seen = []
            async with app.run_test(size=SIZE) as pilot:

                def look() -> str:
                    text = screen_text(app)
                    seen.append(text)
                    return text

                await join(pilot, plain[ROOM])
                await until(pilot, lambda: isinstance(app.main_screen, RoomBriefingScreen))
                assert "the teams are reading their briefings" in look()
                await pilot.press("enter")  # the room has nothing to press: nothing happens
                assert isinstance(app.main_screen, RoomBriefingScreen) and ROOM not in session.flow.public_read
                seats = {r: Seat(uri, plain[r], r) for r in teams}
                await through_briefings(seats, teams)
                await until(pilot, lambda: isinstance(app.main_screen, RoomScreen) and digits(app, "#room-turn") == "1")
                assert digits(app, "#room-headline") == "40"  # the tutorial's tension at the start
                assert "Waiting for orders from: United States, Government of Iraq, Iran-aligned militias" in look()
                for i, role in enumerate(teams):
                    await seats[role].do("submit", actions=seats[role].available()[:1], why="", intent="")
                    if i == 0:
                        await until(pilot, lambda: "Waiting for orders from: Government of Iraq" in look())
                await until(pilot, lambda: "Results of turn 1" in look())
                assert digits(app, "#room-turn") == "2"
                assert "What each team ordered" in look()
                before_the_end = list(seen)
                await host.work(session.end, session.scenario.outcomes[0].id, "the workshop ends here")
                host._mark()
                await until(pilot, lambda: isinstance(app.main_screen, EndScreen))
                await pilot.press("enter")
                await until(pilot, lambda: isinstance(app.screen, ReportScreen))
                await until(pilot, lambda: "Laying out" not in look(), 20)
                assert "the workshop ends here" in look()
            assert len(before_the_end) > 5
            for text in before_the_end:
                assert not [s for s in secrets if s in text]

    run_bounded(run())
