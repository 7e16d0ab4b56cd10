# What Matters Kiosk. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run try test lint bench screenshots format clean

## run: the patient kiosk (windowed) with a demo clinic key and the cardiology pathway
run: $(STAMP)
	$(VENV)/bin/kiosk run --demo build/demo --windowed

## try: answer the cardiology pathway in the terminal (no window needed)
try: $(STAMP)
	$(VENV)/bin/kiosk forms try cardiology

## test: install what the tests need and run the whole suite
test: $(STAMP)
	$(PY) -m pytest

## lint: ruff, formatting, mypy (strict for the engine) and the import-linter layering contract
lint: $(STAMP)
	$(VENV)/bin/ruff check kiosk tests benchmarks tools
	$(VENV)/bin/ruff format --check kiosk tests benchmarks tools
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

## screenshots: PNGs of every kiosk screen (normal, high contrast, large text) in docs/screenshots
screenshots: $(STAMP)
	$(PY) tools/screenshots.py --out docs/screenshots

## bench: run the benchmarks; writes build/bench.json and prints a table
bench: $(STAMP)
	$(PY) benchmarks/run.py --output build/bench.json

format: $(STAMP)
	$(VENV)/bin/ruff format kiosk tests benchmarks tools
	$(VENV)/bin/ruff check --fix kiosk tests benchmarks tools

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache .hypothesis

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "What Matters Kiosk needs Python 3.11 or newer ($(PYTHON) is older)."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) \
		|| { echo "Cannot create $(VENV). On Debian: apt-get install python3-venv"; exit 1; }
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)
