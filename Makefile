# e-Obshtina terminals — every set-up step lives here, so `make demo` and `make test`
# work on a fresh Debian / Raspberry Pi OS machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SYSSTAMP := $(VENV)/.sysdeps

# Debian packages the suite and the demo need: speech (espeak-ng, sox to measure it),
# the libraries Qt loads even offscreen, a font with Cyrillic, Xvfb for looking at windows,
# speech-dispatcher for the kiosk's default speech engine, socat for the serial-cable test,
# the xcb libraries Qt's window plugin needs to open the demo's kiosk on a desktop, and
# chromium, which the staff web's browser tests drive through Playwright.
SYS_PACKAGES := python3-venv espeak-ng sox libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 \
	libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core xvfb speech-dispatcher socat \
	libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 \
	libxcb-randr0 libxcb-xkb1 libxcb-xinerama0 chromium
# wrk: the load generator of bench/hub_heartbeat.py and bench/hub_requests.py (a separate process, as a fleet is)
SYS_PACKAGES += wrk
# cage (with xwayland, which Debian's cage needs to start), grim and wtype: the kiosk under the
# appliance's compositor, headless (tests/kiosk/test_cage.py)
SYS_PACKAGES += cage xwayland grim wtype

.PHONY: all demo test screenshots sysdeps venv lock bench clean help
all: help

help:
	@echo "make demo         run the hub on SQLite with simulated terminals"
	@echo "make test         run the whole test suite"
	@echo "make screenshots  render every kiosk screen to docs/screenshots/"
	@echo "make bench        run every bench/*.py figure"

sysdeps: $(SYSSTAMP)
$(SYSSTAMP):
	@missing=$$(for p in $(SYS_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing system packages: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "Missing system packages: $$missing"; \
	    echo "Run as root, or: sudo apt-get install $$missing"; exit 1; \
	  fi; \
	fi
	@mkdir -p $(VENV) && touch $@

venv: $(STAMP)
$(STAMP): pyproject.toml requirements.lock | $(SYSSTAMP)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c requirements.lock -e '.[dev]'
	@touch $@

# Refresh the pinned versions after changing dependencies in pyproject.toml.
lock: $(STAMP)
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

demo: $(STAMP)
	$(PY) scripts/demo.py

# The suite runs in PYTEST_WORKERS processes (pytest-xdist): much of it waits on subprocesses,
# sockets and databases. PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= 2
test: $(STAMP)
	$(VENV)/bin/ruff check .
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) scripts/screenshots.py docs/screenshots

bench: $(STAMP)
	@for b in bench/*.py; do echo "== $$b"; QT_QPA_PLATFORM=offscreen $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) .demo build *.egg-info
