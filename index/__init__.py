"""Index: Danish hybrid search (dense FAISS + BM25) over the passages ingest produced.

`index.build(passages)` and `index.load(index_dir)` give a `Searcher`; `Searcher.search(question)`
gives an `Answer`. The rooms of the package are described in docs/ARCHITECTURE.md.
"""

from __future__ import annotations

from index.builder import build
from index.decline.model import AbstainDecision
from index.dense.embed import Embedder, default_embedder_name, get_embedder
from index.errors import (
    IndexCorruptError,
    IndexFormatError,
    IndexNotFoundError,
    ModelMismatchError,
    SearchIndexError,
    SearchTimeoutError,
    UnknownEmbedderError,
)
from index.loader import load
from index.models import STRENGTH_MEANING, Answer, Missing, Result, SearchFilters, SearchMode, Strength
from index.reading import MAX_QUESTION_CHARS, QueryReading
from index.search.answer import SearchTrace
from index.search.budget import Budget
from index.searcher import Searcher
from index.store.layout import Manifest

__all__ = [
    "MAX_QUESTION_CHARS",
    "STRENGTH_MEANING",
    "AbstainDecision",
    "Answer",
    "Budget",
    "Embedder",
    "IndexCorruptError",
    "IndexFormatError",
    "IndexNotFoundError",
    "Manifest",
    "Missing",
    "ModelMismatchError",
    "QueryReading",
    "Result",
    "SearchFilters",
    "SearchIndexError",
    "SearchMode",
    "SearchTimeoutError",
    "SearchTrace",
    "Searcher",
    "Strength",
    "UnknownEmbedderError",
    "build",
    "default_embedder_name",
    "get_embedder",
    "load",
]
