# The two commands a newcomer needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test setup test-sqlite test-postgres test-browser lint clean demo

$(VENV)/.installed: requirements.txt
	@python_bin=$$(scripts/find-python) || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then \
		echo "Creating $(VENV) with $$python_bin"; rm -rf $(VENV); "$$python_bin" -m venv $(VENV) || exit 1; \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed to build the front end: install Node.js 20 or newer." >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/build/.built: node_modules/.installed frontend/app.scss scripts/build-frontend.mjs
	node scripts/build-frontend.mjs
	@touch $@

setup: $(VENV)/.installed static/build/.built

demo: setup
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py loaddata reference demo_users -v0
	$(PY) manage.py seed_demo --if-empty

run: demo
	@$(PY) manage.py demo_signins --port $(PORT)
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup
	@env -u DATABASE_URL $(PY) manage.py makemigrations --check --dry-run -v0 || { echo "Models and migrations disagree." >&2; exit 1; }
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres; \
	else echo "DATABASE_URL is not set: the PostgreSQL run was skipped."; fi
	@if [ -x "$(CHROMIUM)" ]; then $(MAKE) --no-print-directory test-browser; \
	else echo "SKIPPED the browser tests: no Chromium at $(CHROMIUM) (apt-get install -y chromium, or set CHROMIUM=)."; fi

test-sqlite:
	@echo "== Test suite on SQLite =="
	env -u DATABASE_URL $(PY) -m pytest -m "not browser" -q

test-postgres:
	@echo "== Test suite on PostgreSQL =="
	$(PY) -m pytest -m "not browser" -q

test-browser:
	@echo "== Browser tests (Chromium at $(CHROMIUM)) =="
	env -u DATABASE_URL CHROMIUM=$(CHROMIUM) $(PY) -m pytest -m browser -q -p no:randomly

lint: setup
	$(PY) -m ruff check .

clean:
	rm -rf $(VENV) node_modules static/build staticfiles
