# What Matters Kiosk. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# What npm ci leaves once tools/lhc-forms/node_modules matches its lock file.
LHC_FORMS := tools/lhc-forms/node_modules/.package-lock.json

.PHONY: run staff try test lint bench screenshots format clean translations package \
	upgrade-deps system-run system-test
# Exact versions, with hashes, of every Python package (make upgrade-deps refreshes it).
LOCK   := requirements.lock
# The tool that writes the lock file, at a known version.
UV_VERSION := 0.13.9

## run: the patient kiosk (windowed) with a demo clinic key and the cardiology pathway
run: system-run $(STAMP)
	$(VENV)/bin/kiosk run --demo build/demo --windowed

## staff: the staff console against the demo clinic (demo patients in today's queue)
staff: $(STAMP)
	$(VENV)/bin/kiosk staff --demo build/demo

## try: answer the cardiology pathway in the terminal (no window needed)
try: $(STAMP)
	$(VENV)/bin/kiosk forms try cardiology

## test: install what the tests need (system packages too) and run the whole suite
test: system-test $(STAMP) $(LHC_FORMS)
	$(PY) -m pytest

# NLM's LHC-Forms and playwright-core, exactly as tools/lhc-forms/package-lock.json pins
# them (integrity hashes; no install scripts), for tests/reports/test_lhc_forms.py.
$(LHC_FORMS): tools/lhc-forms/package.json tools/lhc-forms/package-lock.json
	cd tools/lhc-forms && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

# The Debian packages each needs, installed with apt-get when missing (as root;
# otherwise the exact apt-get line is printed and make stops).
system-run:
	@PYTHON=$(PYTHON) bash tools/system-packages.sh run
system-test:
	@PYTHON=$(PYTHON) bash tools/system-packages.sh test

## upgrade-deps: refresh requirements.lock to the newest releases pyproject.toml allows, reinstall from it and run the whole suite
upgrade-deps:
	@test -x build/lock-tools/bin/uv || { $(PYTHON) -m venv build/lock-tools && \
	  build/lock-tools/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION); }
	build/lock-tools/bin/uv pip compile --quiet --upgrade --universal --python-version 3.11 \
	  --all-extras --generate-hashes --custom-compile-command "make upgrade-deps" \
	  pyproject.toml requirements-build.in -o $(LOCK)
	rm -rf $(VENV)
	$(MAKE) test

## lint: ruff, formatting, mypy (strict for the engine) and the import-linter layering contract
lint: $(STAMP)
	$(VENV)/bin/ruff check kiosk tests benchmarks tools
	$(VENV)/bin/ruff format --check kiosk tests benchmarks tools
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

## screenshots: PNGs of every kiosk screen (normal, high contrast, large text) in docs/screenshots, drawn under Xvfb (installed with apt-get if missing)
screenshots: $(STAMP)
	@bash tools/system-packages.sh screenshots
	xvfb-run -a -s "-screen 0 1920x1080x24" $(PY) tools/screenshots.py --out docs/screenshots

## translations: update i18n/kiosk_<code>.ts from the patient kiosk's tr() strings (not kiosk/ui/staff/), then compile the .qm files the kiosk loads
TRANSLATIONS := cy pl ur bn ar
translations: $(STAMP)
	@for code in $(TRANSLATIONS); do \
	  $(VENV)/bin/pyside6-lupdate -silent -no-obsolete -locations none -target-language $$code \
	    kiosk/ui/*.py -ts i18n/kiosk_$$code.ts || exit 1; \
	  $(VENV)/bin/pyside6-lrelease -silent -nounfinished i18n/kiosk_$$code.ts -qm i18n/kiosk_$$code.qm || exit 1; \
	done
	@echo "i18n/kiosk_*.ts and .qm updated; new strings are marked unfinished for translators (i18n/README.md)"

## package: the tablet kiosk as a one-folder bundle, dist/what-matters-kiosk/ (PyInstaller, packaging/kiosk.spec), then smoke-tested: forms check and an offscreen start with the demo clinic
BUNDLE := dist/what-matters-kiosk/what-matters-kiosk
package: $(STAMP)
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller packaging/kiosk.spec
	$(BUNDLE) forms check
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  QT_QPA_PLATFORM=offscreen KIOSK_DATA_DIR="$$tmp/site" $(BUNDLE) run --demo "$$tmp/demo" --quit-after 3000
	@echo "dist/what-matters-kiosk/ is ready ($$(du -sh dist/what-matters-kiosk | cut -f1)); packaging/README-bundle.md says what to do with it"

## bench: run the benchmarks; writes build/bench.json and prints a table
bench: $(STAMP)
	$(PY) benchmarks/run.py --output build/bench.json

format: $(STAMP)
	$(VENV)/bin/ruff format kiosk tests benchmarks tools
	$(VENV)/bin/ruff check --fix kiosk tests benchmarks tools

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache .hypothesis

$(STAMP): pyproject.toml $(LOCK) requirements-build.in
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "What Matters Kiosk needs Python 3.11 or newer ($(PYTHON) is older)."; exit 1; }
	@test -x $(PY) || { PYTHON=$(PYTHON) bash tools/system-packages.sh venv && $(PYTHON) -m venv $(VENV); }
# Every package at the version and hash in the lock file, then the project itself
# (no dependency resolution, no build isolation: nothing comes from outside the lock).
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(LOCK)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) -m pip check --disable-pip-version-check
	@touch $(STAMP)
