"""The parts of networked play below the sockets: join codes and their throttle,
the strict reading of what a client sends, views back from JSON, and the
host's state kept in the autosave."""

from __future__ import annotations

import json
import math

import pytest
from helpers import FLAGSHIP, TUTORIAL, shipped

from game.net import protocol as p
from game.net.codes import ALPHABET, Codes, Throttle, WebTabs, new_code, normalise
from game.workshop import present
from game.workshop.flow import FACILITATOR, ROOM
from game.workshop.present import Presenter, from_data, to_data
from game.workshop.session import Session, Settings

SEATS = ["us", "iraq", "militias", FACILITATOR, ROOM]

# ------------------------------------------------------------------- codes


def test_codes_carry_at_least_40_bits_and_read_back_however_they_are_typed():
    code = new_code()
    assert len(code) == 14 and code[4] == code[9] == "-"
    assert set(code.replace("-", "")) <= set(ALPHABET)
    # 12 characters from 31: counted by hand, 12 * log2(31) = 59.4 bits.
    assert 12 * math.log2(31) > 59 and len(ALPHABET) == 31
    assert not set("01ILO") & set(ALPHABET)  # no look-alikes
    assert len({new_code() for _ in range(200)}) == 200
    codes, plain = Codes.issue(SEATS)
    us = plain["us"]
    assert codes.seat_of(us) == "us"
    assert codes.seat_of(us.lower().replace("-", " ")) == "us"
    assert codes.seat_of(us.replace("-", "")) == "us"
    assert codes.seat_of(us[:-1] + ("2" if us[-1] != "2" else "3")) is None
    assert codes.seat_of("") is None and codes.seat_of("x" * 10_000) is None
    assert normalise(" ab-cd ") == "ABCD"


def test_codes_are_kept_only_as_salted_hashes_and_come_back_from_the_save():
    codes, plain = Codes.issue(SEATS)
    saved = json.dumps(codes.saved())
    assert not any(code in saved or normalise(code) in saved for code in plain.values())
    again = Codes.restored(json.loads(saved), set(SEATS))
    assert again is not None and all(again.seat_of(plain[s]) == s for s in SEATS)
    other, _ = Codes.issue(SEATS)
    assert other.seat_of(plain["us"]) is None  # a new salt: the old codes mean nothing
    for damaged in (None, [], {"salt": "zz", "hashes": {}}, {"salt": "00" * 16, "hashes": {"us": "00" * 32}}):
        assert Codes.restored(damaged, set(SEATS)) is None


def test_an_ipv6_machine_gets_no_fresh_count_of_wrong_codes_by_changing_its_address():
    """A machine may use any address of its /64 (privacy addresses rotate on their own): wrong
    codes count against the /64, and an IPv4 address seen through a dual-stack socket is itself."""
    throttle = Throttle(free=2)
    for i, address in enumerate(["2001:db8:1:2::a", "2001:db8:1:2:ffff::b", "2001:db8:1:2:1234:5678:9:c"]):
        throttle.failed(address, 100.0 + i)
    assert throttle.wait("2001:db8:1:2::d", 102.0) == 1.0  # a fourth address of the same /64 waits
    assert throttle.wait("2001:db8:1:3::a", 102.0) == 0  # the next /64 is another network
    throttle.failed("192.0.2.7", 103.0)
    throttle.failed("::ffff:192.0.2.7", 104.0)
    throttle.failed("192.0.2.7", 105.0)
    assert throttle.wait("::ffff:192.0.2.7", 105.0) == 1.0
    tabs = WebTabs(most_per_browser=2)
    assert tabs.open("2001:db8:1:2::a") and tabs.open("2001:db8:1:2::b")
    assert tabs.open("2001:db8:1:2::c") is None  # the /64's tabs are capped as one browser's


def test_wrong_codes_are_free_five_times_then_wait_twice_as_long_each_time():
    throttle = Throttle()
    for i in range(5):
        throttle.failed("10.0.0.9", 100.0 + i)
        assert throttle.wait("10.0.0.9", 100.0 + i) == 0
    throttle.failed("10.0.0.9", 110.0)
    assert throttle.wait("10.0.0.9", 110.0) == 1.0
    throttle.failed("10.0.0.9", 111.0)
    assert throttle.wait("10.0.0.9", 111.0) == 2.0
    for t in range(112, 130):
        throttle.failed("10.0.0.9", float(t))
    assert throttle.wait("10.0.0.9", 129.0) == 60.0  # never more than a minute
    assert throttle.wait("127.0.0.1", 129.0) == 0  # another address is not punished
    assert throttle.wait("10.0.0.9", 129.0 + 61) == 0
    # Old failures are forgotten after the window.
    fresh = Throttle()
    for t in range(5):
        fresh.failed("a", float(t))
    fresh.failed("a", 1000.0)
    assert fresh.wait("a", 1000.0) == 0


