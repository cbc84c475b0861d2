"""Evaluation: the question set, retrieval metrics and the `python -m eval` report."""

from __future__ import annotations

from eval.dataset import DatasetError, Question, assign_splits, load_questions
from eval.metrics import AbstentionScores, Outcome, RankScores, abstention_scores, first_hit_rank, rank_scores

__all__ = [
    "AbstentionScores",
    "DatasetError",
    "Outcome",
    "Question",
    "RankScores",
    "abstention_scores",
    "assign_splits",
    "first_hit_rank",
    "load_questions",
    "rank_scores",
]
