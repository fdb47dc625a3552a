# The documented entry points: `make run` and `make test`. CI (.ci/run) calls the same targets.
# requirements.lock pins what the site runs on (`make install`); requirements-dev.lock adds the
# test and lint tools (`make install-dev`). Both are written from pyproject.toml by `make lock`.
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

# Every core: one pytest worker each, each with its own test database, live server and
# Chromium; an idle worker takes tests queued for another (worksteal), so none waits at the end.
PYTEST_ARGS ?= -n auto --dist worksteal
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --strip-extras \
	--no-emit-index-url --no-emit-trusted-host --no-emit-find-links

.PHONY: run test test-postgres install install-dev lock migrate seed export lint format browsers \
	messages clean bench loadtest warm_cache plotly lighthouse

$(BIN)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --upgrade pip
	$(PIP_INSTALL) -r requirements.lock
	touch $@

$(BIN)/.installed-dev: requirements-dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --upgrade pip
	$(PIP_INSTALL) -r requirements-dev.lock
	touch $@

## A virtualenv in .venv with the exact versions of requirements.lock (what the site runs on)
install: $(BIN)/.installed

## The same with the test and lint tools of requirements-dev.lock
install-dev: $(BIN)/.installed-dev

## Both lock files rewritten from pyproject.toml after a dependency was added or removed there.
## Pinned versions stay as they are; to move one: make lock LOCK_ARGS="--upgrade-package NAME"
lock: install-dev
	$(PIP_COMPILE) $(LOCK_ARGS) --output-file requirements.lock pyproject.toml
	$(PIP_COMPILE) $(LOCK_ARGS) --extra dev --constraint requirements.lock \
		--output-file requirements-dev.lock pyproject.toml

migrate: install
	$(BIN)/python manage.py migrate --noinput

## The seed data: five Arabic articles and every deal they report
seed: migrate
	$(BIN)/python manage.py seed

## The pages that sum over every deal (overview, graph, company totals, in both languages)
## built now, so that no reader waits for them: after a deploy or a bulk load (Redis cache)
warm_cache: install
	$(BIN)/python manage.py warm_cache

## Set up everything and serve on http://$(HOST):$(PORT)
run: seed
	@echo
	@echo "DealWatch at http://$(HOST):$(PORT)/ (Ctrl-C stops it)."
	@echo "Create an admin account (for /admin/) with: $(BIN)/python manage.py createsuperuser"
	@echo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## The whole suite, on every core (database from DATABASE_URL; SQLite by default).
## One file, serially: make test PYTEST_ARGS="tests/test_timeline.py"
test: install-dev
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

## Debian's Chromium (and its driver) for the browser tests, gettext for the translation tests,
## Java and npm for the page checkers, when missing; then the checkers themselves, pinned in
## tests/tools/package-lock.json: axe-core (accessibility) and vnu-jar (the Nu HTML Checker)
browsers:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium chromium-driver"; \
	command -v xgettext >/dev/null 2>&1 || missing="$$missing gettext"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -z "$$missing" ]; then \
		echo "Chromium present: $$(chromium --version 2>/dev/null || echo /usr/bin/chromium)"; \
	else \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends \
			$$missing; \
	fi
	npm ci --prefix tests/tools --ignore-scripts --no-audit --no-fund

## The partial plotly.js of static/vendor/plotly/ (only the traces DealWatch draws), rebuilt
## from the packages pinned in tools/plotly/package-lock.json; commit its output
plotly:
	npm ci --prefix tools/plotly --ignore-scripts --no-audit --no-fund
	cd tools/plotly && node build.mjs

## Lighthouse (mobile) on the chart pages in both languages, production settings behind
## WhiteNoise and gunicorn; fails below performance 90 or above layout shift 0.1
lighthouse: install
	npm ci --prefix bench/node --ignore-scripts --no-audit --no-fund
	$(BIN)/python -m bench.lighthouse $(LIGHTHOUSE_ARGS)

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

## Load test: wrk, 64 connections for 60 s, gunicorn on PostgreSQL 1M deals, then Datasette,
## then the same readers while an editor saves a deal each second through the admin, on one
## gunicorn and on two sharing PostgreSQL and Redis (LOADTEST_ARGS=--mixed-only: those alone)
loadtest: install
	$(BIN)/python -m bench loadtest $(LOADTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache db.sqlite3 $(EXPORT_DIR)