# ---------------------------------------------------------------- messages


def command(**changes):
    message = {"v": 1, "type": "command", "id": "c1", "turn": 2, "do": "submit", "args": {}}
    message["args"] = {"actions": ["talk"], "why": "", "intent": ""}
    message.update(changes)
    return json.dumps(message)


def test_a_hello_and_a_command_are_read_strictly():
    assert p.parse_hello('{"v": 1, "type": "hello", "code": "ABCD"}') == p.Hello("ABCD", None)
    assert p.parse_hello('{"v": 1, "type": "hello", "code": "ABCD", "tab": "t1"}') == p.Hello("ABCD", None, "t1")
    assert p.parse_command(command(), p.TEAM) == p.Command(
        "c1", 2, "submit", {"actions": ["talk"], "why": "", "intent": ""}
    )
    refused = [
        ("not json", p.TEAM, "bad_message"),
        ("[1, 2]", p.TEAM, "bad_message"),
        ('{"v": 2, "type": "hello", "code": "x"}', p.TEAM, "version"),
        (command(extra=1), p.TEAM, "bad_message"),
        (command(turn="2"), p.TEAM, "bad_message"),
        (command(turn=True), p.TEAM, "bad_message"),
        (command(id=""), p.TEAM, "bad_message"),
        (command(id="x" * 65), p.TEAM, "bad_message"),
        (command(args={"actions": ["talk"], "why": "", "intent": "", "role": "iraq"}), p.TEAM, "bad_message"),
        (command(args={"actions": "talk", "why": "", "intent": ""}), p.TEAM, "bad_message"),
        (command(args={"actions": ["a"] * 21, "why": "", "intent": ""}), p.TEAM, "bad_message"),
        (command(args={"actions": ["talk"], "why": "w" * 201, "intent": ""}), p.TEAM, "bad_message"),
        (command(do="end", args={"outcome": "x", "reason": "y"}), p.TEAM, "not_allowed"),
        (command(), p.WHITE_CELL, "not_allowed"),
        (command(), p.ROOM_SEAT, "not_allowed"),
        (command(do="format_disk"), p.WHITE_CELL, "unknown_command"),
        ('{"v": 1, "type": "hello", "code": "x"}', p.TEAM, "bad_message"),
    ]
    for text, kind, code in refused:
        with pytest.raises(p.ProtocolError) as caught:
            p.parse_command(text, kind)
        assert caught.value.code == code, text
    for text in (
        '{"v": 1, "type": "command"}',
        '{"v": 1, "type": "hello", "code": 5}',
        '{"v": 1, "type": "hello"}',
        '{"v": 1, "type": "hello", "code": "x", "tab": 5}',
        '{"v": 1, "type": "hello", "code": "x", "tab": "' + "t" * 65 + '"}',
    ):
        with pytest.raises(p.ProtocolError):
            p.parse_hello(text)
    with pytest.raises(p.ProtocolError):
        p.loads(b"\x00binary")
    assert p.loads(p.dumps({"type": "ack", "id": "x"})) == {"v": 1, "type": "ack", "id": "x"}


def test_a_web_tabs_ticket_counts_only_from_this_machine_and_while_its_tab_is_open():
    tabs = WebTabs()
    ticket = tabs.open("192.0.2.7")
    assert tabs.browser("127.0.0.1", ticket) == tabs.browser("::1", ticket) == "192.0.2.7"
    assert tabs.browser("198.51.100.3", ticket) is None  # a ticket from elsewhere is nothing
    assert tabs.browser("127.0.0.1", None) is tabs.browser("127.0.0.1", "guessed") is None
    assert tabs.open("192.0.2.7") != ticket  # one per tab, even from one browser
    tabs.close(ticket)
    assert tabs.browser("127.0.0.1", ticket) is None


