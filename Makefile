# `make demo` and `make test` do all set-up on a fresh machine (Python 3.11).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format system-deps clean

$(STAMP): pyproject.toml constraints.txt
	bash scripts/install_system_deps.sh build
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/archive ingest raw/ --db archive.db --cleaned cleaned/ || test $$? -eq 1
	$(BIN)/archive show 1 --db archive.db

test: $(STAMP)
	$(BIN)/ruff check archive tests scripts
	$(BIN)/ruff format --check archive tests scripts
	$(BIN)/pytest -q

format: $(STAMP)
	$(BIN)/ruff check --fix archive tests scripts
	$(BIN)/ruff format archive tests scripts

clean:
	rm -rf build *.egg-info archive.db archive.db-wal archive.db-shm cleaned/*.txt
