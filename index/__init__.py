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
    UnknownEmbedderError,
)
from index.loader import load
from index.models import Answer, Result
from index.searcher import Searcher, SearchFilters, SearchMode, SearchTrace
from index.store.layout import Manifest

__all__ = [
    "AbstainDecision",
    "Answer",
    "Embedder",
    "IndexCorruptError",
    "IndexFormatError",
    "IndexNotFoundError",
    "Manifest",
    "ModelMismatchError",
    "Result",
    "SearchFilters",
    "SearchIndexError",
    "SearchMode",
    "SearchTrace",
    "Searcher",
    "UnknownEmbedderError",
    "build",
    "default_embedder_name",
    "get_embedder",
    "load",
]
