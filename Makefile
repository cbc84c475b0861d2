# Erfaringsbanken: `make run` starts the chat, `make test` checks everything.
# Both install what they need first (a .venv with pinned packages; torch's CPU build first).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
PORT   ?= 8501
ADDRESS ?= 127.0.0.1
# The library's data folder: articles, change log, removed articles and index (library/paths.py).
# Empty: $ERFARINGSBANKEN_LIBRARY, else data/ here (git ignores it).
LIBRARY ?=
# Who may change the library (ui/editors.py). On this machine alone (127.0.0.1) `make run` lets
# anyone who opens the app edit, and says so on start; on any other address only signed-in editors.
EDITORS ?= $(if $(filter 127.0.0.1 localhost ::1,$(ADDRESS)),anyone,signed-in)
LIBRARY_FLAG := $(if $(LIBRARY),--library $(LIBRARY))

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export OMP_NUM_THREADS := 1

.PHONY: install index run test lint eval bench clean browser ocr proxy backup restore dictionary

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
	$(PY) -m ingest $(LIBRARY_FLAG) --if-stale

# One process finds the library (made from corpus/ the first time), checks (or builds) the index,
# loads it with the model, then serves the chat.
run: install
	$(PY) -m ui.serve $(LIBRARY_FLAG) --port $(PORT) --address $(ADDRESS) --editors $(EDITORS)

# The whole library in one archive (manifest and checksums); TO=FILE names it.
backup: install
	$(PY) -m library backup $(LIBRARY_FLAG) $(if $(TO),--to $(TO))

# make restore FROM=FILE [REPLACE=1]: a library from a backup (an index of another format is rebuilt).
restore: install
	$(PY) -m library restore $(FROM) $(LIBRARY_FLAG) $(if $(REPLACE),--replace)

browser:
	@bash scripts/ensure-chromium.sh

# The service tests put Debian's nginx in front of the app with deploy/nginx.conf.
proxy:
	@bash scripts/ensure-nginx.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

test: install browser proxy lint
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

# The library (data/) is never cleaned: it holds what the municipality added.
clean:
	rm -rf .index .pytest_cache .ruff_cache .hypothesis
