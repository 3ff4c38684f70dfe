"""The workshop session owns the flow at the table: hand-overs, briefings,
timers, the White Cell, messages and the autosave. All plain Python, tested
here below the interface."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from helpers import FLAGSHIP, TUTORIAL, mini, shipped

from game.engine import events as ev
from game.workshop.flow import FACILITATOR, ROOM, TABLE
from game.workshop.passphrase import check_passphrase, generate_passphrase, hash_passphrase
from game.workshop.saves import read_save
from game.workshop.session import (
    END,
    HAND_OVER,
    ORDERS,
    PRIVATE_BRIEFING,
    PUBLIC_BRIEFING,
    RESULTS,
    WAITING,
    FlowError,
    Session,
    Settings,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def new_session(tmp_path, seating=None, timer=0.0, table=True, clock=None, loaded=None, on_expiry="keep"):
    loaded = loaded or shipped(TUTORIAL)
    seating = seating or {r.id: "human" for r in loaded.scenario.roles if not r.bot_only}
    # A bot-only role (the tutorial's Tehran) is played by its doctrine bot.
    seating = {r.id: "doctrine" for r in loaded.scenario.roles if r.bot_only} | seating
    settings = Settings(seating, seed=3, timer_minutes=timer, on_expiry=on_expiry)
    return Session.new(
        loaded, settings, tmp_path, clock=clock or FakeClock(), table=table, started=dt.datetime(2026, 1, 2, 9, 30)
    )


def kinds(stage):
    return (stage.kind, stage.seat, stage.then)


def brief_everyone(session):
    session.read_public(TABLE)
    for role in session.humans():
        assert kinds(session.table_stage()) == (HAND_OVER, role, PRIVATE_BRIEFING)
        session.take_keyboard(role)
        assert kinds(session.table_stage()) == (PRIVATE_BRIEFING, role, None)
        session.read_private(role)


def test_a_hot_seat_table_walks_every_team_through_briefings_orders_and_results(tmp_path):
    session = new_session(tmp_path)
    assert kinds(session.table_stage()) == (PUBLIC_BRIEFING, TABLE, None)
    brief_everyone(session)
    assert session.game.phase == "orders" and session.game.turn == 1
    for role in ["us", "iraq", "militias"]:
        assert kinds(session.table_stage()) == (HAND_OVER, role, ORDERS)
        session.take_keyboard(role)
        assert kinds(session.table_stage()) == (ORDERS, role, None)
        session.submit(role, [])
    assert session.table_stage().kind == WAITING and session.ready()
    session.resolve()
    assert kinds(session.table_stage()) == (RESULTS, TABLE, None) and session.table_stage().turn == 1
    session.seen_results(TABLE, 1)
    assert kinds(session.table_stage()) == (HAND_OVER, "us", ORDERS)


def test_a_table_of_bots_plays_once_the_public_briefing_is_read(tmp_path):
    """Every seat a bot (a facilitator showing the game): nobody has a private briefing to
    read, so play starts after the public one; it waited for ever before."""
    session = new_session(tmp_path, seating={"us": "doctrine", "iraq": "doctrine", "militias": "random"})
    session.read_public(TABLE)
    assert session.game.phase == "orders" and session.game.turn == 1
    assert session.table_stage().kind == WAITING and session.ready()
    session.resolve()
    assert kinds(session.table_stage()) == (RESULTS, TABLE, None)


def test_only_the_team_named_at_the_hand_over_can_take_the_keyboard(tmp_path):
    session = new_session(tmp_path)
    session.read_public()
    with pytest.raises(FlowError, match="not the Government of Iraq team's turn"):
        session.take_keyboard("iraq")
    session.take_keyboard("us")
    with pytest.raises(FlowError):
        session.take_keyboard("us")  # already at the keyboard: no second hand-over to skip


def test_bots_take_no_hand_over_and_play_when_the_turn_resolves(tmp_path):
    session = new_session(tmp_path, seating={"us": "human", "iraq": "doctrine", "militias": "random"})
    brief_everyone(session)
    # The one human team read its briefing last, so it keeps the keyboard: no hand-over.
    assert kinds(session.table_stage()) == (ORDERS, "us", None)
    session.submit("us", [])
    assert session.ready()
    events = session.resolve()
    revealed = next(e for e in events if type(e) is ev.OrdersRevealed)
    assert [role for role, _ in revealed.orders] == ["us", "iraq", "militias", "tehran"]
    players = {e.role: e.player for e in session.game.log if type(e) is ev.OrdersSubmitted}
    assert players == {"us": "human", "iraq": "doctrine", "militias": "random", "tehran": "doctrine"}


def test_the_turn_timer_starts_when_the_orders_are_shown_and_sends_the_draft(tmp_path):
    clock = FakeClock()
    session = new_session(tmp_path, timer=1, clock=clock)
    brief_everyone(session)
    clock.now += 500  # time at the hand-over screen does not count
    session.take_keyboard("us")
    assert session.seconds_left("us") is None
    session.orders_shown("us")
    clock.now += 10
    session.orders_shown("us")  # shown again (after a White Cell act): the clock runs on
    assert session.seconds_left("us") == 50
    clock.now -= 10
    options = [o.action.id for o in session.game.options("us") if o.available]
    session.draft("us", options[:1])
    clock.now += 59.5
    assert session.tick() == [] and session.seconds_left("us") == pytest.approx(0.5)
    clock.now += 0.5
    assert session.tick() == ["us"]
    sent = session.game.pending["us"]
    assert sent.actions == tuple(options[:1]) and sent.player == "timeout"
    assert [m.text for m in session.take_messages("us")] == [
        "Time is up: your orders were sent as you had chosen them."
    ]
    assert session.take_messages("iraq") == []
    assert kinds(session.table_stage()) == (HAND_OVER, "iraq", ORDERS)


def test_a_paused_clock_loses_no_time_and_never_expires(tmp_path):
    clock = FakeClock()
    session = new_session(tmp_path, timer=2, clock=clock)
    brief_everyone(session)
    session.take_keyboard("us")
    session.orders_shown("us")
    clock.now += 30
    assert session.pause() is True
    clock.now += 1000
    assert session.tick() == [] and session.seconds_left("us") == 90
    assert session.pause() is False
    clock.now += 89
    assert session.tick() == [] and session.seconds_left("us") == 1
    notes = [e.text for e in session.game.log if type(e) is ev.FacilitatorNoted]
    assert notes == ["paused the clock", "restarted the clock"]


def test_a_resumed_workshop_keeps_its_flow_drafts_and_clocks(tmp_path):
    clock = FakeClock()
    session = new_session(tmp_path, timer=3, clock=clock)
    brief_everyone(session)
    session.take_keyboard("us")
    session.submit("us", [])
    session.take_keyboard("iraq")
    session.orders_shown("iraq")
    draft = tuple(o.action.id for o in session.game.options("iraq") if o.available)[:1]
    session.draft("iraq", draft)
    clock.now += 100
    session.pause(True)
    path = session.autosave_to
    assert path.name == "autosave-tutorial-20260102-093000.json"

    again = Session.resume(path, saves_dir=tmp_path, clock=FakeClock())
    assert again.flow.drafts == {"iraq": draft}
    assert again.flow.private_read == {"us", "iraq", "militias"}
    assert again.clocks.paused and again.seconds_left("iraq") == 80
    assert "us" in again.game.pending and again.game.pending["us"].actions == ()
    # Whoever sits down first after a resume gets the hand-over screen.
    assert kinds(again.table_stage()) == (HAND_OVER, "iraq", ORDERS)
    assert again.autosave_to == path


def test_each_new_game_has_its_own_autosave(tmp_path):
    first = new_session(tmp_path)
    brief_everyone(first)
    second = new_session(tmp_path)
    assert first.autosave_to != second.autosave_to
    assert read_save(first.autosave_to).summary["phase"] == "orders"
    assert read_save(second.autosave_to).summary["phase"] == "briefing"


def test_the_game_is_saved_after_a_teams_orders(tmp_path):
    session = new_session(tmp_path)
    brief_everyone(session)
    session.take_keyboard("us")
    session.submit("us", [])
    commands = read_save(session.autosave_to).commands
    assert commands[-1]["kind"] == "submit" and commands[-1]["role"] == "us"


def play_turn_at_table(session):
    for role in session.humans():
        session.take_keyboard(role)
        session.submit(role, [o.action.id for o in session.game.options(role) if o.available][:1])
    session.resolve()


def test_an_override_shows_the_re_run_turn_to_everyone_again(tmp_path):
    session = new_session(tmp_path)
    brief_everyone(session)
    play_turn_at_table(session)
    session.seen_results(TABLE, 1)
    roll = next(e for e in session.turn_events() if type(e) is ev.RollMade and e.roll is not None)
    assert session.override(roll.key, "for the exercise") is (not roll.success)
    assert kinds(session.table_stage()) == (RESULTS, TABLE, None)
    again = next(e for e in session.turn_events(1) if type(e) is ev.RollMade and e.key == roll.key)
    assert again.success is not roll.success and again.override == "for the exercise"
    for role in session.humans():  # each team is told why its screen went back
        assert [m.text for m in session.take_messages(role)] == [
            "The White Cell changed a result of turn 1: here are its results again."
        ]


def test_an_undo_tells_each_team_why_its_orders_screen_is_back(tmp_path):
    """The results simply turned back into an empty orders screen, with no word why."""
    session = new_session(tmp_path, seating={"us": "human", "iraq": "human", "militias": "doctrine"})
    brief_everyone(session)
    play_turn_at_table(session)
    session.seen_results(TABLE, 1)
    for role in session.humans():
        session.take_messages(role)
    session.post_news("Ceasefire rumours in Baghdad")  # turn 2's news, not read yet by either team
    assert session.take_messages("iraq")  # read by Iraq; the US has not seen it when the turn is taken back
    session.undo("a misread rule", fresh_dice=True)
    for role in ("us", "iraq"):  # and nothing of the news taken back with the turn
        assert [m.text for m in session.take_messages(role)] == [
            "The White Cell took turn 1 back: give your orders for it again (with new dice)."
        ]
    assert session.take_messages("militias") == []  # a bot's seat has nobody to tell


def test_the_white_cell_ends_the_game_and_the_end_says_how_many_turns_were_played(tmp_path):
    from game.workshop.present import Presenter

    session = new_session(tmp_path)
    brief_everyone(session)
    play_turn_at_table(session)
    session.seen_results(TABLE, 1)
    outcome = session.scenario.outcomes[0].id
    session.end(outcome, "time for the debrief")
    assert session.table_stage().kind == END
    end = Presenter(session.game).end(TABLE)
    assert end.how.startswith("after 1 turn played: ended by the White Cell")
    # The report and the review count the same turns as the end screen.
    from game.reports.report import build_report, render_report
    from game.tui.screens.review import timeline_text
    from game.workshop.present import Presenter

    report = build_report(session.game, session.players())
    assert report.turns_played == 1
    # The tutorial starts on 4 March 2024, a turn a week: one turn played runs to 10 March
    # (it said 17 March, the end of turn 2, which was never played).
    assert (report.start, report.end) == ("4 March 2024", "10 March 2024")
    assert "| Turns | 1 of 3 (ended during turn 2, before its orders were resolved) |" in render_report(
        session.game, session.players(), "md"
    )
    assert "Turns</th><td>1 of 3 (ended during turn 2" in render_report(session.game, session.players(), "html")
    assert "the game ended during this turn's orders" in timeline_text(report.debrief, Presenter(session.game)).plain


def test_a_team_handed_to_a_bot_no_longer_holds_up_the_turn(tmp_path):
    session = new_session(tmp_path)
    brief_everyone(session)
    session.take_keyboard("us")
    session.submit("us", [])
    session.hand_to_bot("iraq", "doctrine")
    session.hand_to_bot("militias", "random")
    assert session.ready()
    session.resolve()
    assert session.players() == {"us": "human", "iraq": "doctrine", "militias": "random", "tehran": "doctrine"}
    with pytest.raises(ValueError, match="unknown bot"):
        session.hand_to_bot("us", "genius")


def test_seats_on_their_own_screens_move_at_their_own_pace(tmp_path):
    clock = FakeClock()
    session = new_session(tmp_path, table=False, timer=1, clock=clock)
    for seat in ["us", "iraq", "militias", ROOM]:
        assert session.stage(seat).kind == PUBLIC_BRIEFING
    session.read_public("us")
    assert session.stage("us").kind == PRIVATE_BRIEFING and session.stage("iraq").kind == PUBLIC_BRIEFING
    for role in ["us", "iraq", "militias"]:
        session.read_public(role)
        session.read_private(role)
    assert session.stage("us").kind == ORDERS and session.seconds_left("us") == 60
    session.submit("us", [])
    assert session.stage("us").kind == WAITING and session.stage("us").waiting_for == ("iraq", "militias")
    session.submit("iraq", [])
    session.submit("militias", [])
    session.resolve()
    assert session.stage("us").kind == RESULTS and session.stage(ROOM).kind == RESULTS
    session.seen_results("us", 1)
    assert session.stage("us").kind == ORDERS and session.stage("iraq").kind == RESULTS
    # The first team to leave the results starts every team's clock (see the next test).
    assert session.seconds_left("us") == 60 and session.seconds_left("iraq") == 60
    assert session.stage(FACILITATOR).kind == ORDERS


def own_screens_after_turn_1(tmp_path, clock, timer=5):
    """Three teams on screens of their own, turn 1 played: every team is on its results."""
    session = new_session(tmp_path, table=False, timer=timer, clock=clock)
    for role in ["us", "iraq", "militias"]:
        session.read_public(role)
        session.read_private(role)
    for role in ["us", "iraq", "militias"]:
        session.submit(role, [])
    session.resolve()
    return session


def test_a_team_sitting_on_its_results_does_not_stall_the_turn(tmp_path):
    """Its clock started only when it left the results: the others' ran out and the game
    waited for it for ever. Now every clock starts when the first team leaves them."""
    clock = FakeClock()
    session = own_screens_after_turn_1(tmp_path, clock)
    assert [session.seconds_left(r) for r in ["us", "iraq", "militias"]] == [None, None, None]
    session.team_away("militias")  # away (or not yet back after a host's restart): it waits with the others
    assert session.seconds_left("militias") is None
    clock.now += 30
    session.seen_results("us", 1)
    assert [session.seconds_left(r) for r in ["us", "iraq", "militias"]] == [300, 300, 300]
    assert [m.text for m in session.take_messages("iraq")] == [
        "The turn's clock is running: your 5 minutes for turn 2 started now."
    ]
    assert session.take_messages("us") == []  # it started its clock itself
    assert session.take_messages("militias")  # told too
    clock.now += 200
    session.seen_results("iraq", 1)  # no fresh five minutes for reading on
    assert session.seconds_left("iraq") == 100
    clock.now += 100
    assert sorted(session.tick()) == ["iraq", "militias", "us"]  # the militias never left the results
    assert session.ready()


def test_a_team_still_on_its_briefings_gets_its_clock_with_the_others(tmp_path):
    """Turn 1 began without the Iraqis, who sat on their briefing: turn 2 must not wait for them."""
    clock = FakeClock()
    session = new_session(tmp_path, table=False, timer=1, clock=clock)
    session.read_public("us")
    session.read_private("us")
    session.start_now()
    clock.now += 61
    assert sorted(session.tick()) == ["iraq", "militias", "us"]
    session.resolve()
    session.take_messages("iraq")
    session.seen_results("us", 1)
    assert session.stage("iraq").kind == PUBLIC_BRIEFING and session.seconds_left("iraq") == 60
    assert [m.text for m in session.take_messages("iraq")] == [
        "The turn's clock is running: your 1 minute for turn 2 started now."
    ]


def test_the_clocks_start_after_two_minutes_of_reading_if_no_team_leaves_the_results(tmp_path):
    clock = FakeClock()
    session = own_screens_after_turn_1(tmp_path, clock)
    session.pause(True)
    clock.now += 500  # a pause holds the reading time too
    session.pause(False)
    clock.now += 119
    assert session.tick() == [] and session.seconds_left("us") is None
    session.autosave()  # as after any step; the reading time left is in the save
    resumed = Session.resume(session.autosave_to, saves_dir=tmp_path, clock=clock, table=False)
    assert resumed.clocks.reading_left() == 1  # kept in the save
    clock.now += 1
    assert session.tick() == [] and session.seconds_left("us") == 300 == session.seconds_left("militias")
    assert len(session.take_messages("militias")) == 1
    paused = own_screens_after_turn_1(tmp_path / "paused", clock)
    paused.pause(True)
    paused.seen_results("us", 1)
    assert [m.text for m in paused.take_messages("iraq")][-1] == (
        "The turn's clock is set, paused: your 5 minutes for turn 2 start when the White Cell restarts it."
    )
    assert resumed.tick() == [] and resumed.seconds_left("iraq") == 300


def test_a_seat_given_back_mid_turn_on_its_own_screen_gets_the_turn_timer_once_briefed(tmp_path):
    """It had none for that turn: its orders waited for it for ever, timer or not."""
    clock = FakeClock()
    session = new_session(
        tmp_path, seating={"us": "human", "iraq": "doctrine", "militias": "doctrine"}, table=False, timer=1, clock=clock
    )
    session.read_public("us")
    session.read_private("us")
    session.hand_to_bot("iraq", "human")
    # The people taking the seat (a bot's from the start) read the situation, then its briefing.
    assert session.stage("iraq").kind == PUBLIC_BRIEFING
    session.read_public("iraq")
    assert session.stage("iraq").kind == PRIVATE_BRIEFING and session.seconds_left("iraq") is None
    clock.now += 30
    session.read_private("iraq")  # its time runs from now, not from the start of the turn
    assert session.stage("iraq").kind == ORDERS and session.seconds_left("iraq") == 60


def test_a_seat_given_back_mid_turn_that_nobody_reads_at_gets_its_clock_after_the_reading_time(tmp_path):
    """Its clock started only once it read its briefing: a seat whose people never pressed on
    stalled the turn for ever. As after the results, it starts at the latest two minutes on."""
    clock = FakeClock()
    session = new_session(
        tmp_path, seating={"us": "human", "iraq": "doctrine", "militias": "doctrine"}, table=False, timer=5, clock=clock
    )
    session.read_public("us")
    session.read_private("us")
    clock.now += 10
    session.hand_to_bot("iraq", "human")
    session.pause(True)
    clock.now += 1000  # a pause holds the reading time too
    session.pause(False)
    clock.now += 100
    session.autosave()  # the reading time left is in the save
    resumed = Session.resume(session.autosave_to, saves_dir=tmp_path, clock=clock, table=False)
    assert resumed.clocks.reader_left("iraq") == 20
    assert session.due_in("iraq") == 20 + 300 and session.due_in("us") == 300 - 110  # when the turn ends at the latest
    assert session.tick() == [] and session.seconds_left("iraq") is None
    clock.now += 20  # two minutes of reading, and nobody read on
    assert session.tick() == [] and session.seconds_left("iraq") == 300
    assert [m.text for m in session.take_messages("iraq")] == [
        "The turn's clock is running: your 5 minutes for turn 1 started now."
    ]
    assert session.stage("iraq").kind == PUBLIC_BRIEFING  # still to read, on its own time
    assert resumed.tick() == [] and resumed.seconds_left("iraq") == 300  # the resumed game agrees
    clock.now += 300
    assert sorted(session.tick()) == ["iraq", "us"]
    assert session.ready()
    # A seat that reads in time gets its whole turn from then, and no second start.
    again = new_session(
        tmp_path / "again",
        seating={"us": "human", "iraq": "doctrine", "militias": "doctrine"},
        table=False,
        timer=5,
        clock=clock,
    )
    again.read_public("us")
    again.read_private("us")
    again.hand_to_bot("iraq", "human")
    clock.now += 60
    again.read_public("iraq")
    again.read_private("iraq")
    assert again.seconds_left("iraq") == 300
    clock.now += 60
    assert again.tick() == [] and again.seconds_left("iraq") == 240 and again.take_messages("iraq") == []
    # Handed to a bot again before it read: no clock starts for the bot's seat.
    again.hand_to_bot("militias", "human")
    again.hand_to_bot("militias", "doctrine")
    clock.now += 120
    assert again.tick() == [] and again.seconds_left("militias") is None


def test_turn_1_started_early_on_screens_of_their_own_shows_the_unread_briefings_first(tmp_path):
    """A team that had not read (or not joined) landed on its orders with no briefing; then on
    its private briefing, never reading the situation everyone else had read."""
    clock = FakeClock()
    session = new_session(tmp_path, table=False, timer=1, clock=clock)
    session.read_public("us")
    session.read_private("us")
    session.read_public("militias")
    session.start_now()
    assert session.stage("us").kind == ORDERS
    assert session.stage("militias").kind == PRIVATE_BRIEFING and session.stage("militias").turn == 1
    assert session.stage("iraq").kind == PUBLIC_BRIEFING and session.stage("iraq").turn == 1
    assert session.seconds_left("iraq") == 60  # the White Cell started the turn: its time runs
    session.read_public("iraq")
    assert session.stage("iraq").kind == PRIVATE_BRIEFING
    with pytest.raises(FlowError):
        session.read_public(ROOM)  # the room's briefing is over once turn 1 began
    session.read_private("iraq")
    assert session.stage("iraq").kind == ORDERS


def test_messages_reach_only_their_seat(tmp_path):
    clock = FakeClock()
    session = new_session(tmp_path, table=False, timer=1, clock=clock, on_expiry="bot")
    for role in ["us", "iraq", "militias"]:
        session.read_public(role)
        session.read_private(role)
    clock.now += 61
    assert sorted(session.tick()) == ["iraq", "militias", "us"]
    assert all(session.game.pending[r].player == "timeout" for r in ["us", "iraq", "militias"])
    for role in ["us", "iraq", "militias"]:
        assert [m.text for m in session.take_messages(role)] == ["Time is up: the doctrine bot gave your orders."]
    assert session.take_messages(ROOM) == []


def test_a_save_with_a_damaged_workshop_state_is_refused_with_a_reason(tmp_path):
    from game.workshop.saves import SaveError, _checksum

    session = new_session(tmp_path)
    path = session.autosave_to
    document = json.loads(path.read_text())
    document.pop("checksum")
    document["workshop"]["keyboard"] = "nobody"
    document["checksum"] = _checksum(document)
    path.write_text(json.dumps(document))
    with pytest.raises(SaveError, match="'keyboard' should be a team"):
        Session.resume(path, saves_dir=tmp_path)


def test_a_white_cell_passphrase_is_kept_only_as_a_salted_hash():
    phrase = generate_passphrase()
    words = phrase.split("-")
    assert len(words) == 4 and words[3].isdigit()
    stored = hash_passphrase(phrase)
    assert phrase not in stored and stored != hash_passphrase(phrase)  # salted: never the same twice
    assert check_passphrase(phrase, stored) and not check_passphrase(phrase + "x", stored)
    assert check_passphrase(f"  {phrase} ", stored)  # spaces around it are forgiven


def test_a_draft_that_no_longer_fits_is_cut_to_what_can_still_be_ordered(tmp_path):
    loaded = mini()
    clock = FakeClock()
    session = new_session(tmp_path, seating={"a": "human", "b": "human"}, timer=1, clock=clock, loaded=loaded)
    brief_everyone(session)
    session.take_keyboard("a")
    session.orders_shown("a")
    session.draft("a", ["escalate", "calm_down"])  # two orders where one is allowed
    clock.now += 60
    session.tick()
    assert session.game.pending["a"].actions == ("escalate",)


def test_a_hidden_first_track_is_never_charted_for_a_team(tmp_path):
    from helpers import from_data, mini_data

    from game.workshop.present import Presenter

    data = mini_data()
    data["tracks"] = [
        {"id": "secret_plan", "label": "Secret plan", "start": 77, "visibility": "hidden"},
        *data["tracks"],
    ]
    session = new_session(tmp_path, seating={"a": "human", "b": "human"}, loaded=from_data(data))
    presenter = Presenter(session.game)
    for seat in ["a", "b", ROOM, TABLE]:
        view = presenter.situation(seat)
        assert view.headline == "Tension" and view.history == (50,)
        assert all(t.label != "Secret plan" for t in view.tracks)
    assert presenter.situation(FACILITATOR).headline == "Secret plan"


# ------------------------------------------------ what the screens are given


def mini_session(tmp_path, **changes):
    from helpers import from_data, mini_data

    data = mini_data()
    data.update(changes)
    return new_session(tmp_path, seating={"a": "human", "b": "human"}, loaded=from_data(data))


def play_table_turn(session, a=(), b=()):
    for role, orders in (("a", a), ("b", b)):
        if session.table_stage().kind == HAND_OVER:
            session.take_keyboard(role)
        session.submit(role, list(orders))
    session.resolve()


def test_an_inject_preview_shows_the_numbers_as_they_will_stand_after_it(tmp_path):
    session = mini_session(
        tmp_path,
        injects=[
            {
                "id": "riot",
                "title": "Riot",
                "turn": 99,
                "effects": {"tension": 15},
                "news": "Tension jumps to {tension}.",
            }
        ],
    )
    brief_everyone(session)
    assert session.preview_inject("riot") == "Tension jumps to 65."  # 50 now, 65 after it
    assert session.game.state.values["tension"] == 50 and not session.game.state.fired  # nothing happened


def test_the_news_holds_headlines_only_and_an_override_leaves_one_story(tmp_path):
    from game.workshop.present import Presenter

    data_tracks = [{"id": "tension", "label": "Tension", "start": 50, "per_turn": 3}]
    session = mini_session(tmp_path, tracks=data_tracks)
    brief_everyone(session)
    play_table_turn(session, a=["escalate"], b=["wait"])
    session.seen_results(TABLE, 1)
    news = Presenter(session.game).news("a")
    headlines = [n.text for n in news.last_turn]
    assert headlines and all("chance" not in h and "rolled" not in h for h in headlines)  # no dice, no numbers log
    assert [c.text() for c in news.began] == [f"Tension: {news.began[0].old:g} → {news.began[0].old + 3:g} (+3)"]
    roll = next(e for e in session.turn_events() if type(e) is ev.RollMade and e.roll is not None)
    session.override(roll.key, "ruling")
    again = Presenter(session.game).news("a")
    assert len(again.began) == 1  # the re-run's turn-start change only, not both attempts'
    tension_after_turn_1 = next(
        e.new for e in reversed(session.turn_events(1)) if type(e) is ev.TrackChanged and e.track == "tension"
    )
    assert again.began[0].old == tension_after_turn_1


def test_the_ladder_says_which_condition_moved_it_in_the_teams_words(tmp_path):
    from game.workshop.present import Presenter

    session = mini_session(tmp_path)
    brief_everyone(session)
    session.game.state.values["tension"] = 15  # a test shortcut: one calm-down from peace
    play_table_turn(session, a=["calm_down"], b=["wait"])
    entry = next(e for e in Presenter(session.game).results("b", 1).entries if e.kind == "ladder")
    assert entry.title == "The ladder moves: Middle → Peace"
    assert entry.detail == "because Tension at 10 or less"


def test_a_roll_has_one_name_on_every_screen(tmp_path):
    from game.reports.debrief import build_debrief
    from game.workshop.present import Presenter

    session = mini_session(tmp_path)
    brief_everyone(session)
    play_table_turn(session, a=["escalate"], b=["wait"])
    presenter = Presenter(session.game)
    results = [r for e in presenter.results(TABLE, 1).entries for r in e.rolls]
    picker = [r for _, r in presenter.rolls(1)]  # the White Cell's override list
    review = [presenter.roll_name(r) for t in build_debrief(session.game).turns for r in t.rolls]
    assert [r.name for r in results] == [r.name for r in picker] == [n for n, _ in review] == ["Escalate"]
    assert results[0].verdict() == picker[0].verdict() in ("success", "failure")


def test_views_give_every_number_its_scale_every_cost_its_name_and_every_score_its_maximum(tmp_path):
    from game.tui import render
    from game.workshop.present import Presenter

    session = mini_session(tmp_path)
    brief_everyone(session)
    presenter = Presenter(session.game)
    orders = presenter.orders("a")
    escalate = next(a for a in orders.actions if a.id == "escalate")
    assert escalate.cost_text() == "2 Cash"
    assert [r.chance for r in escalate.results] == [50]
    team = render.team(presenter.team("a")).plain
    assert "2/5" in team  # Cash 2 of at most 5
    assert "at or under the chance succeeds" in render.action_detail(escalate, True, None).plain
    outcome = session.scenario.outcomes[0].id
    session.end(outcome, "time")
    end = presenter.end(TABLE)
    # Peace pays Alpha 3 and its objective 2: its best is 5; Bravo's best is War's 1.
    assert [(s.team, s.best) for s in sorted(end.scores, key=lambda s: s.team)] == [("Alpha", 5), ("Bravo", 1)]
    assert end.scores[0].total >= end.scores[1].total  # best first


def test_at_one_table_a_team_reads_its_private_results_on_its_own_screen(tmp_path):
    """The results screen is public at a hot-seat table, so a private order's dice and news
    wait for its own team's next turn (the news tab), and for nobody else."""
    from game.tui import render
    from game.workshop.present import Presenter

    session = new_session(tmp_path)
    brief_everyone(session)
    for role in session.humans():
        if session.table_stage().kind == HAND_OVER:
            session.take_keyboard(role)
        session.submit(role, ["quiet_warning"] if role == "iraq" else [])
    session.resolve()
    session.seen_results(TABLE, 1)
    presenter = Presenter(session.game)
    public = render.results(presenter.results(TABLE, 1)).plain
    assert "Warn the faction in private" not in public and "go-between" not in public
    iraq = render.news(presenter.news("iraq")).plain
    assert "What only your team saw of last turn" in iraq
    assert "Warn the faction in private" in iraq and "go-between" in iraq and "chance 50%" in iraq
    for other in ("us", "militias"):
        text = render.news(presenter.news(other)).plain
        assert "Warn the faction in private" not in text and "go-between" not in text


