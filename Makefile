# E-Learning ASN Sleman. `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
# make run serves plain HTTP on 127.0.0.1: development settings (cookies without Secure).
DEV := ELEARN_ENV=development
STAMP := $(VENV)/.installed

.PHONY: run test test-pg test-load lint install db demo check-courses bench clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

db: install
	$(FLASK) db upgrade

demo: db
	$(FLASK) demo

## Set up everything (virtualenv, packages, database, demo accounts) and serve on http://127.0.0.1:5000
run: db
	$(FLASK) courses check courses || echo "Peringatan: ada kursus bermasalah (disembunyikan dari peserta)."
	$(FLASK) demo
	$(DEV) $(FLASK) run --host 127.0.0.1 --port 5000

## Lint (ruff, bandit), then every test (browser and markup tests skip with a message where Chromium or Java is missing)
test: install lint
	$(BIN)/python -m pytest

## The same suite against PostgreSQL (TEST_DATABASE_URL)
test-pg: install
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest

## Load and fault tests under gunicorn, on SQLite and PostgreSQL (a few minutes; .ci/run runs them)
test-load: install
	$(BIN)/python -m pytest -m load tests/load -q -s

lint: install
	$(BIN)/ruff check elearn tests bench wsgi.py
	$(BIN)/ruff format --check elearn tests bench wsgi.py
	$(BIN)/bandit -q -r elearn --severity-level medium

## Benchmarks through gunicorn and wrk against a bare Flask page of the same run; writes bench/RESULTS.md
bench: install
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || \
	  { echo "make bench needs wrk: apt-get install wrk"; exit 1; }
	$(BIN)/python -m bench.run

check-courses: install
	$(FLASK) courses check courses

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
