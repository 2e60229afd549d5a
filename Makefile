# The two README commands. Each creates its own virtual environment and installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test bench lint schemas clean browser model evaluate checkworthiness-model

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
	$(BIN)/python -m factstream.bench

# Retrain the pair judge from ../shared (labelled sets, BBC corpus): about 3 minutes on a GPU, about an
# hour on a 2-core CPU with the default 3 epochs (fine-tuning measured at 65 minutes on this 2-core machine
# with other work sharing its cores; 48.8 pairs/s on two idle threads, about 35 minutes).
# torch's CPU wheel is pinned first so pip
# never pulls a CUDA build of several GB.
model: $(BIN)/.installed  ## retrain the pair judge (writes streams/processors/judge/model/)
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e ".[train]"
	$(BIN)/factstream train judge

evaluate: $(BIN)/.installed  ## the pair judge's figures on the held-out split of ../shared/data
	$(BIN)/factstream evaluate

lint: $(BIN)/.installed  ## ruff and mypy (run by CI after the tests)
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/ruff check schemas streams tests bench
	# mypy and import-linter know a package by its folder: link the three folders as installed.
	rm -rf build/typecheck && mkdir -p build/typecheck/factstream
	ln -s $(CURDIR)/streams/* build/typecheck/factstream/
	ln -s $(CURDIR)/schemas build/typecheck/factstream/schemas
	ln -s $(CURDIR)/bench build/typecheck/factstream/bench
	$(BIN)/mypy
	PYTHONPATH=build/typecheck $(BIN)/lint-imports --no-cache

# Fine-tunes MiniLM on ClaimBuster's sentences six times (five folds, then every row): 76 minutes in a
# `--threads 1` run on this 2-core CPU; torch's CPU wheel pinned first as for `make model`.
checkworthiness-model: $(BIN)/.installed  ## retrain the shipped check-worthiness model from ../shared/data (docs/checkworthiness.md)
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e ".[train]"
	$(BIN)/python -m factstream.training.checkworthiness_minilm

schemas: $(BIN)/.installed  ## re-export the JSON Schema files after changing a record
	$(BIN)/python -m factstream.schemas.export

clean:
	rm -rf $(VENV) .factstream
