# Two commands for a fresh machine: `make run` and `make test`.
# Both create .venv and install what they need; with DATABASE_URL and
# CELERY_BROKER_URL set they use PostgreSQL and Redis/RabbitMQ instead of the
# embedded SQLite database and filesystem broker under var/.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export DEBUG ?= 1

.PHONY: run test lint migrate demo bench bench-scans clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

migrate: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	@echo "Starting web (http://127.0.0.1:8000/), worker and beat. Ctrl-C stops them."
	$(BIN)/honcho start -f Procfile.dev

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/mypy
	$(BIN)/pytest

bench: $(VENV)/.dev
	$(BIN)/python bench/parsing_bench.py

# Needs PostgreSQL: it creates and empties the database `h_bench` (see --help).
bench-scans: $(VENV)/.dev
	$(BIN)/python bench/scan_bench.py

clean:
	rm -rf var/ artifacts/ .pytest_cache .mypy_cache .ruff_cache
