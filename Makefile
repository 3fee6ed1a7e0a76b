# Two commands: `make run` serves the seeded site on SQLite (with a worker for its jobs),
# `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The local site runs in development mode; production sets DEBUG off and real secrets.
RUN_ENV := DEBUG=1

.PHONY: run test install lock lint ci clean backup restore bench check-deploy loadtest scaleout fuzz

# Two locks with hashes, both from pyproject.toml: requirements.lock is what production
# installs (no test tool), requirements-dev.lock adds the tools for tests and lint.
$(BIN)/.installed: requirements.lock requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

install: $(BIN)/.installed

# make lock: both locks again from pyproject.toml's ranges, keeping every pin that still
# fits; make lock UPGRADE=1 takes the newest releases the ranges allow.
LOCK = $(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links $(if $(filter 1,$(UPGRADE)),--upgrade)
lock: install
	$(LOCK) --output-file requirements.lock pyproject.toml
	$(LOCK) --extra dev --output-file requirements-dev.lock pyproject.toml

run: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --no-input
	$(RUN_ENV) $(BIN)/python manage.py seed_ecosystem
	@# A worker beside the web server (docs/operations.md, "Background jobs"): the shell
	@# stops it when runserver ends, on Ctrl-C or on an error.
	$(RUN_ENV) $(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# The whole suite (the browser tests too, where Chromium is) under coverage.py, on the
# database DATABASE_URL names (SQLite by default), then the lines and branches of the
# project's code no test reaches ([tool.coverage] in pyproject.toml) and the total;
# fails on a failing test, or below fail_under.
test: install
	$(BIN)/coverage run -m pytest
	$(BIN)/coverage report

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(RUN_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

# Django's deployment checks on the production settings docs/deployment.md documents (DEBUG off,
# HTTPS, a public address); the environment's own values win. Any warning fails.
PRODUCTION_ENV = DEBUG=0 \
	SECRET_KEY="$${SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-directory.example.org}" \
	SITE_URL="$${SITE_URL:-https://directory.example.org}"
check-deploy: install
	$(PRODUCTION_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

# Backups of the database DATABASE_URL names (SQLite by default) into backups/, or
# $BACKUP_DIR; the file's path is the last line printed.
backup: install
	$(RUN_ENV) $(BIN)/python manage.py backup

# make restore FILE=backups/ecosystem-....dump [FORCE=1]: replaces the database's content;
# a database holding data is refused unless FORCE=1.
restore: install
	@test -n "$(FILE)" || { echo "Which backup? make restore FILE=backups/ecosystem-YYYYMMDD-HHMMSS.sqlite3 (or .dump) [FORCE=1]" >&2; exit 2; }
	$(RUN_ENV) $(BIN)/python manage.py restore "$(FILE)" $(if $(filter 1,$(FORCE)),--force)

# make bench SIZE=10k|100k|1m [FRESH=1]: the site served by gunicorn on a PostgreSQL
# database of its own, loaded with demo data at that size; writes bench/RESULTS.md.
SIZE ?= 10k
bench: install
	$(BIN)/python -m bench.run --size $(SIZE) $(if $(filter 1,$(FRESH)),--fresh)

# make loadtest [DURATION=5m] [SIZE=10k] [FRESH=1] [EDGE=1]: 64 connections for DURATION
# over a mix of pages, API and exports, against gunicorn on a PostgreSQL database of its
# own and Redis (with EDGE=1, through nginx's cache, started by the script on loopback);
# fails on any error. wrk and nginx come from Debian when missing, as Chromium does in CI
# (the package's own service is not used).
DURATION ?= 5m
loadtest: install
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	@$(if $(filter 1,$(EDGE)),PATH="$$PATH:/usr/sbin" command -v nginx >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; })
	$(BIN)/python -m bench.loadtest --duration $(DURATION) --size $(SIZE) $(if $(filter 1,$(FRESH)),--fresh) $(if $(filter 1,$(EDGE)),--edge)

# make scaleout: two application servers on one PostgreSQL and one Redis serve the same
# data, sessions and cache, and one keeps serving when the other is killed.
scaleout: install
	$(BIN)/python -m bench.scaleout

# Fuzzing (tests/fuzz, marker `fuzz`): schemathesis against the API, 1,000 cases per
# operation with all its checks, and Hypothesis against every public page, 10,000 cases;
# prints the cases tried and failed per target. `make test` runs a few of each.
fuzz: install
	$(BIN)/python -m pytest -q -m fuzz tests/fuzz

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
