"""The decline: when no passage answers the question well enough, and why. One encode of the question.

A logistic model of P(out of scope), its numbers data of the embedding model (`Calibration.decline`,
fitted by `python -m eval.calibrate` and chosen by leave-one-batch-out cross-validation on the
tune questions: eval/README.md, "The decline"), on evidence that holds for words nobody listed:
- the best sentence's cosine relative to the cosines the index's own probe questions reach
  (`ProbeStats.relative`): it adapts to the library's size and to the model;
- the question's words the library lacks (index/text/novelty.py: not in its passages, titles,
  headings or speakers' roles, in any form), weighed by how specific each is in Danish at large:
  a rare new word ("parkeringslicens", "togulykken") counts fully, an everyday one hardly, a
  compound of library words by half; and their share of the question's words;
- the number of content words (log): e5 gives short questions lower cosines to everything.

Beside the model, the answer-type checks (index/decline/checks.py, no fitted number) decline a
question that asks for a figure, a sum, a time or someone's words the best passages do not give.
A just-added article's own words, its title's and headings' too, are the library's the moment it is
indexed, so a question in them has no new word.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, Field

from index.decline.calibration import Calibration
from index.models import Missing

# The best passages read for a figure, a time or a speaker: the first a leader reads.
ANSWER_DEPTH = 2
# The decline model's features, in the order of `Calibration.decline`'s coefficients.
DECLINE_FEATURES: tuple[str, ...] = ("cosine_vs_probes", "novel_specificity", "novel_share", "log_content_words")


class Evidence(BaseModel):
    """What the question and the index say about whether the articles answer it."""

    dense_top1: float = Field(description="Cosine of the best passage sentence to the question.")
    cosine_vs_probes: float = Field(description="That cosine in probe spreads above the probes' mean.")
    novel_specificity: float = Field(ge=0, description="The new words' specificity in Danish, summed by weight.")
    novel_share: float = Field(ge=0, le=1, description="The weighted share of the question's words that are new.")
    content_words: int = Field(ge=0)
    new_words: list[str] = Field(default_factory=list, description="The words the library uses in no form.")
    coverage: float = Field(default=0.0, ge=0, le=1, description="Share of content words the articles use.")
    missing_answer: Missing | None = Field(
        default=None, description="What the question asks for that the best passages do not give."
    )

    def features(self) -> list[float]:
        """The model's inputs (`DECLINE_FEATURES`)."""
        return [self.cosine_vs_probes, self.novel_specificity, self.novel_share, math.log1p(self.content_words)]


class AbstainDecision(BaseModel):
    """What the decision was based on, kept so evaluation can report both error rates."""

    abstained: bool
    dense_top1: float
    coverage: float
    probe_coverage: float = Field(default=0.0, description="No longer read (format 6); kept for readers of traces.")
    out_of_scope_probability: float = 1.0
    reason: str | None = Field(default=None, description="Why it abstained (English, for logs and evaluation).")
    content_words: int = 4
    missing_answer: Missing | None = None
    cosine_vs_probes: float = 0.0
    novel_specificity: float = 0.0
    novel_share: float = 0.0
    new_words: list[str] = Field(default_factory=list)


def decide_on(calibration: Calibration, evidence: Evidence) -> AbstainDecision:
    """Decline when the model's P(out of scope) reaches its threshold, or an answer-type check fails.

    Args:
        calibration: the numbers of the index's model.
        evidence: from `index.decline.checks.gather_evidence`.

    Returns:
        The decision and its inputs.
    """
    model = calibration.decline
    probability = model.probability(evidence.features())
    reason = None
    if probability >= model.threshold:
        named = f"; words the articles never use: {', '.join(evidence.new_words)}" if evidence.new_words else ""
        reason = (
            f"out-of-scope probability {probability:.2f} (cosine {evidence.dense_top1:.3f}, "
            f"{evidence.cosine_vs_probes:+.2f} probe spreads; new words {evidence.novel_share:.2f} of "
            f"{evidence.content_words}, specificity {evidence.novel_specificity:.2f}{named})"
        )
    elif evidence.missing_answer == "speaker":
        reason = "asks what someone said whom the best passages never name"
    elif evidence.missing_answer is not None:
        reason = f"asks for a {evidence.missing_answer} that none of the best {ANSWER_DEPTH} passages gives"
    return AbstainDecision(
        abstained=reason is not None,
        dense_top1=evidence.dense_top1,
        coverage=evidence.coverage,
        out_of_scope_probability=round(probability, 4),
        reason=reason,
        content_words=evidence.content_words,
        missing_answer=evidence.missing_answer,
        cosine_vs_probes=round(evidence.cosine_vs_probes, 4),
        novel_specificity=round(evidence.novel_specificity, 4),
        novel_share=round(evidence.novel_share, 4),
        new_words=evidence.new_words,
    )
