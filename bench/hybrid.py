"""The searcher's retrieval path over the product's index layout, in timed stages, for the benchmark.

The benchmark cannot run `Searcher` itself (its synthetic passages have no texts or articles), so
it runs the same pieces in the same order: `index.candidates` plans which passages are scored (all
of them in a small exact index; above the threshold each side's best passages plus a fixed corpus
sample, widened by their neighbours), every signal scores them exactly with the calls the
searcher's signals make (the best sentence row per passage, each stacked passage view's row,
BM25), and `index.fusion` ranks: `fuse`, `with_neighbours`, `top_k`, `with_another_voice`.
"""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np

from index.dense.faiss_index import DenseIndex
from index.dense.views import PASSAGE_VIEWS, view_rows_of, view_scores_of
from index.lexical.bm25 import LexicalIndex
from index.search import plan as candidates
from index.search.fusion import VOICE_POOL, VOICE_TOP, fuse, top_k, with_another_voice, with_neighbours
from index.search.plan import FETCH, SearchPlan
from index.store.columns import PassageColumns

__all__ = ["FETCH", "ProductIndexes", "candidate_search", "exact_signals", "full_search", "rank_fused", "rank_plan"]

SIGNALS: tuple[str, ...] = ("sentence", *PASSAGE_VIEWS, "bm25")


@dataclass
class ProductIndexes:
    """The product's three indexes over one corpus (sentence rows, stacked view rows, BM25), and the
    passages' reading order and articles (None: rank by the fused scores alone)."""

    sentences: DenseIndex
    contexts: DenseIndex
    lexical: LexicalIndex
    columns: PassageColumns | None = None

    @property
    def n_passages(self) -> int:
        return self.lexical.n_docs

    @property
    def scores_everything(self) -> bool:
        """As `Searcher._scores_everything`: small and exact means every passage is scored."""
        approximate = self.sentences.is_approximate or self.contexts.is_approximate
        return self.n_passages <= candidates.FULL_FUSION_MAX_PASSAGES and not approximate

    def pin_sample(self) -> None:
        """Keep the fixed corpus sample's vectors in memory, as `Searcher.__init__` does."""
        if self.scores_everything:
            return
        n = self.n_passages
        sample = candidates.corpus_sample(n)
        self.sentences.pin_passages(sample)
        self.contexts.pin_rows(view_rows_of(self.contexts, sample, n))

    def dense_side(self, vector: np.ndarray, fetch: int = FETCH, executor: Executor | None = None) -> list[np.ndarray]:
        """Each dense index's best passages, as `candidates.plan_candidates` fetches them (none when small),
        the views index on `executor` when one is given, as the searcher does."""
        if self.scores_everything:
            return []
        depth = candidates.fetch_depth(self.n_passages, self.n_passages, fetch)
        return candidates.dense_found([self.sentences, self.contexts], vector, depth, self.n_passages, executor)

    def lexical_side(self, terms: list[str], fetch: int = FETCH) -> np.ndarray:
        """BM25's best passages, as `candidates.plan_candidates` fetches them (none when small)."""
        if self.scores_everything:
            return np.zeros(0, dtype=np.int64)
        depth = candidates.fetch_depth(self.n_passages, self.n_passages, fetch)
        return candidates.lexical_candidates_read_ahead(
            self.lexical, terms, depth, self.sentences, self.contexts, self.n_passages
        )

    def plan(self, found: list[np.ndarray]) -> SearchPlan:
        """The passages to score: every passage when small, else the union of what the sides found."""
        if self.scores_everything:
            return SearchPlan(candidates=np.arange(self.n_passages, dtype=np.int64))
        plan = candidates.plan_of(found, None, self.n_passages)
        if self.columns is None:
            return plan
        return candidates.with_neighbours_of(plan, *self.columns.neighbours, None)

    def score(
        self, vector: np.ndarray, question: str, terms: list[str], plan: SearchPlan, executor: Executor | None = None
    ) -> dict[str, np.ndarray]:
        """Every signal's scores of the plan's positions, with the calls the searcher's signals make.

        Args:
            vector: the question's vector.
            question: the question's text (BM25 of a small index scores the text).
            terms: its BM25 terms.
            plan: the plan.
            executor: where a large index scores the views while this thread scores the sentence
                and BM25 signals, as the searcher does.

        Returns:
            Signal name -> one score per position of `plan.positions`.
        """
        n, positions = self.n_passages, plan.positions
        if self.scores_everything:
            views = self.contexts.passage_scores(vector, n * len(PASSAGE_VIEWS)).reshape(len(PASSAGE_VIEWS), n)
            scored = {"sentence": self.sentences.passage_scores(vector, n)[positions]}
            scored.update({view: views[row][positions] for row, view in enumerate(PASSAGE_VIEWS)})
            scored["bm25"] = self.lexical.scores(question)[positions]
            return scored
        views_later = None if executor is None else executor.submit(view_scores_of, self.contexts, vector, positions, n)
        scored = {"sentence": self.sentences.scores_of(vector, positions)}
        bm25 = self.lexical.scores_of(terms, positions)
        views = view_scores_of(self.contexts, vector, positions, n) if views_later is None else views_later.result()
        scored.update({view: views[row] for row, view in enumerate(PASSAGE_VIEWS)})
        scored["bm25"] = bm25
        return scored


