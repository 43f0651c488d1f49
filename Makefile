# The two commands of the README: `make run` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
PORT   ?= 5000
HOST   ?= 127.0.0.1

.PHONY: run test lint install install-test db demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

db: install
	$(FLASK) db upgrade

demo: db
	$(FLASK) seed-demo --if-empty

run: demo
	EVENTAPP_PUBLIC_URL=http://$(HOST):$(PORT) $(FLASK) run --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check eventapp tests migrations/env.py wsgi.py config
	$(BIN)/ruff format --check eventapp tests migrations/env.py wsgi.py config

clean:
	rm -rf $(VENV) instance .pytest_cache
