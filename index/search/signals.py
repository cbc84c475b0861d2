"""Every ranking signal's scores of the passages one question is scored on.

One signal per view of a passage (index/dense/views.py) plus BM25; equal weights, which
generalised where tuned weights overfit (RETRIEVAL_NOTES.md). Every dense signal reuses the one
question vector. A small index scores every passage once per question and keeps the whole arrays
(the decision reads the same scores); a large one scores the planned positions exactly, its views
on a helper thread while this one scores the sentence and BM25 signals.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field

import numpy as np

from index.dense.views import PASSAGE_VIEWS, view_scores_of
from index.models import SearchMode
from index.search.fusion import Signal, run_signals
from index.search.indexes import Indexes

DENSE_SIGNALS: tuple[str, ...] = ("sentence", *PASSAGE_VIEWS)
MODES: dict[SearchMode, tuple[str, ...]] = {
    "hybrid": (*DENSE_SIGNALS, "bm25"),
    "dense": DENSE_SIGNALS,
    "lexical": ("bm25",),
}
# The dense signal whose top-1 cosine decides abstention and result strength.
ABSTAIN_SIGNAL = "sentence"


@dataclass
class Query:
    """A question as every signal needs it; whole-index scores are memoised so the decision reuses them."""

    vector: np.ndarray
    terms: list[str]
    memo: dict[str, np.ndarray] = field(default_factory=dict)
    # A large index's scores of every view for the positions being scored, one call for the three
    # view signals: (positions, the stacked scores or the helper thread computing them).
    views_at: tuple[np.ndarray, np.ndarray | Future[np.ndarray]] | None = None


def signals_of(indexes: Indexes) -> list[Signal[Query]]:
    """The signals of these indexes, in fusion order: sentence, each passage view, BM25."""
    return [
        Signal("sentence", lambda query, positions: _sentence_scores(indexes, query, positions)),
        *(Signal(view, _view_scorer(indexes, row)) for row, view in enumerate(PASSAGE_VIEWS)),
        Signal("bm25", lambda query, positions: _bm25_scores(indexes, query, positions)),
    ]


def score(
    indexes: Indexes,
    needed: list[Signal[Query]],
    query: Query,
    positions: np.ndarray,
    helpers: Executor | None = None,
) -> dict[str, np.ndarray]:
    """Every needed signal's scores of the positions.

    Args:
        indexes: the indexes.
        needed: the signals to run.
        query: the prepared question.
        positions: the passages to score.
        helpers: where a large index scores the views while this thread scores the other signals
            (the row reads and FAISS-free numpy work let go of the GIL); None scores them in turn.

    Returns:
        name -> one score per position, in the signals' own order.
    """
    if helpers is None or indexes.scores_everything or not any(s.name in PASSAGE_VIEWS for s in needed):
        return run_signals(needed, query, positions)
    n = indexes.n_passages
    query.views_at = (positions, helpers.submit(view_scores_of, indexes.contexts, query.vector, positions, n))
    # The view signals wait for the helper: the others are scored first, meanwhile.
    waiting_last = sorted(needed, key=lambda signal: signal.name in PASSAGE_VIEWS)
    scored = run_signals(waiting_last, query, positions)
    # Fusion sums the signals in their own order, so the ranking does not depend on this one.
    return {signal.name: scored[signal.name] for signal in needed}


def _sentence_scores(indexes: Indexes, query: Query, positions: np.ndarray) -> np.ndarray:
    sentences = indexes.sentences
    if not indexes.scores_everything:
        return sentences.scores_of(query.vector, positions)
    if "sentence" not in query.memo:
        query.memo["sentence"] = sentences.passage_scores(query.vector, indexes.n_passages)
    return query.memo["sentence"][positions]


def _view_scorer(indexes: Indexes, row: int) -> Callable[[Query, np.ndarray], np.ndarray]:
    def scores(query: Query, positions: np.ndarray) -> np.ndarray:
        n = indexes.n_passages
        if not indexes.scores_everything:
            # Every view of the positions in one pass (one sort, one batch of reads), kept for
            # the other views' signals, which get the same positions.
            if query.views_at is None or query.views_at[0] is not positions:
                query.views_at = (positions, view_scores_of(indexes.contexts, query.vector, positions, n))
            stacked = query.views_at[1]
            if isinstance(stacked, Future):
                stacked = stacked.result()
            return stacked[row]
        if "views" not in query.memo:
            stacked = indexes.contexts.passage_scores(query.vector, n * len(PASSAGE_VIEWS))
            query.memo["views"] = stacked.reshape(len(PASSAGE_VIEWS), n)
        return query.memo["views"][row][positions]

    return scores


def _bm25_scores(indexes: Indexes, query: Query, positions: np.ndarray) -> np.ndarray:
    lexical = indexes.lexical
    if not indexes.scores_everything:
        return lexical.scores_of(query.terms, positions)
    if "bm25" not in query.memo:
        query.memo["bm25"] = lexical.all_scores(query.terms)
    return query.memo["bm25"][positions]
