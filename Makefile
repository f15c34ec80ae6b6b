# Backprop Visualizer: `make run` serves the app, `make test` checks everything.
# Needs only python3 (3.11+), git and make; everything else is installed on first use.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# Stamps: reinstall only when pyproject.toml (or the npm lockfile) changes.
RUN_STAMP := $(VENV)/.stamp-run
TEST_STAMP := $(VENV)/.stamp-test
BENCH_STAMP := $(VENV)/.stamp-bench
ASSETS_STAMP := node_modules/.stamp-assets
BUNDLE := static/bundle/main.json
LIGHTHOUSE_STAMP := benchmarks/lighthouse/node_modules/.stamp-lighthouse
CHROMIUM := /usr/bin/chromium
REDIS_SERVER := /usr/bin/redis-server
NGINX := /usr/sbin/nginx

SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
APT_INSTALL := $(SUDO) apt-get update -qq \
	&& $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends

.PHONY: help venv assets run test lint bench container-test clean

help: ## Lists the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { \
		echo "python3 -m venv failed; installing Debian's python3-venv" >&2; \
		rm -rf $(VENV); $(APT_INSTALL) python3-venv; $(PYTHON) -m venv $(VENV); }

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# The test extra includes the runtime dependencies, so it satisfies `run` as well. torch (the
# engine's autograd reference in the tests) as its CPU-only wheel first: `torch==2.13.0` in the
# extra is then already satisfied, and pip never resolves it to the CUDA build. The Python
# client (client/, its own distribution) comes with it, editable, with every extra: its tests,
# the notebooks and the benchmarks use it; the test extra pins the versions.
$(TEST_STAMP): pyproject.toml client/pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet 'torch==2.13.0+cpu'
	$(BIN)/python -m pip install --quiet -e '.[test]' -e './client[progress,zstd,widget]'
	touch $@ $(RUN_STAMP)

venv: $(TEST_STAMP) ## Creates .venv with the app, test and lint tools (again when pyproject.toml changes).

$(ASSETS_STAMP): package.json package-lock.json
	command -v npm >/dev/null || { $(APT_INSTALL) nodejs npm; }
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

# The stepping page's modules in one file (made again when a module changes; the app names the
# modules themselves while the bundle is not as they are).
$(BUNDLE): $(ASSETS_STAMP) scripts/bundle.mjs $(wildcard static/js/*.js)
	node scripts/bundle.mjs

assets: $(ASSETS_STAMP) $(BUNDLE) ## Installs KaTeX, esbuild and Biome into node_modules/ from the npm lockfile; bundles the page's modules.

$(CHROMIUM):
	$(APT_INSTALL) chromium fonts-liberation

# The Redis store's tests start their own redis-server on a free loopback port.
$(REDIS_SERVER):
	$(APT_INSTALL) redis-server

# Debian's nginx: the compose topology's test runs deploy/nginx.conf in it, and the test of the
# app published under a path runs its own in front of the app (devtools/nginx.py).
$(NGINX):
	$(APT_INSTALL) nginx

run: $(RUN_STAMP) $(ASSETS_STAMP) $(BUNDLE) ## Serves the app on http://127.0.0.1:8000 (HOST, PORT to change).
	$(BIN)/uvicorn app.main:app --host $(HOST) --port $(PORT) --http app.http_limits:HeadLimitedHttp

lint: $(TEST_STAMP) $(ASSETS_STAMP) ## Runs ruff, ruff format --check, mypy (strict on app/), hadolint and Biome.
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/hadolint Dockerfile
	node_modules/.bin/biome ci --error-on-warnings --colors=off .

test: lint $(ASSETS_STAMP) $(BUNDLE) $(CHROMIUM) $(REDIS_SERVER) $(NGINX) ## Runs the linters, pip-audit, the page's unit tests, then pytest.
	$(BIN)/python scripts/audit_dependencies.py
	node --test --test-reporter=spec tests/js/
	$(BIN)/pytest

# torch is installed with the test extra (CPU-only, see above).
$(BENCH_STAMP): $(TEST_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

# Lighthouse (the page's first-load benchmark) has a package.json of its own, installed for
# `make bench` only: `make test` needs none of its 146 packages.
$(LIGHTHOUSE_STAMP): benchmarks/lighthouse/package.json benchmarks/lighthouse/package-lock.json
	command -v npm >/dev/null || { $(APT_INSTALL) nodejs npm; }
	npm ci --prefix benchmarks/lighthouse --ignore-scripts --no-audit --no-fund
	touch $@

bench: $(BENCH_STAMP) $(ASSETS_STAMP) $(BUNDLE) $(LIGHTHOUSE_STAMP) $(CHROMIUM) ## Runs every benchmark in benchmarks/ and prints the figures.
	$(BIN)/python -m benchmarks

container-test: ## Builds the Dockerfile with podman and probes the image (../shared/tools/container-smoke).
	../shared/tools/container-smoke

clean: ## Removes the venv, node_modules and caches (not data/).
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache .hypothesis *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
