# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench bench-quick bench-docs docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/rkg demo

test: lint
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

docs: $(STAMP)
	$(BIN)/rkg sources -o docs/sources.md
	$(BIN)/rkg sources --readme README.md

# Everything of issue #11 at 100k and 1M in one run (< 40 min: budgets in benchmarks/plan.py),
# one table in bench-results/bench-latest.json; bench-docs writes it into docs/benchmarks.md.
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run --sizes 100000,1000000
	$(MAKE) bench-docs

bench-quick: $(STAMP)
	$(BIN)/python -m benchmarks.run --quick

bench-docs: $(STAMP)
	$(BIN)/python -m benchmarks.run --markdown bench-results/bench-latest.json

clean:
	rm -rf $(VENV) build dist *.egg-info