def test_a_public_entry_with_a_private_change_shows_only_that_change_as_the_teams_own():
    """A public attack that also moved Iraq's private track was filed whole under "What only
    your team saw": only the change the room did not see is Iraq's own, under the attack's title."""
    from game.workshop.present import ChangeShown, Entry, _beyond

    tension = ChangeShown("Tension", 50, 55)
    cohesion = ChangeShown("Iraq Coalition cohesion", 7, 6)
    attack = Entry("order", "Something happened, and who did it is not known", changes=(tension,))
    warning = Entry("order", "Iraq: Warn the faction in private", changes=(ChangeShown("Tension", 55, 53),))
    public = (attack, Entry("news", "Headlines"))
    mine = (
        Entry("order", attack.title, changes=(tension, cohesion)),  # the room saw it, less one line
        warning,  # the room saw nothing of it
        Entry("news", "Headlines"),  # the same as the room's
    )
    assert _beyond(mine, public) == (Entry("order", attack.title, changes=(cohesion,)), warning)


def test_the_report_lists_each_white_cell_act_once_however_often_the_turn_is_re_run(tmp_path):
    """An override re-runs the turn, and the re-run repeats the White Cell's acts of that
    turn (a forced inject, posted news): the debrief names each once, and both overrides
    count (the second re-run keeps the first ruling)."""
    from game.reports.report import build_report, render_report

    session = new_session(tmp_path)
    brief_everyone(session)
    session.fire_inject("patron_call")
    session.post_news("Markets fall on rumours of strikes")
    play_turn_at_table(session)
    session.seen_results(TABLE, 1)
    rolls = [e for e in session.turn_events() if type(e) is ev.RollMade and e.roll is not None]
    for roll in rolls[:2]:
        session.override(roll.key, "for the exercise")
    session.end(session.scenario.outcomes[0].id, "time for the debrief")
    acts = build_report(session.game, session.players()).debrief.facilitator_acts
    assert sorted((a.turn, a.kind, a.counted) for a in acts) == [
        (1, "forced inject", True),
        (1, "news", True),
        (1, "override", True),
        (1, "override", True),
        (2, "end game", True),
    ]
    text = render_report(session.game, session.players(), "md")
    assert text.count("Inject fired by the facilitator: Tehran urges restraint") == 2  # turn 1, turning points


