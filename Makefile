# What Matters Kiosk. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run staff try test lint bench screenshots format clean translations package

## run: the patient kiosk (windowed) with a demo clinic key and the cardiology pathway
run: $(STAMP)
	$(VENV)/bin/kiosk run --demo build/demo --windowed

## staff: the staff console against the demo clinic (demo patients in today's queue)
staff: $(STAMP)
	$(VENV)/bin/kiosk staff --demo build/demo

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

## screenshots: PNGs of every kiosk screen (normal, high contrast, large text) in docs/screenshots, drawn under Xvfb (installed with apt-get if missing)
screenshots: $(STAMP)
# Besides Xvfb, Qt's xcb platform plugin needs these xcb libraries to start at all.
	@missing=""; \
	for pair in xvfb-run:xvfb xauth:xauth; do \
	  command -v "$${pair%%:*}" >/dev/null || missing="$$missing $${pair##*:}"; \
	done; \
	libs=$$( { ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null ); \
	for pair in libxcb-cursor.so.0:libxcb-cursor0 libxcb-icccm.so.4:libxcb-icccm4 \
	    libxcb-image.so.0:libxcb-image0 libxcb-keysyms.so.1:libxcb-keysyms1 \
	    libxcb-randr.so.0:libxcb-randr0 libxcb-render-util.so.0:libxcb-render-util0 \
	    libxcb-shape.so.0:libxcb-shape0 libxcb-xfixes.so.0:libxcb-xfixes0 \
	    libxcb-xkb.so.1:libxcb-xkb1 libxkbcommon-x11.so.0:libxkbcommon-x11-0 \
	    libX11-xcb.so.1:libx11-xcb1; do \
	  echo "$$libs" | grep -q "$${pair%%:*}" || missing="$$missing $${pair##*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "make screenshots draws under Xvfb. Install it first: apt-get install$$missing"; \
	    exit 1; \
	  fi; \
	fi
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

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "What Matters Kiosk needs Python 3.11 or newer ($(PYTHON) is older)."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) \
		|| { echo "Cannot create $(VENV). On Debian: apt-get install python3-venv"; exit 1; }
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)
