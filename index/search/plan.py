"""Which passages a question's signals score: every passage in a small index, a few hundred in a large one.

Fusing one score per passage for every passage costs more than encoding the question once an
index passes some tens of thousands of passages (z-normalising and ranking a million floats per
signal). Above `FULL_FUSION_MAX_PASSAGES` each side therefore fetches its own best passages
(`FETCH` from the sentence index, from each passage view, and from BM25), and only their union is
scored, exactly, by every signal. The z-normalisation of each signal must still describe the whole
corpus, not the union of its best passages (whose spread is narrow and skewed), so its mean and
spread come from a fixed seeded sample of `POPULATION` passages scored the same way.
"""

from __future__ import annotations

import functools
import math
import time
from concurrent.futures import Executor, Future
from dataclasses import dataclass

import numpy as np

from index.dense.faiss_index import DenseIndex
from index.dense.views import view_rows_of
from index.lexical.bm25 import LexicalIndex

# Up to here every passage is scored: 20k passages fuse in ~2 ms, under a tenth of encoding time.
FULL_FUSION_MAX_PASSAGES = 20_000
# Passages each side contributes; the union is usually 250-400 passages.
FETCH = 100
# Passages whose scores give each signal's mean and spread (the spread's sampling error ~3 %).
POPULATION = 512
# A filter that leaves 1 passage in 50 needs 50x deeper fetches to find the same number of
# matches; past this depth the search stays bounded and returns what it found.
MAX_FETCH = 5_000
POPULATION_SEED = 20240607


@dataclass(frozen=True)
class SearchPlan:
    """The passages one question is scored on.

    `candidates` are ranked. `population` (None in a small index) is the sample whose scores set
    each signal's mean and spread; None means the candidates are the whole allowed corpus and set
    them themselves, exactly.
    """

    candidates: np.ndarray
    population: np.ndarray | None = None

    @property
    def positions(self) -> np.ndarray:
        """Every passage to score: the candidates, then the population."""
        if self.population is None:
            return self.candidates
        return np.concatenate([self.candidates, self.population])


def population_sample(allowed: np.ndarray, size: int = POPULATION) -> np.ndarray:
    """A fixed, seeded sample of the allowed passages (all of them when there are few).

    Args:
        allowed: allowed passage positions, ascending.
        size: sample size.

    Returns:
        Positions, ascending; the same for the same input.
    """
    if len(allowed) <= size:
        return np.asarray(allowed, dtype=np.int64)
    picked = np.random.default_rng(POPULATION_SEED).choice(len(allowed), size=size, replace=False)
    return np.sort(np.asarray(allowed, dtype=np.int64)[picked])


@functools.lru_cache(maxsize=8)
def corpus_sample(n_passages: int) -> np.ndarray:
    """The fixed sample of a whole, unfiltered index (`population_sample` of every passage), made once.

    Args:
        n_passages: passages in the index.

    Returns:
        Positions, ascending (shared: do not modify).
    """
    return population_sample(np.arange(n_passages))


def fetch_depth(n_passages: int, n_allowed: int, fetch: int = FETCH) -> int:
    """How many passages each side fetches so that about `fetch` of them pass the filters.

    Args:
        n_passages: passages in the index.
        n_allowed: passages the filters allow.
        fetch: wanted allowed passages per side.

    Returns:
        The depth, at most `MAX_FETCH` (never less than `fetch`).
    """
    if n_allowed <= 0:
        return fetch
    return int(min(MAX_FETCH, max(fetch, math.ceil(fetch * n_passages / n_allowed))))


def side_depth(n_passages: int, allowed: np.ndarray | None, full_fusion_max: int, fetch: int = FETCH) -> int | None:
    """How many passages each side of the plan fetches, or None when every allowed passage is scored.

    Args:
        n_passages: passages in the index.
        allowed: boolean mask of the passages the filters allow, or None for all.
        full_fusion_max: up to this many allowed passages, all of them are scored.
        fetch: wanted allowed passages per side.

    Returns:
        The depth (`fetch_depth`), or None.
    """
    n_allowed = n_passages if allowed is None else int(allowed.sum())
    return None if n_allowed <= full_fusion_max else fetch_depth(n_passages, n_allowed, fetch)


def dense_candidates(index: DenseIndex, vector: np.ndarray, depth: int, n_passages: int) -> np.ndarray:
    """Passages owning the best rows of a dense index, best first, at most `depth` distinct ones.

    Rows map to passages through the index's owners, modulo the passage count: a views index
    stacks one block of rows per view (row = view * n_passages + passage). Only the rows the index
    searches count towards the rows fetched per passage (a large views index searches the first
    block only).

    Args:
        index: a dense index.
        vector: the question's vector.
        depth: how many passages.
        n_passages: passages in the index.

    Returns:
        Passage positions.
    """
    if n_passages == 0 or index.n_searched == 0:
        return np.zeros(0, dtype=np.int64)
    rows_per_passage = max(1, math.ceil(index.n_searched / n_passages))
    rows, _ = index.search_rows(vector, depth * rows_per_passage)
    owners = index.owners[rows] % n_passages
    _, first = np.unique(owners, return_index=True)
    return owners[np.sort(first)[:depth]]


