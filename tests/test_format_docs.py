"""docs/scenario-format.md stays true to the format it documents."""

import re
from pathlib import Path

import pytest

from game.scenario import load_bytes, model
from game.scenario.fields import Model, fields_of, key_of

DOC = (Path(__file__).resolve().parents[1] / "docs" / "scenario-format.md").read_text(encoding="utf-8")

FORMAT_CLASSES = [
    cls
    for cls in vars(model).values()
    if isinstance(cls, type) and issubclass(cls, Model) and cls is not Model and cls.__module__ == model.__name__
]


def doc_section(name: str) -> str:
    match = re.search(rf"^### {name}\b.*?(?=^### |^## |\Z)", DOC, re.S | re.M)
    assert match, f"docs/scenario-format.md has no section '### {name}'"
    return match.group(0)


@pytest.mark.parametrize("cls", FORMAT_CLASSES, ids=lambda c: c.__name__)
def test_every_key_is_documented_in_its_section(cls):
    section = doc_section("Scenario" if cls is model.Scenario else cls.__name__)
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", section, re.M))
    keys = {key_of(f) for f, _ in fields_of(cls)}
    assert keys - documented == set(), f"undocumented keys of {cls.__name__}"
    assert documented - keys == set(), f"documented keys {cls.__name__} does not have"


@pytest.mark.parametrize("cls", FORMAT_CLASSES, ids=lambda c: c.__name__)
def test_documented_defaults_match_the_model(cls):
    section = doc_section("Scenario" if cls is model.Scenario else cls.__name__)
    rows = dict(re.findall(r"^\| `([a-z_]+)` \|[^|]*\| ([^|]*) \|", section, re.M))
    for f, _ in fields_of(cls):
        default = f.default
        if isinstance(default, (int, float, str)) and not isinstance(default, bool) and default is not None:
            assert f"`{default}`" in rows[key_of(f)], f"{cls.__name__}.{key_of(f)} default"
        if isinstance(default, bool):
            assert f"`{str(default).lower()}`" in rows[key_of(f)], f"{cls.__name__}.{key_of(f)} default"


def test_the_complete_example_validates():
    example = DOC.split("## A complete example", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", example, re.S).group(1)
    loaded = load_bytes(block.encode(), "docs example")
    assert loaded.scenario.id == "checkpoint"
    assert loaded.warnings == []


def test_every_yaml_snippet_in_the_docs_parses():
    import yaml

    for snippet in re.findall(r"```yaml\n(.*?)```", DOC, re.S):
        yaml.safe_load(snippet)


def test_the_playthrough_example_plays_as_written(tmp_path):
    from game.analysis.playthrough import check, play, read_playthrough

    section = DOC.split("## Testing a scenario", 1)[1].split("## A complete example")[0]
    example = re.findall(r"```yaml\n(.*?)```", section, re.S)[0]
    tutorial = Path(__file__).resolve().parents[1] / "scenarios" / "tutorial.yaml"
    path = tmp_path / "example.yaml"
    path.write_text(example.replace("../../scenarios/tutorial.yaml", str(tutorial)), encoding="utf-8")
    playthrough = read_playthrough(path)
    assert check(playthrough, play(playthrough)) == []
