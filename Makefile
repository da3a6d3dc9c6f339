# Two commands on a fresh machine (see README): `make solve` and `make test`.
# Both create .venv when it is missing; `make test` also installs the test tools and, when missing,
# LibreOffice (workbook round-trip tests) and Chromium (page screenshots) from Debian's packages.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: solve test install install-dev system-tools lint clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# The package alone: what a planner needs to solve.
install: $(BIN)/python
	$(BIN)/pip install -q -e .

# The package and its test tools.
install-dev: $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'

system-tools:
	@missing=""; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-calc-nogui"; \
	command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing$$missing (Debian packages)"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# Main job: the real Pakistan instance → results/base.xlsx (+ record and map beside it).
solve: install
	$(BIN)/supplyopt solve instances/pakistan_base.xlsx -o results/base.xlsx --force

test: install-dev system-tools
	$(BIN)/pytest -n 2 --dist worksteal -q  # worksteal: an idle worker takes queued tests from the busy one (5:01 -> 4:03 on a fresh clone)

lint: install-dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check .
