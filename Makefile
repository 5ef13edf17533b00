# policeplan: the two commands are `make run` and `make test` (see README).
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
UV_VERSION := 0.13.8
PYTHON = $(shell scripts/find-python)
UV := .tools/bin/uv
VENV := .venv
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy

.PHONY: help setup run test lint typecheck audit pytest chromium java clean

help:
	@echo "make run    set everything up and serve the demo on http://127.0.0.1:$(PORT)"
	@echo "make test   set everything up and run the whole test suite (SQLite, then PostgreSQL)"
	@echo "make audit  check the locked dependencies for known vulnerabilities (pip-audit)"
	@echo "make setup  install Python and front-end dependencies and build assets (idempotent)"

$(UV):
	@PY="$$(scripts/find-python)" && "$$PY" -m venv .tools && .tools/bin/pip install --quiet "uv==$(UV_VERSION)"

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(UV) node_modules/.installed
	@scripts/ensure-system-libs
	$(UV) sync --frozen --quiet --compile-bytecode --python "$(PYTHON)"
	npm run --silent build
	$(VENV)/bin/policeplan collectstatic --noinput --verbosity 0

run: setup
	$(VENV)/bin/policeplan migrate --verbosity 0
	$(VENV)/bin/policeplan demo --if-empty
	PORT=$(PORT) scripts/serve

chromium:
	@scripts/ensure-chromium

java:
	@scripts/ensure-java

lint: setup
	$(VENV)/bin/ruff check policeplan tests conftest.py bench deploy
	$(VENV)/bin/policeplan makemigrations --check --dry-run --verbosity 0

typecheck: setup
	$(VENV)/bin/mypy policeplan

# Known vulnerabilities in uv.lock fail the build; an unreachable database is said, not failed.
audit: setup
	$(VENV)/bin/python scripts/audit-dependencies

pytest: setup chromium java
	scripts/run-tests

test: lint typecheck audit pytest

clean:
	rm -rf .venv .tools node_modules var/frontend var/static
