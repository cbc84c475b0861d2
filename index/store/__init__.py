"""The index on disk: a folder of builds, each written whole and swapped in through `current`.

`from index import store` gives the folder's use: `read` and `write` a build, find it
(`build_dir`, `read_manifest`), check it (`verify_files`), and read the parts other commands need
without loading it (`read_articles`, `read_cache`). The file names are those of
index/store/layout.py.
"""

from __future__ import annotations

from index.store.folder import build_dir, read_articles, read_cache, read_manifest, verify_files
from index.store.hashing import file_sha256, hashed_bytes
from index.store.layout import (
    ARTICLES,
    BM25_DIR,
    CACHE_FORMATS,
    CACHE_KEYS,
    CACHE_VECTORS,
    CALIBRATION,
    CONTEXT_FAISS,
    CURRENT,
    FORMAT_VERSION,
    MANIFEST,
    PASSAGE_CODES,
    PASSAGE_COLUMNS,
    PASSAGE_OFFSETS,
    PASSAGES,
    SENTENCE_FAISS,
    SENTENCE_OWNERS,
    IndexParts,
    Manifest,
)
from index.store.reading import read
from index.store.writing import write, write_passages

__all__ = [
    "ARTICLES",
    "BM25_DIR",
    "CACHE_FORMATS",
    "CACHE_KEYS",
    "CACHE_VECTORS",
    "CALIBRATION",
    "CONTEXT_FAISS",
    "CURRENT",
    "FORMAT_VERSION",
    "MANIFEST",
    "PASSAGES",
    "PASSAGE_CODES",
    "PASSAGE_COLUMNS",
    "PASSAGE_OFFSETS",
    "SENTENCE_FAISS",
    "SENTENCE_OWNERS",
    "IndexParts",
    "Manifest",
    "build_dir",
    "file_sha256",
    "hashed_bytes",
    "read",
    "read_articles",
    "read_cache",
    "read_manifest",
    "verify_files",
    "write",
    "write_passages",
]
