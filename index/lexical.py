"""Lexical retrieval: BM25 (bm25s) over the Danish analyzer's terms."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np

from index.danish import DanishAnalyzer


class LexicalIndex:
    """BM25 over analyzer terms; questions are mapped onto the index vocabulary first."""

    def __init__(self, bm25: bm25s.BM25, analyzer: DanishAnalyzer) -> None:
        self._bm25 = bm25
        self.analyzer = analyzer
        # One frozen object for the life of the index: the analyzer caches its lookups by identity.
        self.vocabulary: frozenset[str] = frozenset(t for t in bm25.vocab_dict if t)

    @classmethod
    def from_texts(cls, texts: Sequence[str], analyzer: DanishAnalyzer | None = None) -> LexicalIndex:
        """Index one text per passage.

        Args:
            texts: the text to index for each passage, in passage order.
            analyzer: the Danish analyzer; a new one when None.

        Returns:
            The index.
        """
        analyzer = analyzer or DanishAnalyzer()
        bm25 = bm25s.BM25()
        bm25.index([analyzer.document_terms(t) for t in texts], show_progress=False)
        return cls(bm25, analyzer)

    @property
    def n_docs(self) -> int:
        return int(self._bm25.scores["num_docs"])

    def query_terms(self, question: str) -> list[str]:
        """The question's terms as found in the index vocabulary (folded, typo-corrected, split)."""
        return self.analyzer.query_terms(question, self.vocabulary)

    def coverage(self, question: str) -> float:
        """Share of the question's content words the indexed articles use; 0 when it has none."""
        return self.analyzer.coverage(question, self.vocabulary)

    def scores(self, question: str) -> np.ndarray:
        """BM25 score of every passage for the question (all zeros when no term is known).

        Args:
            question: the user's question.

        Returns:
            float32 (n_docs,).
        """
        terms = self.query_terms(question)
        if not terms:
            return np.zeros(self.n_docs, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(terms), dtype=np.float32)

    def save(self, folder: Path) -> None:
        """Write the BM25 arrays with bm25s's own format (npy + json, no pickle)."""
        self._bm25.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path, analyzer: DanishAnalyzer | None = None) -> LexicalIndex:
        """Read a folder written by `save`.

        Args:
            folder: the bm25/ folder.
            analyzer: the Danish analyzer; a new one when None.

        Returns:
            The index.
        """
        # bm25s logs progress bars and notices at INFO; a search CLI must stay quiet.
        logging.getLogger("bm25s").setLevel(logging.WARNING)
        bm25 = bm25s.BM25.load(str(folder), show_progress=False, allow_pickle=False, mmap=False)
        return cls(bm25, analyzer or DanishAnalyzer())
