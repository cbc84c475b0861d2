"""Index: Danish hybrid search (dense FAISS + BM25) over the passages ingest produced.

The names below are imported on first use (PEP 562), so importing the package never imports its
modules: no module of the package can then meet a half-initialised package while Streamlit
sessions import it in parallel threads (see docs/ARCHITECTURE.md), and `python -m index --help`
does not wait for FAISS.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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

_EXPORTS: dict[str, str] = {
    "AbstainDecision": "index.decline.model",
    "Answer": "index.models",
    "Embedder": "index.dense.embed",
    "IndexCorruptError": "index.errors",
    "IndexFormatError": "index.errors",
    "IndexNotFoundError": "index.errors",
    "Manifest": "index.store.layout",
    "ModelMismatchError": "index.errors",
    "Result": "index.models",
    "SearchFilters": "index.searcher",
    "SearchIndexError": "index.errors",
    "SearchMode": "index.searcher",
    "SearchTrace": "index.searcher",
    "Searcher": "index.searcher",
    "UnknownEmbedderError": "index.errors",
    "build": "index.builder",
    "default_embedder_name": "index.dense.embed",
    "get_embedder": "index.dense.embed",
    "load": "index.loader",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'index' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value
