"""`crisis host` and `crisis join`: a workshop across machines (docs/protocol.md; README: a workshop on a LAN)."""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import os
import random
import shlex
import signal
import sys
from pathlib import Path
from urllib.parse import urlsplit

from game.cli.common import load_or_report, minutes, port_number, saves_folder_ok, turn_count


def _seating(roles: list[str], bots: list[str]) -> dict[str, str] | str:
    """Who plays each role: humans, but for `--bot ROLE=KIND`; or an error message."""
    from game.players import BOTS
    from game.workshop.session import HUMAN

    seating = dict.fromkeys(roles, HUMAN)
    for item in bots:
        role, _, kind = item.partition("=")
        kind = kind or "doctrine"
        if role not in seating:
            return f"--bot {item}: no role '{role}' (roles: {', '.join(roles)})"
        if kind not in BOTS:
            return f"--bot {item}: no bot '{kind}' (bots: {', '.join(BOTS)})"
        if seating[role] != HUMAN:
            return f"--bot {item}: {role} is given a bot twice"
        seating[role] = kind
    return seating


def _open_session(args: argparse.Namespace):
    """The session to serve, new or resumed; None after printing why not."""
    from game.scenario import ScenarioError
    from game.workshop.saves import SaveError
    from game.workshop.session import Session, Settings

    saves = Path(args.saves)
    if not saves_folder_ok(args.saves, "host"):
        return None
    if args.resume:
        try:
            return Session.resume(Path(args.resume), Path(args.scenario) if args.scenario else None, saves, table=False)
        except (SaveError, ScenarioError) as exc:
            print(f"crisis host: error: cannot resume {args.resume}: {exc}", file=sys.stderr)
            return None
    if not args.scenario:
        print("crisis host: error: give a scenario file, or --resume SAVE", file=sys.stderr)
        return None
    loaded = load_or_report(Path(args.scenario))
    if loaded is None:
        return None
    seating = _seating([r.id for r in loaded.scenario.roles], args.bot)
    if isinstance(seating, str):
        print(f"crisis host: error: {seating}", file=sys.stderr)
        return None
    seed = args.seed if args.seed is not None else random.randrange(1, 1_000_000)
    settings = Settings(seating, seed, args.max_turns, args.timer, args.on_expiry)
    return Session.new(loaded, settings, saves, table=False)


def cmd_host(args: argparse.Namespace) -> int:
    if args.scenario and not Path(args.scenario).is_file():
        print(f"crisis host: error: {args.scenario}: no such scenario file", file=sys.stderr)
        return 2
    with contextlib.ExitStack() as held:
        if args.resume:
            claimed = _claim(args.resume)
            if claimed is None:
                print(f"crisis host: error: {args.resume} is being served by another host already", file=sys.stderr)
                return 1
            held.enter_context(claimed)
        return _host(args, held)


def _claim(path: str):
    """This process's claim on the save it resumes (saves.claim); a claim that cannot be
    made (a read-only folder) is no claim, and the save is read all the same."""
    from game.workshop.saves import claim

    try:
        return claim(Path(path))
    except (OSError, ValueError):
        return contextlib.nullcontext()


def _host(args: argparse.Namespace, held: contextlib.ExitStack) -> int:
    from game.net.codes import Codes
    from game.net.frames import seats_of

    session = _open_session(args)
    if session is None:
        return 1
    resumed = Path(args.resume).resolve() if args.resume else None
    if session.autosave_to is not None and session.autosave_to.resolve() != resumed:
        # where this game goes on being saved, so that no other host resumes it meanwhile
        held.enter_context(_claim(str(session.autosave_to)) or contextlib.nullcontext())
    if session.autosave_error:  # a workshop that cannot be saved would be lost with the host
        print(f"crisis host: error: {args.saves}: {session.autosave_error}", file=sys.stderr)
        return 1
    seats = seats_of(session)
    codes = None if args.new_codes else Codes.restored(session.host.get("codes"), set(seats))
    plain: dict[str, str] = {}
    if codes is None:
        codes, plain = Codes.issue(seats)
    bind, port, web = listen_settings(args, session.host)
    session.host.update(bind=bind, port=port, web=web)  # a resumed host listens where this one did
    import asyncio  # here, not at the top: every other command would start 90 ms slower

    try:
        return asyncio.run(_serve(session, codes, plain, bind, port, web))
    except KeyboardInterrupt:
        return 0


