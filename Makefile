# The two commands a newcomer needs: `make run` and `make test`. See README.md and CONTRIBUTING.md.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
CHROMIUM ?= /usr/bin/chromium
# pytest-xdist workers for the SQLite and PostgreSQL passes: one per core.
PYTEST_WORKERS ?= auto
# The browser tests' workers, each with its own Chromium, live server and database (tests/browser/conftest.py).
BROWSER_WORKERS ?= 2
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check

.PHONY: run serve serve-web collectstatic test test-parts setup setup-dev test-sqlite test-postgres test-production test-browser lint audit requirements clean demo \
	worker scheduler

# The virtual environment, on a Python 3.12+ that scripts/find-python finds.
$(VENV)/.python:
	@python_bin=$$(scripts/find-python) || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then \
		echo "Creating $(VENV) with $$python_bin"; rm -rf $(VENV); "$$python_bin" -m venv $(VENV) || exit 1; \
	fi
	@touch $@

# What production runs (make run, make serve).
$(VENV)/.installed: $(VENV)/.python requirements.txt
	$(PIP_INSTALL) -r requirements.txt
	@touch $@

# Tests, lint, type checking and benchmarks on top (make test, make lint).
# pyzbar (the test that reads back a letter's QR code) needs Debian's libzbar0: installed here when missing and
# apt-get may be used (as root), else named.
$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP_INSTALL) -r requirements-dev.txt
	@if ! ldconfig -p 2>/dev/null | grep -q 'libzbar\.so\.0'; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libzbar0 >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libzbar0 >/dev/null; }; \
		else echo "The QR code test needs libzbar0: apt-get install -y libzbar0" >&2; fi; \
	fi
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed to build the front end: install Node.js 20 or newer." >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/build/.built: node_modules/.installed frontend/app.scss scripts/build-frontend.mjs
	node scripts/build-frontend.mjs
	@touch $@

setup: $(VENV)/.installed static/build/.built

setup-dev: setup $(VENV)/.installed-dev

demo: setup
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py loaddata reference demo_users -v0
	$(PY) manage.py seed_demo --if-empty

# The development server and a task worker beside it (letter files, emails), stopped together by Ctrl-C.
run: demo
	@$(PY) manage.py demo_signins
	@$(PY) scripts/run_together.py --announce-when-listening 127.0.0.1:$(PORT) http://127.0.0.1:$(PORT)/accounts/login/ \
		"web: $(PY) manage.py runserver 127.0.0.1:$(PORT)" "worker: $(WORKER)"

# The task worker alone (django-tasks-db: the queue is the database; every queue), against DATABASE_URL, which
# must be migrated. More options of db_worker in WORKER_ARGS, e.g. WORKER_ARGS=--no-reload.
WORKER_ARGS ?=
WORKER = $(PY) manage.py db_worker '--queue-name=*' --no-startup-delay $(WORKER_ARGS)
worker: setup
	$(WORKER)

# The scheduler alone: queues the scheduled jobs at their times, for the worker (docs/jobs.md).
scheduler: setup
	$(PY) manage.py run_scheduler

# The production server (docs/deploy.md): gunicorn with config/gunicorn.conf.py against the configured DATABASE_URL,
# static files collected first. Migrations are NOT run here: run `manage.py migrate` before starting new code
# (docs/deploy.md, "Upgrades"). Production settings come from the environment (at least DJANGO_SECRET_KEY,
# DJANGO_ALLOWED_HOSTS, DATABASE_URL); PORT or GUNICORN_BIND say where it listens.
collectstatic: setup
	$(PY) manage.py collectstatic --noinput -v0

serve-web: collectstatic
	$(VENV)/bin/gunicorn --config config/gunicorn.conf.py

# A single host runs everything from here: the web server, and beside it the task worker and the scheduler
# (docs/jobs.md), as one (scripts/run_together.py: SIGTERM or Ctrl-C stops all three; one ending stops the
# others, for the supervisor to restart). Several hosts run `make serve-web` and `make worker` apart, and the
# scheduler anywhere (two schedulers never queue a job twice).
serve: collectstatic
	@$(PY) scripts/run_together.py "web: $(VENV)/bin/gunicorn --config config/gunicorn.conf.py" "worker: $(WORKER)" \
		"scheduler: $(PY) manage.py run_scheduler"

