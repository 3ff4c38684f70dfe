"""The host with real clients on loopback, in one process: a whole game whose every
frame is scanned for other teams' secrets, the protocol's promises (numbering
per seat, ack after the autosave, a retry applied once, stale commands), and
hostile clients that get an error or a disconnect while the game goes on."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from typing import Literal

import pytest
from net_harness import Seat, hosted, run_bounded, seated, settled, through_briefings, timed_session
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from game.engine import Seat as EngineSeat
from game.engine import events as ev
from game.net import protocol as p
from game.net.client import Client, CommandRefused, Refused
from game.net.codes import Throttle
from game.net.host import MAX_ROOM_VIEWS
from game.workshop.flow import FACILITATOR, ROOM
from game.workshop.saves import read_save

# ----------------------------------------------------------------- secrets


def static_secrets(session, role: str) -> set[str]:
    """What only `role` may ever see before the review: its private briefing, its private
    tracks' names, and its private or covert actions (fog of war), with their dice."""
    scenario = session.scenario
    briefing = {" ".join(t.text.split())[:50] for t in EngineSeat(session.game, role).view().private_briefing}
    elsewhere = {t.label for t in scenario.tracks} | {t.label for r in scenario.roles if r.id != role for t in r.tracks}
    private = {t.label for t in scenario.role(role).tracks if (t.visibility or "private") == "private"}
    hidden = {a.label for a in scenario.role(role).actions if a.visibility != "public"}
    return briefing | (private - elsewhere) | hidden


def own_labels(session, role: str) -> set[str]:
    return {a.label for a in session.scenario.role(role).actions} if role in session.teams() else set()


def leaks(session, seat: str, frames: list[dict], orders_by_turn: dict[int, dict[str, list[str]]]) -> list[str]:
    """Every other team's secret found in the frames `seat` received before the end."""
    found = []
    others = [r for r in session.teams() if r != seat]
    mine = own_labels(session, seat)
    # A team's one-line reasons stay its own until the review, like its private briefing.
    secret = {r: (static_secrets(session, r) | {f"{r} has its reasons"}) - mine for r in others}
    for frame in frames:
        stage = frame["stage"]["kind"]
        if stage == "end":
            continue  # the review reveals everything
        text = json.dumps(frame, ensure_ascii=False)
        for role in others:
            found += [f"{role}'s {s!r} in a {stage} frame" for s in secret[role] if s in text]
        if stage in ("orders", "waiting", "room"):
            # This turn's orders, before its results (the last turn's results may repeat a label).
            now = json.dumps({k: v for k, v in frame["views"].items() if k != "results"}, ensure_ascii=False)
            for role in others:
                labels = set(orders_by_turn.get(frame["turn"], {}).get(role, [])) - mine
                found += [f"{role}'s order {label!r} at turn {frame['turn']}" for label in labels if label in now]
    return found


def test_a_whole_game_over_the_network_shows_no_team_another_teams_secrets(tmp_path):
    """Three teams, the White Cell and the room play the tutorial to its end on loopback.
    Every frame each seat received is scanned: no team (and never the room) got another
    team's private briefing, private tracks, private actions, or orders before the results."""

    async def run():
        async with hosted(tmp_path) as (host, plain, uri):
            session = host.session
            teams = session.humans()
            seats = await seated(uri, plain)
            assert {s: seat.stage for s, seat in seats.items()} == dict.fromkeys(teams + [ROOM], "public_briefing") | {
                FACILITATOR: "briefing"
            }
            assert all(static_secrets(session, r) for r in teams)
            await through_briefings(seats, teams)
            orders_by_turn: dict[int, dict[str, list[str]]] = {}
            public_by_turn: dict[int, dict[str, list[str]]] = {}
            given_hidden: set[str] = set()
            while True:
                turn = seats[teams[0]].frame["turn"]
                for role in teams:
                    seat = seats[role]
                    view = (await seat.at("orders", turn))["views"]["orders"]
                    # Private and covert actions first, so their orders and dice are there to leak;
                    # no spying (an action that reveals another team's orders or tracks is
                    # intelligence the team may see, which the engine's fog tests cover).
                    actions = session.scenario.role(role).actions
                    hidden = {a.id for a in actions if a.visibility != "public"}
                    spying = {a.id for a in actions if any(r.reveal for r in a.results)}
                    playable = [a for a in seat.available() if a not in spying]
                    choice = sorted(playable, key=lambda a: a not in hidden)[: view["orders_per_turn"]]
                    given_hidden.update(f"{role}.{a}" for a in choice if a in hidden)
                    labels = {a["id"]: a["label"] for a in view["actions"]}
                    await seat.do("draft", actions=choice[:1])
                    assert await seat.do("submit", actions=choice, why=f"{role} has its reasons", intent="") is None
                    orders_by_turn.setdefault(turn, {})[role] = [labels[a] for a in choice]
                    public_by_turn.setdefault(turn, {})[role] = [labels[a] for a in choice if a not in hidden]
                    if role == teams[0] and turn == 1:
                        await seats[FACILITATOR].do("post_news", text="The White Cell says: keep calm.")
                    if role == teams[1] and turn == 2:
                        revealed = await seats[FACILITATOR].do("reveal")
                        assert [t["status"] for t in revealed["teams"]][:3] == ["sent", "sent", "none"]
                for role in teams:
                    await seats[role].at("results", turn)
                reader = teams[2]
                results = seats[reader].frame["views"]["results"]
                # The teams' orders, revealed: a team's own in full, another's public ones only
                # (a bot-only party such as Tehran comes after them).
                assert [o["orders"] for o in results["orders"]][: len(teams)] == [
                    orders_by_turn[turn][r] if r == reader else public_by_turn[turn][r] for r in teams
                ]
                if not session.game.over:
                    await seats[ROOM].until(lambda f, t=turn: f["views"].get("results", {}).get("turn") == t)
                for role in teams:
                    await seats[role].do("seen_results", turn=turn)
                if session.game.over:
                    break
            for seat in seats.values():
                end = await seat.at("end")
                assert "Turn 1" in end["report"] and end["views"]["end"]["outcome"]
            assert session.game.turn >= 3
            # Private and covert orders were given and rolled (the tutorial has both kinds).
            kinds = {session.game.rules.actions[a].visibility for a in given_hidden}
            assert kinds == {"private", "covert"}, given_hidden
            # The White Cell's news reached every seat.
            for name in teams + [ROOM]:
                assert any("keep calm" in json.dumps(f) for f in seats[name].frames)
            for name, seat in seats.items():
                if name != FACILITATOR:
                    assert leaks(session, name, seat.frames, orders_by_turn) == [], name
                # Numbered per seat, from 1, with no gaps.
                numbers = sorted(m["n"] for m in seat.frames + seat.messages)
                assert numbers == list(range(1, len(numbers) + 1)) and seat.client.gaps == 0
            # The scan can fail: the facilitator's frames (which see all) hold other teams' secrets.
            assert leaks(session, "us", seats[FACILITATOR].frames, orders_by_turn)
            for seat in seats.values():
                await seat.close()

    run_bounded(run())


