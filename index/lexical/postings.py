"""The best passages for a set of BM25 terms, read straight from bm25s's postings in compiled code.

bm25s's own numba retrieval is as fast (about 1 ms at a million passages) but is compiled afresh
in every process: 3-8 s before a large index answers its first question on these machines. This
kernel is small and compiled with `cache=True`, so only the first process on a machine pays, and
it visits only the passages the question's terms occur in.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True, inline="always")
def _weaker(score_a: float, doc_a: int, score_b: float, doc_b: int) -> bool:  # pragma: no cover - compiled
    # The ranking's order: a higher score first, then a lower position; "weaker" ranks after.
    return score_a < score_b or (score_a == score_b and doc_a > doc_b)


@numba.njit(cache=True, nogil=True)
def _top_of_postings(
    data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, tokens: np.ndarray, n_docs: int, k: int
) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - compiled; tested through top_of_postings
    total = 0
    for t in tokens:
        total += indptr[t + 1] - indptr[t]
    scores = np.zeros(n_docs, dtype=np.float32)
    touched = np.empty(total, dtype=np.int64)
    m = 0
    for t in tokens:
        for j in range(indptr[t], indptr[t + 1]):
            doc = indices[j]
            # BM25 term scores are positive, so a zero marks a passage not yet seen.
            if scores[doc] == 0.0:
                touched[m] = doc
                m += 1
            scores[doc] += data[j]
    k = min(k, m)
    heap_scores = np.empty(k, dtype=np.float32)
    heap_docs = np.empty(k, dtype=np.int64)
    size = 0
    for i in range(m):
        doc = touched[i]
        value = scores[doc]
        if size < k:
            # Sift up: the root holds the weakest kept passage (lowest score, then highest position).
            pos = size
            size += 1
            while pos > 0:
                parent = (pos - 1) >> 1
                if _weaker(value, doc, heap_scores[parent], heap_docs[parent]):
                    heap_scores[pos] = heap_scores[parent]
                    heap_docs[pos] = heap_docs[parent]
                    pos = parent
                else:
                    break
            heap_scores[pos] = value
            heap_docs[pos] = doc
        elif _weaker(heap_scores[0], heap_docs[0], value, doc):
            pos = 0
            while True:
                child = 2 * pos + 1
                if child >= size:
                    break
                right = child + 1
                if right < size and _weaker(heap_scores[right], heap_docs[right], heap_scores[child], heap_docs[child]):
                    child = right
                if _weaker(heap_scores[child], heap_docs[child], value, doc):
                    heap_scores[pos] = heap_scores[child]
                    heap_docs[pos] = heap_docs[child]
                    pos = child
                else:
                    break
            heap_scores[pos] = value
            heap_docs[pos] = doc
    return heap_docs[:size], heap_scores[:size]


def top_of_postings(
    data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, tokens: list[int], n_docs: int, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """The k passages with the highest summed term scores, best first (ties: lower position first).

    Args:
        data: bm25s's per-posting scores.
        indices: the passage of each posting.
        indptr: where each term's postings start (CSC column pointers).
        tokens: term ids of the question (a repeated id counts twice, as in bm25s).
        n_docs: passages in the index.
        k: how many passages at most; passages sharing no term are never returned.

    Returns:
        (passage positions int64, scores float32).
    """
    if not tokens or k <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    docs, scores = _top_of_postings(data, indices, indptr, np.asarray(tokens, dtype=np.int64), n_docs, k)
    order = np.lexsort((docs, -scores))
    return docs[order], scores[order]
