"""`crisis schema`: a JSON Schema editors can use, that agrees with the validator."""

import json
import subprocess
import sys

import jsonschema
import pytest
import yaml
from helpers import ROOT

SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


@pytest.fixture(scope="module")
def schema():
    result = subprocess.run([sys.executable, "-m", "game", "schema"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_schema_is_a_valid_draft_2020_12_schema(schema):
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$defs"]["Scenario"]["additionalProperties"] is False


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_the_shipped_scenarios_satisfy_the_schema(schema, path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    assert errors == [], [e.message for e in errors[:5]]


def test_the_schema_catches_what_an_editor_should_flag(schema):
    data = yaml.safe_load((ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8"))
    data["tracks"][0]["lable"] = "typo"
    data["roles"][0]["actions"][0]["category"] = "militray"
    data["format"] = 2
    messages = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]
    assert any("lable" in m for m in messages)
    assert any("militray" in m for m in messages)
    assert any("1 was expected" in m for m in messages)


def test_the_schema_can_be_written_to_a_file(tmp_path):
    out = tmp_path / "scenario.schema.json"
    result = subprocess.run(
        [sys.executable, "-m", "game", "schema", "-o", str(out)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0 and json.loads(out.read_text())["title"].startswith("crisis-sim scenario")


# ------------------------------------------- the schema and `validate` agree on every value

# How an editor (YAML 1.2, core schema) reads a plain scalar: the table of the YAML 1.2.2
# spec, section 10.3.2, written out here independently of the reader's own code.
YAML12 = [
    (r"null|Null|NULL|~|", lambda v: None),
    (r"true|True|TRUE", lambda v: True),
    (r"false|False|FALSE", lambda v: False),
    (r"[-+]?[0-9]+", int),
    (r"0o[0-7]+", lambda v: int(v, 8)),
    (r"0x[0-9a-fA-F]+", lambda v: int(v, 16)),
    (r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?", float),
    (r"[-+]?\.(inf|Inf|INF)", lambda v: float(v.replace(".", "").lower())),
]


def editor_reading(node):
    import re

    if isinstance(node, yaml.MappingNode):
        return {editor_reading(k): editor_reading(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [editor_reading(v) for v in node.value]
    if node.style:
        return node.value
    for pattern, convert in YAML12:
        if re.fullmatch(pattern, node.value):
            return convert(node.value)
    return node.value


# Where each kind of value sits in a small valid scenario.
FIELDS = {
    "true/false (flag start)": "flags:\n  - id: talks\n    description: Talks.\n    start: @\n",
    "number (track per_turn)": "tracks:\n  - id: tension\n    label: Tension\n    start: 50\n    per_turn: @\n",
    "whole number 1..10 (orders_per_turn)": "orders_per_turn: @\n",
    "text (track label)": "tracks:\n  - id: tension\n    label: @\n    start: 50\n",
    "optional text (track unit)": "tracks:\n  - id: tension\n    label: Tension\n    start: 50\n    unit: @\n",
    "date (scenario date)": "date: @\n",
    "partial date (source date)": "sources:\n  - id: wire\n    title: T\n    outlet: O\n    date: @\n",
    "choice (track visibility)": "tracks:\n  - id: tension\n    label: Tension\n    start: 50\n    visibility: @\n",
    "condition (outcome when)": "outcomes_when: @\n",
}
VALUES = [
    "yes", "no", "on", "off", "true", "True", "FALSE", "y", "010", "0o17", "0x1F", "1_000", "1:30", "1e3",
    "1.5e2", ".5", "+3", "-2", "2.0", "7", ".inf", "-.inf", "null", "~", '""', "2024", "0999", "2024-01-08",
    '"2024-01-08"', "2024-1-8", "hidden", "public", "some text", "'12'", "1e13",
]  # fmt: skip
# Not among them: `.nan`. NaN is no JSON value, so JSON Schema says nothing about it.

AGREEMENT_BASE = """format: 1
id: agree
title: Agreement
date: "2024-01-08"
summary: Values read the same way by the schema and by validate.
turns: {max: 2}
situation: [Start.]
roles:
  - id: a
    name: Alpha
    public_briefing: [A.]
    private_briefing: [A.]
    actions:
      - {id: wait, label: Wait, category: diplomatic, description: Wait., results: [{news: Waiting.}]}
ladder:
  start: low
  levels:
    - {id: low, name: Low, description: Low.}
    - {id: top, name: Top, description: Top., outcome: done}
  transitions: [{from: low, to: top, when: turn >= 2}]
outcomes:
  - {id: done, title: Done, summary: Done., default: true}
"""


def agreement_case(field: str, value: str) -> str:
    snippet = FIELDS[field].replace("@", value)
    if snippet.startswith("outcomes_when"):
        return AGREEMENT_BASE.replace("default: true}", f"default: true, when: {value}}}")
    key = snippet.split(":", 1)[0]
    lines = [line for line in AGREEMENT_BASE.splitlines(keepends=True) if not line.startswith(key + ":")]
    return "".join(lines) + snippet


@pytest.mark.parametrize("field", FIELDS)
def test_the_schema_and_validate_agree_on_every_value(schema, field, tmp_path):
    from game.scenario import validate

    disagreements = []
    for value in VALUES:
        text = agreement_case(field, value)
        path = tmp_path / "case.yaml"
        path.write_text(text, encoding="utf-8")
        crisis_ok = validate(path).ok
        data = editor_reading(yaml.compose(text))
        editor_ok = not list(jsonschema.Draft202012Validator(schema).iter_errors(data))
        # A condition's names and types are beyond a schema: there, the schema must only
        # never refuse what validate accepts.
        if crisis_ok != editor_ok and not (field.startswith("condition") and editor_ok):
            disagreements.append(f"{value!r}: validate {'accepts' if crisis_ok else 'refuses'}, schema does not")
    assert disagreements == []
    assert validate_base_ok(tmp_path)


def validate_base_ok(tmp_path) -> bool:
    from game.scenario import validate

    path = tmp_path / "base.yaml"
    path.write_text(AGREEMENT_BASE, encoding="utf-8")
    return validate(path).ok


def test_yaml_1_1_forms_are_explained(tmp_path):
    from game.scenario import validate

    path = tmp_path / "case.yaml"
    path.write_text(agreement_case("true/false (flag start)", "yes"), encoding="utf-8")
    assert any("write true or false" in d.message for d in validate(path).errors)
    path.write_text(agreement_case("number (track per_turn)", "010"), encoding="utf-8")
    report = validate(path)
    assert report.ok
    assert [d.message for d in report.diagnostics if "YAML 1.1" in d.message] == [
        "'per_turn' of track 'tension': '010' reads as 10 here (YAML 1.2) but as 8 in YAML 1.1 tools; write 10"
    ]
