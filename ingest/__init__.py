"""Ingest: read the articles in the corpus folder and cut them into verbatim passages."""

from __future__ import annotations

from ingest.models import Article, ArticleSource, CorpusReading, FileReport, Passage

__all__ = ["Article", "ArticleSource", "CorpusReading", "FileReport", "Passage"]
