# Thin wrappers: each target says exactly what it runs.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
PYTHON_VERSION := $(shell cat .python-version)
# uv from the machine if it has one, else a private copy installed from PyPI.
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test test-fast lint format bench serve worker chromium clean peers

.tools/bin/uv:
	@py=$$(command -v python$(basename $(PYTHON_VERSION)) || command -v python3); \
	  echo "Installing uv with $$py"; \
	  $$py -m venv .tools && .tools/bin/pip install --quiet --disable-pip-version-check uv

.venv/.synced: $(if $(findstring .tools,$(UV)),.tools/bin/uv) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON_VERSION)
	@touch $@

## demo: migrate, seed the example practice, start web server and worker, print logins
demo: .venv/.synced peers
	$(PY) manage.py demo --host $(HOST) --port $(PORT)

## test: the whole suite (unit, integration, browser); DATABASE_URL picks the database
test: .venv/.synced chromium peers
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

## test-fast: everything but the browser suite
test-fast: .venv/.synced
	$(PY) -m pytest -n 2 -m "not browser" $(PYTEST_ARGS)

## chromium: Debian's Chromium for the browser suite (never `playwright install`)
chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null) \
	    || echo "Could not install chromium: browser tests will be skipped"; \
	else echo "No chromium and no root to install it: browser tests will be skipped"; fi

## peers: the local Bluesky server (peers/bluesky) from the npm registry, when npm is here
peers:
	@if ! command -v npm >/dev/null 2>&1; then \
	  echo "No npm here: no local Bluesky server; its tests are skipped (they fail under CI)"; \
	elif ! peers/bluesky/install.sh; then \
	  echo "Could not install the local Bluesky server (peers/bluesky)"; [ -z "$$CI" ] || exit 1; \
	fi

lint: .venv/.synced
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy bedside
	.venv/bin/lint-imports

format: .venv/.synced
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

## bench: feed timings on large data (DATABASE_URL picks the database; BENCH_ARGS the size)
bench: .venv/.synced
	$(PY) bench/feeds.py $(BENCH_ARGS)

## serve / worker: the two production processes (see README for gunicorn flags)
serve: .venv/.synced
	.venv/bin/gunicorn bedside.wsgi --bind $(HOST):$(PORT) --workers 3 --access-logfile -

worker: .venv/.synced
	$(PY) manage.py db_worker --queue-name default,syndication

clean:
	rm -rf .venv .tools var