def test_each_browser_tab_runs_a_join_client_with_its_own_ticket_in_its_environment(monkeypatch, capsys):
    """The ticket was on the join client's command line, which `ps` shows every user of the
    machine: it is in the client's environment now (its owner's only), and read from there."""
    from game.cli.main import main
    from game.net.web import TAB_VARIABLE, join_command, tab_environment

    assert join_command("ws://127.0.0.1:8765").endswith("game join ws://127.0.0.1:8765")
    assert tab_environment({"HOME": "/h"}, "t-1_x") == {"HOME": "/h", TAB_VARIABLE: "t-1_x"}
    assert tab_environment({"HOME": "/h"}, None) == {"HOME": "/h"}  # a server that gave no ticket
    monkeypatch.setenv(TAB_VARIABLE, "$(reboot)")  # not something `WebTabs.open` makes
    assert main(["join", "ws://127.0.0.1:8765"]) == 2
    assert "not a ticket from this game's web front" in capsys.readouterr().err
    with pytest.raises(SystemExit) as refused:  # and never on the command line
        main(["join", "ws://127.0.0.1:8765", "--tab", "t-1_x"])
    assert refused.value.code == 2


# ------------------------------------------------------------------- views


def played(tmp_path, turns=2):
    loaded = shipped(FLAGSHIP)
    roles = [r.id for r in loaded.scenario.roles]
    session = Session.new(loaded, Settings(dict.fromkeys(roles, "doctrine"), seed=7), tmp_path, table=False)
    session.start_now()
    for _ in range(turns):
        session.resolve()
    return session


def test_every_view_comes_back_from_json_as_it_was(tmp_path):
    session = played(tmp_path)
    presenter = Presenter(session.game, session.players())
    done = session.last_resolved_turn()
    views = [
        presenter.briefing("us"),
        presenter.briefing(ROOM),
        presenter.orders("iraq", ("condemn_pursue",), 12.5, True),
        presenter.situation(FACILITATOR),
        presenter.situation(ROOM),
        presenter.news("militias"),
        presenter.team("us"),
        presenter.results("us", done),
        presenter.results(FACILITATOR, done),
        presenter.reveal({"us": ("call_sudani", "no_such_order")}),
    ]
    for view in views:
        data = json.loads(json.dumps(to_data(view)))
        assert from_data(type(view), data) == view


def test_a_view_that_is_not_what_it_should_be_is_refused(tmp_path):
    session = played(tmp_path, 1)
    data = to_data(Presenter(session.game).situation("us"))
    for broken in (
        {**data, "extra": 1},
        {k: v for k, v in data.items() if k != "ladder"},
        {**data, "history": ["high"]},
        {**data, "headline": 5},
        {**data, "flags": [["text"]]},
        {**data, "header": {**data["header"], "turn": 1.5}},
        {**data, "header": {**data["header"], "turn": True}},
        [],
    ):
        with pytest.raises(ValueError):
            from_data(present.SituationView, broken)


def test_the_host_state_is_kept_in_the_autosave_and_comes_back(tmp_path):
    loaded = shipped(TUTORIAL)
    session = Session.new(
        loaded, Settings(dict.fromkeys(["us", "iraq", "militias"], "human"), seed=2), tmp_path, table=False
    )
    session.host["applied"] = {"us": ["a1", "a2"]}
    session.read_public("us")
    again = Session.resume(session.autosave_to, saves_dir=tmp_path, table=False)
    assert again.host == {"applied": {"us": ["a1", "a2"]}}
    assert "us" in again.flow.public_read


@pytest.mark.parametrize(
    "asked, size", [("20", 20), ("", 16), ("²", 16), ("٣٣", 16), ("7", 16), ("49", 16), ("1e1", 16)]
)
def test_the_browser_pages_font_size_is_read_safely(asked, size):
    from game.net.web import font_size

    assert font_size(asked) == size


@pytest.mark.parametrize(
    "replies, refused",
    [
        ([b"\x00\x01"], True),  # another WebSocket server, binary: was a ProtocolError out of run()
        (["hello there"], True),  # another one, text: the same
        (['{"v":1,"type":"welcome"}', '{"v":1,"type":"ack","id":[1]}'], False),  # was a TypeError (unhashable id)
    ],
)
def test_a_join_client_facing_something_else_than_a_host_says_so_or_carries_on(replies, refused):
    import asyncio

    from net_harness import run_bounded
    from websockets.asyncio.server import serve

    from game.net.client import Client, Refused

    async def run():
        async def handler(ws):
            await ws.recv()
            for reply in replies:
                await ws.send(reply)
            await asyncio.sleep(5)

        async with serve(handler, "127.0.0.1", 0) as server:
            client = Client(f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}", "CODE", first_delay=0.05)
            task = asyncio.create_task(client.run())
            if refused:
                with pytest.raises(Refused, match="did not answer as a crisis-sim host"):
                    await task
                return
            await asyncio.sleep(0.5)  # the odd answer came and went
            assert not task.done() and client.status == "connected"
            await client.close()
            await task

    run_bounded(run(), 15)
