"""One question's retrieval as a function: plan the passages to score, score them with every signal, rank.

`retrieve` knows nothing of the Searcher: it takes the indexes, the question's vector and BM25
terms, and returns the ranking with every signal's scores. The Searcher (index/searcher.py) and
the benchmark (bench/hybrid.py) both call it, so the benchmark times the product's own path.
"""

from __future__ import annotations

import time
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field

import numpy as np

from index.decline.calibration import FusionParams
from index.decline.model import ANSWER_DEPTH
from index.models import SearchMode
from index.search.budget import Budget
from index.search.fusion import VOICE_POOL, VOICE_TOP, fuse, top_k, with_another_voice, with_neighbours
from index.search.indexes import Indexes
from index.search.plan import lexical_candidates_read_ahead, plan_candidates, side_depth, with_neighbours_of
from index.search.signals import ABSTAIN_SIGNAL, MODES, Query, score, signals_of
from index.search.structure import QuestionForm, answer_bonus, questions_hand_on, speaker_bonus
from index.store.columns import PassageColumns

# The fusion before cross-validation: equal weights, no structural bonus (`FusionParams`' defaults).
PLAIN = FusionParams()
ANY_QUESTION = QuestionForm()


@dataclass(frozen=True)
class Retrieval:
    """A question's ranking over the passages it was scored on.

    `picked` indexes `candidates` (and every per-candidate array), best first; `positions` are the
    passages they are.
    """

    candidates: np.ndarray
    picked: list[int]
    fused: np.ndarray
    signal_scores: dict[str, np.ndarray]
    dense: np.ndarray  # the abstention signal's score of every candidate, whatever the mode fuses
    timings_ms: dict[str, float] = field(default_factory=dict)
    # The first of `picked` before a figure or time the question asks for raised passages that give
    # one: what the decline's checks read (a figure that was raised because it is a figure is no
    # evidence that the passages on the question's topic give it). Empty: the same as `picked`.
    judged: list[int] = field(default_factory=list)

    @property
    def positions(self) -> list[int]:
        """The passage positions ranked, best first."""
        return [int(self.candidates[i]) for i in self.picked]

    @property
    def judged_positions(self) -> list[int]:
        """The passage positions the decline's checks read, best first (`judged`)."""
        return [int(self.candidates[i]) for i in (self.judged or self.picked)]


@dataclass(frozen=True)
class Ranking:
    """The fused scores after every adjustment, the best candidates, and the best before the answer bonus."""

    fused: np.ndarray
    picked: list[int]
    judged: list[int]


def start_lexical_fetch(
    indexes: Indexes, terms: list[str], allowed: np.ndarray | None, helpers: Executor | None
) -> Future[np.ndarray] | None:
    """Start a large index's BM25 fetch on another thread, or None when every passage is scored.

    The model encodes on one core and lets go of the GIL, as do the compiled BM25 kernel and row
    reader: on a second core the fetch, and the reading of the dense rows of the passages it found,
    cost the user no time.

    Args:
        indexes: the indexes.
        terms: the question's BM25 terms.
        allowed: mask of the passages the filters allow, or None.
        helpers: the thread pool; None fetches nothing ahead.

    Returns:
        The fetch, or None.
    """
    depth = side_depth(indexes.n_passages, allowed, indexes.fusion_max, indexes.fetch)
    if depth is None or helpers is None:
        return None
    return helpers.submit(
        lexical_candidates_read_ahead,
        indexes.lexical, terms, depth, indexes.sentences, indexes.contexts, indexes.n_passages,
    )


