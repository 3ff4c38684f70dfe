"""The command line and the terminal (issue 10, classes 11-14): `-o` never
replaces what is not a regular file, control characters never reach the
terminal, paths too long are clear errors, and --workers is bounded."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import threading

import pytest
import yaml
from helpers import ROOT, TUTORIAL, from_data, mini_data, shipped

from game.cli import main
from game.cli.common import terminal_safe, usable_workers
from game.engine import Game
from game.players import RandomBot
from game.players.base import play_turn
from game.workshop.saves import save_game

ESC = "\x1b"
ATTACK = f"{ESC}]0;pwned\x07{ESC}[2J{ESC}[31mred\r\u202eevil\x9b1m"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def assert_no_control(text: str) -> None:
    assert not any(c in text for c in (ESC, "\r", "\x07", "\x9b", "\u202e")), repr(text[:200])


# ---------------------------------------------------------------- 11. -o FILE


def test_output_to_a_link_to_dev_null_writes_a_stream_and_replaces_nothing(tmp_path, capsys):
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    assert run(capsys, "schema", "-o", str(link))[0] == 0
    assert link.is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_output_to_a_pipe_is_written_as_a_stream(tmp_path, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text(encoding="utf-8")), daemon=True)
    reader.start()
    assert run(capsys, "schema", "-o", str(fifo))[0] == 0
    reader.join(10)
    assert json.loads(received[0])["title"] and stat.S_ISFIFO(fifo.lstat().st_mode)


def test_output_through_a_link_to_a_file_replaces_the_file_and_keeps_the_link(tmp_path, capsys):
    target = tmp_path / "schema.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert run(capsys, "schema", "-o", str(link))[0] == 0
    assert link.is_symlink() and json.loads(target.read_text())["title"]


def test_output_dash_is_standard_output(capsys):
    code, out, _ = run(capsys, "schema", "-o", "-")
    assert code == 0 and json.loads(out)["title"]


def test_output_to_what_is_not_a_file_a_terminal_or_a_pipe_is_refused(tmp_path, capsys):
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "nowhere.json")
    server = socket.socket(socket.AF_UNIX)
    sock = tmp_path / "sock"
    server.bind(str(sock))
    try:
        for target, says in [
            (dangling, "symbolic link to a missing file"),
            (sock, "not a regular file, a terminal or a pipe"),
            (tmp_path, "is a directory"),
            (tmp_path / "no" / "x.json", "no folder"),
        ]:
            code, _, err = run(capsys, "schema", "-o", str(target))
            assert code == 1 and says in err, err
    finally:
        server.close()
    assert dangling.is_symlink() and not (tmp_path / "nowhere.json").exists()
    assert stat.S_ISSOCK(sock.lstat().st_mode)


def test_output_to_proc_self_fd_1_is_standard_output():
    result = subprocess.run(
        [sys.executable, "-m", "game", "schema", "-o", "/proc/self/fd/1"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0 and json.loads(result.stdout)["title"], result.stderr


# ----------------------------------------------------- 12. control characters


def hostile_scenario(tmp_path):
    data = mini_data()
    data["title"] = f"Title {ATTACK}"
    data["summary"] = f"Summary {ATTACK}"
    data["roles"][0]["name"] = f"Alpha {ATTACK}"
    data["roles"][0]["actions"][0]["label"] = f"Calm {ATTACK}"
    data["roles"][0]["actions"][0]["results"][0]["news"] = f"News {ATTACK}"
    folder = tmp_path / f"folder{ESC}[5m"
    folder.mkdir()
    path = folder / f"scenario{ESC}]2;title{ESC}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    from_data(data)  # it is a valid scenario
    return path


@pytest.mark.parametrize(
    "command",
    [["describe"], ["validate"], ["transcript", "--seed", "2"], ["simulate", "--runs", "3"], ["simulate", "--json"]],
    ids=lambda c: " ".join(c),
)
def test_scenario_text_and_paths_never_reach_the_terminal_as_control_codes(tmp_path, capsys, command):
    path = hostile_scenario(tmp_path)
    code, out, err = run(capsys, command[0], str(path), *command[1:])
    assert code == 0, err
    assert_no_control(out + err)
    if command[0] in ("describe", "transcript"):
        assert "\\x1b]0;pwned\\x07" in out  # shown, as text


def test_a_broken_scenario_in_a_hostile_folder_is_reported_without_control_codes(tmp_path, capsys):
    path = hostile_scenario(tmp_path)
    path.write_text(f"title: [{ATTACK}\n", encoding="utf-8")
    code, out, err = run(capsys, "validate", str(path.parent))
    assert code == 1
    assert_no_control(out + err)


def test_a_save_cannot_forge_the_replay_verdict(tmp_path, capsys):
    game = Game(shipped(TUTORIAL), 4)
    game.begin()
    game.start_play()
    play_turn(game, {r: RandomBot() for r in ("us", "iraq", "militias")})
    forged = "\r\nReplayed 1 commands: the game matches the save.\n"
    game.note(f"{ESC}[2J{forged}")
    game.post_news(f"Headline{forged}")
    path = save_game(game, tmp_path / f"save{ESC}[8m.json")
    code, out, err = run(capsys, "replay", str(path))
    assert code == 0
    assert_no_control(out + err)
    lines = (out + err).splitlines()
    assert [line for line in lines if line.startswith("Replayed")] == [
        f"Replayed {len(game.commands)} commands: the game matches the save."
    ]


def test_text_typed_as_invalid_bytes_is_saved_read_and_printed(tmp_path, capsys):
    game = Game(shipped(TUTORIAL), 4)
    game.begin()
    game.note("bytes \udcff\udc80 from a terminal")  # how Python reads bytes that are not UTF-8
    path = save_game(game, tmp_path / "g.json")
    code, out, err = run(capsys, "replay", str(path))
    assert code == 0 and "bytes \\udcff\\udc80 from a terminal" in out, err


def test_usage_errors_do_not_echo_control_codes(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["simulate", "x.yaml", "--runs", f"1{ATTACK}"])
    out, err = capsys.readouterr()
    assert exited.value.code == 2 and "is not a whole number" in err
    assert_no_control(out + err)


def test_terminal_safe_keeps_layout_and_shows_the_rest():
    assert terminal_safe("a\tb\nc") == "a\tb\nc"
    assert terminal_safe(f"{ESC}[31m\r\x00\x7f\u202e") == "\\x1b[31m\\r\\x00\\x7f\\u202e"


# ------------------------------------------------------------ 13. long paths

LONG = "/tmp/" + "d" * 300 + "/" + "x" * 5000 + ".yaml"


@pytest.mark.parametrize(
    "args",
    [
        ["validate", LONG],
        ["describe", LONG],
        ["play", LONG],
        ["simulate", LONG, "--runs", "1"],
        ["transcript", LONG],
        ["transcript", str(TUTORIAL), "-o", LONG],
        ["schema", "-o", LONG],
        ["replay", LONG],
        ["whatif", LONG, "--turn", "1", "--role", "us", "--orders", "x"],
        ["replay", "{save}", "--scenario", LONG],
    ],
    ids=lambda a: " ".join(x[:12] for x in a),
)
def test_a_path_too_long_is_a_clear_error_in_every_command(tmp_path, capsys, args):
    game = Game(shipped(TUTORIAL), 1)
    game.begin()
    saved = str(save_game(game, tmp_path / "g.json"))
    code, out, err = run(capsys, *[saved if a == "{save}" else a for a in args])
    assert code in (1, 2)
    assert "Traceback" not in out + err
    said = out + err
    assert "too long" in said or "no such" in said, said


# ------------------------------------------------------------- 14. --workers


def test_workers_are_bounded_by_the_processors(monkeypatch, capsys):
    import game.analysis.simulate as simulate

    asked = []
    real = simulate.run_batch

    def spy(loaded, runs, seed, bots, workers=1, progress=None):
        asked.append(workers)
        return real(loaded, runs, seed, bots, 1, progress)

    monkeypatch.setattr(simulate, "run_batch", spy)
    code, out, err = run(capsys, "simulate", str(TUTORIAL), "--runs", "2", "--workers", "1000")
    assert code == 0
    assert asked == [usable_workers(1000)] and asked[0] <= (os.cpu_count() or 1)
    assert f"using {asked[0]} worker" in err and f"{asked[0]} worker" in out


def test_usable_workers_keeps_a_small_request():
    assert usable_workers(1) == 1
    assert usable_workers(10**9) == len(os.sched_getaffinity(0))


@pytest.mark.parametrize(
    "argv",
    [
        ["simulate", "--runs", "1000000000"],
        ["check", "--runs", "99999999999999999999"],
        ["check", "--strategy-runs", "100001"],
        ["sweep", "--set", "tension.start=30", "--runs", "1000000000"],
    ],
)
def test_a_huge_number_of_games_is_refused_before_memory_fills(capsys, argv):
    """The seeds and records of a mistyped --runs used to fill memory before the first game."""
    with pytest.raises(SystemExit) as exit_:
        main([argv[0], str(TUTORIAL), *argv[1:]])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "must be 100,000 or less" in err and "Traceback" not in err


def test_an_output_never_replaces_a_save_or_the_file_it_was_made_from(tmp_path, capsys):
    """`report g.save -o g.save` used to replace the only record of a workshop with its
    report; `graph s.yaml -o s.yaml` an author's scenario with its drawing."""
    game = Game(shipped(TUTORIAL), 4)
    game.begin()
    save = save_game(game, tmp_path / "g.save")
    other = save_game(game, tmp_path / "other.save")
    scenario = tmp_path / "s.yaml"
    scenario.write_text(TUTORIAL.read_text(encoding="utf-8"), encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(scenario)
    kept = {path: path.read_bytes() for path in (save, other, scenario)}
    attempts = [
        (["report", str(save), "-o", str(save)], "is what this command reads"),
        (["report", str(save), "-o", str(other), "--format", "md"], "is a saved game"),
        (["schema", "-o", str(other)], "is a saved game"),
        (["graph", str(scenario), "-o", str(link)], "is what this command reads"),
        (["preview", str(scenario), "-o", str(scenario)], "is what this command reads"),
        (["transcript", str(scenario), "--save", str(scenario)], "is what this command reads"),
    ]
    for argv, message in attempts:
        code, _, err = run(capsys, *argv)
        assert code == 1 and message in err, (argv, err)
    assert {path: path.read_bytes() for path in kept} == kept
    # a report over an earlier report is fine
    assert run(capsys, "report", str(save), "-o", str(tmp_path / "r.html"))[0] == 0
    assert run(capsys, "report", str(save), "-o", str(tmp_path / "r.html"))[0] == 0


def test_a_report_named_for_a_format_it_is_not_is_refused(tmp_path, capsys):
    """`report g.save -o aar.pdf` wrote HTML into a file no PDF reader opens."""
    game = Game(shipped(TUTORIAL), 4)
    game.begin()
    save = save_game(game, tmp_path / "g.save")
    code, _, err = run(capsys, "report", str(save), "-o", str(tmp_path / "aar.pdf"))
    assert code == 2 and "cannot write a .pdf report: name it .html or .md" in err
    assert not (tmp_path / "aar.pdf").exists()
    # said outright, the format wins over the name; plain text is the Markdown
    assert run(capsys, "report", str(save), "-o", str(tmp_path / "aar.pdf"), "--format", "html")[0] == 0
    assert run(capsys, "report", str(save), "-o", str(tmp_path / "aar.txt"))[0] == 0
    assert (tmp_path / "aar.txt").read_text(encoding="utf-8").startswith("# ")


@pytest.mark.parametrize(
    "options, message",
    [
        (["--port", "70000"], "argument --port: must be 65,535 or less"),  # was OverflowError from bind()
        (["--port", "-1"], "argument --port: must be 0 or more"),
        (["--web", "-5"], "argument --web: must be 0 or more"),
        (["--timer", "nan"], "argument --timer: must be 0 (no timer) to 1440 minutes"),  # a clock never to run out
        (["--timer", "-1"], "argument --timer: must be 0 (no timer) to 1440 minutes"),
        (["--max-turns", "-3"], "argument --max-turns: must be 1 or more"),
        (["--max-turns", "99999999999999999999"], "argument --max-turns: must be 100 or less"),
        (["--watch", "--poll", "nan"], "argument --poll: must be 0.01 to 60 seconds"),  # check: sleep(nan) raised
        (["--watch", "--poll", "-1"], "argument --poll: must be 0.01 to 60 seconds"),
    ],
)
def test_host_and_watch_options_out_of_range_are_usage_errors(capsys, options, message):
    command = "check" if "--poll" in options else "host"
    with pytest.raises(SystemExit) as exit_:
        main([command, str(TUTORIAL), *options])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_role_given_two_bots_is_an_error(capsys):
    assert main(["host", str(TUTORIAL), "--port", "0", "--bot", "us=random", "--bot", "us=doctrine"]) == 1
    assert "--bot us=doctrine: us is given a bot twice" in capsys.readouterr().err


@pytest.mark.parametrize(
    "address, message",
    [
        ("ws://[::1", "Invalid IPv6 URL"),  # was a ValueError traceback from urlsplit
        ("ws://host:99999", "Port out of range"),  # was handed to the client, to fail later
        ("http://host:8765", "give the host's address as ws://HOST:PORT"),
        ("ws://host:8765/?code=K7QM", "the address must not hold the code"),
    ],
)
def test_join_refuses_an_address_it_cannot_use(capsys, address, message):
    assert main(["join", address]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_sweep_of_too_many_games_in_all_is_refused_before_the_first(capsys):
    """1,000 variants of 100,000 games each passed both caps: a hundred million records."""
    code = main(["sweep", str(TUTORIAL), "--set", "tension.start=10,20,30", "--runs", "50000"])
    assert code == 2
    assert "150,000 games (50,000 for each variant); at most 100,000" in capsys.readouterr().err
