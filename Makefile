# Two commands for a fresh machine: `make run` and `make test`.
# Both create .venv and install what they need; with DATABASE_URL and
# CELERY_BROKER_URL set they use PostgreSQL and Redis/RabbitMQ instead of the
# embedded SQLite database and filesystem broker under var/.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export DEBUG ?= 1

.PHONY: run test lint migrate demo messages bench bench-scans bench-scan-scale bench-load bench-import bench-pages clean

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

# Needs GNU gettext. Finds every string marked for translation, adds the new ones to
# locale/ar/LC_MESSAGES/django.po (translate them there), and compiles django.mo, which is
# committed so a machine without gettext still serves Arabic.
MESSAGES_IGNORE := --ignore=.venv --ignore=var --ignore=bench --ignore=tests --ignore=staticfiles --ignore=artifacts
messages: $(VENV)/.runtime
	$(BIN)/python manage.py makemessages -l ar --add-location=file $(MESSAGES_IGNORE)
	$(BIN)/python manage.py compilemessages -l ar $(MESSAGES_IGNORE)

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

# Needs PostgreSQL and Redis: serves the desk with gunicorn on the database `load_bench`
# (created and emptied) and puts 20 clients on it for two minutes (see --help).
bench-load: $(VENV)/.runtime
	$(BIN)/python bench/load_bench.py

# Needs PostgreSQL: a 10,000-row CSV read, dry-run, imported and downloaded again in the
# database `h_bench_import`, which it empties.
bench-import: $(VENV)/.dev
	$(BIN)/python bench/import_bench.py

# Needs PostgreSQL: the queue pages, the admin's claim list, the claims API, the story
# page and the scans at 100,000 claims against their floors, in the database
# `h_bench_pages`, which it empties (see --help). Prints a table, then one JSON line.
bench-pages: $(VENV)/.dev
	$(BIN)/python bench/pages_bench.py

# Needs PostgreSQL and Redis: a million claims in `h_scan_scale_bench`, the full scan split
# into tasks on 1, 2 and 4 worker processes (Redis database 7; both emptied; see --help).
bench-scan-scale: $(VENV)/.dev
	$(BIN)/python bench/scan_scale_bench.py

clean:
	rm -rf var/ artifacts/ .pytest_cache .mypy_cache .ruff_cache
