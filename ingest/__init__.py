"""Ingest: read the articles in the corpus folder and cut them into verbatim passages."""

from __future__ import annotations

from ingest.corpus import ARTICLE_SUFFIXES, corpus_hash, load_corpus, read_corpus
from ingest.models import Article, ArticleSource, CorpusReading, FileReport, Passage
from ingest.passages import split_article
from ingest.read import DecodedText, UnreadableFileError, decode_file

__all__ = [
    "ARTICLE_SUFFIXES",
    "Article",
    "ArticleSource",
    "CorpusReading",
    "DecodedText",
    "FileReport",
    "Passage",
    "UnreadableFileError",
    "corpus_hash",
    "decode_file",
    "load_corpus",
    "read_corpus",
    "split_article",
]
