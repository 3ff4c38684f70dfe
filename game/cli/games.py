"""Commands on games without the interface: simulate, sweep, transcript, replay, whatif."""

from __future__ import annotations

import argparse
import json
import math
import sys

from game.cli.common import (
    MAX_RUNS,
    Progress,
    positive,
    restore_save,
    runs,
    scenario_and_bots,
    shipped_scenarios_dir,
    usable_workers,
    writable_file,
    write_output,
)


def cmd_simulate(args: argparse.Namespace) -> int:
    import time

    from game.analysis.simulate import format_summary, run_batch, summarise

    found, code = scenario_and_bots(args, "simulate")
    if found is None:
        return code
    loaded, bots = found
    workers = usable_workers(args.workers)
    if workers < args.workers:
        print(
            f"crisis simulate: note: using {workers} worker{'s' * (workers != 1)}, one per processor "
            f"(more would only add memory)",
            file=sys.stderr,
        )
    progress = Progress(args.runs, sys.stderr.isatty())
    started = time.perf_counter()
    records = run_batch(loaded, args.runs, args.seed, bots, workers, progress)
    elapsed = time.perf_counter() - started
    progress.close()
    summary = summarise(loaded, records, args.seed, bots)
    if args.json:
        sys.stdout.write(json.dumps(summary, indent=2) + "\n")
    else:
        print(format_summary(summary))
        print(
            f"\n{args.runs} games in {elapsed:.2f} s ({args.runs / max(elapsed, 1e-9):.0f} games/s, "
            f"{workers} worker{'s' * (workers != 1)})"
        )
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    from game.reports.timeline import timeline
    from game.workshop.saves import verify

    restored = restore_save(args, "replay")
    if restored is None:
        return 1
    save, game = restored
    # Orders given in a turn that has not resolved are still secret: a save of
    # a game in progress holds them, but the timeline shows them only if asked.
    pending = {id(e) for e in game.pending.values()}
    if args.show_pending or not pending:
        print(timeline(game))
    else:
        print(timeline(game, [e for e in game.log if id(e) not in pending]))
        teams = ", ".join(game.rules.role_label(r) for r in game.pending)
        print(
            f"\n(Orders for turn {game.turn} not yet resolved, from {teams}, are not shown; --show-pending shows them.)"
        )
    problems = verify(save, game)
    if problems:
        for problem in problems:
            print(f"crisis replay: MISMATCH: {problem}", file=sys.stderr)
        return 1
    print(f"\nReplayed {len(save.commands)} commands: the game matches the save.", file=sys.stderr)
    return 0


def cmd_whatif(args: argparse.Namespace) -> int:
    """Replay a saved game with one team's orders changed in one turn."""
    from game.analysis.branches import whatif_lines
    from game.engine import GameError
    from game.players import make_bot

    restored = restore_save(args, "whatif")
    if restored is None:
        return 1
    save, game = restored
    try:
        role = _find_role(game, args.role)
        orders = tuple(_find_action(game, role, a) for a in args.orders.split(",") if a.strip())
        # Bots play as they did; human teams repeat what they ordered, where they still can.
        players = {r: (None if kind == "human" else make_bot(kind)) for r, kind in save.players.items()}
        lines = whatif_lines(game, args.turn, role, orders, players, with_timeline=args.timeline)
    except (GameError, ValueError) as exc:
        print(f"crisis whatif: error: {exc}", file=sys.stderr)
        return 2
    print("\n".join(line for _, line in lines))
    return 0


def _find_role(game, text: str) -> str:
    """A role by its id, name or short name (any case); a ValueError lists them."""
    wanted = text.strip().casefold()
    for role in game.scenario.roles:
        if wanted in {role.id.casefold(), role.name.casefold(), (role.short_name or "").casefold()}:
            return role.id
    listed = ", ".join(f"{r.id} ({r.name})" for r in game.scenario.roles)
    raise ValueError(f"no team '{text}' in this scenario; the teams are: {listed}")


def _find_action(game, role: str, text: str) -> str:
    """One of `role`'s actions by id ('strike', 'us.strike') or label (any case); a ValueError lists them."""
    wanted = text.strip().casefold().removeprefix(f"{role}.")
    for action in game.rules.roles[role].actions:
        if wanted in (action.id.casefold(), action.label.casefold()):
            return action.id
    listed = "\n".join(f"  {a.id}: {a.label}" for a in game.rules.roles[role].actions)
    raise ValueError(f"{game.rules.role_label(role)} has no action '{text.strip()}'; its actions are:\n{listed}")


