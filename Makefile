# The two commands of the README: `make run` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
PORT   ?= 5000
HOST   ?= 127.0.0.1

.PHONY: run test bench lint day install install-test db demo clean translations update-translations vendor

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

# The Nu HTML checker for tests/test_html_validity.py: the official vnu.jar from the npm registry (runs on Java).
VNU     := 26.9.27
VNU_JAR := $(VENV)/vnu/vnu-$(VNU).jar

$(VNU_JAR): | $(BIN)/python
	rm -rf $(VENV)/vnu && mkdir -p $(VENV)/vnu
	cd $$(mktemp -d) && npm pack vnu-jar@$(VNU) --silent >/dev/null && tar xzf vnu-jar-$(VNU).tgz && \
	  cp package/build/dist/vnu.jar $(CURDIR)/$@ && cp package/LICENSE $(CURDIR)/$(VENV)/vnu/ && rm -rf "$$PWD"

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test $(VNU_JAR)

# Catalogues: the .po sources are in the repo; the compiled .mo files are made here.
PO := $(wildcard eventapp/translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

%.mo: %.po | $(VENV)/.installed
	$(BIN)/pybabel compile -i $< -o $@

translations: $(MO)

# After changing user-facing strings: extract them and merge them into the catalogues, then translate.
update-translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs=".* .venv" --no-location --omit-header -o eventapp/translations/messages.pot .
	$(BIN)/pybabel update -i eventapp/translations/messages.pot -d eventapp/translations --no-fuzzy-matching -w 120

# Front-end packages from the npm registry, with their licences (see eventapp/static/vendor/README.md).
WORKBOX := 7.4.1
vendor:
	cd $$(mktemp -d) && npm pack jsqr@1.4.0 --silent && tar xzf jsqr-1.4.0.tgz && \
	  cp package/dist/jsQR.js package/LICENSE $(CURDIR)/eventapp/static/vendor/jsqr/
	cd $$(mktemp -d) && for name in core routing strategies; do \
	  npm pack workbox-$$name@$(WORKBOX) --silent && tar xzf workbox-$$name-$(WORKBOX).tgz && \
	  cp package/build/workbox-$$name.prod.js $(CURDIR)/eventapp/static/vendor/workbox/ && \
	  cp package/LICENSE $(CURDIR)/eventapp/static/vendor/workbox/LICENSE && rm -rf package; done

db: install translations
	$(FLASK) db upgrade

demo: db
	$(FLASK) seed-demo --if-empty $(if $(filter preferences,$(DEMO_MODE)),--preferences)

run: demo
	EVENTAPP_PUBLIC_URL=http://$(HOST):$(PORT) $(FLASK) run --host $(HOST) --port $(PORT)

test: install-test translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# A whole program day against the app served as in production, its invariants checked after every step (issue 32).
PEOPLE ?= 400
MODE   ?= fcfs
day: install-test translations
	$(FLASK) simulate-day --people $(PEOPLE) --mode $(MODE) $(DAY_ARGS)

# Performance (not part of `make test`): gunicorn as in production, driven by wrk; prints one table.
bench: install-test translations
	@command -v wrk >/dev/null || { echo "bench: installing wrk from Debian's packages"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	.ci/postgres-up
	$(BIN)/python -m bench $(BENCH_ARGS)

# Style (ruff) and the layering written down in pyproject.toml (import-linter).
lint: install-test
	$(BIN)/ruff check eventapp tests bench migrations/env.py wsgi.py config
	$(BIN)/ruff format --check eventapp tests bench migrations/env.py wsgi.py config
	$(BIN)/lint-imports
	$(BIN)/mypy

clean:
	rm -rf $(VENV) instance .pytest_cache
