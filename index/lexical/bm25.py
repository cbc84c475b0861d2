"""Lexical retrieval: BM25 (bm25s) over the Danish analyzer's terms.

Three ways to score. `all_scores` gives every passage a score (a small index fuses whole arrays,
fine up to ~100k passages). `top_of_terms` returns only the best passages through a compiled
kernel over bm25s's postings (index/lexical/postings.py): 1.1 ms at 1M passages where the numpy
backend takes 160 ms; without numba it falls back to numpy and says so once in the log.
`scores_of` scores the candidates of a large index exactly.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np

from index.text.analyzer import DanishAnalyzer
from ingest.models import Passage

log = logging.getLogger(__name__)


@functools.cache
def numba_available() -> bool:
    """True when bm25s can use its numba backend here (numba imports and bm25s found it)."""
    try:
        import numba  # noqa: F401
        from bm25s.numba.retrieve_utils import _retrieve_numba_functional  # noqa: F401
    except Exception as exc:  # any import failure of numba/llvmlite means the same: use numpy
        log.warning("BM25: numba kan ikke indlæses (%s); søger med numpy, som er langsommere ved store indeks.", exc)
        return False
    return True


def lexical_text(passage: Passage) -> str:
    """What BM25 indexes for the passage: its text, and for a bullet also its list's lead-in."""
    if passage.kind == "bullet" and passage.lead_in:
        return f"{passage.lead_in}\n{passage.text}"
    return passage.text