# The whole suite, timed from the set-up on: SQLite (with coverage and its floor), PostgreSQL when
# DATABASE_URL is set, then the browser tests.
test:
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory setup-dev && $(MAKE) --no-print-directory test-parts; status=$$?; \
	took=$$(( $$(date +%s) - start )); \
	echo "make test: $$([ $$status -eq 0 ] && echo passed || echo FAILED), wall time $$((took / 60)) min $$((took % 60)) s"; \
	exit $$status

# With DATABASE_URL set, the PostgreSQL pass's template database is migrated (if missing) beside the SQLite pass
# (python -m tests.dbcache), on the core one SQLite worker leaves idle while the other migrates its copy.
test-parts:
	@env -u DATABASE_URL $(PY) manage.py makemigrations --check --dry-run -v0 || { echo "Models and migrations disagree." >&2; exit 1; }
	@if [ -n "$$DATABASE_URL" ]; then $(PY) -m tests.dbcache & preparing=$$!; fi; \
	$(MAKE) --no-print-directory test-sqlite; status=$$?; \
	if [ -n "$$preparing" ] && ! wait $$preparing; then echo "Preparing the PostgreSQL template failed: the PostgreSQL pass migrates its own." >&2; fi; \
	exit $$status
	@if [ -n "$$DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres && $(MAKE) --no-print-directory test-production; \
	else echo "DATABASE_URL is not set: the PostgreSQL run and the production shape were skipped."; fi
	@if [ -x "$(CHROMIUM)" ]; then $(MAKE) --no-print-directory test-browser; \
	else echo "SKIPPED the browser tests: no Chromium at $(CHROMIUM) (apt-get install -y chromium, or set CHROMIUM=)."; fi

# Every test but the browser ones and those that need PostgreSQL; the coverage floor is
# [tool.coverage.report] fail_under in pyproject.toml.
test-sqlite: setup-dev
	@echo "== Test suite on SQLite, with coverage =="
	env -u DATABASE_URL $(PY) -m pytest -m "not browser and not postgres and not production" -q -n $(PYTEST_WORKERS) --cov --durations=15

# Only the tests that touch a database (tests/conftest.py marks the others no_db): the rest ran above.
test-postgres: setup-dev
	@echo "== Test suite on PostgreSQL =="
	$(PY) -m pytest -m "not browser and not no_db and not production" -q -n $(PYTEST_WORKERS) --durations=15

# The production shape on this machine (tests/production/): two gunicorn servers, one worker, a fresh copy of a
# migrated PostgreSQL database (from DATABASE_URL's server), Redis db 2 (RJ_CACHE_URL), moto's S3 server and an
# aiosmtpd SMTP server, on 127.0.0.1 ports 8111-8114. Serial; the first run on a server also migrates a template.
test-production: setup-dev
	@echo "== The production shape (PostgreSQL, Redis, S3, SMTP, two servers, a worker) =="
	@[ -n "$$DATABASE_URL" ] || { echo "make test-production needs DATABASE_URL=postgres://..." >&2; exit 1; }
	$(PY) -m pytest tests/production -m production -q -p no:xdist -p no:randomly

# BROWSER_WORKERS xdist workers, each its own Chromium, live server and SQLite database; a module whose tests
# share a seeded module fixture (the reflow walk) stays on one worker (--dist loadgroup).
test-browser: setup-dev
	@echo "== Browser tests (Chromium at $(CHROMIUM)) =="
	env -u DATABASE_URL CHROMIUM=$(CHROMIUM) $(PY) -m pytest -m browser -q -p no:randomly \
		-n $(BROWSER_WORKERS) --dist loadgroup --durations=10

# ruff (lint, and the formatter over the whole tree), mypy with no new errors, models and migrations agree,
# every installed licence may sit beside MIT.
lint: setup-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) scripts/check_types.py
	env -u DATABASE_URL $(PY) manage.py makemigrations --check --dry-run -v0
	$(PY) scripts/check_licences.py --quiet

# Known vulnerabilities in the pinned requirements, from the advisory snapshot in the repository (offline).
audit: setup-dev
	$(PY) scripts/audit_dependencies.py requirements.txt requirements-dev.txt

# Re-pin from requirements*.in (pass UPGRADE="--upgrade" or UPGRADE="--upgrade-package NAME" to move forward).
requirements: setup-dev
	$(PY) scripts/compile_requirements.py $(UPGRADE)

clean:
	rm -rf $(VENV) node_modules static/build staticfiles htmlcov .coverage .mypy_cache
