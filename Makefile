# The single entry point: `make run` to serve, `make test` to check everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/entraide
export ENTRAIDE_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test test-sqlite test-postgres fuzz hostile lint fmt bench audit migrations-check lock messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs are stamped by the lock files: a changed lock reinstalls, an unchanged one is instant.
$(VENV)/.main-installed: requirements/main.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/main.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt $(VENV)/.main-installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $@

run: $(VENV)/.main-installed
	$(BIN)/entraide serve --port $(PORT)

# SQLite first (everything, browser journeys included), then PostgreSQL (all but the browser).
test: $(VENV)/.dev-installed
	@$(MAKE) --no-print-directory test-sqlite
	@$(MAKE) --no-print-directory test-postgres

test-sqlite: $(VENV)/.dev-installed
	$(BIN)/pytest -n 2 --dist loadgroup --durations=15

test-postgres: $(VENV)/.dev-installed
	@if DATABASE_URL="$${DATABASE_URL:-$(PG_URL)}" $(BIN)/python -m tests.pg_available; then \
		DATABASE_URL="$${DATABASE_URL:-$(PG_URL)}" $(BIN)/pytest -n 2 --dist loadgroup -m "not browser"; \
	elif [ "$$CI" = "true" ]; then \
		echo "ERROR: PostgreSQL is unreachable and CI=true: the suite must run on PostgreSQL." >&2; exit 1; \
	else \
		echo ""; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo "!! WARNING: PostgreSQL is unreachable at 127.0.0.1:5432 (or DATABASE_URL):     !!"; \
		echo "!! the suite ran on SQLite only. CI runs it on PostgreSQL too.                 !!"; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	fi

# The API fuzzing at random (the suite runs it derandomized): FUZZ_FACTOR times more examples.
# A failure prints a blob for @reproduce_failure: add the request to FOUND in the test, then fix it.
fuzz: $(VENV)/.dev-installed
	HYPOTHESIS_PROFILE=fuzz FUZZ_FACTOR=$${FUZZ_FACTOR:-10} $(BIN)/pytest src/entraide/api/tests/test_schemathesis.py \
		-n 2 --timeout=1800 $(ARGS)

# Hostile values in every form and API operation (part of `make test`; alone here).
hostile: $(VENV)/.dev-installed
	$(BIN)/pytest -m hostile -p no:xdist $(ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	@$(MAKE) --no-print-directory migrations-check

fmt: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(VENV)/.main-installed
	ENTRAIDE_DATA_DIR=$$(mktemp -d) $(BIN)/entraide manage makemigrations --check --dry-run

bench: $(VENV)/.dev-installed
	$(BIN)/python -m bench $(ARGS)

# Audits a running instance (start `make run` in another terminal first).
# Logged in: AUDIT_STATE=storage_state.json make audit
audit: $(VENV)/.dev-installed
	$(BIN)/python ../shared/tools/audit_pages.py http://127.0.0.1:$(PORT) $(if $(AUDIT_STATE),--state $(AUDIT_STATE))

# Regenerate the pinned dependency files after changing pyproject.toml.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 -o requirements/main.txt --custom-compile-command "make lock"
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements/dev.txt --custom-compile-command "make lock"

# Extract and compile the translation catalogues (French is complete: a test checks it).
messages: $(VENV)/.main-installed
	cd src/entraide && ../../$(BIN)/entraide manage makemessages -l fr --no-obsolete --add-location file
	cd src/entraide && ../../$(BIN)/entraide manage compilemessages -l fr

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
