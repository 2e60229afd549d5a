# The two README commands. Each creates its own virtual environment and installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test bench lint schemas clean browser checkworthiness-model

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

demo: $(BIN)/.installed  ## run the pipeline on the embedded default with the sample articles
	$(BIN)/factstream demo

test: $(BIN)/.installed browser  ## the whole test suite
	$(BIN)/python -m pytest

# Debian's Chromium drives the web-page tests (Playwright never downloads a browser here).
# Installed when missing and we may (root); otherwise tests/test_web.py says how to install it.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
		&& (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "chromium not installed: tests/test_web.py will be skipped (apt-get install chromium)"; }

bench: $(BIN)/.installed  ## the benchmark suite on the BBC corpus in ../shared (quick run; see docs/performance.md)
	$(BIN)/python -m bench

lint: $(BIN)/.installed  ## ruff and mypy (run by CI after the tests)
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/ruff check schemas streams tests bench
	$(BIN)/mypy

checkworthiness-model: $(BIN)/.installed  ## retrain the shipped check-worthiness model from ../shared/data (docs/checkworthiness.md)
	$(BIN)/python -m pip install --quiet -e ".[train]"
	$(BIN)/python -m streams.training.checkworthiness

schemas: $(BIN)/.installed  ## re-export the JSON Schema files after changing a record
	$(BIN)/python -m schemas.export

clean:
	rm -rf $(VENV) .factstream
