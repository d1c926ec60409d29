# Everyday commands. Each makes the venv from requirements.lock when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Test workers (pytest-xdist): one per CPU, each with its own test database. WORKERS=0
# runs every test in this one process, as plain pytest does: for debugging, or with pdb.
WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -p no:cacheprovider -n $(WORKERS)

.PHONY: demo test test-sqlite test-postgres lint format bench guide-shots clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

## Run OneLibrary with the small demo group on SQLite at http://127.0.0.1:8000
demo: $(STAMP)
	$(BIN)/onelibrary demo

## The whole suite: lint, then every test on SQLite, then on a throwaway PostgreSQL
test: lint test-sqlite test-postgres

test-sqlite: $(STAMP)
	$(PYTEST)

test-postgres: $(STAMP)
	$(BIN)/python -m tests.pgserver -- $(PYTEST)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

## The staff guide's screenshots (docs/guide/img/), taken by the browser tests that walk the desk
guide-shots: $(STAMP)
	ONELIBRARY_GUIDE_SHOTS=1 $(BIN)/python -m pytest -p no:cacheprovider -n 0 -m browser tests/web/test_desk_day_browser.py tests/web/test_guide_browser.py

bench: $(STAMP)
	$(BIN)/python bench/import_marc.py

lock:
	uv pip compile requirements.in -o requirements.lock --python-version 3.11 --no-header

clean:
	rm -rf $(VENV) var .pytest_cache
