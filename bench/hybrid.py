"""The searcher's retrieval over the product's index layout, for the benchmark, and the full-fusion reference.

The benchmark cannot run `Searcher` itself (its synthetic passages have no texts or articles), so
it runs the searcher's own retrieval function, `index.search.retrieval.retrieve`, on the product's
three indexes (`index.search.indexes.Indexes`): the same plan, signals and ranking, with the time
each stage took. `exact_signals` and `full_search` are the reference it is checked against: every
passage's exact score by every signal, fused and ranked by the searcher's own `rank`.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from index.dense.views import PASSAGE_VIEWS
from index.lexical.bm25 import LexicalIndex
from index.search.fusion import fuse
from index.search.indexes import Indexes
from index.search.plan import FETCH
from index.search.retrieval import rank, retrieve
from index.search.signals import Query
from index.store.columns import PassageColumns

__all__ = ["FETCH", "candidate_search", "exact_signals", "full_search"]


def candidate_search(indexes: Indexes, vector: np.ndarray, question: str, k: int = 10, fetch: int = FETCH) -> list[int]:
    """Hybrid search as the searcher runs it at this index's size.

    Args:
        indexes: the product's indexes.
        vector: the question's vector.
        question: the question's text.
        k: how many passages.
        fetch: candidates per side in a large index.

    Returns:
        Passage positions, best first.
    """
    indexes = dataclasses.replace(indexes, fetch=fetch)
    return retrieve(indexes, Query(vector=vector, terms=indexes.lexical.query_terms(question)), k).positions


def exact_signals(
    sentence_rows: np.ndarray, owners: np.ndarray, view_rows: np.ndarray, lexical: LexicalIndex, question: str
) -> dict[str, np.ndarray]:
    """Every passage's exact score by every signal, for comparison with the candidate path.

    Args:
        sentence_rows: exact cosine of every sentence row to the question.
        owners: passage of each sentence row.
        view_rows: exact cosine of every stacked view row.
        lexical: the BM25 index.
        question: the question's text.

    Returns:
        Signal name -> one score per passage.
    """
    n = lexical.n_docs
    best = np.full(n, -np.inf, dtype=np.float32)
    np.maximum.at(best, owners, sentence_rows)
    scored = {"sentence": best}
    scored.update({view: view_rows[row * n : (row + 1) * n] for row, view in enumerate(PASSAGE_VIEWS)})
    scored["bm25"] = lexical.scores(question)
    return scored


def full_search(exact: dict[str, np.ndarray], k: int = 10, columns: PassageColumns | None = None) -> list[int]:
    """Fuse one score per passage and signal over the whole corpus (the small-index way), and rank.

    Args:
        exact: from `exact_signals`.
        k: how many passages.
        columns: the passages' reading order and articles (neighbours, another article's voice);
            None ranks by the fused scores alone.

    Returns:
        Passage positions, best first.
    """
    fused = fuse(exact)
    return rank(fused, np.arange(len(fused)), columns, k).picked
