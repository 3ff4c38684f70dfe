# The two quick-start commands: `make play` and `make test`.
# Each creates .venv on first use and installs the project into it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: play test check install clean golden

$(BIN)/crisis: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

install: $(BIN)/crisis

play: install
	$(BIN)/crisis play

test: check
	$(BIN)/python -m pytest

# Lint and format (ruff) and the layers of the code (import-linter: each package imports
# only those below it; Textual only in game/tui).
check: install
	$(BIN)/ruff check game tests benchmarks
	$(BIN)/ruff format --check game tests benchmarks
	$(BIN)/lint-imports

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
