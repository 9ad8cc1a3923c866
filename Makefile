# Two commands for a fresh machine (Python 3.11 + pip): `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
WARDS_GEOJSON ?= ../shared/data/geo/hue_wards_communes_2025.geojson
export EMBEDDED_DEFAULT ?= true

.PHONY: run test install lock check lint typecheck imports bench clean mutation

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs exactly the versions (and hashes) of the lock, the same one CI and the Docker image use;
# re-installs only when it changes, so a second `make run` starts in seconds.
$(STAMP): pyproject.toml requirements/dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# After changing dependencies in pyproject.toml: re-resolve both locks (runtime image; dev = runtime +
# dev + train + bench extras), with the hashes of every published file of each pinned version.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes --no-header -q -o requirements/runtime.lock
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --extra dev --extra train --extra bench --generate-hashes --no-header -q -o requirements/dev.lock

# Local settings for this checkout (EMBEDDED_DEFAULT + a random secret key), read by settings.py, so
# the README's commands pasted after `make run` work without exporting anything. Kept once written.
.env.local: | $(BIN)/python
	$(BIN)/python -m backend.core.local_env .env.local

run: $(STAMP) .env.local
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference_data
	@# Ward polygons for routing and the dashboard map, where the city's data is at hand.
	@if [ -f $(WARDS_GEOJSON) ]; then $(BIN)/python manage.py import_areas $(WARDS_GEOJSON) --verbosity 0; \
	 else echo "no $(WARDS_GEOJSON): routing uses ward centres"; fi
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py serve --host 127.0.0.1 --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest

check: lint typecheck imports

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy backend triage routing realtime

imports: $(STAMP)
	$(BIN)/lint-imports

# Mutation testing of the privacy/permission/deadline modules ([tool.mutmut] in pyproject.toml; ~5 min).
mutation: $(STAMP)
	$(BIN)/mutmut run; $(BIN)/mutmut results

# The benchmarks that run on the embedded default, each with its defaults (minutes in all; figures beside
# a same-run baseline). The load and scale ones need PostgreSQL + Redis or an hour: run them by name.
BENCH_EMBEDDED := photos intake queries triage routing realtime
bench: $(STAMP)
	@for name in $(BENCH_EMBEDDED); do echo "== tests/bench/bench_$$name.py"; $(BIN)/python tests/bench/bench_$$name.py || exit 1; done

clean:
	rm -rf var/ .pytest_cache .mypy_cache .ruff_cache