def test_an_override_and_an_undo_show_no_team_another_teams_secrets(tmp_path):
    """What the White Cell's override and undo send every seat (the re-run's screens, the
    lines telling each team why its screen went back, the room's clock and waiting list) is
    scanned like a whole game: no team (nor the room) gets another team's secrets."""

    async def run():
        session, clock = timed_session(tmp_path / "saves", 5)
        async with hosted(tmp_path, session) as (host, plain, uri):
            teams = session.humans()
            seats = await seated(uri, plain)
            await through_briefings(seats, teams)
            orders: dict[int, dict[str, list[str]]] = {1: {}}
            for role in teams:
                view = (await seats[role].at("orders", 1))["views"]["orders"]
                # A private or covert order, not a spying one (what intelligence shows a team is
                # meant for it: the engine's fog tests cover it).
                actions = session.scenario.role(role).actions
                hidden = {a.id for a in actions if a.visibility != "public"}
                spying = {a.id for a in actions if any(r.reveal for r in a.results)}
                playable = [a for a in seats[role].available() if a not in spying]
                choice = sorted(playable, key=lambda a: a not in hidden)[:1]
                labels = {a["id"]: a["label"] for a in view["actions"]}
                orders[1][role] = [labels[a] for a in choice]
                await seats[role].do("submit", actions=choice, why=f"{role} has its reasons", intent="")
            for role in teams:
                await seats[role].at("results", 1)
            rolled = next(e.key for e in session.game.attempt(1) if isinstance(e, ev.RollMade) and e.roll)
            await seats[FACILITATOR].do("override", key=rolled, reason="a ruling")
            await seats[FACILITATOR].do("undo", reason="once more", fresh_dice=True)
            for role in teams:
                await seats[role].at("orders", 1)
                await seats[role].until(lambda f, r=role: len(seats[r].messages) >= 2)
            for name, seat in seats.items():
                if name == FACILITATOR:
                    continue
                assert leaks(session, name, seat.frames, orders) == [], name
                others = [r for r in teams if r != name]
                secrets = set().union(*(static_secrets(session, r) | {f"{r} has its reasons"} for r in others))
                secrets -= own_labels(session, name) if name in teams else set()
                told = json.dumps(seat.messages, ensure_ascii=False)
                assert not [s for s in secrets if s in told], name
            assert [m["text"] for m in seats[teams[0]].messages][-1].startswith("The White Cell took turn 1 back")
            assert leaks(session, "us", seats[FACILITATOR].frames, orders)  # the scan can fail: the White Cell sees all
            for seat in seats.values():
                await seat.close()

    run_bounded(run())


