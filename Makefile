# The README's two commands: `make demo` and `make test`. Both set up .venv themselves.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: demo test install install-dev lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip >/dev/null

# The install compiles the hot modules with mypyc where a C compiler is (hatch_build.py; a minute the first time,
# again when their sources change); without one, the same modules run as pure Python.
SOURCES := $(shell find src -name '*.py')

$(VENV)/.installed: $(BIN)/python pyproject.toml hatch_build.py $(SOURCES)
	@echo "installing sinowatch (compiling its hot modules with mypyc: about a minute the first time)"
	$(PIP) install -e .
	@$(BIN)/sinowatch --version
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml hatch_build.py
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
	rm -rf $(VENV) var out build dist .pytest_cache src/sinowatch/_native.json src/*.so
	find src -name '*.so' -delete
