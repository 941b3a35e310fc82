# `make demo` and `make test` do all set-up on a fresh machine (Python 3.11).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format system-deps clean sqlite-extension

$(STAMP): pyproject.toml constraints.txt setup.py archive/store/cjk_tokenizer.c archive/store/cjk_t2s.h
	bash scripts/install_system_deps.sh build
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/archive ingest raw/ --db archive.db --cleaned cleaned/ || test $$? -eq 1
	$(BIN)/archive show 1 --db archive.db
	$(BIN)/archive search 医院 --db archive.db --limit 3

test: $(STAMP)
	$(BIN)/ruff check archive tests scripts
	$(BIN)/ruff format --check archive tests scripts
	$(BIN)/pytest -q

format: $(STAMP)
	$(BIN)/ruff check --fix archive tests scripts
	$(BIN)/ruff format archive tests scripts

# The tokenizer as a loadable extension for the sqlite3 shell: .load build/cjk_tokenizer
CJK_SO ?= build/cjk_tokenizer.so
sqlite-extension: $(CJK_SO)
$(CJK_SO): archive/store/cjk_tokenizer.c archive/store/cjk_t2s.h
	bash scripts/install_system_deps.sh build
	mkdir -p $(dir $(CJK_SO))
	gcc -O2 -Wall -fPIC -shared -DARCHIVE_SQLITE_LOADABLE -o $(CJK_SO) archive/store/cjk_tokenizer.c -lm

clean:
	rm -rf build *.egg-info archive.db archive.db-wal archive.db-shm cleaned/*.txt
