"""docs/writing-scenarios.md shows what the commands print today.

Each `<!-- run: crisis ... -->` marker is followed by a text block with that
command's output. The test runs every command and compares; timings are the only
part allowed to differ. To rewrite the blocks after an intended change:
`CRISIS_UPDATE_DOCS=1 .venv/bin/python -m pytest tests/test_writing_scenarios_doc.py`.
"""

import os
import re
import shlex
import subprocess
import sys

from helpers import ROOT

DOC = ROOT / "docs" / "writing-scenarios.md"
BLOCK = re.compile(r"(<!-- run: crisis (.*?) -->\n```text\n)(.*?)(```)", re.S)
TIMING = re.compile(r"\d+\.\d+ s\b")


def output_of(command: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "game", *shlex.split(command)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout


def test_every_output_in_the_tutorial_is_what_the_command_prints():
    text = DOC.read_text(encoding="utf-8")
    blocks = BLOCK.findall(text)
    assert len(blocks) >= 6
    if os.environ.get("CRISIS_UPDATE_DOCS"):
        text = BLOCK.sub(lambda m: m.group(1) + output_of(m.group(2)) + m.group(4), text)
        DOC.write_text(text, encoding="utf-8")
        blocks = BLOCK.findall(text)
    for _, command, shown, _ in blocks:
        assert TIMING.sub("T s", shown) == TIMING.sub("T s", output_of(command)), command


def test_the_tutorial_files_step_by_step():
    from game.scenario import validate

    assert validate(ROOT / "docs/tutorial/harbour-1.yaml").diagnostics == []
    assert [d.severity for d in validate(ROOT / "docs/tutorial/harbour-2.yaml").diagnostics] == ["warning"] * 2
    assert validate(ROOT / "docs/tutorial/harbour-3.yaml").diagnostics == []
