# Bondgenoot — `make run` serves the app with demo data; `make test` runs every check.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
LEGS := build/legs
CHROMIUM_PATH ?= $(shell command -v chromium || command -v chromium-browser || echo /usr/bin/chromium)
export CHROMIUM_PATH

# The first Python >= 3.12 we can find (pyenv reads .python-version for `python3`).
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then command -v $$p; break; fi; done)


.PHONY: fuzz load lock help install system-deps legs-reset run test mutate-access typecheck lint migrations-check translations-check pytest-sqlite pytest-postgres pytest-browser messages clean

help:
	@echo "make run    install, load demo data and serve http://127.0.0.1:8000 (SQLite);"
	@echo "            ADDR=host:port and SITE_URL=... serve elsewhere (links in messages follow)"
	@echo "make test   install and run every check: ruff, mypy, migrations, translations, pytest"
	@echo "            on SQLite, on PostgreSQL (a throwaway cluster unless DATABASE_URL is"
	@echo "            set) and in Chromium; installs missing system packages as root on Debian"

$(STAMP): pyproject.toml requirements.lock
	@if [ -z "$(PYTHON)" ]; then \
		echo "ERROR: Bondgenoot needs Python 3.12 or newer, and none was found."; \
		echo "       Install it (e.g. 'pyenv install 3.12' or 'apt-get install python3.12')"; \
		echo "       or run: make PYTHON=/path/to/python3.12 ..."; exit 1; fi
	@if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
		echo "The virtual environment uses an old Python; making a new one."; rm -rf $(VENV); fi
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	@# Exact versions with their hashes from the lock file, then the project itself.
	$(PIP) install --quiet --require-hashes -r requirements.lock
	$(PIP) install --quiet --no-deps -e .
	@touch $(STAMP)

# Pin the newest versions that fit the ranges in pyproject.toml (run after changing them,
# or to take updates); commit requirements.lock with the change. See CONTRIBUTING.md.
lock: $(STAMP)
	$(PIP) install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.12 \
		--python-platform linux --generate-hashes --upgrade --quiet -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --python-version 3.12 \
		--python-platform linux --generate-hashes --upgrade --quiet -o requirements-prod.lock

# The real OpenID Connect provider the single sign-on tests run (npm's oidc-provider, with
# node), from its lock file; git ignores its node_modules. Without npm, make install goes
# on (the app itself needs no node) and the single sign-on tests fail saying what to do.
OIDC_DIR := bondgenoot/accounts/tests/oidc_provider
OIDC_STAMP := $(OIDC_DIR)/node_modules/.installed

$(OIDC_STAMP): $(OIDC_DIR)/package.json $(OIDC_DIR)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd $(OIDC_DIR) && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else \
		echo "WARNING: npm is missing, so the single sign-on tests cannot run their OpenID Connect"; \
		echo "         provider (apt-get install -y nodejs npm; make test does this as root)."; \
	fi

install: $(STAMP) $(OIDC_STAMP)

# Chromium, gettext, Pango and the PostgreSQL server: apt-get as root on Debian,
# otherwise the exact command to run.
system-deps:
	@scripts/system-deps

legs-reset:
	@rm -rf $(LEGS)

# The address the development server listens on; links in messages point there.
ADDR ?= 127.0.0.1:8000
SITE_URL ?= http://$(ADDR)

run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed --scale demo --if-empty
	@echo ""
	@echo "Bondgenoot runs at $(SITE_URL) — stop it with Ctrl+C."
	@echo "(Another address: make run ADDR=0.0.0.0:8080 SITE_URL=http://laptop.local:8080)"
	@echo "Messages are delivered by a background worker; emails (also password-reset links"
	@echo "and parents' links) are kept as files in var/outbox/mail, text messages in"
	@echo "var/outbox/sms: never printed to this terminal or its logs."
	DEBUG=1 MAILER=outbox SITE_URL=$(SITE_URL) $(PY) manage.py resume_deliveries
	DEBUG=1 MAILER=outbox SITE_URL=$(SITE_URL) $(PY) manage.py resume_invitations
	DEBUG=1 MAILER=outbox SITE_URL=$(SITE_URL) $(PY) manage.py db_worker --interval 1 --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 MAILER=outbox SITE_URL=$(SITE_URL) $(PY) manage.py runserver $(ADDR)

# Break the access policy one rule at a time; every breakage must fail a test (slow).
mutate-access: install
	$(PY) scripts/mutate_access.py

# Fuzz every form and private link longer than CI does (random examples, not the fixed
# set; FUZZ_EXAMPLES=500 for more). A few minutes per hundred examples.
fuzz: install
	env -u DATABASE_URL HYPOTHESIS_PROFILE=long $(VENV)/bin/pytest -q bondgenoot/security_tests/test_fuzz.py

# 8 clients in mixed roles against gunicorn on loopback for 10 minutes (not in CI); with
# --restart-db the PostgreSQL server restarts halfway. See bench/README.md.
load: install
	scripts/test-postgres $(PY) bench/load.py $(LOAD_ARGS)

typecheck: install
	DEBUG=1 $(VENV)/bin/mypy

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

migrations-check: install
	DEBUG=1 SQLITE_PATH=:memory: $(PY) manage.py makemigrations --check --dry-run

translations-check: install
	@command -v msgfmt >/dev/null || { echo "ERROR: gettext is missing (apt-get install -y gettext)."; exit 1; }
	DEBUG=1 SQLITE_PATH=:memory: $(PY) manage.py check_translations

# Rebuild the Dutch catalogue after changing interface text; then translate and compile.
messages: install
	DEBUG=1 $(PY) manage.py makemessages -l nl --no-obsolete --no-location --ignore=.venv --ignore=build --ignore=var
	DEBUG=1 $(PY) manage.py compilemessages -l nl --ignore=.venv

pytest-sqlite: install
	env -u DATABASE_URL EXPECT_DB=sqlite $(VENV)/bin/pytest -m "not browser" -q
	@mkdir -p $(LEGS) && touch $(LEGS)/sqlite.ok

# A throwaway PostgreSQL cluster (scripts/test-postgres) unless DATABASE_URL is set.
pytest-postgres: install
	@status=0; scripts/test-postgres env EXPECT_DB=postgresql $(VENV)/bin/pytest -m "not browser" -q || status=$$?; \
	if [ $$status = 77 ]; then echo "PostgreSQL leg skipped: no PostgreSQL server found (apt-get install -y postgresql)."; \
	elif [ $$status != 0 ]; then exit $$status; \
	else mkdir -p $(LEGS) && touch $(LEGS)/postgres.ok; fi

pytest-browser: install
	@[ -x "$(CHROMIUM_PATH)" ] || { echo "ERROR: Chromium is missing at $(CHROMIUM_PATH). Install it with 'apt-get install -y chromium' (make test does this as root)."; exit 1; }
	env -u DATABASE_URL $(VENV)/bin/pytest -m browser -q
	@mkdir -p $(LEGS) && touch $(LEGS)/browser.ok

test: system-deps legs-reset lint typecheck migrations-check translations-check pytest-sqlite pytest-postgres pytest-browser
	@echo "All checks passed: $$(ls $(LEGS) 2>/dev/null | tr '\n' ' ')"

clean:
	rm -rf $(VENV) build var $(OIDC_DIR)/node_modules