def plan_candidates(
    dense_indexes: list[DenseIndex],
    lexical: LexicalIndex,
    vector: np.ndarray,
    terms: list[str],
    allowed: np.ndarray | None,
    n_passages: int,
    full_fusion_max: int = FULL_FUSION_MAX_PASSAGES,
    fetch: int = FETCH,
    lexical_found: np.ndarray | Future[np.ndarray] | None = None,
    executor: Executor | None = None,
    timings_ms: dict[str, float] | None = None,
) -> SearchPlan:
    """Choose the passages to score for one question.

    Args:
        dense_indexes: the dense indexes (sentences, views) whose best passages become candidates.
        lexical: the BM25 index.
        vector: the question's vector.
        terms: the question's BM25 terms.
        allowed: boolean mask of the passages the filters allow, or None for all.
        n_passages: passages in the index.
        full_fusion_max: up to this many allowed passages, all of them are scored.
        fetch: passages per side in a large index.
        lexical_found: BM25's passages, when already fetched or being fetched (`lexical_candidates`
            at `fetch_depth`, e.g. while the question was being encoded).
        executor: where the dense indexes after the first are fetched (`dense_found`).
        timings_ms: where a large index's plan notes how long the dense fetch took ("dense") and
            what was left to wait for BM25 after it ("lexical").

    Returns:
        The plan (candidates ascending; the caller ranks them).
    """
    started = time.perf_counter()
    depth = side_depth(n_passages, allowed, full_fusion_max, fetch)
    if depth is None:
        everything = np.arange(n_passages) if allowed is None else np.flatnonzero(allowed)
        if timings_ms is not None:
            # A small index fetches nothing: the dense side costs the plan itself, BM25 nothing more.
            planned = time.perf_counter()
            timings_ms["dense"] = (planned - started) * 1000
            timings_ms["lexical"] = (time.perf_counter() - planned) * 1000
        return SearchPlan(candidates=everything.astype(np.int64))
    found = dense_found(dense_indexes, vector, depth, n_passages, executor)
    dense_done = time.perf_counter()
    if lexical_found is None:
        found.append(lexical_candidates(lexical, terms, depth))
    else:
        found.append(lexical_found.result() if isinstance(lexical_found, Future) else lexical_found)
    if timings_ms is not None:
        timings_ms["dense"] = (dense_done - started) * 1000
        timings_ms["lexical"] = (time.perf_counter() - dense_done) * 1000
    return plan_of(found, allowed, n_passages)


def lexical_candidates(lexical: LexicalIndex, terms: list[str], depth: int) -> np.ndarray:
    """BM25's best passages, best first: the lexical half of a large index's plan.

    It needs no question vector, so the searcher runs it while the model encodes the question.

    Args:
        lexical: the BM25 index.
        terms: the question's terms.
        depth: how many passages.

    Returns:
        Passage positions.
    """
    return lexical.top_of_terms(terms, depth)[0]


def lexical_candidates_read_ahead(
    lexical: LexicalIndex, terms: list[str], depth: int, sentences: DenseIndex, views: DenseIndex, n_passages: int
) -> np.ndarray:
    """`lexical_candidates`, then the dense rows of the passages found read into the dense indexes'
    memory (`DenseIndex.read_ahead`): every candidate is scored on every dense signal, and while
    the model encodes the question on one core these reads cost the user nothing on the other.

    Returns:
        BM25's passages, best first.
    """
    found = lexical_candidates(lexical, terms, depth)
    sentences.read_ahead(sentences.rows_of_passages(found))
    views.read_ahead(view_rows_of(views, found, n_passages))
    return found


def dense_found(
    dense_indexes: list[DenseIndex],
    vector: np.ndarray,
    depth: int,
    n_passages: int,
    executor: Executor | None = None,
) -> list[np.ndarray]:
    """Each dense index's best passages (`dense_candidates`), the dense half of a large index's plan.

    Args:
        dense_indexes: the indexes to fetch from.
        vector: the question's vector.
        depth: passages per index.
        n_passages: passages in the index.
        executor: where to fetch every index but the first, while this thread fetches the first
            (FAISS lets go of the GIL while it scans); None fetches them one after the other.

    Returns:
        One array of passage positions per index, best first.
    """
    if executor is None or len(dense_indexes) < 2:
        return [dense_candidates(index, vector, depth, n_passages) for index in dense_indexes]
    others = [executor.submit(dense_candidates, index, vector, depth, n_passages) for index in dense_indexes[1:]]
    first = dense_candidates(dense_indexes[0], vector, depth, n_passages)
    return [first, *(future.result() for future in others)]


def with_neighbours_of(
    plan: SearchPlan, before: np.ndarray, after: np.ndarray, allowed: np.ndarray | None
) -> SearchPlan:
    """The plan with each candidate's neighbours added, so neighbour propagation reads their real scores.

    Without them a large index would count a neighbour it did not fetch as the passage itself,
    and rank differently from scoring every passage.

    Args:
        plan: a large index's plan.
        before: the previous passage's position, for every passage (-1: none).
        after: the next passage's position, for every passage (-1: none).
        allowed: boolean mask of the passages the filters allow, or None for all.

    Returns:
        The plan with the candidates widened (ascending); the population is unchanged.
    """
    if plan.population is None or len(plan.candidates) == 0:
        return plan
    near = np.concatenate([plan.candidates, before[plan.candidates], after[plan.candidates]])
    near = np.unique(near[near >= 0]).astype(np.int64)
    if allowed is not None:
        near = near[allowed[near]]
    return SearchPlan(candidates=near, population=plan.population)


def plan_of(found: list[np.ndarray], allowed: np.ndarray | None, n_passages: int) -> SearchPlan:
    """The plan of a large index from what each side found: their union within the filters, and the sample.

    Args:
        found: each side's passage positions.
        allowed: boolean mask of the passages the filters allow, or None for all.
        n_passages: passages in the index.

    Returns:
        The plan (candidates ascending).
    """
    union = np.unique(np.concatenate(found).astype(np.int64)) if found else np.zeros(0, dtype=np.int64)
    if allowed is None:
        return SearchPlan(candidates=union, population=corpus_sample(n_passages))
    return SearchPlan(candidates=union[allowed[union]], population=population_sample(np.flatnonzero(allowed)))