def cmd_transcript(args: argparse.Namespace) -> int:
    from game.analysis.transcript import record_transcript
    from game.engine import Game
    from game.players import make_bot

    found, code = scenario_and_bots(args, "transcript")
    if found is None:
        return code
    loaded, bots = found
    if args.as_role is not None and args.as_role not in bots:
        roles = ", ".join(bots)
        print(f"crisis transcript: error: unknown role '{args.as_role}' (roles: {roles})", file=sys.stderr)
        return 2
    if args.save and not writable_file(args.save, "transcript", [args.scenario]):
        return 1
    game = Game(loaded, args.seed)
    text = record_transcript(game, {r: make_bot(k) for r, k in bots.items()}, as_role=args.as_role)
    # the facilitator's whole view (or one team's): secrets either way
    code = write_output(text, args.output, "transcript", [args.scenario], private=True)
    if code == 0 and args.save:
        from game.workshop.saves import save_game

        try:
            save_game(game, args.save, bots)
        except OSError as exc:
            print(f"crisis transcript: error: cannot write {args.save}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(f"Saved the game to {args.save} (make its report with: crisis report {args.save})", file=sys.stderr)
    return code


def cmd_sweep(args: argparse.Namespace) -> int:
    import os
    import time

    from game.analysis.executors import ExecutorError, make_executor
    from game.analysis.sweep import format_sweep, run_sweep, to_json
    from game.analysis.variants import VariantError, parse_sets

    found, code = scenario_and_bots(args, "sweep")
    if found is None:
        return code
    loaded, bots = found
    try:
        sets = parse_sets(args.set)
    except VariantError as exc:
        print(f"crisis sweep: error: {exc}", file=sys.stderr)
        return 2
    games = math.prod(len(values) for _, values in sets) * args.runs
    if games > MAX_RUNS:  # every game's record is kept until the table, as for simulate
        print(
            f"crisis sweep: error: {games:,} games ({args.runs:,} for each variant); at most {MAX_RUNS:,} in one "
            "sweep: fewer values or fewer --runs",
            file=sys.stderr,
        )
        return 2
    workers = usable_workers(args.workers or os.cpu_count() or 1)
    started = time.perf_counter()
    try:
        with make_executor(args.executor or "process", workers) as executor:
            result = run_sweep(loaded, sets, args.runs, args.seed, bots, executor, args.batch)
            name, used = executor.name, executor.workers
    except VariantError as exc:
        print(f"crisis sweep: error: {exc}", file=sys.stderr)
        return 1
    except (ExecutorError, ValueError) as exc:
        print(f"crisis sweep: error: {exc}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    if args.json:
        sys.stdout.write(to_json(result))
    else:
        games = args.runs * len(result.results)
        print(format_sweep(result))
        print(f"{games} games in {elapsed:.2f} s ({name} executor, {used} worker{'s' * (used != 1)})")
    return 0


def cmd_passphrase(args: argparse.Namespace) -> int:
    """A new White Cell passphrase for a saved game, for a facilitator who lost theirs."""
    import contextlib
    from pathlib import Path

    from game.scenario import ScenarioError
    from game.workshop.saves import SaveError, claim
    from game.workshop.session import Session

    path = Path(args.save)
    try:
        session = Session.resume(
            path, args.scenario and Path(args.scenario), path.parent, search=(shipped_scenarios_dir(),)
        )
    except (SaveError, ScenarioError) as exc:
        print(f"crisis passphrase: error: {exc}", file=sys.stderr)
        return 1
    # A host serving this game would write its old passphrase back over the new one.
    held: contextlib.AbstractContextManager | None
    try:
        held = claim(path)
    except OSError:  # no claim can be made (a read-only folder): the write below says why
        held = contextlib.nullcontext()
    if held is None:
        print(
            f"crisis passphrase: error: {path} is open (in crisis host, or in crisis-sim's window): "
            "close it first; nothing changed",
            file=sys.stderr,
        )
        return 1
    with held:
        return _change_passphrase(args, session, path)


def _change_passphrase(args: argparse.Namespace, session, path) -> int:
    import getpass

    from game.workshop.passphrase import MIN_LENGTH, generate_passphrase
    from game.workshop.session import FlowError

    if args.ask:
        try:
            passphrase = getpass.getpass(f"New White Cell passphrase ({MIN_LENGTH} characters or more): ")
            again = getpass.getpass("The same again: ")
        except (EOFError, KeyboardInterrupt):
            print("\ncrisis passphrase: no passphrase typed; nothing changed", file=sys.stderr)
            return 1
        if again != passphrase:
            print("crisis passphrase: error: the two passphrases differ; nothing changed", file=sys.stderr)
            return 1
    else:
        passphrase = generate_passphrase()
    try:
        session.change_passphrase(passphrase, path)
    except FlowError as exc:
        print(f"crisis passphrase: error: {exc}; nothing changed", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"crisis passphrase: error: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if not args.ask:
        print(f"The new White Cell passphrase of {path.name}:\n\n    {passphrase}\n\nWrite it down: it is not stored.")
    else:
        print(f"The White Cell passphrase of {path.name} is changed.")
    return 0


def register(sub) -> None:
    p = sub.add_parser("simulate", help="play many games with bots and report outcomes and coverage")
    p.add_argument("scenario", metavar="SCENARIO")
    p.add_argument("--runs", type=runs, default=100, help="number of games (default 100)")
    p.add_argument("--seed", type=int, default=1, help="seed of the batch (default 1)")
    p.add_argument(
        "--bots",
        default="random",
        help="random, doctrine, heuristic or passive (no orders) for every role, or per role: "
        "us=doctrine,iraq=random; bot_only roles play their doctrine unless named",
    )
    p.add_argument(
        "--workers", type=positive, default=1, help="processes to use (default 1; at most one per processor)"
    )
    p.add_argument("--json", action="store_true", help="print one JSON document on standard output")
    p.set_defaults(run=cmd_simulate)

    p = sub.add_parser(
        "sweep",
        help="play the same games over variants of a scenario (--set tension.start=30,50,70) and tabulate outcomes",
    )
    p.add_argument("scenario", metavar="SCENARIO")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=V1,V2",
        help="values to try: TRACK.start|min|max|per_turn, ROLE.TRACK.start..., FLAG.start, INJECT.chance, "
        "turns.max, orders_per_turn (repeat for every combination)",
    )
    p.add_argument("--runs", type=runs, default=100, help="games per variant (default 100)")
    p.add_argument("--seed", type=int, default=1, help="seed of the batch (default 1)")
    p.add_argument("--bots", default="random", help="as for simulate (default: random)")
    p.add_argument(
        "--executor",
        default=None,
        help="process (the default: a pool of local processes), serial, dask (a local Dask cluster) "
        "or dask://HOST:8786 (a Dask scheduler); Dask needs pip install 'crisis-sim[dask]'",
    )
    p.add_argument("--workers", type=positive, default=None, help="processes (default: one per core)")
    p.add_argument("--batch", type=positive, default=None, help="seeds per job (default: about ten jobs a worker)")
    p.add_argument("--json", action="store_true", help="print one JSON document on standard output")
    p.set_defaults(run=cmd_sweep)

    p = sub.add_parser("replay", help="replay a saved game, check it, print its timeline")
    p.add_argument("save", metavar="SAVE")
    p.add_argument(
        "--show-pending", action="store_true", help="also print the secret orders of a turn not yet resolved"
    )
    p.add_argument("--scenario", metavar="SCENARIO", help="the scenario file, if not where it was")
    p.set_defaults(run=cmd_replay)

    p = sub.add_parser(
        "passphrase",
        help="give a saved game a new White Cell passphrase (made up and printed, or typed with --ask)",
        description="For a facilitator who lost the passphrase: run it from the account that owns the "
        "saves, while the game is closed. The save is rewritten in place with the new lock; "
        "nothing else in it changes.",
    )
    p.add_argument("save", metavar="SAVE")
    p.add_argument(
        "--ask",
        action="store_true",
        help="type the new passphrase (twice; 8 characters or more) instead of a made-up one",
    )
    p.add_argument("--scenario", metavar="SCENARIO", help="the scenario file, if not where it was")
    p.set_defaults(run=cmd_passphrase)

    p = sub.add_parser("whatif", help="replay a saved game with one team's orders changed in one turn")
    p.add_argument("save", metavar="SAVE")
    p.add_argument("--turn", type=positive, required=True, help="the turn to change")
    p.add_argument("--role", required=True, help="the team whose orders change, e.g. us")
    p.add_argument("--orders", required=True, help="its orders instead, comma-separated action ids ('' for none)")
    p.add_argument("--timeline", action="store_true", help="also print the branch from that turn on")
    p.add_argument("--scenario", metavar="SCENARIO", help="the scenario file, if not where it was")
    p.set_defaults(run=cmd_whatif)

    p = sub.add_parser(
        "transcript",
        help="play one game with bots and print everything each team saw and did (or, with --as, what one team saw)",
    )
    p.add_argument("scenario", metavar="SCENARIO")
    p.add_argument("--seed", type=int, default=1, help="seed of the game (default 1)")
    p.add_argument("--bots", default="doctrine", help="as for simulate (default: doctrine)")
    p.add_argument(
        "--as",
        dest="as_role",
        metavar="ROLE",
        help="print the game as this team saw it (default: the facilitator's whole view)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument("--save", metavar="FILE", help="also save the game, for `crisis report` or `crisis replay`")
    p.set_defaults(run=cmd_transcript)
