"""Index: Danish hybrid search (dense FAISS + BM25) over the passages ingest produced."""

from __future__ import annotations

from index.models import Answer, Result

__all__ = ["Answer", "Result"]
