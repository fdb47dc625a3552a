# The documented entry points: `make run` and `make test`. CI (.ci/run) calls the same targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite against PostgreSQL: a throwaway database on the local server (trust auth).
PG_HOST ?= 127.0.0.1
PG_PORT ?= 5432
PG_USER ?= postgres
PG_DB ?= dealwatch_test
EXPORT_DIR ?= export
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-postgres install migrate seed export lint format browsers messages clean bench loadtest

$(BIN)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

## A virtualenv in .venv with the exact versions of requirements.lock
install: $(BIN)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

## The seed data: five Arabic articles and every deal they report
seed: migrate
	$(BIN)/python manage.py loaddata seed

## Set up everything and serve on http://$(HOST):$(PORT)
run: seed
	@echo
	@echo "DealWatch at http://$(HOST):$(PORT)/ (Ctrl-C stops it)."
	@echo "Create an admin account (for /admin/) with: $(BIN)/python manage.py createsuperuser"
	@echo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## The whole suite (database from DATABASE_URL; SQLite by default)
test: install
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=dealwatch.settings.test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## The whole suite against a fresh database on the local PostgreSQL server
test-postgres: install
	dropdb --if-exists -h $(PG_HOST) -p $(PG_PORT) -U $(PG_USER) $(PG_DB)
	createdb -h $(PG_HOST) -p $(PG_PORT) -U $(PG_USER) $(PG_DB)
	DATABASE_URL=postgres://$(PG_USER)@$(PG_HOST):$(PG_PORT)/$(PG_DB) $(MAKE) test

## The export of the current database: $(EXPORT_DIR)/deals.json and $(EXPORT_DIR)/csv/*.csv
export: migrate
	mkdir -p $(EXPORT_DIR)
	$(BIN)/python manage.py export_deals --output $(EXPORT_DIR)/deals.json
	$(BIN)/python manage.py export_deals --format csv --output $(EXPORT_DIR)/csv

## Debian's Chromium (and its driver) for the browser tests, and gettext for the translation
## tests, when missing
browsers:
	@if command -v chromium >/dev/null 2>&1 && command -v xgettext >/dev/null 2>&1; then \
		echo "Chromium present: $$(chromium --version 2>/dev/null || echo /usr/bin/chromium)"; \
	else \
		$(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends \
			chromium chromium-driver gettext; \
	fi

## The Arabic catalogue regenerated from the code (translate new entries in locale/ar), compiled
messages: install
	$(BIN)/python manage.py makemessages -l ar --no-location --no-obsolete \
		--ignore=tests --ignore='bench*' --ignore=docs --ignore=static --ignore=fixtures
	$(BIN)/python manage.py compilemessages -l ar --ignore=$(VENV)

## Benchmarks: each page vs Datasette, the admin and its main query (docs/benchmarks.md).
## Quick run: make bench BENCH_SIZES=10000
BENCH_SIZES ?= 10000,100000,1000000
bench: install
	$(BIN)/python -m bench run --sizes $(BENCH_SIZES)

## Load test: wrk, 64 connections for 60 s, gunicorn on PostgreSQL 1M deals, then Datasette
loadtest: install
	$(BIN)/python -m bench loadtest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache db.sqlite3 $(EXPORT_DIR)
