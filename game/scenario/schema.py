"""The JSON Schema of the scenario format, for editors (yaml-language-server)."""

from __future__ import annotations

from game.scenario.model import FORMAT_VERSION, Scenario
from game.scenario.spec import json_schema

SCHEMA_ID = "https://crisis-sim.example/schema/scenario-v1.json"


def scenario_schema() -> dict:
    schema = json_schema(Scenario, title=f"crisis-sim scenario (format {FORMAT_VERSION})", schema_id=SCHEMA_ID)
    schema["$defs"]["Scenario"]["properties"]["format"]["const"] = FORMAT_VERSION
    return schema
