# Exemplar — the README's two commands live here: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PYTHONPATH := src
export PYTHONDONTWRITEBYTECODE := 1
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install system-deps run serve worker test test-fast test-pg test-browser lint fmt bench messages compilemessages ci clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP) compilemessages

# System packages that pip cannot provide: Chromium for the browser tests,
# gettext for the message catalogues. Installs only what is missing.
system-deps:
	@bash scripts/system-deps.sh

compilemessages: $(STAMP)
	@$(PY) scripts/compile_messages.py

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py load_demo --if-empty
	$(PY) manage.py load_demo_programme --if-empty
	@$(PY) manage.py demo_logins
	@echo "Serving http://$(HOST):$(PORT)/ (and a task worker); Ctrl-C stops both."
	@trap 'kill 0' EXIT INT TERM; \
	  $(PY) manage.py db_worker --interval 1 & \
	  $(PY) manage.py runserver --noreload $(HOST):$(PORT)

test: install system-deps
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: install
	$(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

test-pg: install
	EXEMPLAR_TEST_DATABASE_URL=$${EXEMPLAR_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/exemplar} $(PY) -m pytest $(PYTEST_ARGS)

test-browser: install system-deps
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

fmt: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(PY) bench/bench_import.py
	$(PY) bench/bench_nominations.py

# Re-extract the message catalogues after changing user-facing strings (needs GNU gettext).
messages: install
	$(PY) manage.py makemessages --locale zh_Hans --no-obsolete --no-location \
	  --ignore ".venv/*" --ignore "tests/*" --ignore "bench/*" --ignore "var/*" --ignore "scripts/*" --ignore "*/vendor/*"
	@$(PY) scripts/compile_messages.py

ci: lint test

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
