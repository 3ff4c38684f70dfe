# The two quick-start commands: `make play` and `make test`.
# Each creates .venv on first use and installs the project into it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: play test check install clean golden mutants

$(BIN)/crisis: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

install: $(BIN)/crisis

play: install
	$(BIN)/crisis play

# The whole suite on every core (pytest-xdist), the snapshot tests of the TUI with it (they
# fail on a changed screen under xdist too; a test of their own finds snapshot files left
# behind, which syrupy cannot report under xdist). Tests that guard against slow code limit
# CPU time, not wall-clock time, so a busy machine does not fail them.
# Python caches compiled modules even where the environment turns that off
# (PYTHONDONTWRITEBYTECODE): the suite starts about a hundred `crisis` processes, and each
# would compile the game again (a fifth of their time).
# One worker more than the machine has cores: the terminal and network tests spend a third of
# their time waiting (Textual's pilot waits for the app to go idle), which the extra worker
# fills (on 2 cores: 120 s instead of 150 s for the slowest files, the same CPU time).
WORKERS ?= $(shell $(PYTHON) -c 'import os; print((os.cpu_count() or 1) + 1)')

test: check
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup

# Lint and format (ruff), types (mypy, configured in pyproject.toml: which packages and how
# strictly) and the layers of the code (import-linter: each package imports only those
# below it; Textual only in game/tui).
check: install
	$(BIN)/ruff check game tests benchmarks tools
	$(BIN)/ruff format --check game tests benchmarks tools
	$(BIN)/mypy
	$(BIN)/lint-imports

# The mutation check: one-line breakages of real behaviour, each run against the tests that
# should catch it (tools/mutants.py says how to run a few). Takes a few minutes.
mutants: install
	$(BIN)/python tools/mutants.py --jobs 2

clean:
	rm -rf $(VENV) *.egg-info

# Re-record the golden transcripts and reports after an intended change to rules, bots,
# scenarios or the reports.
golden: install
	for f in scenarios/*.yaml; do \
		$(BIN)/crisis transcript $$f --seed 1 --bots doctrine -o tests/golden/$$(basename $$f .yaml).txt; \
	done
	$(BIN)/crisis transcript scenarios/tutorial.yaml --seed 2 --bots doctrine --as us -o tests/golden/tutorial--as-us.txt
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_reports.py -k golden -q
