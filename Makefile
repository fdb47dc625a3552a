# The documented entry points. CI calls the same targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate seed lint format bench browsers clean

$(BIN)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

install: $(BIN)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py loaddata seed

## Set up everything and serve on http://$(HOST):$(PORT)
run: seed
	@echo "Create an admin account with: $(BIN)/python manage.py createsuperuser"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## The whole suite (database from DATABASE_URL; SQLite by default)
test: install
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=dealwatch.settings.test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache db.sqlite3
