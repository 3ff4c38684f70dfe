"""The mutation check's own bookkeeping (tools/mutants.py): its list of mutants is
well formed, and a mutant whose code has moved is reported, not applied."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from helpers import ROOT


def load_tool():
    spec = importlib.util.spec_from_file_location("mutants", ROOT / "tools" / "mutants.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["mutants"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


mutants = load_tool()


def test_every_mutant_has_a_unique_id_a_real_change_and_existing_tests():
    ids = [m.id for m in mutants.MUTANTS]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 37
    for m in mutants.MUTANTS:
        assert m.find != m.replace and m.what, m.id
        assert (ROOT / m.path).is_file(), m.id
    assert mutants.missing_targets(mutants.MUTANTS) == []


def test_a_mutant_applies_only_where_its_snippet_occurs_exactly_once(tmp_path: Path):
    (tmp_path / "code.py").write_text("a = 1\nb = 2\nb = 2\n", encoding="utf-8")

    def mutant(find):
        return mutants.Mutant("m", "code.py", find, "x = 0", "what", ("tests/test_smoke.py",))

    assert mutants.applicability(mutant("a = 1"), tmp_path) is None
    assert mutants.applicability(mutant("c = 3"), tmp_path) == "its snippet is no longer in code.py"
    assert mutants.applicability(mutant("b = 2"), tmp_path) == "its snippet occurs 2 times in code.py"
    result = mutants.try_mutant(mutant("c = 3"), tmp_path, timeout=10)
    assert (result.status, result.detail) == ("not applicable", "its snippet is no longer in code.py")
    assert (tmp_path / "code.py").read_text(encoding="utf-8") == "a = 1\nb = 2\nb = 2\n"
