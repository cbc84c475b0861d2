"""Ingest: read the articles in the corpus folder and cut them into verbatim passages.

The names below are imported on first use (PEP 562): importing the package imports none of its
modules, so parallel first imports cannot meet it half-initialised (docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.corpus import ARTICLE_SUFFIXES, corpus_hash, load_corpus, read_corpus
    from ingest.models import Article, ArticleSource, CorpusReading, FileReport, Passage
    from ingest.passages import split_article
    from ingest.read import DecodedText, UnreadableFileError, decode_file

_EXPORTS: dict[str, str] = {
    "ARTICLE_SUFFIXES": "ingest.corpus",
    "Article": "ingest.models",
    "ArticleSource": "ingest.models",
    "CorpusReading": "ingest.models",
    "DecodedText": "ingest.read",
    "FileReport": "ingest.models",
    "Passage": "ingest.models",
    "UnreadableFileError": "ingest.read",
    "corpus_hash": "ingest.corpus",
    "decode_file": "ingest.read",
    "load_corpus": "ingest.corpus",
    "read_corpus": "ingest.corpus",
    "split_article": "ingest.passages",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'ingest' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value
