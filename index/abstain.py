"""Abstention: when does no passage answer the question well enough?

Two signals decide, combined by a logistic model fitted on the tuning questions (dev split and
eval/tuning.jsonl, 174 questions, 24 out of scope; `python -m eval.calibrate` refits it and
prints the cross-validated error rates): the best sentence's cosine to the question, which
separates out-of-scope questions best (AUC 0.88), and the share of the question's content words
the articles use at all (AUC 0.77). Margins, BM25 scores and per-word semantic matches added
nothing under cross-validation.

The two groups overlap: a question about a fact the articles do not give ("how many masks did
Glostrup buy in April?") looks just like one they answer. The threshold therefore favours
answering: under leave-one-out cross-validation it wrongly abstains on about 5 % of answerable
questions and catches about half of the out-of-scope ones. The app still shows the nearest
passages of an abstained answer, labelled weak, and labels every result's strength in words.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, Field

Strength = Literal["strong", "possible", "weak"]

# Logistic model of P(out of scope | best-sentence cosine, word coverage), from eval/calibrate.py.
COEF_DENSE = -78.94
COEF_COVERAGE = -2.164
INTERCEPT = 69.28
# Abstain above this probability: about 5 % false abstentions under cross-validation.
ABSTAIN_PROBABILITY = 0.8
# A result whose own cosine puts the question this clearly in scope is shown as a strong match.
STRONG_PROBABILITY = 0.35


class AbstainDecision(BaseModel):
    """What the decision was based on, kept so evaluation can report both error rates."""

    abstained: bool
    dense_top1: float
    coverage: float
    out_of_scope_probability: float = 1.0
    reason: str | None = Field(default=None, description="Why it abstained (English, for logs and evaluation).")


def out_of_scope_probability(dense: float, coverage: float) -> float:
    """P(the question is out of scope), from a passage's cosine and the question's word coverage."""
    logit = COEF_DENSE * dense + COEF_COVERAGE * coverage + INTERCEPT
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, logit))))


def decide(dense_top1: float, coverage: float) -> AbstainDecision:
    """Decide whether to abstain.

    Args:
        dense_top1: cosine of the best passage sentence to the question.
        coverage: share (0..1) of the question's content words found in the index vocabulary.

    Returns:
        The decision and its inputs.
    """
    probability = out_of_scope_probability(dense_top1, coverage)
    reason = None
    if probability > ABSTAIN_PROBABILITY:
        reason = f"out-of-scope probability {probability:.2f} (cosine {dense_top1:.3f}, coverage {coverage:.2f})"
    return AbstainDecision(
        abstained=reason is not None,
        dense_top1=dense_top1,
        coverage=coverage,
        out_of_scope_probability=round(probability, 4),
        reason=reason,
    )


def strength(abstained: bool, dense: float, coverage: float = 1.0) -> Strength:
    """How strongly one result matches, for the app to phrase in plain Danish.

    Args:
        abstained: the answer's abstention decision.
        dense: this result's best-sentence cosine to the question.
        coverage: the question's word coverage.

    Returns:
        'strong', 'possible' or 'weak'.
    """
    probability = out_of_scope_probability(dense, coverage)
    if abstained or probability > ABSTAIN_PROBABILITY:
        return "weak"
    return "strong" if probability < STRONG_PROBABILITY else "possible"


_ORDER: dict[Strength, int] = {"strong": 2, "possible": 1, "weak": 0}


def ranked_strengths(abstained: bool, dense: list[float], coverage: float) -> list[Strength]:
    """Each ranked result's strength, never stronger than the result ranked above it.

    The ranking is the fused judgement of every signal; a label that rose further down the list
    would contradict it ("muligt match" above "stærkt match").

    Args:
        abstained: the answer's abstention decision.
        dense: each result's best-sentence cosine, in rank order.
        coverage: the question's word coverage.

    Returns:
        One label per result, in rank order.
    """
    labels: list[Strength] = []
    for cosine in dense:
        label = strength(abstained, cosine, coverage)
        if labels and _ORDER[label] > _ORDER[labels[-1]]:
            label = labels[-1]
        labels.append(label)
    return labels