def test_frames_are_numbered_per_seat_so_a_team_cannot_count_what_it_does_not_see(tmp_path):
    async def run():
        async with hosted(tmp_path) as (host, plain, uri):
            seats = await seated(uri, plain)
            await through_briefings(seats, host.session.humans())
            await settled(host, seats)
            before = {name: seat.client.last_n for name, seat in seats.items()}
            us = seats["us"]
            options = us.available()
            for i in range(5):  # the US team changes its mind five times
                await us.do("draft", actions=options[i % 2 : i % 2 + 1])
            await seats[FACILITATOR].until(
                lambda f: any(t["role"] == "us" and t["orders"] == "choosing" for t in f["teams"])
            )
            await settled(host, seats)
            after = {name: seat.client.last_n for name, seat in seats.items()}
            # The room and the other teams saw nothing change, and their numbers did not move.
            assert after["iraq"] == before["iraq"] and after["militias"] == before["militias"]
            assert after[ROOM] == before[ROOM]
            assert after["us"] > before["us"] and after[FACILITATOR] > before[FACILITATOR]

    run_bounded(run())


# ------------------------------------------------------ the protocol's promises


def test_a_command_is_acked_after_its_autosave_and_a_retry_is_applied_once(tmp_path):
    async def run():
        async with hosted(tmp_path) as (host, plain, uri):
            session = host.session
            seats = await seated(uri, plain)
            await through_briefings(seats, session.humans())
            us = seats["us"]
            choice = us.available()[:1]
            message = {
                "type": "command",
                "id": "order-1",
                "turn": 1,
                "do": "submit",
                "args": {"actions": choice, "why": "", "intent": ""},
            }
            async with connect(uri) as ws:  # a second connection for the same seat takes it over
                await ws.send(p.dumps({"type": "hello", "code": plain["us"]}))
                assert p.loads(await ws.recv())["type"] == "welcome"
                await ws.send(p.dumps(message))
                answer = await next_of(ws, "ack")
                assert answer["id"] == "order-1" and "again" not in answer
                # Acked: it is in the autosave already.
                saved = read_save(session.autosave_to)
                assert [c for c in saved.commands if c.get("role") == "us" and c.get("kind") == "submit"]
                assert "order-1" in saved.workshop["host"]["applied"]["us"]
                commands = len(session.game.commands)
                await ws.send(p.dumps(message))  # the same id again: answered, not applied
                again = await next_of(ws, "ack")
                assert again["again"] is True and len(session.game.commands) == commands
                # A new id is a new command: the rules judge it (here, an order the team does not have).
                await ws.send(
                    p.dumps({**message, "id": "order-2", "args": {**message["args"], "actions": ["no_such"]}})
                )
                error = await next_of(ws, "error")
                assert error["code"] == "refused" and error["id"] == "order-2"
            with pytest.raises(Refused) as taken:
                await us.task
            assert taken.value.code == "taken_over"

    run_bounded(run())


def test_the_white_cell_is_told_when_a_seat_is_opened_from_a_second_terminal(tmp_path):
    """A code typed at the wrong table took that seat with no word to the facilitator."""

    async def run():
        async with hosted(tmp_path) as (host, plain, uri):
            white_cell = Seat(uri, plain[FACILITATOR], FACILITATOR)
            first = Seat(uri, plain["iraq"], "iraq")
            await first.until(lambda f: True)
            await white_cell.until(lambda f: True)
            assert not white_cell.messages
            second = Seat(uri, plain["iraq"], "iraq")  # Iraq's code, typed at the wrong table
            await second.until(lambda f: True)
            await white_cell.until(lambda f: bool(white_cell.messages))
            [told] = white_cell.messages
            assert told["severity"] == "warning"
            assert told["text"].startswith("Government of Iraq was opened from another terminal (127.0.0.1")
            with pytest.raises(Refused):
                await first.task
            for seat in (second, white_cell):
                await seat.close()

    run_bounded(run())


def test_several_room_views_each_get_the_public_frames_and_one_closing_leaves_the_others(tmp_path):
    """A second projector (or the facilitator's own preview of the room) took the room over,
    and the first went blank. Now each gets the same frames, up to a cap, and the White Cell
    hears of each one more."""

    async def run():
        async with hosted(tmp_path) as (host, plain, uri):
            white_cell = Seat(uri, plain[FACILITATOR], FACILITATOR)
            projector, preview = Seat(uri, plain[ROOM], ROOM), Seat(uri, plain[ROOM], ROOM)
            for seat in (white_cell, projector, preview):
                await seat.until(lambda f: True)
            await white_cell.until(lambda f: f["room_views"] == 2)
            assert white_cell.messages[-1]["text"].startswith("Another screen shows the room's view (127.0.0.1")
            teams = {r: Seat(uri, plain[r], r) for r in host.session.humans()}
            await through_briefings(teams, list(teams))
            await white_cell.do("post_news", text="Talks resume in Erbil")
            for room in (projector, preview):
                frame = await room.until(lambda f: "Talks resume in Erbil" in json.dumps(f["views"]["news"]))
                assert frame["stage"]["kind"] == "room"
            assert projector.frame["views"] == preview.frame["views"]  # the same public frame
            assert projector.client.gaps == preview.client.gaps == 0
            # The cap: as many as MAX_ROOM_VIEWS, and one more is refused with a reason.
            more = [Seat(uri, plain[ROOM], ROOM) for _ in range(MAX_ROOM_VIEWS - 2)]
            for seat in more:
                await seat.until(lambda f: True)
            extra = Seat(uri, plain[ROOM], ROOM)
            with pytest.raises(Refused) as refused:
                await extra.task
            assert refused.value.code == "too_many_rooms" and "close one first" in refused.value.message
            for seat in more:
                await seat.close()
            await preview.close()
            await white_cell.until(lambda f: f["room_views"] == 1 and f["room_connected"])
            await white_cell.do("post_news", text="A second statement from Erbil")
            await projector.until(lambda f: "A second statement" in json.dumps(f["views"]["news"]))
            assert projector.client.status == "connected" and projector.client.gaps == 0
            for seat in [projector, white_cell, *teams.values()]:
                await seat.close()

    run_bounded(run())


