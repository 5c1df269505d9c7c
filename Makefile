# One-line entry points. Each target creates its own virtual environment in .venv/.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= atlas

.PHONY: atlas test lint docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## atlas: build the graph from the bundled data (+ Semantic Scholar when reachable), then the
## field's map and bibliography, all into $(OUT)/
atlas: $(VENV)/.installed
	$(BIN)/implicit-atlas build -o $(OUT)
	$(BIN)/implicit-atlas map --graph $(OUT)/graph.atlas -o $(OUT)/map.html
	$(BIN)/implicit-atlas bib --graph $(OUT)/graph.atlas -o $(OUT)/bibliography.bib
	@echo "done: $(OUT)/graph.atlas, $(OUT)/map.html, $(OUT)/bibliography.bib"
	@echo "to run implicit-atlas in this shell: source $(VENV)/bin/activate"

## test: the whole test suite
test: $(VENV)/.installed
	$(BIN)/python -m pytest -q

## lint: style and types, as CI runs them
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy graph/

## docs: regenerate the command-line reference in docs/cli/ from the commands
docs: $(VENV)/.installed
	$(BIN)/python -m implicit_atlas.cli.docgen

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
