# The README's two commands: `make demo` and `make test`. Both set up .venv themselves.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: demo test install install-dev lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip >/dev/null

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(PIP) install -e '.[dev]'
	@touch $@

$(VENV)/.installed-bench: $(VENV)/.installed-dev pyproject.toml
	$(PIP) install -e '.[dev,bench]'
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: install
	$(BIN)/sinowatch demo

test: install-dev
	$(BIN)/python -m pytest -q
	$(BIN)/lint-imports

lint: install-dev
	$(BIN)/lint-imports

bench: $(VENV)/.installed-bench
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/demo_run.py

clean:
	rm -rf $(VENV) var out build dist .pytest_cache