def rank_plan(
    indexes: ProductIndexes,
    vector: np.ndarray,
    question: str,
    terms: list[str],
    found: list[np.ndarray],
    k: int,
    executor: Executor | None = None,
) -> list[int]:
    """Plan from what the sides found, score the plan exactly with every signal, fuse, and rank.

    Args:
        indexes: the product's indexes.
        vector: the question's vector.
        question: the question's text.
        terms: its BM25 terms.
        found: each side's passages (empty in a small index).
        k: how many passages to return.
        executor: where the views are scored beside the other signals (`ProductIndexes.score`).

    Returns:
        Passage positions, best first.
    """
    plan = indexes.plan(found)
    if len(plan.candidates) == 0:
        return []
    scored = indexes.score(vector, question, terms, plan, executor)
    n = len(plan.candidates)
    reference = None if plan.population is None else {name: v[n:] for name, v in scored.items()}
    fused = fuse({name: v[:n] for name, v in scored.items()}, reference=reference)
    return rank_fused(fused, plan.candidates, indexes.columns, k)


def rank_fused(fused: np.ndarray, positions: np.ndarray, columns: PassageColumns | None, k: int) -> list[int]:
    """The k best passages from their fused scores, as the searcher ranks them.

    Args:
        fused: one fused score per scored passage.
        positions: the passage position of each score.
        columns: the passages' reading order and articles; None ranks by `fused` alone.
        k: how many.

    Returns:
        Passage positions, best first.
    """
    if columns is None:
        return [int(positions[i]) for i in top_k(fused, k)]
    before, after = columns.neighbours
    fused = with_neighbours(fused, positions, before, after, columns.bullet)
    picked = top_k(fused, k + VOICE_POOL)
    picked = with_another_voice(picked, fused, columns.article[positions[picked]], top=min(k, VOICE_TOP))
    return [int(positions[i]) for i in picked[:k]]


def candidate_search(
    indexes: ProductIndexes, vector: np.ndarray, question: str, k: int = 10, fetch: int = FETCH
) -> list[int]:
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
    terms = indexes.lexical.query_terms(question)
    found = [*indexes.dense_side(vector, fetch), indexes.lexical_side(terms, fetch)]
    return rank_plan(indexes, vector, question, terms, found, k)


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
    """Fuse one score per passage and signal over the whole corpus (the small-index way).

    Args:
        exact: from `exact_signals`.
        k: how many passages.
        columns: the passages' reading order and articles (`rank_fused`).

    Returns:
        Passage positions, best first.
    """
    fused = fuse(exact)
    return rank_fused(fused, np.arange(len(fused)), columns, k)