def retrieve(
    indexes: Indexes,
    query: Query,
    depth: int,
    mode: SearchMode = "hybrid",
    allowed: np.ndarray | None = None,
    budget: Budget | None = None,
    helpers: Executor | None = None,
    lexical_found: Future[np.ndarray] | None = None,
    params: FusionParams = PLAIN,
    form: QuestionForm = ANY_QUESTION,
) -> Retrieval:
    """Rank the passages for one question.

    Args:
        indexes: the indexes.
        query: the question's vector and BM25 terms.
        depth: how many passages to rank.
        mode: "hybrid" (every signal, neighbour propagation, another article's voice), "dense" or "lexical".
        allowed: mask of the passages the filters allow, or None for all.
        budget: checked between the steps; None: no limit.
        helpers: threads a large index fetches and scores on beside this one; None: this thread alone.
        lexical_found: BM25's fetch when already started (`start_lexical_fetch`).
        params: the fusion's numbers (the index's calibration).
        form: what the question asks for (a quote, a figure), for the structural adjustments.

    Returns:
        The ranking; no candidates when a narrow filter left none in a large index.

    Raises:
        SearchTimeoutError: the budget ran out.
    """
    timings: dict[str, float] = {}
    started = time.perf_counter()
    # Only a large index fetches; FAISS lets go of the GIL, so the views are fetched beside the sentences.
    plan = plan_candidates(
        [indexes.sentences, indexes.contexts], indexes.lexical, query.vector, query.terms, allowed,
        indexes.n_passages, indexes.fusion_max, indexes.fetch, lexical_found, helpers, timings,
    )
    if mode == "hybrid":
        plan = with_neighbours_of(plan, *indexes.columns.neighbours, allowed)
    n_candidates = len(plan.candidates)
    if n_candidates == 0:
        return Retrieval(plan.candidates, [], np.zeros(0), {}, np.zeros(0), timings)
    _check(budget, "fandt passagerne")
    ranked_at = time.perf_counter()
    signals = signals_of(indexes)
    active = [s for s in signals if s.name in MODES[mode]]
    # The decision reads the sentence signal whatever the mode fuses.
    needed = [s for s in signals if s in active or s.name == ABSTAIN_SIGNAL]
    scored = score(indexes, needed, query, plan.positions, helpers)
    _check(budget, "gav passagerne point")
    raw = {name: scored[name][:n_candidates] for name in MODES[mode]}
    reference = None if plan.population is None else {name: v[n_candidates:] for name, v in scored.items()}
    weights = {s.name: params.bm25_weight if s.name == "bm25" else s.weight for s in active}
    fused = fuse(raw, weights, reference)
    ranking = rank(fused, plan.candidates, indexes.columns, depth, mode, params, form)
    timings["fusion"] = (time.perf_counter() - ranked_at) * 1000
    timings["total"] = (time.perf_counter() - started) * 1000
    return Retrieval(
        plan.candidates, ranking.picked, ranking.fused, raw, scored[ABSTAIN_SIGNAL][:n_candidates], timings,
        ranking.judged,
    )


def rank(
    fused: np.ndarray,
    positions: np.ndarray,
    columns: PassageColumns | None,
    depth: int,
    mode: SearchMode = "hybrid",
    params: FusionParams = PLAIN,
    form: QuestionForm = ANY_QUESTION,
) -> Ranking:
    """The best passages from their fused scores. In hybrid mode a question passage hands its score to
    its answer, a share of the better neighbour's score is added, a quote or a figure gains when the
    question asks for one (index/search/structure.py), and another article's passage may join the
    first results.

    Args:
        fused: one fused score per scored passage.
        positions: the passage position of each score.
        columns: the passages' reading order, articles, speakers and forms; None ranks by `fused` alone.
        depth: how many.
        mode: the search mode.
        params: the fusion's numbers.
        form: what the question asks for.

    Returns:
        The fused scores after these adjustments, the indexes into them of the best (best first), and
        the best before the answer bonus (`Retrieval.judged`).
    """
    if mode != "hybrid" or columns is None:
        picked = top_k(fused, depth)
        return Ranking(fused, picked, picked)
    before, after = columns.neighbours
    fused = questions_hand_on(fused, positions, columns.question, after, params.question_step_back)
    fused = with_neighbours(fused, positions, before, after, columns.bullet, params.neighbour_weight)
    fused = fused + speaker_bonus(positions, columns.has_speaker, columns.speaker, form, params)
    judged = top_k(fused, ANSWER_DEPTH)
    fused = answer_bonus(fused, positions, form, params)
    picked = top_k(fused, depth + VOICE_POOL)
    picked = with_another_voice(picked, fused, columns.article[positions[picked]], top=min(depth, VOICE_TOP))
    return Ranking(fused, picked[:depth], judged)


def _check(budget: Budget | None, stage: str) -> None:
    if budget is not None:
        budget.check(stage)
