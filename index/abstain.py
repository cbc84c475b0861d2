"""Abstention: when does no passage answer the question well enough?

A logistic model on evidence that holds for any Danish article collection, fitted on the tuning
questions (dev split and eval/tuning.jsonl, 210 questions, 41 out of scope; `python -m eval.calibrate`
refits it and prints the cross-validated error rates):

- the best sentence's cosine to the question (the strongest single signal);
- the ablation gain: that cosine minus the best cosine of the question with the words the articles
  never use taken out. A question about snow clearing fits the articles *better* once "snerydningen"
  is gone (the missing words pull it away: out of scope); a paraphrase's unknown synonym
  ("pandemien" for "corona") carries meaning the articles share, so removing it costs cosine;
- the number of content words (log): e5 gives one- and two-word questions lower cosines to
  everything, so the same cosine means more for "festivalvagter" than for a long question;
- the share of the question's content words the articles use.

Under leave-one-out the ablation gain and the length lift the out-of-scope questions caught at
<= 3 % false abstentions from 41 % (cosine and coverage alone) to about 56 %. Near misses remain:
"how many died in the care homes?" shares every topic word with the articles and asks for a fact
they do not give. The app therefore still shows the nearest passages of an abstained answer,
labelled weak, and labels every result's strength in words.

A second test catches many of those near misses: a question that asks for a figure, a sum or a
time ("Hvor mange døde ...?", "Hvad kostede ...?", "Hvornår ...?") is out of scope when none of the
best `ANSWER_DEPTH` passages holds one beside the question's words, and a question of what someone
said is out of scope when the articles never name that person or role (index/answer_type.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence
from typing import Literal

from pydantic import BaseModel, Field

from index.answer_type import AnswerType, unanswered, unnamed_speaker
from index.danish import DanishAnalyzer

Strength = Literal["strong", "possible", "weak"]

# Logistic model of P(out of scope | evidence), from `python -m eval.calibrate`.
COEF_DENSE = -62.211
COEF_COVERAGE = -1.090
COEF_GAIN = -83.830
COEF_LOG_WORDS = 1.308
INTERCEPT = 51.49
# Abstain above this probability: the lowest threshold with at most 3 % false abstentions under
# leave-one-out (3.0 % false, 56 % of out-of-scope questions caught; 85 % with the answer-type rule).
ABSTAIN_PROBABILITY = 0.85
# A result whose own cosine puts the question this clearly in scope is shown as a strong match.
STRONG_PROBABILITY = 0.35
# The best passages read for a figure or time the question asks for: the first screenful a user
# reads. Deeper, a passage with some unrelated figure near a common word is ever more likely.
ANSWER_DEPTH = 3
# Used when a caller knows only cosine and coverage: a question of four content words adds nothing.
TYPICAL_CONTENT_WORDS = 4


class Evidence(BaseModel):
    """What the question and the index say about whether the articles answer it."""

    dense_top1: float = Field(description="Cosine of the best passage sentence to the question.")
    coverage: float = Field(ge=0.0, le=1.0, description="Share of content words the articles use.")
    ablation_gain: float = Field(default=0.0, description="dense_top1 minus the best cosine without unused words.")
    content_words: int = Field(default=TYPICAL_CONTENT_WORDS, ge=0)
    missing_answer: AnswerType | None = Field(
        default=None, description="The figure/sum/time the question asks for when no best passage gives one."
    )


class AbstainDecision(BaseModel):
    """What the decision was based on, kept so evaluation can report both error rates."""

    abstained: bool
    dense_top1: float
    coverage: float
    out_of_scope_probability: float = 1.0
    reason: str | None = Field(default=None, description="Why it abstained (English, for logs and evaluation).")
    ablation_gain: float = 0.0
    content_words: int = TYPICAL_CONTENT_WORDS
    missing_answer: AnswerType | None = None


def gather_evidence(
    text: str,
    respelled: str,
    dense_top1: float,
    analyzer: DanishAnalyzer,
    vocabulary: Collection[str],
    top1_of: Callable[[str], float],
    best_texts: Sequence[str] = (),
) -> Evidence:
    """Collect the abstention evidence for one question.

    Args:
        text: the cleaned question as typed.
        respelled: the question as the embedding model read it (`DanishAnalyzer.respell`).
        dense_top1: best sentence cosine of `respelled`.
        analyzer: the index's analyzer.
        vocabulary: the index vocabulary.
        top1_of: best sentence cosine of another text; called at most once, and only when the
            question has words the articles never use.
        best_texts: the texts of the best-ranked passages; the first `ANSWER_DEPTH` are read for the
            figure or time the question may ask for.

    Returns:
        The evidence.
    """
    matches = analyzer.explain_query(text, vocabulary)
    reduced = analyzer.without_unfound(respelled, vocabulary)
    # A question made only of unused words has nothing left to compare; its coverage speaks for it.
    gain = dense_top1 - top1_of(reduced) if reduced else 0.0
    return Evidence(
        dense_top1=dense_top1,
        coverage=analyzer.coverage(text, vocabulary),
        ablation_gain=gain,
        content_words=len(matches),
        missing_answer=(
            "speaker"
            if unnamed_speaker(text, analyzer, vocabulary)
            else unanswered(text, best_texts[:ANSWER_DEPTH], analyzer)
        ),
    )


def out_of_scope_probability(
    dense: float, coverage: float, ablation_gain: float = 0.0, content_words: int = TYPICAL_CONTENT_WORDS
) -> float:
    """P(the question is out of scope), from a passage's cosine and the question's evidence.

    Args:
        dense: a passage's best-sentence cosine to the question.
        coverage: share (0..1) of the question's content words the articles use.
        ablation_gain: the question's ablation gain (see `Evidence`).
        content_words: how many content words the question has.

    Returns:
        The probability in (0, 1).
    """
    logit = (
        COEF_DENSE * dense
        + COEF_COVERAGE * coverage
        + COEF_GAIN * ablation_gain
        + COEF_LOG_WORDS * math.log1p(max(0, content_words))
        + INTERCEPT
    )
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, logit))))


def decide(
    dense_top1: float,
    coverage: float,
    ablation_gain: float = 0.0,
    content_words: int = TYPICAL_CONTENT_WORDS,
    missing_answer: AnswerType | None = None,
) -> AbstainDecision:
    """Decide whether to abstain.

    Args:
        dense_top1: cosine of the best passage sentence to the question.
        coverage: share (0..1) of the question's content words found in the index vocabulary.
        ablation_gain: dense_top1 minus the best cosine of the question without its unused words.
        content_words: how many content words the question has.
        missing_answer: the kind of answer the question asks for that no best passage gives.

    Returns:
        The decision and its inputs.
    """
    probability = out_of_scope_probability(dense_top1, coverage, ablation_gain, content_words)
    reason = None
    if probability > ABSTAIN_PROBABILITY:
        reason = (
            f"out-of-scope probability {probability:.2f} (cosine {dense_top1:.3f}, coverage {coverage:.2f}, "
            f"ablation gain {ablation_gain:+.3f}, {content_words} content words)"
        )
    elif missing_answer == "speaker":
        reason = "asks what someone said whom the articles never name"
    elif missing_answer is not None:
        reason = f"asks for a {missing_answer} that none of the best {ANSWER_DEPTH} passages gives"
    return AbstainDecision(
        abstained=reason is not None,
        dense_top1=dense_top1,
        coverage=coverage,
        out_of_scope_probability=round(probability, 4),
        reason=reason,
        ablation_gain=round(ablation_gain, 4),
        content_words=content_words,
        missing_answer=missing_answer,
    )


def decide_on(evidence: Evidence) -> AbstainDecision:
    """`decide` on gathered evidence.

    Args:
        evidence: from `gather_evidence`.

    Returns:
        The decision.
    """
    return decide(
        evidence.dense_top1,
        evidence.coverage,
        evidence.ablation_gain,
        evidence.content_words,
        evidence.missing_answer,
    )


def strength(
    abstained: bool,
    dense: float,
    coverage: float = 1.0,
    ablation_gain: float = 0.0,
    content_words: int = TYPICAL_CONTENT_WORDS,
) -> Strength:
    """How strongly one result matches, for the app to phrase in plain Danish.

    Args:
        abstained: the answer's abstention decision.
        dense: this result's best-sentence cosine to the question.
        coverage: the question's word coverage.
        ablation_gain: the question's ablation gain.
        content_words: the question's number of content words.

    Returns:
        'strong', 'possible' or 'weak'.
    """
    probability = out_of_scope_probability(dense, coverage, ablation_gain, content_words)
    if abstained or probability > ABSTAIN_PROBABILITY:
        return "weak"
    return "strong" if probability < STRONG_PROBABILITY else "possible"


_ORDER: dict[Strength, int] = {"strong": 2, "possible": 1, "weak": 0}


def ranked_strengths(
    abstained: bool, dense: list[float], coverage: float, evidence: Evidence | None = None
) -> list[Strength]:
    """Each ranked result's strength, never stronger than the result ranked above it.

    The ranking is the fused judgement of every signal; a label that rose further down the list
    would contradict it ("muligt match" above "stærkt match").

    Args:
        abstained: the answer's abstention decision.
        dense: each result's best-sentence cosine, in rank order.
        coverage: the question's word coverage.
        evidence: the question's evidence; its ablation gain and length then count too.

    Returns:
        One label per result, in rank order.
    """
    gain = evidence.ablation_gain if evidence else 0.0
    words = evidence.content_words if evidence else TYPICAL_CONTENT_WORDS
    labels: list[Strength] = []
    for cosine in dense:
        label = strength(abstained, cosine, coverage, gain, words)
        if labels and _ORDER[label] > _ORDER[labels[-1]]:
            label = labels[-1]
        labels.append(label)
    return labels
