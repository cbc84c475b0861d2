"""Hybrid search over candidates: the path the searcher needs at scale, measured by the benchmark.

The searcher fuses one score per passage for every passage: z-normalising and ranking arrays of
a million floats per signal costs more than encoding the question. Here each side fetches its own
best passages (over-fetch, `FETCH` each), the union is scored on both sides (exact cosine from
the stored vectors for passages only BM25 found; the lowest fetched BM25 score for passages only
the dense side found), and the product's own z-score fusion ranks the union. Cost depends on
`FETCH`, not on the corpus size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.dense import DenseIndex
from index.fusion import fuse, top_k
from index.lexical import LexicalIndex

FETCH = 100


@dataclass
class Side:
    """One side's candidates: passage positions and their scores, best first."""

    positions: np.ndarray
    scores: np.ndarray
    exhausted: bool = False  # True when the side returned fewer than asked: the rest score nothing


def dense_side(dense: DenseIndex, vector: np.ndarray, fetch: int = FETCH) -> Side:
    """The dense side's best passages.

    Args:
        dense: the dense index.
        vector: the question's vector (unit length).
        fetch: how many passages.

    Returns:
        The candidates.
    """
    positions, scores = dense.top_passages(vector, fetch)
    return Side(positions, scores)


def lexical_side(lexical: LexicalIndex, terms: list[str], fetch: int = FETCH) -> Side:
    """The BM25 side's best passages (only passages sharing a term with the question).

    Args:
        lexical: the BM25 index.
        terms: the question's terms (`LexicalIndex.query_terms`).
        fetch: how many passages.

    Returns:
        The candidates.
    """
    positions, scores = lexical.top_of_terms(terms, fetch)
    return Side(positions, scores, exhausted=len(positions) < fetch)


def fuse_sides(dense: DenseIndex, vector: np.ndarray, dense_found: Side, lexical_found: Side, k: int) -> list[int]:
    """Rank the union of both sides' candidates with the product's z-score fusion.

    Args:
        dense: the dense index (to score passages only BM25 found).
        vector: the question's vector.
        dense_found: the dense side.
        lexical_found: the BM25 side.
        k: how many passages to return.

    Returns:
        Passage positions, best first.
    """
    union = np.union1d(dense_found.positions, lexical_found.positions)
    if len(union) == 0:
        return []
    dense_scores = np.empty(len(union), dtype=np.float32)
    at = np.searchsorted(union, dense_found.positions)
    known = np.zeros(len(union), dtype=bool)
    known[at] = True
    dense_scores[at] = dense_found.scores
    if (~known).any():
        dense_scores[~known] = dense.scores_of(vector, union[~known])
    floor = 0.0 if lexical_found.exhausted or len(lexical_found.scores) == 0 else float(lexical_found.scores.min())
    bm25_scores = np.full(len(union), floor, dtype=np.float32)
    bm25_scores[np.searchsorted(union, lexical_found.positions)] = lexical_found.scores
    fused = fuse({"dense": dense_scores, "bm25": bm25_scores})
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
    found_dense = dense_side(dense, vector, fetch)
    found_lexical = lexical_side(lexical, lexical.query_terms(question), fetch)
    return fuse_sides(dense, vector, found_dense, found_lexical, k)


def full_search(dense: DenseIndex, lexical: LexicalIndex, vector: np.ndarray, question: str, k: int = 10) -> list[int]:
    """The searcher's way, for comparison: fuse one score per passage over the whole corpus.

    Args:
        dense: the dense index.
        lexical: the BM25 index.
        vector: the question's vector.
        question: the question's text.
        k: how many passages.

    Returns:
        Passage positions, best first.
    """
    n = lexical.n_docs
    fused = fuse({"dense": dense.passage_scores(vector, n), "bm25": lexical.scores(question)})
    return top_k(fused, k)