async def next_of(ws, kind: str) -> dict:
    while True:
        message = p.loads(await asyncio.wait_for(ws.recv(), 5))
        if message["type"] == kind:
            return message


def test_a_command_for_a_past_turn_or_another_seat_is_refused_and_nothing_changes(tmp_path):
    async def run():
        async with hosted(tmp_path) as (host, plain, uri):
            session = host.session
            seats = await seated(uri, plain)
            await through_briefings(seats, session.humans())
            us, room = seats["us"], seats[ROOM]
            commands = len(session.game.commands)
            for do, args, turn, code in [
                ("submit", {"actions": us.available()[:1], "why": "", "intent": ""}, 0, "stale"),
                ("submit", {"actions": us.available()[:1], "why": "", "intent": ""}, 2, "stale"),
                ("seen_results", {"turn": 1}, 1, "refused"),  # no results yet
                ("submit", {"actions": ["strike_iran"], "why": "", "intent": ""}, 1, "refused"),  # not the US team's
                ("submit", {"actions": ["evil"] * 30, "why": "", "intent": ""}, 1, "bad_message"),
            ]:
                with pytest.raises(CommandRefused) as refused:
                    await us.client.command(do, args, turn)
                assert refused.value.code == code, (do, args)
            for seat, do, args in [
                (us, "end", {"outcome": "x", "reason": "y"}),
                (us, "hand_to_bot", {"role": "iraq", "kind": "doctrine"}),
                (room, "read_public", {}),
                (seats[FACILITATOR], "submit", {"actions": [], "why": "", "intent": ""}),
            ]:
                with pytest.raises(CommandRefused) as refused:
                    await seat.do(do, **args)
                assert refused.value.code == "not_allowed"
            with pytest.raises(CommandRefused):
                await us.do("submit", actions=us.available()[:1], why="", intent="", role="iraq")
            assert len(session.game.commands) == commands and not session.game.pending
            # The game goes on.
            for role in session.humans():
                await seats[role].do("submit", actions=seats[role].available()[:1], why="", intent="")
            await us.at("results", 1)

    run_bounded(run())


def test_a_command_the_host_fails_on_is_answered_and_the_next_one_is_applied(tmp_path):
    async def run():
        logged: list[str] = []
        async with hosted(tmp_path, log=logged.append) as (host, plain, uri):
            seats = await seated(uri, plain)
            us = seats["us"]
            do = host._do

            secret = next(a.label for a in host.session.scenario.role("iraq").actions if a.visibility != "public")

            def buggy(seat, command):
                if command.do == "read_public":
                    raise TypeError(f"a bug near {secret}")
                return do(seat, command)

            host._do = buggy
            with pytest.raises(CommandRefused) as failed:
                await us.do("read_public")
            assert failed.value.code == "refused" and "the host failed on it" in failed.value.message
            # What failed is in the host's log, never sent: an error's text may hold another team's secret.
            assert "a bug" not in failed.value.message and secret not in json.dumps(us.frames + us.messages)
            assert any(f"TypeError: a bug near {secret}" in line for line in logged)
            host._do = do
            await us.do("read_public")  # the seat's next command is applied as usual
            await us.at("private_briefing")

    run_bounded(run())


def test_a_dropped_connection_comes_back_by_itself_with_its_screen(tmp_path):
    async def run():
        async with hosted(tmp_path) as (host, plain, uri):
            seats = await seated(uri, plain)
            await through_briefings(seats, host.session.humans())
            iraq = seats["iraq"]
            choice = iraq.available()[:1]
            await iraq.do("draft", actions=choice)
            await host.state["iraq"].link.ws.close()  # the network drops it
            frame = await iraq.until(lambda f: iraq.welcomes == 2 and len(iraq.frames) > iraq.first_after_welcome)
            assert "reconnecting" in iraq.statuses and iraq.client.status == "connected"
            assert frame["stage"]["kind"] == "orders" and frame["views"]["orders"]["draft"] == choice  # kept
            await iraq.do("submit", actions=iraq.available()[:1], why="", intent="")
            await seats[FACILITATOR].until(
                lambda f: any(t["role"] == "iraq" and t["orders"] == "sent" for t in f["teams"])
            )

    run_bounded(run())


