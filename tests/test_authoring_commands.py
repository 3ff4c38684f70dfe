"""crisis graph, new, preview and playthrough: their output and their errors."""

import re

import pytest
import yaml
from helpers import FLAGSHIP, ROOT, TUTORIAL, imported_with, mini_data

from game.analysis.playthrough import read_playthrough
from game.cli.main import main
from game.scenario import validate


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def broken_scenario(tmp_path):
    data = mini_data()
    data["ladder"]["start"] = "nowhere"
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


# ------------------------------------------------------------------- graph


def expected_moves(path):
    """(from, to, number) for every transition of the file, read from the YAML itself."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    levels = data["ladder"]["levels"]
    open_levels = [lv["id"] for lv in levels if "outcome" not in lv]
    moves = set()
    for number, t in enumerate(data["ladder"]["transitions"], 1):
        sources = t["from"] if isinstance(t["from"], list) else [t["from"]]
        for source in open_levels if "*" in sources else sources:
            if source != t["to"]:
                moves.add((source, t["to"], number))
    return levels, moves


def test_the_flagship_graph_shows_its_levels_and_transitions(capsys):
    code, out, _ = run(capsys, "graph", FLAGSHIP, "--format", "mermaid")
    assert code == 0
    levels, moves = expected_moves(FLAGSHIP)
    ladder = out.split("%% turn flow")[0]
    for level in levels:
        assert f"as {level['id']}\n" in ladder
        if "outcome" in level:
            assert f"    {level['id']} --> [*]: ends as {level['outcome']}" in ladder
    drawn = {(a, b, int(n)) for a, b, n in re.findall(r"^    (\w+) --> (\w+): (\d+)\. ", ladder, re.M)}
    assert drawn == moves
    start = yaml.safe_load(FLAGSHIP.read_text(encoding="utf-8"))["ladder"]["start"]
    assert f"[*] --> {start}" in ladder
    # pushes step between neighbouring levels that are not terminal
    assert "push up" in ladder and "push down" in ladder
    assert "orders --> orders: resolve if not is_over" in out
    # the steps that decide a turn, in the order the engine runs them
    assert "orders --> debrief: resolve#58; adjudicate, fire injects, escalate, check end#59; if is_over" in out


def test_graph_text_and_dot(capsys):
    code, text, _ = run(capsys, "graph", TUTORIAL)
    assert code == 0
    assert "   2. friction -> strikes  when tension >= 60" in text
    assert "pushed by: us.strike (+1), militias.stand_down (-1)" in text
    code, dot, _ = run(capsys, "graph", TUTORIAL, "--format", "dot")
    assert code == 0 and dot.startswith('digraph "tutorial ladder" {')
    assert '"friction" -> "strikes" [label="2. tension >= 60"];' in dot


def test_graph_errors(tmp_path, capsys):
    assert run(capsys, "graph", tmp_path / "none.yaml")[0] == 1
    code, _, err = run(capsys, "graph", broken_scenario(tmp_path))
    assert code == 1 and "unknown level 'nowhere'" in err
    with pytest.raises(SystemExit):
        run(capsys, "graph", TUTORIAL, "--format", "png")


# --------------------------------------------------------------------- new


def test_new_writes_a_commented_skeleton_that_validates(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "new", "harbour-crisis")
    assert code == 0 and "crisis check harbour-crisis.yaml --watch" in out
    path = tmp_path / "harbour-crisis.yaml"
    report = validate(path)
    assert report.diagnostics == []
    text = path.read_text(encoding="utf-8")
    assert "id: harbour_crisis" in text and 'title: "Harbour crisis"' in text
    assert sum(line.lstrip().startswith("#") or " # " in line for line in text.splitlines()) >= 10
    assert run(capsys, "new", "harbour-crisis")[0] == 1  # never overwrites


def test_new_from_a_scenario(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, _ = run(capsys, "new", "juniper2.yaml", "--from", TUTORIAL, "--title", "Juniper again")
    assert code == 0
    from game.scenario import load

    loaded = load(tmp_path / "juniper2.yaml")
    assert (loaded.scenario.id, loaded.scenario.title) == ("juniper2", "Juniper again")
    assert [r.id for r in loaded.scenario.roles] == [r.id for r in load(TUTORIAL).scenario.roles]
    assert loaded.warnings == []
    assert run(capsys, "new", "other", "--from", tmp_path / "missing.yaml")[0] == 1
    assert not (tmp_path / "other.yaml").exists()


# ----------------------------------------------------------------- preview


def test_preview_renders_templates_at_the_start_and_the_extremes(capsys):
    code, out, _ = run(capsys, "preview", TUTORIAL)
    assert code == 0
    block = out.split("line 28: scenario 'tutorial', situation 1\n", 1)[1].split("\n\n")[0]
    assert "at the start: It is 4 March 2024." in block and "Tension stands at 40 out of 100." in block
    assert "tension at its lowest (0): " in block and "Tension stands at 0 out of 100." in block
    assert "tension at its highest (100): " in block and "Tension stands at 100 out of 100." in block
    assert "in the last turn (3): It is 18 March 2024." in block
    assert "iraq.pressure at its highest (10): Keep the peace and your coalition. Pressure on you is 10." in out


def test_preview_errors(tmp_path, capsys):
    assert run(capsys, "preview", tmp_path / "none.yaml")[0] == 1
    assert run(capsys, "preview", broken_scenario(tmp_path))[0] == 1


# ------------------------------------------------------------- playthrough


def test_playthrough_reports_like_pytest(tmp_path, capsys):
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(f"scenario: {TUTORIAL}\nseed: 1\nexpect:\n  outcome: no_such_outcome\n", encoding="utf-8")
    code, out, _ = run(
        capsys, "playthrough", ROOT / "tests/playthroughs/tutorial-calm.yaml", wrong, tmp_path / "x.yaml"
    )
    assert code == 1
    lines = out.splitlines()
    assert lines[0].endswith("tutorial-calm.yaml PASSED")
    assert lines[1] == f"{wrong} FAILED"
    assert lines[2] == f"{tmp_path / 'x.yaml'} ERROR"
    assert "  outcome: expected no_such_outcome, got" in out
    assert re.fullmatch(r"=== 1 passed, 1 failed, 1 error in \d+\.\d\ds ===", lines[-1])
    # A folder: every playthrough in it (test_playthroughs.py plays the shipped ones).
    folder = tmp_path / "folder"
    folder.mkdir()
    for name in ("tutorial-calm.yaml", "tutorial-conflict.yaml"):
        text = (ROOT / "tests/playthroughs" / name).read_text(encoding="utf-8")
        (folder / name).write_text(text.replace("../../scenarios/", f"{ROOT / 'scenarios'}/"), encoding="utf-8")
    code, out, _ = run(capsys, "playthrough", folder)
    assert code == 0 and re.search(r"=== 2 passed, 0 failed in", out), out


def test_a_playthrough_on_an_invalid_scenario_is_an_error(tmp_path, capsys):
    path = tmp_path / "p.yaml"
    path.write_text(f"scenario: {broken_scenario(tmp_path)}\nexpect: {{turns: 1}}\n", encoding="utf-8")
    code, out, _ = run(capsys, "playthrough", path)
    assert code == 1 and "ERROR" in out and "its scenario does not load" in out


def test_read_playthrough_takes_a_string_path():
    playthrough = read_playthrough(str(ROOT / "tests/playthroughs/tutorial-calm.yaml"))
    assert playthrough.scenario == TUTORIAL.resolve()


def test_a_mermaid_label_is_one_line_of_data(tmp_path, capsys):
    """A level name with a line break, an entity or mermaid syntax stays one label."""
    data = mini_data()
    data["ladder"]["levels"][0]["name"] = 'Calm\n    click A "javascript:alert(1)" &amp; <b>'
    path = tmp_path / "odd.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    code, out, _ = run(capsys, "graph", path, "--format", "mermaid")
    assert code == 0
    first = data["ladder"]["levels"][0]["id"]
    assert 'state "Calm     click A #quot;javascript#58;alert(1)#quot; #38;amp#59; #lt;b#gt;" as ' + first in out
    assert all(not line.lstrip().startswith("click") for line in out.splitlines())


def test_new_with_an_odd_name(tmp_path, capsys, monkeypatch):
    """An empty name wrote a hidden '.yaml'; the command to paste next ran what the name held."""
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "new", "")
    assert code == 2 and "give the new scenario a file name" in err and not (tmp_path / ".yaml").exists()
    code, out, _ = run(capsys, "new", "x$(touch pwned) y")
    assert code == 0 and "crisis check 'x$(touch pwned) y.yaml' --watch" in out
    assert validate(tmp_path / "x$(touch pwned) y.yaml").ok


def test_the_commands_start_without_the_network_code():
    """`crisis validate`, run by an editor on every save, started 90 ms slower (a third of
    its time) importing asyncio for `crisis host` and `join`: the command line imports
    the network code only when one of those runs."""
    assert imported_with("game.cli.main", "asyncio", "game.net", "websockets") == []
