# Two commands do everything: `make run` and `make test` (see README.md).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test check lint style bench install seed clean-db

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## make run: create the venv, install, migrate and seed the embedded SQLite (once), serve
run: install
	mkdir -p var
	$(BIN)/waitlist init
	$(BIN)/waitlist seed --demo
	@echo "Parents' pages: http://$(HOST):$(PORT)/   Coordinators: http://$(HOST):$(PORT)/coordinator"
	@echo "Demo coordinator login: coordinator-farsta / demo-password (one account per district: coordinator-<district>)"
	$(BIN)/waitlist serve --host $(HOST) --port $(PORT)

## make lint: style and layer contracts (make style), then types
lint: style
	$(BIN)/mypy

style: install
	$(BIN)/ruff check waitlist solver api tests benchmarks
	$(BIN)/ruff format --check waitlist solver api tests benchmarks
	$(BIN)/lint-imports

## make check: the fast loop (lint, types, layer contracts, the tests not marked slow: no
## PostgreSQL, no browser, no large searches). mypy runs beside the tests (its first run in
## a clone takes a quarter of a minute) and its report follows theirs; either failing fails.
check: style
	@mkdir -p var; $(BIN)/mypy > var/mypy.out 2>&1 & types=$$!; \
	WAITLIST_TEST_BUDGET=small $(BIN)/pytest -n 2 -q -m "not slow"; tests=$$?; \
	wait $$types; typed=$$?; echo "== mypy"; cat var/mypy.out; \
	exit $$(( tests != 0 || typed != 0 ))

## make test: the whole suite, SQLite and PostgreSQL (started by scripts/postgres.sh), browsers
test: install lint
	bash scripts/chromium.sh
	WAITLIST_TEST_POSTGRES="$${WAITLIST_TEST_POSTGRES:-$$(bash scripts/postgres.sh)}" \
	  $(BIN)/pytest -n 2 --dist loadfile -q

bench: install
	WAITLIST_TEST_POSTGRES="$${WAITLIST_TEST_POSTGRES:-$$(bash scripts/postgres.sh)}" \
	  sh -c 'for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done'

clean-db:
	rm -f var/waitlist.db var/waitlist.db-wal var/waitlist.db-shm var/waitlist.db-ratelimit var/waitlist.db-ratelimit-wal var/waitlist.db-ratelimit-shm
