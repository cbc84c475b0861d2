"""From a ranking to the answer a leader reads: the decision to decline, each result's strength, its context.

Everything the screen shows comes with the answer (the words to mark, the words the articles never
use, the passages around each quote), so the app asks the searcher nothing more for a question.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, Field

from index.decline.calibration import IndexCalibration
from index.decline.checks import gather_evidence
from index.decline.labels import first_card_features, ranked_strengths
from index.decline.model import ANSWER_DEPTH, AbstainDecision, decide_on
from index.models import Answer, Result, SearchMode
from index.reading import QueryReading
from index.search.retrieval import Retrieval
from index.search.signals import ABSTAIN_SIGNAL
from index.store.columns import PassageColumns
from index.text.analyzer import DanishAnalyzer
from ingest.models import Passage


class SearchTrace(BaseModel):
    """An answer plus what decided it, for evaluation and calibration."""

    answer: Answer
    decision: AbstainDecision
    signal_scores: dict[str, list[float]] = Field(default_factory=dict, description="Per signal, for each result.")


def answer_of(
    question: str,
    reading: QueryReading,
    retrieval: Retrieval,
    k: int,
    passages: Sequence[Passage],
    columns: PassageColumns,
    analyzer: DanishAnalyzer,
    calibration: IndexCalibration,
    mode: SearchMode = "hybrid",
) -> SearchTrace:
    """The answer to one question from its ranking.

    Args:
        question: the question as typed (echoed in the answer).
        reading: its reading.
        retrieval: its ranking, at least `ANSWER_DEPTH` deep.
        k: how many results to give.
        passages: the index's passages, by position.
        columns: the index's columns (each passage's neighbours).
        analyzer: the index's analyzer.
        calibration: the numbers the index is judged with, and its probe statistics.
        mode: the search mode; "Stærkt match" is calibrated on the product's ranking (hybrid) only.

    Returns:
        The answer with what decided it.
    """
    ranked = [passages[position] for position in retrieval.positions]
    judged = [passages[position] for position in retrieval.judged_positions[:ANSWER_DEPTH]]
    dense = retrieval.dense
    evidence = gather_evidence(
        reading, float(dense.max()), calibration.probes, [(p.text, p.speaker) for p in judged], analyzer
    )
    model = calibration.calibration
    decision = decide_on(model, evidence)
    first = first_card_features(
        calibration.probes, float(dense[retrieval.picked[0]]), [float(retrieval.fused[i]) for i in retrieval.picked[:2]]
    )
    picked, ranked = retrieval.picked[:k], ranked[:k]
    strengths = ranked_strengths(model, decision.abstained, len(picked), first)
    if mode != "hybrid":
        strengths = ["possible" if label == "strong" else label for label in strengths]
    results = [
        Result.from_passage(
            passage, rank=rank, score=float(retrieval.fused[i]), strength=label,
            before=_beside(passages, columns.neighbours[0], position, passage, before=True),
            after=_beside(passages, columns.neighbours[1], position, passage, before=False),
        )
        for rank, (i, position, passage, label) in enumerate(
            zip(picked, retrieval.positions[:k], ranked, strengths, strict=True), start=1
        )
    ]
    signal_scores = {name: [round(float(v[i]), 4) for i in picked] for name, v in retrieval.signal_scores.items()}
    signal_scores.setdefault(ABSTAIN_SIGNAL, [round(float(dense[i]), 4) for i in picked])
    answer = Answer(
        question=question,
        abstained=decision.abstained,
        results=results,
        missing=decision.missing_answer if decision.abstained else None,
        matched_terms=reading.matched_terms,
        absent_words=reading.absent_words,
    )
    return SearchTrace(answer=answer, decision=decision, signal_scores=signal_scores)


def nothing_to_search(question: str, reason: str, reading: QueryReading | None = None) -> SearchTrace:
    """An abstained answer without results, for a question no passage can be scored for.

    Args:
        question: the question as typed.
        reason: why (English, for logs and evaluation).
        reading: its reading, when it was read (its words are still named).

    Returns:
        The trace.
    """
    decision = AbstainDecision(abstained=True, dense_top1=0.0, coverage=0.0, reason=reason)
    answer = Answer(
        question=question,
        abstained=True,
        results=[],
        matched_terms=reading.matched_terms if reading else [],
        absent_words=reading.absent_words if reading else [],
    )
    return SearchTrace(answer=answer, decision=decision)


def _beside(
    passages: Sequence[Passage], neighbour: np.ndarray, position: int, passage: Passage, before: bool
) -> list[Passage]:
    """The passage just before (or after) `passage` in its article, as the app's context shows it."""
    at = int(neighbour[position])
    if at < 0:
        return []
    other = passages[at]
    beside = other.ordinal < passage.ordinal if before else other.ordinal > passage.ordinal
    return [other] if beside else []
