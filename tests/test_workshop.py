"""The workshop session owns the flow at the table: hand-overs, briefings,
timers, the White Cell, messages and the autosave. All plain Python, tested
here below the interface."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from helpers import TUTORIAL, mini, shipped

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
    assert session.seconds_left("us") == 60 and session.seconds_left("iraq") is None
    assert session.stage(FACILITATOR).kind == ORDERS


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
