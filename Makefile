# Mairie de demain: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The loopback OpenID Connect provider of the login tests (tests/oidc): node packages, when npm is there
OIDC_STAMP := tests/oidc/node_modules/.installed-stamp
PORT ?= 8000
TEST_WORKERS ?= auto

.PHONY: run test install oidc-server lint bench bench-hall-day backup restore fuzz clean cluster cluster-stop guide-screenshots

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) $(OIDC_STAMP)

## oidc-server: install the OpenID Connect test server (tests/oidc, npm ci; needs Debian's nodejs and npm).
## make test and make install do it when npm is there; without it the FranceConnect login tests are skipped
oidc-server: $(OIDC_STAMP)

$(OIDC_STAMP): tests/oidc/package.json tests/oidc/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error >/dev/null && touch $@ \
	    || echo "npm ci --prefix tests/oidc failed: the FranceConnect login tests will be skipped" >&2; \
	fi

## run: set up and serve the demo on SQLite at http://127.0.0.1:$(PORT) (a task worker runs beside it)
run: export WAGTAILADMIN_BASE_URL ?= http://127.0.0.1:$(PORT)
run: $(STAMP)
	mkdir -p var
	DJANGO_SETTINGS_MODULE=cms.settings.dev $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=cms.settings.dev $(BIN)/python manage.py seed_demo --port $(PORT)
	DJANGO_SETTINGS_MODULE=cms.settings.dev $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DJANGO_SETTINGS_MODULE=cms.settings.dev $(BIN)/python manage.py db_worker --verbosity 0 & WORKER=$$!; \
	  trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	  DJANGO_SETTINGS_MODULE=cms.settings.dev $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## test: set up and run the whole suite (lint, then pytest with the migrations check and the browser tests),
## on one process per core (pytest-xdist; TEST_WORKERS=0 for one process), the ten slowest tests printed at the end
test: $(STAMP) $(OIDC_STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest -n $(TEST_WORKERS) --maxschedchunk 2 $(PYTEST_ARGS)

## backup: database (SQLite or PostgreSQL, from DATABASE_URL) and uploads into var/backups/<date-time>/ (or BACKUP=folder)
## (owner-only; encrypted with age to BACKUP_AGE_RECIPIENT when it is set)
backup: $(STAMP)
	$(BIN)/python manage.py backup $(BACKUP)

## restore: replace the database and uploads with a backup: make restore BACKUP=var/backups/<date-time>
## (an encrypted backup needs its private key, or key file, in BACKUP_AGE_IDENTITY)
restore: $(STAMP)
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=var/backups/<date-time>"; exit 2; }
	$(BIN)/python manage.py restore $(BACKUP) --yes

## fuzz: schemathesis against the whole API schema with a larger bound (FUZZ_EXAMPLES per operation, default 60)
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$(or $(FUZZ_EXAMPLES),60) FUZZ_ALL_METHODS=1 $(BIN)/pytest tests/security/test_fuzz_api.py $(PYTEST_ARGS)

## bench: the benchmark harness (bench/run.py): scaled data set, gunicorn + wrk on SQLite and PostgreSQL,
## figures and ratios to a bare Django application (bench/bare_app.py) in bench/RESULTS.md. Quick run: make bench BENCH_ARGS="--scale 0.01 --duration 3"
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## bench-hall-day: a day of one mairie's hall (2,000 tickets, 6 services, 20 counters) replayed in simulation through
## the real services and estimator (bench/hall_day.py), on the development database, rolled back. HALL_DAY_ARGS="--tickets 200"
bench-hall-day: $(STAMP)
	$(BIN)/python bench/hall_day.py $(HALL_DAY_ARGS)

## cluster: the production topology of deploy/compose.yaml on this machine (deploy/README.md): nginx (TLS) in front
## of two gunicorn app servers, two task workers, the scheduler, PostgreSQL primary + streaming replica, Redis and an
## S3-compatible server (moto), under var/cluster/; https://127.0.0.1:8443/. Idempotent; CLUSTER_ARGS=--fresh starts anew
cluster: $(STAMP)
	$(BIN)/python deploy/cluster/cluster.py start $(CLUSTER_ARGS)

## cluster-stop: stop every process of `make cluster` (CLUSTER_ARGS=--purge also deletes its data)
cluster-stop:
	$(BIN)/python deploy/cluster/cluster.py stop $(CLUSTER_ARGS)

## guide-screenshots: the staff guide's screenshots (docs/guide-equipes.md), taken again by the admin's browser
## tests into docs/images/guide-equipes/ (1280x800 PNG; needs Debian's chromium)
guide-screenshots: $(STAMP)
	STAFF_GUIDE_SCREENSHOTS=docs/images/guide-equipes $(BIN)/pytest -p no:xdist -q \
	  tests/e2e/test_admin_home.py tests/e2e/test_page_review.py $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var tests/oidc/node_modules