def listen_settings(args: argparse.Namespace, saved: dict) -> tuple[str, int, int | None]:
    """Where to listen (address, port, browsers' port): as given, else as the saved game's
    host did (`saved`, from the save: a hand-edited value is not trusted), else the defaults."""
    from game.net.protocol import DEFAULT_PORT

    def saved_port(key: str) -> int | None:
        value = saved.get(key)
        return value if type(value) is int and 0 < value < 65536 else None

    saved_bind = saved.get("bind")
    if not (isinstance(saved_bind, str) and (saved_bind == "localhost" or _is_address(saved_bind))):
        saved_bind = None
    bind = args.bind or saved_bind or "127.0.0.1"
    port = args.port if args.port is not None else saved_port("port") or DEFAULT_PORT
    web = args.web if args.web is not None else saved_port("web")
    return bind, port, web


def resume_line(autosave, bind: str, port: int, web: int | None) -> str:
    """The command that starts this host again, listening where it listens now."""
    words = ["crisis", "host", "--resume", str(autosave), "--port", str(port)]
    if bind != "127.0.0.1":
        words += ["--bind", bind]
    if web is not None:
        words += ["--web", str(web)]
    return shlex.join(words)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


async def _serve(session, codes, plain: dict[str, str], bind: str, port: int, web: int | None) -> int:
    import asyncio

    from game.net.host import Host

    host = Host(session, codes)
    try:
        await host.start(bind, port)
    except OSError as exc:
        print(f"crisis host: error: cannot listen on {bind}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    runner = None
    if web is not None:
        try:
            from game.net.web import start_web
        except ImportError:
            print("crisis host: error: --web needs the web extra: pip install 'crisis-sim[web]'", file=sys.stderr)
            await host.stop()
            return 1
        try:
            runner = await start_web(f"ws://127.0.0.1:{host.port}", bind, web, session.scenario.title, host.web_tabs)
        except (ImportError, OSError) as exc:
            print(f"crisis host: error: cannot serve browsers on {bind}:{web}: {exc}", file=sys.stderr)
            await host.stop()
            return 1
    _announce(session, plain, bind, host.port, web)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    print("crisis host: stopping; the game is in its autosave.", flush=True)
    if runner is not None:
        await runner.cleanup()
    await host.stop()
    return 0


def _announce(session, plain: dict[str, str], bind: str, port: int, web: int | None) -> None:
    from game.workshop.flow import FACILITATOR, ROOM

    where = "this machine only" if _loopback(bind) else "every machine that can reach this one"
    shown = "THIS-MACHINE" if bind in ("0.0.0.0", "::") else (f"[{bind}]" if ":" in bind else bind)
    lines = [f"crisis host: {session.scenario.title} (turn {session.game.turn}, {session.game.phase})"]
    lines.append(f"Teams join with:   crisis join ws://{shown}:{port}    ({where})")
    if web is not None:
        lines.append(f"Or in a browser:   http://{shown}:{web}/")
    if "THIS-MACHINE" in shown:
        lines.append("  (THIS-MACHINE: this computer's address on the network, e.g. from `hostname -I`)")
    if plain:
        lines.append("Join codes (give each seat its own; anyone with a code can take that seat):")
        labels = {FACILITATOR: "White Cell (the facilitator)", ROOM: "The room (the projector)"}
        for seat, code in plain.items():
            lines.append(f"  {labels.get(seat, session.name(seat)):<30} {code}")
    else:
        lines.append("Join codes: the same as when this game was first hosted (--new-codes for new ones).")
    lines.append(f"Autosave: {session.autosave_to}")
    lines.append(f"If this window closes: {resume_line(session.autosave_to, bind, port, web)}")
    lines.append("Ctrl+C stops the host; the game stays in its autosave.")
    print("\n".join(lines), flush=True)
    if not _loopback(bind):
        print(
            f"crisis host: warning: listening on {bind}: anyone on this network may try to join; "
            "the codes are the only lock, and the traffic is not encrypted.",
            file=sys.stderr,
            flush=True,
        )


def _loopback(bind: str) -> bool:
    from game.net.codes import is_loopback  # here: the other commands start without the network code

    return bind == "localhost" or is_loopback(bind)


def is_tab_ticket(text: str) -> bool:
    """Whether `text` could be a web tab's ticket: what `WebTabs.open` makes."""
    return 0 < len(text) <= 64 and text.isascii() and text.replace("-", "").replace("_", "").isalnum()


def cmd_join(args: argparse.Namespace) -> int:
    try:
        parts = urlsplit(args.address)
        parts.port  # noqa: B018 - reading it checks it: 0 to 65535
    except ValueError as exc:  # "ws://[::1", "ws://host:99999"
        print(f"crisis join: error: {args.address}: {exc}; give the host's address as ws://HOST:PORT", file=sys.stderr)
        return 2
    if parts.scheme not in ("ws", "wss") or not parts.hostname:
        print(f"crisis join: error: {args.address}: give the host's address as ws://HOST:PORT", file=sys.stderr)
        return 2
    if parts.query or parts.username or parts.password or parts.fragment:
        print(
            "crisis join: error: the address must not hold the code (it would stay in your shell's history); "
            "give it when the game asks",
            file=sys.stderr,
        )
        return 2
    # A browser tab's client, started by the host's web front: its ticket comes in the
    # environment (never on the command line, which every user may read with `ps`), and goes
    # no further (not to a process this one starts).
    from game.net.web import TAB_VARIABLE

    tab = os.environ.pop(TAB_VARIABLE, None)
    if tab is not None and not is_tab_ticket(tab):
        print(f"crisis join: error: {TAB_VARIABLE} is not a ticket from this game's web front", file=sys.stderr)
        return 2
    from game.tui.join import JoinApp

    app = JoinApp(args.address, tab=tab)
    app.run()
    return app.return_code or 0


def register(sub) -> None:
    p = sub.add_parser("host", help="serve a workshop game to teams on other terminals or browsers")
    p.add_argument("scenario", nargs="?", metavar="SCENARIO", help="the scenario file (or --resume a save)")
    p.add_argument("--resume", metavar="SAVE", help="go on with a saved game (its autosave after a crash)")
    p.add_argument(
        "--port", type=port_number, metavar="N", help="the port to listen on (default 8765, or the saved game's)"
    )
    p.add_argument(
        "--bind",
        metavar="ADDR",
        help="the address to listen on (default: this machine only, or the saved game's; 0.0.0.0 for a LAN)",
    )
    p.add_argument(
        "--web",
        type=port_number,
        metavar="PORT",
        help="also serve the join client to browsers on this port (needs crisis-sim[web]; resumed: as saved)",
    )
    p.add_argument("--seed", type=int, help="the dice's seed (default: a random one)")
    p.add_argument("--max-turns", type=turn_count, metavar="N", help="end after N turns (default: the scenario's)")
    p.add_argument(
        "--timer",
        type=minutes,
        default=0,
        metavar="MIN",
        help="minutes each team has for its orders (default: no timer)",
    )
    p.add_argument(
        "--on-expiry",
        choices=["keep", "bot"],
        default="keep",
        help="when time runs out: send the orders chosen so far, or let the doctrine bot decide",
    )
    p.add_argument(
        "--bot",
        action="append",
        default=[],
        metavar="ROLE=KIND",
        help="a bot plays ROLE (random, doctrine or heuristic); repeat for more",
    )
    p.add_argument("--saves", metavar="DIR", default="saves", help="where games are saved (default: saves/)")
    p.add_argument("--new-codes", action="store_true", help="with --resume: new join codes (the old ones stop working)")
    p.set_defaults(run=cmd_host)

    j = sub.add_parser("join", help="join a hosted workshop (it asks for your seat's code)")
    j.add_argument("address", metavar="ws://HOST:PORT", help="the address the host printed")
    j.set_defaults(run=cmd_join)
