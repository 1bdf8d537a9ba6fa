# One Makefile for people and CI. `make demo` and `make test` work on a fresh machine that has
# git, make and a Python >= 3.12 (scripts/find-python says what to install if there is none).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
export ONESTOP_PYTHON

UV_VERSION := 0.13.9
UV := .tools/venv/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo's links and QR codes use them (unless ONESTOP_PUBLIC_URL is set): see onestop/core/env.py.
export HOST PORT

.PHONY: install demo serve test test-postgres lint format typecheck migrations-check messages messages-check ci clean

$(UV):
	@py=$$(scripts/find-python); echo "Using $$py"; \
	  "$$py" -m venv .tools/venv && .tools/venv/bin/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock $(UV)
	$(UV) sync --frozen --quiet --python "$$(scripts/find-python)"
	@touch $@

install: $(VENV)/.synced
	@$(PY) scripts/compilemessages.py

# The demo: SQLite and files under ./data, no other server. Run again, it keeps the data.
demo: export DEBUG := 1
demo: install
	$(MANAGE) migrate --noinput --verbosity 0
	$(MANAGE) createcachetable --verbosity 0
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) load_demo
	$(MANAGE) api_demo_key
	HOST=$(HOST) PORT=$(PORT) scripts/serve

serve: install
	HOST=$(HOST) PORT=$(PORT) scripts/serve

# Tests on SQLite by default; on PostgreSQL when DATABASE_URL points at one (see test-postgres).
test: install
	$(PY) -m pytest $(PYTEST_ARGS)

test-postgres: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/onestop
test-postgres: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

typecheck: install
	$(VENV)/bin/mypy .

migrations-check: install
	SECRET_KEY=check ONESTOP_DATA_KEY=check EMAIL_URL=memory:// $(MANAGE) makemigrations --check --dry-run

# Refresh the English catalogue after changing Thai strings (needs GNU gettext's xgettext).
# No source locations: the catalogue changes only when strings do.
messages: install
	DEBUG=1 $(MANAGE) makemessages --locale en --no-obsolete --no-location \
	  --ignore '.venv/*' --ignore '.tools/*' --ignore 'data/*' --ignore 'static/vendor/*'

# CI: every Thai string in the code must be in the catalogue, translated.
messages-check: messages
	$(PY) -m pytest -q -p no:cacheprovider tests/test_configuration.py -k english_translation

ci: lint typecheck migrations-check messages-check test

clean:
	rm -rf .venv .tools
