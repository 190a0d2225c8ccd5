# Hadir: `make run` serves the demo on http://127.0.0.1:5000, `make test` runs the suite.
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=

.PHONY: run test lint install translations db demo serve bench-registration bench-checkin bench-export bench-materials bench-evaluation bench-messages screenshots clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed translations

translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile --use-fuzzy -d app/translations -f >/dev/null

db: install
	$(FLASK) db upgrade

demo: db
	$(FLASK) seed-demo

# `make run`: the demo loaded (or moved to today), then served; the addresses to open and the demo
# account come last, once the server answers. The message worker runs beside the server and stops
# with it (no JOB_QUEUE_URL: it polls the outbox). SEED_FLAGS=--force adds the demo to a database
# that holds other data; `make serve` serves without touching the data.
SEED_FLAGS ?=
run: db
	@welcome="$$($(FLASK) seed-demo --base-url http://$(HOST):$(PORT) $(SEED_FLAGS))" || exit 1; \
	$(FLASK) messages work & worker=$$!; \
	$(FLASK) run --host $(HOST) --port $(PORT) & server=$$!; \
	trap 'kill $$worker $$server 2>/dev/null' EXIT INT TERM; \
	for _ in $$(seq 150); do $(PY) -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)" http://$(HOST):$(PORT)/healthz 2>/dev/null && break; sleep 0.2; done; \
	echo "$$welcome"; wait $$server

serve: db
	$(FLASK) messages work & worker=$$!; trap 'kill $$worker' EXIT INT TERM; $(FLASK) run --host $(HOST) --port $(PORT)

# `make test`: everything but the browser tests in parallel (pytest-xdist: one worker per core, at most 8
# since Redis has a database for 8 workers, tests/databases.py; worksteal, as a few tests last 30-50 s),
# then the browser tests, in parallel too (a Chromium and a live server per worker, at most 4). Not one
# run: a worker would start Chromium again each time it moved between the two. Both runs print their
# summary line (CI greps them for skips); the target fails if either run fails. TEST_WORKERS=0 runs
# each part in one process.
TEST_WORKERS ?= auto
test: install
	$(PY) -m pytest -n $(TEST_WORKERS) --maxprocesses 8 --dist worksteal --ignore=tests/browser $(PYTEST_ARGS); parallel=$$?; \
	$(PY) -m pytest -n $(TEST_WORKERS) --maxprocesses 4 --dist worksteal tests/browser $(PYTEST_ARGS); browser=$$?; \
	if [ $$parallel -ne 0 ] && [ $$parallel -ne 5 ]; then exit $$parallel; fi; \
	if [ $$browser -ne 0 ] && [ $$browser -ne 5 ]; then exit $$browser; fi; \
	if [ $$parallel -eq 5 ] && [ $$browser -eq 5 ]; then exit 5; fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

bench-registration: install
	$(PY) bench/registration_burst.py

bench-checkin: install
	$(PY) bench/checkin_load.py

bench-export: install
	$(PY) bench/export.py

bench-materials: install
	$(PY) bench/materials_zip.py

bench-evaluation: install
	$(PY) bench/evaluation.py

bench-messages: install
	$(PY) bench/messages.py

# The pictures of the guides (docs/img/), taken by Chromium from the demo in a temporary database.
screenshots: install
	$(PY) docs/screenshots.py

extract-messages: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -o app/translations/messages.pot --no-location --sort-output app templates
	$(VENV)/bin/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) instance .pytest_cache
