"""`crisis check`: what it reports, the problems it finds, its exit status."""

import re
from collections import Counter

import pytest
import yaml
from helpers import TUTORIAL, mini_data

from game.analysis.check import run_check, watch
from game.cli.main import main
from game.scenario import load


def write(tmp_path, data, name="planted.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def line_of(path, text: str) -> int:
    """The 1-based line of the first line of `path` that ends with `text`."""
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if line.endswith(text))


def check(path, capsys, *args):
    code = main(["check", str(path), "--runs", "20", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def findings(out: str) -> list[str]:
    return [line.strip() for line in out.split("\nFindings\n", 1)[1].splitlines() if ": warning: " in line]


def test_an_unreachable_inject_is_found_at_its_line(tmp_path, capsys):
    data = mini_data()
    data["flags"].append({"id": "secret", "description": "Never set.", "visibility": "hidden"})
    data["injects"] = [{"id": "ghost", "title": "Ghost", "when": "secret", "news": "Boo."}]
    path = write(tmp_path, data)
    code, out, _ = check(path, capsys)
    assert code == 3
    assert f"{path}:{line_of(path, 'id: ghost')}:7: warning: inject 'ghost' never fired in 60 games" in "\n".join(
        findings(out)
    )


def test_an_outcome_that_never_happens(tmp_path, capsys):
    data = mini_data()
    data["flags"].append({"id": "secret", "description": "Never set."})
    data["outcomes"].insert(0, {"id": "miracle", "title": "Miracle", "summary": "?", "when": "secret"})
    path = write(tmp_path, data)
    code, out, _ = check(path, capsys)
    assert code == 3
    line = line_of(path, "id: miracle")
    assert any(f.startswith(f"{path}:{line}:") and "outcome 'miracle' never happened" in f for f in findings(out))


def test_a_game_that_always_ends_in_turn_1(tmp_path, capsys):
    data = mini_data()
    data["ladder"]["transitions"].insert(0, {"from": "*", "to": "war", "when": "turn >= 1"})
    path = write(tmp_path, data)
    code, out, _ = check(path, capsys)
    assert code == 3
    line = line_of(path, "when: turn >= 1") - 2  # the transition starts at its '- from:'
    assert (
        f"{path}:{line}:5: warning: every game with random bots ends in turn 1 "
        "(20 by transition 1 (* -> war, when turn >= 1))" in findings(out)
    )
    # What ended the games, for every bot type: that one transition.
    assert out.count("100.0%  transition 1 (* -> war, when turn >= 1)") == 3


def test_a_dominant_action(tmp_path, capsys):
    data = mini_data()
    bravo = data["roles"][1]
    data["flags"].append({"id": "grabbed", "description": "Bravo grabbed it."})
    bravo["objectives"] = [{"id": "grab_it", "text": "Grab it.", "when": "grabbed", "points": 10}]
    bravo["actions"].append(
        {
            "id": "grab",
            "label": "Grab",
            "category": "economic",
            "description": "d",
            "results": [{"chance": 50, "effects": {"grabbed": True}, "news": "Bravo grabs it."}],
        }
    )
    bravo["doctrine"] = [{"prefer": ["wait"], "reason": "Bravo waits."}]
    path = write(tmp_path, data)
    code, out, _ = check(path, capsys)
    assert code == 3
    (finding,) = [f for f in findings(out) if "dominates" in f]
    assert finding.startswith(f"{path}:{line_of(path, 'id: grab')}:")
    assert "for 'b', always 'grab' scores" in finding


def test_a_clean_scenario_exits_0_and_reports_every_part(capsys):
    from helpers import ROOT

    path = ROOT / "docs" / "tutorial" / "harbour-3.yaml"  # the tutorial's scenario, once fixed
    code, out, _ = check(path, capsys, "--runs", "40")
    assert code == 0, findings(out)
    for heading in (
        "== 40 games with random bots (seed 1)",
        "Outcomes by the turn they came",
        "What ended the games",
        "Tracks by turn",
        "Objectives met at the end",
        "Doctrine rules",
        "Orders: share of turns ordered",
        "== Strategies against doctrine bots",
        "Findings\n  none",
    ):
        assert heading in out
    line = line_of(path, "to: settled, when: tension < 15}")
    assert re.search(
        rf"\d+\.\d%  transition 1 \(standoff, unrest -> settled, when tension < 15\)  \[line {line}\]", out
    )


def test_what_ended_each_game_agrees_with_the_games(tmp_path):
    """Independent of the report: every game ended by a transition ended on its target level."""
    loaded = load(TUTORIAL)
    result = run_check(loaded, runs=40, bot_kinds=("random",), dominance_runs=0)
    transitions = loaded.scenario.ladder.transitions
    for record in result.bot_runs[0].records:
        if record.reason == "terminal level":
            index = int(record.ended_by.split(":")[1])
            target = next(lv for lv in loaded.scenario.ladder.levels if lv.id == transitions[index].to)
            assert target.outcome == record.outcome
        elif record.ended_by.startswith("outcome:"):
            assert record.ended_by == f"outcome:{record.outcome}"
        else:
            assert record.ended_by == "default" and record.outcome == "muddle"


def test_errors_missing_file_invalid_scenario_and_usage(tmp_path, capsys):
    assert check(tmp_path / "nope.yaml", capsys)[0] == 1
    data = mini_data()
    data["tracks"][0]["start"] = "lots"
    code, out, err = check(write(tmp_path, data), capsys)
    assert code == 1 and "planted.yaml:" in out and "error:" in out and "does not validate" in err
    assert check(TUTORIAL, capsys, "--bots", "clever")[0] == 2
    with pytest.raises(SystemExit):
        check(TUTORIAL, capsys, "--runs", "0")


def test_watch_checks_again_after_each_save(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("a", encoding="utf-8")
    runs = []
    polls = iter(range(6))

    def fake_sleep(_):
        step = next(polls)
        if step in (1, 3):  # the author saves twice
            path.write_text("a" * (step + 2), encoding="utf-8")

    watch(path, lambda: runs.append(path.read_text()), keep_going=lambda: len(runs) < 3, sleep=fake_sleep)
    assert runs == ["a", "aaa", "aaaaa"]


def test_games_that_always_run_to_the_turn_limit(tmp_path, capsys):
    data = mini_data()
    data["ladder"]["transitions"] = [{"from": "high", "to": "war", "when": "tension >= 90 and talks"}]
    data["roles"][0]["actions"][1]["results"][0]["effects"] = {"tension": 20}  # no more ladder pushes
    path = write(tmp_path, data)
    code, out, _ = check(path, capsys, "--bots", "random")
    assert code == 3
    line = line_of(path, "max: 3")
    assert (
        f"{path}:{line}:8: warning: every game with random bots ran to the turn limit: "
        "no transition or outcome ended one early" in findings(out)
    )


def test_check_watch_from_the_command_line(tmp_path):
    """`crisis check --watch` checks at once, then again after the file is saved."""
    import subprocess
    import sys
    import time

    from helpers import ROOT

    path = tmp_path / "watched.yaml"
    path.write_text(TUTORIAL.read_text(encoding="utf-8"), encoding="utf-8")
    command = [sys.executable, "-m", "game", "check", str(path), "--watch", "--poll", "0.1"]
    command += ["--runs", "5", "--bots", "random", "--strategy-runs", "0", "--brief"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    try:

        def read_until(text: str, timeout: float = 60) -> None:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                line = process.stdout.readline()
                lines.append(line)
                if text in line:
                    return
            raise AssertionError(f"no {text!r} in {''.join(lines)}")

        read_until("finding")  # the summary line of the first check
        path.write_text(path.read_text(encoding="utf-8").replace("start: 40", "start: 400"), encoding="utf-8")
        read_until("does not validate")
    finally:
        process.terminate()
        process.wait(timeout=10)
    output = "".join(lines)
    assert output.count(f"checking {path}") == 2
    assert "start 400 is outside its range 0..100" in output


def test_check_as_json_says_what_the_text_says(tmp_path, capsys):
    import json

    data = mini_data()
    data["ladder"]["transitions"].insert(0, {"from": "*", "to": "war", "when": "turn >= 1"})
    path = write(tmp_path, data)
    code, out, _ = check(path, capsys, "--bots", "random,doctrine")
    text_findings = findings(out)
    code_json, out_json, _ = check(path, capsys, "--bots", "random,doctrine", "--json")
    result = json.loads(out_json)
    assert code == code_json == 3
    assert [f"{path}:{f['line']}:{f['column']}: {f['severity']}: {f['message']}" for f in result["findings"]] == (
        text_findings
    )
    random_run = result["runs"][0]
    assert random_run["bots"] == "random" and random_run["games"] == 20
    assert random_run["outcomes_by_turn"]["war"] == {"1": 20}
    assert random_run["ended_by"] == [
        {
            "cause": "transition:0",
            "what": "transition 1 (* -> war, when turn >= 1)",
            "line": random_run["ended_by"][0]["line"],
            "games": 20,
        }
    ]
    assert {s["strategy"] for s in result["strategies"] if s["role"] == "a"} == {
        "doctrine",
        "passive",
        "only:calm_down",
        "only:escalate",
    }


def test_roles_only_a_bot_plays_keep_their_doctrine_and_have_no_strategies():
    loaded = load(TUTORIAL)
    bot_only = [r.id for r in loaded.scenario.roles if r.bot_only]
    assert bot_only, "the tutorial has a party only a bot plays"
    result = run_check(loaded, runs=10, bot_kinds=("random",), dominance_runs=3)
    rules = sum((r.rules for r in result.bot_runs[0].records), Counter())
    assert any(key.split("#")[0] in bot_only for key in rules)  # doctrine, even among random bots
    assert {s.role for s in result.strategies} == {r.id for r in loaded.scenario.roles} - set(bot_only)
