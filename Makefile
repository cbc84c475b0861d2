# Erfaringsbanken: `make run` starts the chat, `make test` checks everything.
# Both install what they need first (a .venv with pinned packages; torch's CPU build first).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
INDEX  ?= .index
PORT   ?= 8501
ADDRESS ?= 127.0.0.1

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export OMP_NUM_THREADS := 1

.PHONY: install index run test lint eval bench clean browser ocr dictionary

# Scanned PDFs are read with Debian's Tesseract and its Danish model, installed here when missing.
install: $(STAMP) ocr

ocr:
	@bash scripts/ensure-ocr.sh

# Questions are read with Debian's Danish dictionary; pip builds its binding against libhunspell-dev.
dictionary:
	@bash scripts/ensure-dictionary.sh $(PYTHON)

$(STAMP): requirements.txt | dictionary
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch first, from its CPU build: any other spec would pull gigabytes of CUDA packages
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

index: install
	$(PY) -m ingest --index-dir $(INDEX) --if-stale

# One process checks (or builds) the index, loads it with the model, then serves the chat.
run: install
	$(PY) -m ui.serve --index-dir $(INDEX) --port $(PORT) --address $(ADDRESS)

browser:
	@bash scripts/ensure-chromium.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

test: install browser lint
	$(PY) -m pytest

# The seed corpus (held-out questions), then the development library whole and as it grows, then the
# first-sight batches' recorded figures.
eval: install
	$(PY) -m eval
	$(PY) -m eval.library_eval
	$(PY) -m eval.library_leave_out --split heldout
	$(PY) -m eval.firstsight --table

bench: install
	$(PY) -m bench

clean:
	rm -rf $(INDEX) .pytest_cache .ruff_cache .hypothesis