def test_a_lost_passphrase_is_replaced_from_the_command_line_and_nothing_else_changes(tmp_path, capsys, monkeypatch):
    """`crisis passphrase SAVE` gives the White Cell a new passphrase (printed once) and keeps
    the game; `--ask` takes a typed one, twice, and two that differ change nothing."""
    from game.cli.main import main

    session = new_session(tmp_path)
    session.settings.white_cell_lock = hash_passphrase("forgotten words")
    brief_everyone(session)
    session.take_keyboard("us")
    session.submit("us", [])
    session.autosave()
    path = session.autosave_to
    before = read_save(path)

    assert main(["passphrase", str(path)]) == 0
    printed = capsys.readouterr().out
    new = printed.split("\n\n")[1].strip()
    after = read_save(path)
    assert check_passphrase(new, after.settings["white_cell_lock"])
    assert not check_passphrase("forgotten words", after.settings["white_cell_lock"])
    assert after.commands == before.commands
    # The flow is kept; a resumed game starts with a hand-over, so nobody holds the keyboard.
    assert after.workshop == {**before.workshop, "keyboard": None}
    assert Session.resume(path, saves_dir=tmp_path, clock=FakeClock()).settings.opens_white_cell(new)

    answers = iter(["one phrase", "another phrase"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["passphrase", str(path), "--ask"]) == 1
    assert "differ; nothing changed" in capsys.readouterr().err
    assert check_passphrase(new, read_save(path).settings["white_cell_lock"])
    answers = iter(["our own words", "our own words"])
    assert main(["passphrase", str(path), "--ask"]) == 0
    assert check_passphrase("our own words", read_save(path).settings["white_cell_lock"])
    assert main(["passphrase", str(tmp_path / "missing.json")]) == 1

    def no_input(prompt=""):
        raise EOFError

    monkeypatch.setattr("getpass.getpass", no_input)  # standard input closed, or ctrl+d
    assert main(["passphrase", str(path), "--ask"]) == 1
    assert "no passphrase typed; nothing changed" in capsys.readouterr().err
    assert check_passphrase("our own words", read_save(path).settings["white_cell_lock"])


def _at(tmp_path, step, timer=0.0):
    """A tutorial session brought to checkpoint `step` (the same each time it is built)."""
    session = new_session(tmp_path, timer=timer)
    if step == "briefing":
        return session
    brief_everyone(session)
    if step == "turn 1":
        return session
    play_turn_at_table(session)
    session.seen_results(TABLE, 1)
    if step == "turn 2":
        return session
    if step == "turn 2, a team has sent":
        session.take_keyboard("us")
        session.submit("us", [])
    elif step == "turn 2, after a forced inject":
        session.fire_inject("patron_call")
    elif step == "turn 2, after news":
        session.post_news("Ceasefire talks in Doha")
    elif step == "ended":
        session.end(session.scenario.outcomes[0].id, "time")
    return session


WHITE_CELL_TRIES = {
    "pause": lambda s: s.pause(),
    "inject": lambda s: s.fire_inject("patron_call"),
    "override": lambda s: s.override(
        next(e.key for e in s.turn_events() if type(e) is ev.RollMade and e.roll is not None), "why"
    ),
    "undo": lambda s: s.undo("why"),
    "start": lambda s: s.start_now(),
    "end": lambda s: s.end(s.scenario.outcomes[0].id, "why"),
}


@pytest.mark.parametrize(
    "step",
    [
        "briefing",
        "turn 1",
        "turn 2",
        "turn 2, a team has sent",
        "turn 2, after a forced inject",
        "turn 2, after news",
        "ended",
    ],
)
def test_the_white_cell_is_offered_an_act_exactly_when_it_can_be_done(tmp_path, step):
    """The menu's word on each act agrees with trying it, at every stage of a game; an act
    that cannot be done says why."""
    from game.engine.errors import GameError

    offered = _at(tmp_path / "menu", step).white_cell_acts()
    for act, attempt in WHITE_CELL_TRIES.items():
        session = _at(tmp_path / act, step)
        try:
            attempt(session)
            done = act != "pause" or bool(session.settings.timer_minutes)
        except (GameError, StopIteration):
            done = False
        assert (offered[act] is None) == done, (step, act, offered[act])
        assert offered[act] is None or len(offered[act]) > 10


def test_news_posted_early_in_a_turn_says_it_closed_the_override(tmp_path):
    """The override was greyed out with no word of the news that closed it."""
    session = _at(tmp_path, "turn 2")
    assert session.white_cell_acts()["override"] is None
    session.post_news("Ceasefire talks in Doha")
    assert session.white_cell_acts()["override"] == (
        "news posted in turn 2 closed it: a roll is overridden before any news or inject"
    )
    assert _at(tmp_path / "1", "turn 1").white_cell_acts()["override"] == "no turn played yet"


def test_time_up_with_nothing_chosen_says_that_no_orders_were_sent(tmp_path):
    """It said "your orders were sent as you had chosen them" when none had been chosen."""
    clock = FakeClock()
    session = new_session(tmp_path, table=False, timer=1, clock=clock)
    for role in ["us", "iraq", "militias"]:
        session.read_public(role)
        session.read_private(role)
    clock.now += 61
    assert sorted(session.tick()) == ["iraq", "militias", "us"]
    assert [m.text for m in session.take_messages("us")] == [
        "Time is up: no orders were sent for your team (none had been chosen)."
    ]
    assert session.game.pending["us"].actions == ()


def test_another_teams_public_track_says_whose_it_is():
    """Bravo's morale is public: Alpha and the room read 'Bravo: Morale', Bravo reads 'Morale'."""
    from helpers import started

    from game.workshop.present import Presenter

    presenter = Presenter(started(mini()))
    labels = {seat: [t.label for t in presenter.situation(seat).tracks] for seat in ("a", "b", TABLE)}
    assert "Bravo: Morale" in labels["a"] and "Bravo: Morale" in labels[TABLE]
    assert "Morale" in labels["b"] and "Bravo: Morale" not in labels["b"]
    assert "Cash" not in " ".join(labels["b"] + labels[TABLE])  # Alpha's private track


def test_news_made_by_the_white_cell_mid_turn_waits_for_each_team_and_only_humans(tmp_path):
    session = new_session(tmp_path, seating={"us": "human", "iraq": "human", "militias": "random"})
    brief_everyone(session)
    session.post_news("Ceasefire talks in Doha")
    session.fire_inject("patron_call")
    for role in ("us", "iraq"):
        texts = [m.text for m in session.take_messages(role)]
        assert texts[0] == "News just in: Ceasefire talks in Doha" and len(texts) == 2
        assert texts[1].startswith("News just in: ") and texts[1] != texts[0]
    assert session.take_messages("militias") == [] and session.take_messages("us") == []


def test_a_team_that_takes_over_from_a_bot_reads_its_private_briefing_before_ordering(tmp_path):
    """Handed back to people mid-game, a seat shows its private briefing (behind a hand-over at
    one table) before its orders, on the table and on a screen of its own."""
    session = new_session(tmp_path, seating={"us": "human", "iraq": "doctrine", "militias": "doctrine"})
    brief_everyone(session)
    session.hand_to_bot("iraq", "human")
    if session.table_stage().kind == HAND_OVER:
        session.take_keyboard("us")
    session.submit("us", [])
    assert kinds(session.table_stage()) == (HAND_OVER, "iraq", PRIVATE_BRIEFING)
    assert session.stage("iraq").kind == PRIVATE_BRIEFING
    session.take_keyboard("iraq")
    assert kinds(session.table_stage()) == (PRIVATE_BRIEFING, "iraq", None)
    session.read_private("iraq")
    assert kinds(session.table_stage()) == (ORDERS, "iraq", None)
    assert session.stage("iraq").kind == ORDERS
    with pytest.raises(FlowError):
        session.read_private("iraq")  # read once; the turn goes on


def test_crisis_passphrase_refuses_a_game_a_host_is_serving(tmp_path, capsys):
    """The host would write the old passphrase back at its next autosave: the new one
    would be printed as changed, and be lost."""
    from game.cli.main import main
    from game.workshop.saves import claim

    session = new_session(tmp_path)
    session.settings.white_cell_lock = hash_passphrase("the old words")
    session.autosave()
    path = session.autosave_to
    held = claim(path)  # what `crisis host --resume` holds while it serves the game
    try:
        assert main(["passphrase", str(path)]) == 1
        assert "is open (in crisis host, or in crisis-sim's window): close it first" in capsys.readouterr().err
        assert check_passphrase("the old words", read_save(path).settings["white_cell_lock"])
    finally:
        held.close()
    assert main(["passphrase", str(path)]) == 0  # once the host has stopped
    assert not check_passphrase("the old words", read_save(path).settings["white_cell_lock"])


def test_a_passphrase_too_short_to_keep_a_team_out_is_refused_and_changes_nothing(tmp_path, capsys, monkeypatch):
    from game.cli.main import main
    from game.workshop.passphrase import MIN_LENGTH, passphrase_problem

    assert MIN_LENGTH == 8
    assert passphrase_problem("12345678") is None and passphrase_problem("  umpiring  ") is None
    assert "at least 8 characters (this one has 7)" in passphrase_problem(" 1234567 ")
    # Spaces around it and invisible characters (pasted from a document) do not count.
    assert "(this one has 0)" in passphrase_problem(" " * 8) and "(this one has 0)" in passphrase_problem("\t\n" * 4)
    assert "(this one has 0)" in passphrase_problem("\u200b" * 8)  # zero-width spaces
    assert "(this one has 4)" in passphrase_problem("ab\u200b\x00\u2060\ufeffcd\u200d\x7f")
    assert passphrase_problem("red fox  sky") is None and passphrase_problem("çàéü ñöîå") is None
    session = new_session(tmp_path)
    session.settings.white_cell_lock = hash_passphrase("the old words")
    session.autosave()
    path = session.autosave_to
    with pytest.raises(FlowError, match="at least 8 characters"):
        session.change_passphrase("ab", path)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "umpire")
    assert main(["passphrase", str(path), "--ask"]) == 1
    assert "(this one has 6)" in capsys.readouterr().err
    assert check_passphrase("the old words", read_save(path).settings["white_cell_lock"])


