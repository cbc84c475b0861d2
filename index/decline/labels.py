""""Stærkt match" a leader can believe: P(the first card holds the answer), calibrated per model.

Two features, both known after the ranking at no cost:
- the first card's best sentence cosine relative to the index's probe questions' (`ProbeStats`);
- the fused margin between the first and the second card (z units of the fusion): a first card
  far ahead of the rest is the ranking's clear choice.
The model's threshold is chosen so that on every group of tune questions (each first-sight batch,
the development library, the seeds' questions) the first cards labelled strong hold the answer at
least 90 % of the time, and cross-validated by leaving one group out (eval/README.md, "Labels").
Only the first card can be strong; the cards below it are possible matches; every card of a
declined answer is weak (the nearest there is, not an answer).
"""

from __future__ import annotations

from index.decline.calibration import Calibration, ProbeStats
from index.models import Strength

STRONG_FEATURES: tuple[str, ...] = ("cosine_vs_probes", "fused_margin")


def first_card_features(probes: ProbeStats, first_cosine: float, fused: list[float]) -> list[float]:
    """The label model's inputs for one answer (`STRONG_FEATURES`).

    Args:
        probes: the index's probe statistics.
        first_cosine: the first card's best sentence cosine.
        fused: the fused scores of the cards, in rank order (one card: no margin to a second).

    Returns:
        [cosine relative to the probes, fused margin of the first card over the second].
    """
    margin = fused[0] - fused[1] if len(fused) >= 2 else 0.0
    return [probes.relative(first_cosine), margin]


def ranked_strengths(
    calibration: Calibration, abstained: bool, n_results: int, features: list[float]
) -> list[Strength]:
    """Each ranked result's strength: the first strong when the model is sure enough, the rest possible;
    every result weak in a declined answer.

    Args:
        calibration: the numbers of the index's model.
        abstained: the answer's decline decision.
        n_results: how many results are shown.
        features: `first_card_features` of this answer.

    Returns:
        One label per result, in rank order (never stronger further down).
    """
    if n_results <= 0:
        return []
    if abstained:
        return ["weak"] * n_results
    first: Strength = "strong" if calibration.strong.decides(features) else "possible"
    return [first] + ["possible"] * (n_results - 1)