def test_orders_applied_as_their_connection_drops_still_move_every_screen_on(tmp_path):
    """The last team's orders are being applied when its connection drops: the turn resolves,
    and every team is shown the results (not only the team that comes back)."""

    async def run():
        async with hosted(tmp_path) as (host, plain, uri):
            seats = await seated(uri, plain)
            await through_briefings(seats, host.session.humans())
            for role in ("us", "iraq"):
                await seats[role].do("submit", actions=seats[role].available()[:1], why="", intent="")
            militias = seats["militias"]
            applying, gate = threading.Event(), threading.Event()
            apply = host._apply

            def slow_apply(seat, command):  # applied, then a slow disk holds its answer back
                answer = apply(seat, command)
                applying.set()
                gate.wait()
                return answer

            host._apply = slow_apply
            applier = next(t for t in asyncio.all_tasks() if t.get_name() == "host: applier for militias")
            submit = asyncio.create_task(militias.do("submit", actions=militias.available()[:1], why="", intent=""))
            while not applying.is_set():
                await asyncio.sleep(0.01)
            await host.state["militias"].link.ws.close()  # the network drops them
            while not applier.done():
                await asyncio.sleep(0.01)
            gate.set()
            assert await submit is None  # sent again on reconnecting: answered, applied once
            for role in ("us", "iraq", "militias"):
                await seats[role].at("results", 1, seconds=5)
            assert [type(e) for e in host.session.game.log].count(ev.OrdersRevealed) == 1

    run_bounded(run())


def test_a_client_closed_while_it_connects_or_waits_to_reconnect_stops_at_once(tmp_path):
    async def run():
        async with hosted(tmp_path) as (host, plain, uri):
            client = Client(uri, plain["us"])
            running = asyncio.create_task(client.run())
            await asyncio.sleep(0)  # it is opening its connection: there is none to close yet
            await client.close()
            await asyncio.wait_for(running, 2)
            assert client.status == "closed" and host.state["us"].link is None
        with socket.socket() as nothing_there:
            nothing_there.bind(("127.0.0.1", 0))
            client = Client(f"ws://127.0.0.1:{nothing_there.getsockname()[1]}", plain["us"], first_delay=60)
            running = asyncio.create_task(client.run())
            while client.status != "reconnecting":
                await asyncio.sleep(0.01)
            await client.close()  # not after the 60 s it would wait before trying again
            await asyncio.wait_for(running, 2)

    run_bounded(run())


def test_a_team_that_drops_does_not_stall_the_game(tmp_path):
    async def run():
        async with hosted(tmp_path) as (host, plain, uri):
            seats = await seated(uri, plain)
            await through_briefings(seats, host.session.humans())
            await seats["militias"].close()
            white_cell = seats[FACILITATOR]
            await white_cell.until(lambda f: not next(t for t in f["teams"] if t["role"] == "militias")["connected"])
            for role in ("us", "iraq"):
                await seats[role].do("submit", actions=seats[role].available()[:1], why="", intent="")
            await white_cell.do("hand_to_bot", role="militias", kind="doctrine")
            await seats["us"].at("results", 1)
            revealed = next(e for e in host.session.game.log if type(e) is ev.OrdersRevealed)
            assert dict(revealed.orders)["militias"]  # the bot gave its orders
            # The team is back: given back to people, it reads its private briefing before its orders.
            militias = Seat(uri, plain["militias"], "militias")
            await militias.until(lambda f: True)
            await white_cell.do("hand_to_bot", role="militias", kind="human")
            await militias.at("results", 1)
            await militias.do("seen_results", turn=1)
            briefing = await militias.at("private_briefing", 2)
            assert briefing["views"]["briefing"]
            await militias.do("read_private")
            await militias.at("orders", 2)
            await militias.close()

    run_bounded(run())


def test_time_running_out_sends_the_orders_and_tells_that_team_only(tmp_path):
    async def run():
        session, clock = timed_session(tmp_path / "saves", 1)
        async with hosted(tmp_path, session, tick=0.05) as (host, plain, uri):
            seats = await seated(uri, plain)
            await through_briefings(seats, session.humans())
            frame = seats["us"].frame
            assert frame["clock"] == {"seconds_left": 60.0, "paused": False}
            await seats["us"].do("draft", actions=seats["us"].available()[:1])
            for role in ("iraq", "militias"):
                await seats[role].do("submit", actions=seats[role].available()[:1], why="", intent="")
            clock.now += 61
            await seats["us"].at("results", 1)
            assert [m["text"] for m in seats["us"].messages] == [
                "Time is up: your orders were sent as you had chosen them."
            ]
            assert not seats["iraq"].messages and not seats[ROOM].messages

    run_bounded(run())


def test_a_team_with_nobody_at_its_seat_still_has_a_clock_and_the_turn_does_not_wait_for_ever(tmp_path):
    """Its timer started only when the team left the results, which an empty seat never does:
    with the militias away, turn 2 waited for them for good despite the timer."""

    async def run():
        session, clock = timed_session(tmp_path / "saves", 1)
        async with hosted(tmp_path, session, tick=0.05) as (host, plain, uri):
            seats = await seated(uri, plain)
            await through_briefings(seats, session.humans())
            await seats["militias"].close()  # the militias' terminal is gone
            for role in ("us", "iraq"):
                await seats[role].do("submit", actions=seats[role].available()[:1], why="", intent="")
            clock.now += 61  # the militias' time runs out in turn 1
            for role in ("us", "iraq"):
                await seats[role].at("results", 1)
                await seats[role].do("seen_results", turn=1)
                await seats[role].at("orders", 2)
            assert session.seconds_left("militias") == 60.0  # nobody there to read the results
            for role in ("us", "iraq"):
                await seats[role].do("submit", actions=seats[role].available()[:1], why="", intent="")
            clock.now += 61
            await seats["us"].at("results", 2)  # the turn did not wait for the militias
            sent = {e.role: e.player for e in session.game.attempt(2) if type(e).__name__ == "OrdersSubmitted"}
            assert sent["militias"] == "timeout"

    run_bounded(run())