class LexicalIndex:
    """BM25 over analyzer terms; questions are mapped onto the index vocabulary first."""

    def __init__(self, bm25: bm25s.BM25, analyzer: DanishAnalyzer) -> None:
        self._bm25 = bm25
        self.analyzer = analyzer
        # One frozen object for the life of the index: the analyzer caches its lookups by identity.
        self.vocabulary: frozenset[str] = frozenset(t for t in bm25.vocab_dict if t)
        self.backend = "numba" if numba_available() else "numpy"
        # bm25s's retrieve dispatches on this attribute; setting it needs no re-index.
        bm25.backend = self.backend
        self._warm = False

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
        return cls.from_terms([analyzer.document_terms(t) for t in texts], analyzer)

    @classmethod
    def from_terms(cls, terms: Sequence[list[str]], analyzer: DanishAnalyzer | None = None) -> LexicalIndex:
        """Index passages already cut into analyzer terms (`DanishAnalyzer.document_terms`).

        Args:
            terms: the terms of each passage, in passage order.
            analyzer: the analyzer that made them (used for questions); a new one when None.

        Returns:
            The index.
        """
        logging.getLogger("bm25s").setLevel(logging.WARNING)
        bm25 = bm25s.BM25()
        bm25.index(terms, show_progress=False)
        return cls(bm25, analyzer or DanishAnalyzer())

    @property
    def n_docs(self) -> int:
        return int(self._bm25.scores["num_docs"])

    def document_frequency(self, term: str) -> int:
        """How many passages hold the term (0 when the vocabulary has no such term)."""
        token = self._bm25.vocab_dict.get(term)
        if token is None:
            return 0
        indptr = self._bm25.scores["indptr"]
        return int(indptr[token + 1] - indptr[token])

    def query_terms(self, question: str) -> list[str]:
        """The question's terms as found in the index vocabulary (folded, typo-corrected, split)."""
        return self.analyzer.query_terms(question, self.vocabulary)

    def scores(self, question: str) -> np.ndarray:
        """BM25 score of every passage for the question (all zeros when no term is known).

        Args:
            question: the user's question.

        Returns:
            float32 (n_docs,).
        """
        return self.all_scores(self.query_terms(question))

    def all_scores(self, terms: list[str]) -> np.ndarray:
        """BM25 score of every passage for terms already mapped onto the vocabulary (see `query_terms`).

        Args:
            terms: index terms; a repeated term counts each time.

        Returns:
            float32 (n_docs,); all zeros when there are no terms.
        """
        if not terms:
            return np.zeros(self.n_docs, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(terms), dtype=np.float32)

    def top_of_terms(self, terms: list[str], n: int) -> tuple[np.ndarray, np.ndarray]:
        """The n best passages by BM25 for terms mapped onto the vocabulary (`query_terms`), best first,
        leaving out passages that share no term.

        Args:
            terms: index terms.
            n: how many passages at most.

        Returns:
            (passage positions int64, scores float32).
        """
        ids = self._bm25.get_tokens_ids(terms) if terms else []
        n = min(n, self.n_docs)
        if not ids or n <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if self.backend == "numba":
            from index.lexical.postings import top_of_postings

            matrix = self._bm25.scores
            positions, scores = top_of_postings(
                matrix["data"], matrix["indices"], matrix["indptr"], ids, self.n_docs, n
            )
        else:
            all_scores = np.asarray(self._bm25.get_scores(ids), dtype=np.float32)
            positions = np.argpartition(-all_scores, n - 1)[:n] if n < len(all_scores) else np.arange(len(all_scores))
            positions = positions[np.lexsort((positions, -all_scores[positions]))].astype(np.int64)
            scores = all_scores[positions]
        keep = scores > 0
        return positions[keep], scores[keep].astype(np.float32)

    def scores_of(self, terms: list[str], positions: np.ndarray) -> np.ndarray:
        """Exact BM25 scores of the given passages only, read from the postings of the question's terms.

        The same sums as `scores`, at a cost set by the number of terms and positions rather than
        by the corpus size: the searcher's candidate path scores a few hundred passages of a
        million this way.

        Args:
            terms: index terms (see `query_terms`); a repeated term counts each time, as in `scores`.
            positions: passage positions (any order).

        Returns:
            float32, one per position, in the given order.
        """
        positions = np.asarray(positions, dtype=np.int64)
        out = np.zeros(len(positions), dtype=np.float32)
        ids = self._bm25.get_tokens_ids(terms) if terms else []
        if not ids or len(positions) == 0:
            return out
        matrix = self._bm25.scores
        data, indices, indptr = matrix["data"], matrix["indices"], matrix["indptr"]
        for token in ids:
            start, end = int(indptr[token]), int(indptr[token + 1])
            docs = indices[start:end]
            # bm25s stores each term's postings in passage order (CSC sorted by row).
            at = np.searchsorted(docs, positions)
            inside = at < len(docs)
            hit = np.zeros(len(positions), dtype=bool)
            hit[inside] = docs[at[inside]] == positions[inside]
            out[hit] += data[start:end][at[hit]]
        return out

    def warm_up(self) -> None:
        """Compile the numba scorer now (about a second, once per process) rather than on a user's first question."""
        if self.backend == "numba" and not self._warm and self.n_docs:
            any_term = next(iter(self._bm25.vocab_dict))
            self.top_of_terms([any_term], 1)
        self._warm = True

    def save(self, folder: Path) -> None:
        """Write the BM25 arrays with bm25s's own format (npy + json, no pickle)."""
        self._bm25.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path, analyzer: DanishAnalyzer | None = None, mmap: bool = True) -> LexicalIndex:
        """Read a folder written by `save`.

        Args:
            folder: the bm25/ folder.
            analyzer: the Danish analyzer; a new one when None.
            mmap: map the score arrays from disk instead of copying them into memory. A query
                reads only its terms' postings, and the pages are page cache the kernel can drop
                and share between processes (docs/BENCHMARKS.md: same answers, ~200 MB less
                private memory at 1M passages). Safe because a saved build folder is never
                rewritten in place (index/store.py writes a new folder and swaps a link).

        Returns:
            The index.
        """
        # bm25s logs progress bars and notices at INFO; a search CLI must stay quiet.
        logging.getLogger("bm25s").setLevel(logging.WARNING)
        bm25 = bm25s.BM25.load(str(folder), show_progress=False, allow_pickle=False, mmap=mmap)
        return cls(bm25, analyzer or DanishAnalyzer())
