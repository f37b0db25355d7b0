# Hamzaban: `make run` sets up and starts the desk; `make test` runs the whole test suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(PY) -m flask --app app
DATA_DIR ?= $(or $(HAMZABAN_DATA_DIR),instance)

.PHONY: run test test-fast venv init demo bench translations clean-venv

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

venv: $(VENV)/.installed

init: venv
	$(FLASK) init

# Demo data is loaded the first time only (a marker in the data folder remembers it).
demo: init
	@if [ ! -f "$(DATA_DIR)/.demo-seeded" ]; then $(FLASK) seed-demo && touch "$(DATA_DIR)/.demo-seeded"; fi

run: demo
	$(FLASK) serve

# Bytecode is written while the tests run (into the ignored __pycache__ folders), even where
# PYTHONDONTWRITEBYTECODE is set, as on this machine: without it every `flask` process the tests
# start (servers, workers, commands, index writers) compiled the app again, 0.4 s of its 1.9 s
# start, and every pytest worker rewrote and compiled each test module again, 17 s of CPU a
# collection instead of 7.
#
# --no-loadscope-reorder: pytest-xdist 3.8 hands out the files with the MOST TESTS first by default,
# which undid the order tests/conftest.py sets (the slow files first): session 44 found the heaviest
# file of both passes, tests/search_index/test_search_variants.py (64 tests), started 43 s into
# the SQLite pass and 228 s into the PostgreSQL one, after files of hundreds of millisecond tests.
XDIST := -n auto --dist loadfile --no-loadscope-reorder

test: venv
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest $(XDIST)

# While working: everything but the browser tests and the ones marked slow (real corpora, killed processes).
test-fast: venv
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest $(XDIST) -m "not browser and not slow"

# Extract (babel.cfg), update translations/en keeping its English, compile the .mo, list what lacks English.
translations: venv
	$(PY) scripts/translations.py

clean-venv:
	rm -rf $(VENV)