def test_an_event_whose_chance_was_rolled_is_one_entry_with_its_dice_then_its_effects():
    """A reviewer read each chance event twice in the results: 'Event: X' with its dice,
    then 'Event: X' again with what it did."""
    from game.engine import Game
    from game.players import make_bot, play_game
    from game.workshop.present import Presenter

    loaded = shipped(FLAGSHIP)
    game = play_game(Game(loaded, 0), {r.id: make_bot("doctrine") for r in loaded.scenario.roles})
    checked = 0
    for turn in range(1, game.turn):
        fired = {e.inject for e in game.attempt(turn) if type(e) is ev.InjectFired and not e.forced}
        rolled = {e.key for e in game.attempt(turn) if type(e) is ev.RollMade and e.roll is not None}
        for seat in ("us", FACILITATOR):
            events = [e for e in Presenter(game).results(seat, turn).entries if e.kind == "event"]
            titles = [e.title for e in events]
            assert len(titles) == len(set(titles)), titles
            for inject in fired:
                entry = next(e for e in events if e.title == game.rules.injects[inject].title)
                if any(inject in key for key in rolled):  # it had a chance, rolled first
                    assert entry.rolls and (entry.changes or entry.facts or entry.news), entry
                    checked += 1
    assert checked  # the game had such an event (seed 0: 'Islamic State cells strike', turn 2)
