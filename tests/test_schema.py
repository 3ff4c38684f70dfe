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
