"""The index folder's layout: its file names, its format, and what a build holds (`Manifest`, `IndexParts`).

Layout of `index_dir`:
    current -> build-<stamp>/        (relative symlink, replaced atomically with os.replace)
    build-<stamp>/manifest.json       (format, model, counts, versions, sha256 of every file)
    build-<stamp>/passages.jsonl, passage_offsets.npy (byte offset of each line, then the size),
                  passage_columns.npz + passage_codes.json (filter and navigation columns),
                  articles.json, dense_sentences.faiss, sentence_owners.npy,
                  dense_context.faiss, bm25/, vectors.npy, keys.json (embedding cache),
                  calibration.json (the numbers the decline decision judges this index with)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from index.decline.calibration import INDEX_FILE, IndexCalibration
from index.dense.faiss_index import DenseIndex
from index.lexical.bm25 import LexicalIndex
from index.store.columns import CODES_FILE, COLUMNS_FILE, PassageColumns
from ingest.models import Article, Passage

# 2: the context index stacks one row per passage view (index/dense/views.py), not one per passage.
# 3: passages are read by offset (passage_offsets.npy); filter columns are saved with the build.
# 4: the passage views are derived from sentence vectors (index/dense/views.py), not embedded.
# 5: passage_columns.npz holds which passages are bullets (for neighbour propagation).
# 6: calibration.json holds the decline model's numbers for the index's embedding model.
# 7: passage_columns.npz says which passages are questions; calibration.json holds the decline, label
#    and fusion numbers of the model and the index's probe statistics.
FORMAT_VERSION = 7
# Builds whose embedding cache (vectors.npy, keys.json) this version can reuse: the cache is
# unchanged since format 2, so an upgrade re-embeds nothing.
CACHE_FORMATS = (2, 3, 4, 5, 6, 7)
CURRENT = "current"
MANIFEST = "manifest.json"
PASSAGES = "passages.jsonl"
PASSAGE_OFFSETS = "passage_offsets.npy"
PASSAGE_COLUMNS = COLUMNS_FILE
PASSAGE_CODES = CODES_FILE
ARTICLES = "articles.json"
SENTENCE_FAISS = "dense_sentences.faiss"
SENTENCE_OWNERS = "sentence_owners.npy"
CONTEXT_FAISS = "dense_context.faiss"
BM25_DIR = "bm25"
CACHE_VECTORS = "vectors.npy"
CACHE_KEYS = "keys.json"
CALIBRATION = INDEX_FILE


class Manifest(BaseModel):
    """What a build holds and how it was made; `files` lets load() detect any changed byte."""

    format_version: int
    model_name: str
    dim: int
    corpus_hash: str | None = None
    n_passages: int
    n_sentences: int
    n_articles: int
    created: datetime
    versions: dict[str, str] = Field(default_factory=dict)
    analyzer: dict[str, Any] = Field(default_factory=dict)
    signals: list[str] = Field(default_factory=list)
    files: dict[str, str] = Field(default_factory=dict, description="Relative path -> sha256 of its bytes.")


@dataclass
class IndexParts:
    """Everything a Searcher is made of, as built in memory or read from disk."""

    manifest: Manifest
    passages: Sequence[Passage]
    articles: list[Article]
    sentences: DenseIndex
    contexts: DenseIndex
    lexical: LexicalIndex
    cache_keys: list[str]
    cache_vectors: np.ndarray
    columns: PassageColumns | None = None  # None: computed from `passages` when needed
    calibration: IndexCalibration | None = None  # None: made by the Searcher (shipped or fitted)