def test_a_waiting_team_sees_its_own_orders_the_news_so_far_and_the_turns_clock(tmp_path):
    """The waiting screen showed the situation only. Now: the team's own orders and reasons,
    every headline of the game so far as its view gives them, and when the turn resolves at the
    latest (the room's clock, public); never another team's orders, sent or not."""

    async def run():
        session, clock = timed_session(tmp_path / "saves", 2)
        async with hosted(tmp_path, session) as (host, plain, uri):
            seats = await seated(uri, plain)
            teams = session.humans()
            await through_briefings(seats, teams)
            await seats[FACILITATOR].do("post_news", text="Turn one: the envoy lands")
            for role in teams:
                await seats[role].do("submit", actions=[], why="", intent="")
            for role in teams:
                await seats[role].at("results", 1)
                await seats[role].do("seen_results", turn=1)
                await seats[role].at("orders", 2)
            await seats[FACILITATOR].do("post_news", text="Turn two: talks stall")
            iraq = seats["iraq"]
            iraq_labels = {a["id"]: a["label"] for a in iraq.frame["views"]["orders"]["actions"]}
            iraq_order = iraq.available()[:1]
            await iraq.do("submit", actions=iraq_order, why="Iraq keeps its word", intent="")
            clock.now += 30
            us = seats["us"]
            order = us.available()[:1]
            labels = {a["id"]: a["label"] for a in us.frame["views"]["orders"]["actions"]}
            await us.do("submit", actions=order, why="hold the line", intent="they will wait")
            frame = await us.at("waiting", 2)
            waiting = frame["views"]["waiting"]
            assert waiting["sent"] and waiting["orders"] == [labels[a] for a in order]
            assert (waiting["why"], waiting["intent"], waiting["timed_out"]) == (
                "hold the line",
                "they will wait",
                False,
            )
            headlines = [(n["turn"], n["text"]) for n in waiting["news"]]
            assert (1, "Turn one: the envoy lands") in headlines and (2, "Turn two: talks stall") in headlines
            assert headlines == sorted(headlines, key=lambda h: h[0])  # oldest first, as the game went
            assert frame["stage"]["waiting_for"] == ["Iran-aligned militias"]  # named, as on the room's screen
            assert frame["clock"] == {"seconds_left": 90.0, "paused": False, "reading": None}  # the militias' time
            shown = json.dumps(frame, ensure_ascii=False)
            assert "Iraq keeps its word" not in shown
            assert not [label for a, label in iraq_labels.items() if a in iraq_order and label in shown]
            # Iraq's own waiting screen has its own orders, not the US's.
            mine = (await iraq.at("waiting", 2))["views"]["waiting"]
            assert mine["why"] == "Iraq keeps its word" and "hold the line" not in json.dumps(iraq.frame)

    run_bounded(run())


def test_a_team_sitting_on_its_results_has_a_clock_on_the_console_and_the_room_and_it_follows_a_pause(tmp_path):
    """A team's clock started only when it pressed Enter: the console and the room showed none
    for it, and the turn waited. Now the first team to leave the results starts every clock.
    The room's frame was sent again only for other changes than its clock: it showed no clock
    once they started, counted down through a pause and was 10 s off after the restart; and a
    pause went on into the next turn without a word."""

    async def run():
        session, clock = timed_session(tmp_path / "saves", 1)
        async with hosted(tmp_path, session, tick=0.05) as (host, plain, uri):
            seats = await seated(uri, plain)
            teams = session.humans()
            room, white_cell = seats[ROOM], seats[FACILITATOR]
            await through_briefings(seats, teams)
            for role in teams:
                await seats[role].do("submit", actions=[], why="", intent="")
            frame = await room.until(lambda f: f["stage"]["turn"] == 2)
            assert frame["clock"] == {"seconds_left": None, "paused": False, "reading": 120.0}
            await seats["us"].do("seen_results", turn=1)
            console = await white_cell.until(lambda f: f["clock"]["teams"]["iraq"] is not None)
            assert [console["clock"]["teams"][r] for r in teams] == [60.0, 60.0, 60.0]
            frame = await room.until(lambda f: f["clock"]["seconds_left"] is not None)
            assert frame["clock"] == {"seconds_left": 60.0, "paused": False, "reading": None}
            assert seats["iraq"].stage == "results"  # still reading, on its own time
            await seats["iraq"].until(lambda f: bool(seats["iraq"].messages))
            assert [m["text"] for m in seats["iraq"].messages] == [
                "The turn's clock is running: your 1 minute for turn 2 started now."
            ]
            # The room follows a pause and its restart, to the second.
            clock.now += 5
            await white_cell.do("pause", paused=True)
            assert (await room.until(lambda f: f["clock"]["paused"]))["clock"]["seconds_left"] == 55.0
            clock.now += 10  # paused: no time lost
            await white_cell.do("pause", paused=False)
            assert (await room.until(lambda f: not f["clock"]["paused"]))["clock"]["seconds_left"] == 55.0
            # A pause that goes on into the next turn is said to every seat.
            await white_cell.do("pause", paused=True)
            for role in teams:
                await seats[role].do("submit", actions=[], why="", intent="")
            said = "The clock is still paused: turn 3's time starts when the White Cell restarts it."
            for seat in [*teams, ROOM]:
                await seats[seat].until(lambda f, s=seat: any(m["text"] == said for m in seats[s].messages))
            await white_cell.until(lambda f: bool(white_cell.messages))
            assert white_cell.messages[-1]["text"].endswith("waits until you restart it (w: Pause or restart).")

    run_bounded(run())


