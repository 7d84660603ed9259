# Two commands matter: `make run` and `make test`. Everything else is a step they share.
SHELL := /bin/bash
# The system's Python where it is 3.11 or newer and can make a venv, else the first python3 on
# PATH; `make PYTHON=...` chooses another. Distributions build their Python with profile-guided
# and link-time optimization, a plain source build (pyenv's default) without: the same pages
# cost about 15 % more CPU on it (BENCHMARKS.md). A server runs the system's Python anyway.
PYTHON ?= $(shell /usr/bin/python3 -c 'import sys, ensurepip; assert sys.version_info >= (3, 11)' \
            2>/dev/null && echo /usr/bin/python3 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app worker_app

.PHONY: run test test-fast setup python-deps frontend translations audio db chromium lint translate-update bench soak

# The reminder sender runs beside the dev server, once a minute, as cron would run it in
# production (never inside the web process); it stops when the server does.
run: setup db
	$(FLASK) reminders keys
	@echo "Serving on http://127.0.0.1:$(PORT) (Ctrl+C stops it)"
	@( while sleep 60; do $(FLASK) reminders send || true; done ) & sender=$$!; \
	  trap 'kill $$sender 2>/dev/null' EXIT INT TERM; \
	  $(FLASK) run --host 127.0.0.1 --port $(PORT)

test: setup chromium
	$(BIN)/pytest

# The inner loop: everything but the browser tests (no chromium needed).
test-fast: setup
	$(BIN)/pytest -m "not browser"

setup: python-deps frontend translations audio

python-deps: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

# Third-party front-end code comes from the npm registry and is copied into static/vendor/
# (git-ignored); it is never committed.
frontend: static/vendor/.copied
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@
static/vendor/.copied: node_modules/.installed scripts/vendor.py scripts/icons.mjs $(VENV)/.installed
	$(BIN)/python scripts/vendor.py
	node scripts/icons.mjs
	touch $@

translations: $(VENV)/.installed
	$(FLASK) translate compile

# Read-aloud files for the lessons, for phones without a Norwegian voice: espeak-ng speaks,
# lame makes small MP3s. Installed when missing and we may; without them the app uses the
# browser's speech only.
audio: $(VENV)/.installed
	@if ! command -v espeak-ng >/dev/null || ! command -v lame >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng lame; \
	  else echo "espeak-ng or lame is missing (install them as root for lesson audio)"; fi; \
	fi
	$(FLASK) lessons audio

# Applies migrations to DATABASE_URL (default: SQLite under instance/), then seeds the demo
# data (idempotent) and prints fresh demo sign-in lines for this address.
db: $(VENV)/.installed
	$(FLASK) db upgrade --directory migrations
	$(FLASK) seed-demo --base-url http://127.0.0.1:$(PORT)

# Browser tests drive Debian's chromium; install it when missing and we may.
chromium:
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "chromium is missing: install Debian's chromium package (as root)"; exit 1; fi; \
	fi

lint: $(VENV)/.installed
	$(BIN)/ruff check .

translate-update: $(VENV)/.installed
	$(FLASK) translate update

# The benchmark (BENCHMARKS.md): national data set, gunicorn, bounded load, Lighthouse 12.2.3
# (its own npm project in bench/). SQLite in a temporary folder, or DATABASE_URL. Then the soak:
# SOAK_MINUTES of mixed traffic on PostgreSQL (DATABASE_URL, or a throwaway server) with two app
# servers and Redis. Not in `make test`.
SOAK_MINUTES ?= 10
bench: setup chromium bench/node_modules/.installed
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.soak --minutes $(SOAK_MINUTES)
soak: setup
	$(BIN)/python -m bench.soak --minutes $(SOAK_MINUTES)
bench/node_modules/.installed: bench/package.json bench/package-lock.json
	cd bench && npm ci --no-audit --no-fund --loglevel=error
	touch $@
