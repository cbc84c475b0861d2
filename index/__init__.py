"""Index: Danish hybrid search (dense FAISS + BM25) over the passages ingest produced."""

from __future__ import annotations

from index.abstain import AbstainDecision
from index.builder import build
from index.embed import Embedder, default_embedder_name, get_embedder
from index.errors import (
    IndexCorruptError,
    IndexFormatError,
    IndexNotFoundError,
    ModelMismatchError,
    SearchIndexError,
    UnknownEmbedderError,
)
from index.lifecycle import EmptyCorpusError, ensure_index, load, rebuild, stale_reason
from index.models import Answer, Result
from index.searcher import Searcher, SearchFilters, SearchMode, SearchTrace
from index.store import Manifest

__all__ = [
    "AbstainDecision",
    "Answer",
    "Embedder",
    "EmptyCorpusError",
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
    "ensure_index",
    "get_embedder",
    "load",
    "rebuild",
    "stale_reason",
]