# -------------------------------------------------------------- hostile clients


def test_wrong_codes_are_refused_then_throttled_and_a_code_is_for_its_own_seat_only(tmp_path):
    async def run():
        async with hosted(tmp_path, throttle=Throttle(free=3)) as (host, plain, uri):

            async def hello(code: str, seat: str | None = None):
                async with connect(uri) as ws:
                    await ws.send(p.dumps({"type": "hello", "code": code} | ({"seat": seat} if seat else {})))
                    answer = p.loads(await ws.recv())
                    with pytest.raises(ConnectionClosed):
                        await ws.recv()
                    return answer, ws.close_code

            assert await hello("AAAA-BBBB-CCCC") == (
                {"v": 1, "type": "error", "code": "wrong_code", "message": "That code is not one of this game's."},
                p.CLOSE_WRONG_CODE,
            )
            # The US code presented for the Iraqi seat.
            answer, code = await hello(plain["us"], seat="iraq")
            assert answer["code"] == "wrong_code" and code == p.CLOSE_WRONG_CODE
            await hello("AAAA-BBBB-CCCD")
            answer, code = await hello("AAAA-BBBB-CCCE")  # the fourth: over the three free ones
            assert answer["code"] == "wrong_code"
            answer, code = await hello(plain["us"])  # even the right code waits now
            assert answer["code"] == "too_many_tries" and code == p.CLOSE_TOO_MANY
            assert host.state["us"].link is None
            with pytest.raises(Refused) as refused:
                await Seat(uri, "AAAA-BBBB-CCCC").task
            assert refused.value.code == "too_many_tries"

    run_bounded(run())


async def tab_hello(uri: str, code: str, tab: str | None) -> str:
    """The host's answer to a hello with `code` and, if given, a web tab's ticket: an error's code, or 'welcome'."""
    async with connect(uri) as ws:
        await ws.send(p.dumps({"type": "hello", "code": code} | ({"tab": tab} if tab else {})))
        answer = p.loads(await ws.recv())
        return answer["code"] if answer["type"] == "error" else answer["type"]


def test_wrong_codes_typed_in_one_browser_do_not_lock_out_the_other_browsers(tmp_path):
    """Every browser tab's join client connects from the host's own machine (the web front
    starts them): wrong codes are counted against the browser each tab's ticket names."""

    async def run():
        async with hosted(tmp_path, throttle=Throttle(free=2)) as (host, plain, uri):
            mistyping, other = host.web_tabs.open("192.0.2.7"), host.web_tabs.open("192.0.2.8")

            answers = [await tab_hello(uri, "AAAA-BBBB-CCCC", mistyping) for _ in range(4)]
            assert answers == ["wrong_code", "wrong_code", "wrong_code", "too_many_tries"]
            assert await tab_hello(uri, plain["iraq"], mistyping) == "too_many_tries"
            assert await tab_hello(uri, plain["us"], other) == "welcome"  # another browser, another count
            # Without a ticket (a terminal on this machine) or with one the host never gave
            # or has taken back (its tab closed), the count is the connection's own.
            host.web_tabs.close(other)
            assert await tab_hello(uri, "AAAA-BBBB-CCCC", other) == "wrong_code"
            assert await tab_hello(uri, "AAAA-BBBB-CCCC", None) == "wrong_code"
            assert await tab_hello(uri, "AAAA-BBBB-CCCC", "made-up") == "wrong_code"
            assert await tab_hello(uri, plain["iraq"], None) == "too_many_tries"

    run_bounded(run())


def test_a_browser_gets_no_second_count_of_wrong_codes_through_the_web_front(tmp_path):
    """Wrong codes sent straight to the host and typed in a browser tab, from one address,
    count together: the web front is not a way round the throttle (it gave twice the tries)."""

    async def run():
        async with hosted(tmp_path, throttle=Throttle(free=2)) as (host, plain, uri):
            tab = host.web_tabs.open("127.0.0.1")  # a browser on the address the test connects from

            answers = [await tab_hello(uri, "AAAA-BBBB-CCCC", t) for t in (None, None, tab)]
            assert answers == ["wrong_code", "wrong_code", "wrong_code"]
            assert await tab_hello(uri, plain["us"], None) == "too_many_tries"
            assert await tab_hello(uri, plain["us"], tab) == "too_many_tries"

    run_bounded(run())


