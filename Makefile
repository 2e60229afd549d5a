# The two README commands. Each creates its own virtual environment and installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test bench lint schemas clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

demo: $(BIN)/.installed  ## run the pipeline on the embedded default with the sample articles
	$(BIN)/factstream demo

test: $(BIN)/.installed  ## the whole test suite
	$(BIN)/python -m pytest

lint: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/ruff check schemas streams tests bench
	$(BIN)/mypy

schemas: $(BIN)/.installed  ## re-export the JSON Schema files after changing a record
	$(BIN)/python -m schemas.export

clean:
	rm -rf $(VENV) .factstream
