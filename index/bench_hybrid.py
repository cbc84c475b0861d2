"""The searcher's candidate path for one dense index, in timed stages, for the benchmark.

The benchmark's synthetic corpora hold one dense row per passage, not the product's several views,
so it cannot run `Searcher` itself; it runs the same pieces (`index.candidates`): each side fetches
its best passages, the union and a fixed corpus sample are scored exactly by both signals, and the
product's z-score fusion, normalised by the sample, ranks the union.
"""

from __future__ import annotations

import numpy as np

from index.candidates import FETCH, corpus_sample, dense_candidates
from index.dense import DenseIndex
from index.fusion import fuse, top_k
from index.lexical import LexicalIndex

__all__ = ["FETCH", "candidate_search", "dense_side", "full_search", "fuse_sides", "lexical_side"]


def dense_side(dense: DenseIndex, vector: np.ndarray, n_passages: int, fetch: int = FETCH) -> np.ndarray:
    """The dense side's best passages (as the searcher fetches them).

    Args:
        dense: the dense index (one or more rows per passage).
        vector: the question's vector (unit length).
        n_passages: passages in the index.
        fetch: how many passages.

    Returns:
        Passage positions, best first.
    """
    return dense_candidates(dense, vector, fetch, n_passages)


def lexical_side(lexical: LexicalIndex, terms: list[str], fetch: int = FETCH) -> np.ndarray:
    """The BM25 side's best passages (only passages sharing a term with the question).

    Args:
        lexical: the BM25 index.
        terms: the question's terms (`LexicalIndex.query_terms`).
        fetch: how many passages.

    Returns:
        Passage positions, best first.
    """
    return lexical.top_of_terms(terms, fetch)[0]


def fuse_sides(
    dense: DenseIndex, lexical: LexicalIndex, vector: np.ndarray, terms: list[str], found: list[np.ndarray], k: int
) -> list[int]:
    """Score the union of both sides and a fixed corpus sample exactly; rank the union.

    Args:
        dense: the dense index.
        lexical: the BM25 index.
        vector: the question's vector.
        terms: the question's BM25 terms.
        found: each side's passages.
        k: how many passages to return.

    Returns:
        Passage positions, best first.
    """
    union = np.unique(np.concatenate(found).astype(np.int64))
    if len(union) == 0:
        return []
    population = corpus_sample(lexical.n_docs)
    positions = np.concatenate([union, population])
    dense_scores, bm25_scores = dense.scores_of(vector, positions), lexical.scores_of(terms, positions)
    n = len(union)
    fused = fuse(
        {"dense": dense_scores[:n], "bm25": bm25_scores[:n]},
        reference={"dense": dense_scores[n:], "bm25": bm25_scores[n:]},
    )
    return [int(union[i]) for i in top_k(fused, k)]


def candidate_search(
    dense: DenseIndex, lexical: LexicalIndex, vector: np.ndarray, question: str, k: int = 10, fetch: int = FETCH
) -> list[int]:
    """Hybrid search at any corpus size: both sides over-fetch, the union is fused.

    Args:
        dense: the dense index.
        lexical: the BM25 index.
        vector: the question's vector.
        question: the question's text.
        k: how many passages.
        fetch: candidates per side.

    Returns:
        Passage positions, best first.
    """
    terms = lexical.query_terms(question)
    found = [dense_side(dense, vector, lexical.n_docs, fetch), lexical_side(lexical, terms, fetch)]
    return fuse_sides(dense, lexical, vector, terms, found, k)


def full_search(exact_dense: np.ndarray, lexical: LexicalIndex, question: str, k: int = 10) -> list[int]:
    """Fuse one score per passage over the whole corpus, for comparison (the small-index way).

    Args:
        exact_dense: every passage's exact dense score.
        lexical: the BM25 index.
        question: the question's text.
        k: how many passages.

    Returns:
        Passage positions, best first.
    """
    return top_k(fuse({"dense": exact_dense, "bm25": lexical.scores(question)}), k)