def test_hostile_messages_get_an_error_or_a_disconnect_and_the_game_goes_on(tmp_path):
    async def run():
        # Short waits for the silent client's hello and for the flooding client's close (it reads nothing).
        async with hosted(tmp_path, hello_timeout=0.3, close_grace=0.3) as (host, plain, uri):
            session = host.session
            seats = await seated(uri, {k: v for k, v in plain.items() if k != "iraq"})
            teams = session.humans()
            # A browser page elsewhere may not talk to the host.
            with pytest.raises(InvalidStatus) as browser:
                async with connect(uri, origin="http://evil.example"):
                    pass
            assert browser.value.response.status_code == 403
            # Silence instead of a hello; then a first message that is not one.
            async with connect(uri) as ws:
                with pytest.raises(ConnectionClosed):
                    await ws.recv()
                assert ws.close_code == p.CLOSE_BAD_HELLO
            async with connect(uri) as ws:
                await ws.send('{"v": 1, "type": "command"}')
                assert p.loads(await ws.recv())["code"] == "bad_hello"
            ws = await connect(uri)  # no `async with`: the host closes this one, and closing twice trips asyncio
            await ws.send(p.dumps({"type": "hello", "code": plain["iraq"]}))
            await next_of(ws, "welcome")
            # Malformed JSON and nonsense: an error each, the connection stays.
            for junk in ("{not json", "[]", '{"v": 1, "type": "subscribe"}', p.dumps({"type": "command"})):
                await ws.send(junk)
                assert (await next_of(ws, "error"))["code"] == "bad_message"
            # 10 MB in one message: cut off.
            with pytest.raises(ConnectionClosed):
                await ws.send("x" * 10_000_000)
                while True:
                    await asyncio.wait_for(ws.recv(), 5)
            assert ws.close_code == 1009
            async with connect(uri) as ws:
                await ws.send(p.dumps({"type": "hello", "code": plain["iraq"]}))
                await next_of(ws, "welcome")
                # A thousand messages in a second: cut off too.
                answers = []
                with pytest.raises(ConnectionClosed):
                    for i in range(1000):
                        await ws.send(
                            p.dumps({"type": "command", "id": f"x{i}", "turn": 0, "do": "read_public", "args": {}})
                        )
                        await asyncio.sleep(0.001)
                    while True:
                        answers.append(p.loads(await asyncio.wait_for(ws.recv(), 5)))
                # Closed with a reason, or cut off outright when it read nothing of the answers.
                assert ws.close_code in (p.CLOSE_TOO_MANY, 1006)
                assert len(answers) < 100
            # Nothing was lost, and the game goes on for everyone.
            seats["iraq"] = Seat(uri, plain["iraq"], "iraq")
            await seats["iraq"].until(lambda f: True)
            await through_briefings(seats, teams)
            for role in teams:
                await seats[role].do("submit", actions=seats[role].available()[:1], why="", intent="")
            await seats[ROOM].until(lambda f: "results" in f["views"])
            assert session.game.turn == 2

    run_bounded(run())


# ----------------------------------------------------------------- stopping


def test_a_stop_that_comes_just_as_the_screens_stop_waiting_for_commands_still_stops_the_host(tmp_path):
    """Python 3.11's `wait_for` lost a cancel that came in the same turn of the loop as the end
    of what it waited for: the pusher lived on, and `Host.stop` (Ctrl+C) waited for it forever.
    Here the cancel is made to come at that very moment, as `stop` would under load."""

    async def run():
        async with hosted(tmp_path) as (host, plain, uri):
            pusher = next(t for t in host._tasks if t.get_name() == "host: pusher")

            class CancelledAsItEnds(asyncio.Event):
                async def wait(self) -> Literal[True]:
                    await super().wait()
                    pusher.cancel()
                    return True

            host._commands_done = CancelledAsItEnds()
            host._commands_done.set()
            host._mark()
            done, _ = await asyncio.wait({pusher}, timeout=2)
            assert pusher in done and pusher.cancelled()

    run_bounded(run(), 10)


def test_stopping_the_host_can_itself_be_cancelled(tmp_path):
    """`stop` waits for the tasks it cancelled, but a cancel of `stop` itself is not taken for theirs."""

    async def run():
        async with hosted(tmp_path) as (host, plain, uri):
            deaf = asyncio.Event()

            async def slow_to_stop():  # a task that takes its time to end once cancelled
                try:
                    await asyncio.Event().wait()
                finally:
                    await deaf.wait()

            host._tasks.append(asyncio.create_task(slow_to_stop()))
            stopping = asyncio.create_task(host.stop())
            await asyncio.sleep(0.05)
            stopping.cancel()
            with pytest.raises(asyncio.CancelledError):
                await stopping
            deaf.set()

    run_bounded(run(), 10)
