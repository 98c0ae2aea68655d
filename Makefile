# Homeward: one obvious entry point each. `make demo` and `make test` work on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENDOR := src/homeward/web/static/vendor
export HOMEWARD_HOME := $(CURDIR)

.PHONY: demo test bench lint fmt assets install install-dev serve clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Homeward needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev,bench]'
	touch $@ $(VENV)/.installed-dev $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Front-end assets are copied from npm packages, never committed.
$(VENDOR)/.built: node_modules/.installed
	mkdir -p $(VENDOR)/nhsuk $(VENDOR)/htmx $(VENDOR)/axe
	# Without the @font-face rules that fetch Frutiger from assets.nhs.uk at run time (licensed for nhs.uk
	# services only, and a CDN the CSP refuses): text falls back to the NHS font stack's Arial.
	perl -pe 's/\@font-face\{[^}]*assets\.nhs\.uk[^}]*\}//g' \
	    node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css > $(VENDOR)/nhsuk/nhsuk-frontend.min.css
	! grep -q 'assets\.nhs\.uk' $(VENDOR)/nhsuk/nhsuk-frontend.min.css
	cp node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js $(VENDOR)/nhsuk/
	cp -r node_modules/nhsuk-frontend/dist/nhsuk/assets $(VENDOR)/nhsuk/
	python3 src/homeward/web/assets.py $(VENDOR)/nhsuk node_modules/nhsuk-frontend
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/axe-core/axe.min.js $(VENDOR)/axe/
	mkdir -p $(VENDOR)/vega
	cp node_modules/vega/build/vega.min.js node_modules/vega-lite/build/vega-lite.min.js \
	   node_modules/vega-embed/build/vega-embed.min.js $(VENDOR)/vega/
	# Vega's expression interpreter, so charts draw under a CSP without 'unsafe-eval' (an ES module importing
	# vega-util, whose functions the vega bundle already exposes as the global `vega`).
	sed -e "s/^import { \(.*\) } from 'vega-util';$$/const { \1 } = vega;/" \
	    -e "s/^export { expression as expressionInterpreter };$$/window.vegaExpressionInterpreter = expression;/" \
	    -e '1i (() => {' -e '$$a })();' \
	    node_modules/vega-interpreter/build/vega-interpreter.js > $(VENDOR)/vega/vega-interpreter.js
	grep -q '^window.vegaExpressionInterpreter' $(VENDOR)/vega/vega-interpreter.js
	mkdir -p $(VENDOR)/swagger-ui $(VENDOR)/redoc
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css $(VENDOR)/swagger-ui/
	# ReDoc's "powered by" badge is fetched from its CDN at run time: point it at an empty image, which it hides.
	sed -e 's#"https://cdn.redoc.ly/redoc/logo-mini.svg"#"data:,"#' \
	    node_modules/redoc/bundles/redoc.standalone.js > $(VENDOR)/redoc/redoc.standalone.js
	! grep -q 'cdn\.redoc\.ly' $(VENDOR)/redoc/redoc.standalone.js
	touch $@

assets: $(VENDOR)/.built

## demo: set up, load synthetic demo data into SQLite under var/, serve on http://127.0.0.1:8000
demo: install assets
	$(BIN)/homeward demo

## test: ruff, mypy, import layers, migrations check and pytest (PostgreSQL when DATABASE_URL is set, else SQLite)
test: install-dev assets
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src
	$(BIN)/lint-imports --no-cache
	HOMEWARD_VAR=$(CURDIR)/var/test $(BIN)/python -m django makemigrations --check --dry-run --settings=homeward.settings
	$(BIN)/pytest

## bench: performance benchmarks (not tests); figures in benchmarks/results/*.json
bench: $(VENV)/.installed-bench assets
# Every benchmark runs even after one misses its goal, so one miss never hides the others' figures; the
# misses are named at the end and make the target fail.
	@missed=""; for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || missed="$$missed $$b"; done; \
	if [ -n "$$missed" ]; then echo "MISSED (goal not met or benchmark failed):$$missed" >&2; exit 1; fi

lint: install-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src
	$(BIN)/lint-imports --no-cache

fmt: install-dev
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

serve: install assets
	$(BIN)/homeward serve

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
