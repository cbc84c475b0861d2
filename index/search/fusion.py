"""Score fusion: named signals, each one score per passage, z-normalised per query and summed.

Pure functions over arrays, testable without models. Equal weights over a few structurally
different signals generalised best on the seed corpus; fine-tuned weights overfit (see
RETRIEVAL_NOTES.md), so weights exist but default to 1.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np

Q = TypeVar("Q")


@dataclass(frozen=True)
class Signal(Generic[Q]):
    """One ranking signal: a function from a prepared query and passage positions to their scores."""

    name: str
    score: Callable[[Q, np.ndarray], np.ndarray]
    weight: float = 1.0


def z_normalise(scores: np.ndarray, reference: np.ndarray | None = None) -> np.ndarray:
    """Scores shifted to mean 0 and scaled to standard deviation 1 (all zeros when constant).

    Args:
        scores: one score per passage; non-finite values count as the lowest finite one.
        reference: the scores whose mean and spread to use (e.g. a sample of the whole corpus
            when `scores` are only its best passages); None uses `scores` themselves.

    Returns:
        float64 array of the same length as `scores`.
    """
    values = _finite(scores)
    if values.size == 0:
        return values
    basis = values if reference is None else _finite(reference)
    if basis.size == 0:
        basis = values
    std = basis.std()
    # A signal that cannot tell passages apart must not move the ranking.
    if std < 1e-12:
        return np.zeros_like(values)
    return (values - basis.mean()) / std


def _finite(scores: np.ndarray) -> np.ndarray:
    """A float64 copy with non-finite values replaced by the lowest finite one (zeros when none)."""
    values = np.asarray(scores, dtype=np.float64).copy()
    finite = np.isfinite(values)
    if not finite.any():
        return np.zeros_like(values)
    values[~finite] = values[finite].min()
    return values


def fuse(
    signal_scores: Mapping[str, np.ndarray],
    weights: Mapping[str, float] | None = None,
    reference: Mapping[str, np.ndarray] | None = None,
) -> np.ndarray:
    """Weighted mean of the per-signal z-scores.

    Args:
        signal_scores: name -> one score per passage (all the same length).
        weights: name -> weight; missing names weigh 1.
        reference: name -> the scores that set that signal's mean and spread (see
            `z_normalise`); None, or a missing name, normalises by the scores themselves.

    Returns:
        float64 fused score per passage (empty when there are no signals).
    """
    if not signal_scores:
        return np.zeros(0)
    lengths = {len(v) for v in signal_scores.values()}
    if len(lengths) != 1:
        raise ValueError(f"signals disagree on the number of passages: {sorted(lengths)}")
    weights = weights or {}
    total = np.zeros(lengths.pop())
    weight_sum = 0.0
    for name, scores in signal_scores.items():
        weight = float(weights.get(name, 1.0))
        total += weight * z_normalise(scores, None if reference is None else reference.get(name))
        weight_sum += abs(weight)
    return total / weight_sum if weight_sum else total


# The share of its best neighbour's fused score a passage borrows. A question often names what the
# passage before or after says (the subject of a quote, the heading's topic), so a passage whose
# neighbour also answers is more likely the answer. Measured on the tune questions (eval/README.md,
# "Neighbour propagation"): 0.2-0.3 equally good, 0.1 too little.
NEIGHBOUR_WEIGHT = 0.2


def with_neighbours(
    fused: np.ndarray,
    positions: np.ndarray,
    before: np.ndarray,
    after: np.ndarray,
    bullet: np.ndarray,
    weight: float = NEIGHBOUR_WEIGHT,
) -> np.ndarray:
    """Each fused score plus `weight` times the better of its neighbours' fused scores.

    A neighbour counts when it was scored too and is not a bullet (the items of one list are
    alternatives, not context); a passage with no such neighbour keeps its score. The better
    neighbour, not the mean, so that of two neighbours the better stays ahead (a + w·b > b + w·a
    when a > b and w < 1): the answer is not overtaken by the passage that merely precedes it.

    Args:
        fused: one fused score per scored passage.
        positions: the passage position of each score.
        before: the previous passage's position, for every passage (-1: none).
        after: the next passage's position, for every passage (-1: none).
        bullet: whether each passage is a bullet item.
        weight: the share borrowed.

    Returns:
        float64, aligned with `fused`.
    """
    fused = np.asarray(fused, dtype=np.float64)
    positions = np.asarray(positions, dtype=np.int64)
    if len(fused) == 0 or weight == 0:
        return fused
    # A small index scores every passage, in order: a neighbour's score is found by its position.
    everything = len(positions) == len(before) and bool(np.all(positions == np.arange(len(positions))))
    order = np.argsort(positions, kind="stable") if not everything else positions
    sorted_positions = positions[order]

    def neighbour_scores(neighbour: np.ndarray) -> np.ndarray:
        wanted = neighbour[positions]
        if everything:
            at, found = np.maximum(wanted, 0), wanted >= 0
        else:
            at = np.clip(np.searchsorted(sorted_positions, wanted), 0, len(sorted_positions) - 1)
            found = (wanted >= 0) & (sorted_positions[at] == wanted)
        found &= ~bullet[np.where(wanted >= 0, wanted, 0)]
        return np.where(found, fused[order[at]], -np.inf)

    best = np.maximum(neighbour_scores(before), neighbour_scores(after))
    return np.where(np.isfinite(best), fused + weight * best, fused)


# How close (in fused z-units) another article's best passage must come to the last of the first
# passages, all from one article, to join them. Measured on the tune questions (eval/README.md,
# "Several voices").
VOICE_MARGIN = 0.25
# The first results a leader reads, where several articles should show when several answer.
VOICE_TOP = 5
# Passages beyond the k best searched for another article's voice.
VOICE_POOL = 20
# Fewer results are not changed: one or two results are the best, whichever article.
VOICE_MIN_K = 3


def with_another_voice(
    ranked: Sequence[int], fused: np.ndarray, article_of: Sequence[object] | np.ndarray, top: int = VOICE_TOP,
    margin: float = VOICE_MARGIN,
) -> list[int]:
    """`ranked`, with another article's best passage moved up to place `top` when the first `top` share one.

    When several articles answer, a leader should see more than one municipality; but only a
    passage that scores close to the one it moves below, so no passage falls more than one place.

    Args:
        ranked: candidate positions, best first.
        fused: the fused score of every candidate.
        article_of: the article of each entry of `ranked`.
        top: how many first results should not all come from one article.
        margin: how far below the `top`-th score the other article's best passage may be.

    Returns:
        The same positions, best first.
    """
    order = list(ranked)
    top = min(top, len(order))
    if top < VOICE_MIN_K or len(set(article_of[:top])) > 1:
        return order
    other = next((n for n in range(top, len(order)) if article_of[n] != article_of[0]), None)
    if other is not None and fused[order[other]] >= fused[order[top - 1]] - margin:
        order.insert(top - 1, order.pop(other))
    return order


def run_signals(signals: Sequence[Signal[Q]], query: Q, positions: np.ndarray) -> dict[str, np.ndarray]:
    """Each signal's scores of the given passages.

    Args:
        signals: the signals to run.
        query: the prepared query every signal receives.
        positions: the passages to score.

    Returns:
        name -> one score per position, in the given order.
    """
    return {signal.name: np.asarray(signal.score(query, positions)) for signal in signals}


def top_k(fused: np.ndarray, k: int) -> list[int]:
    """Positions of the k best scores, best first; ties go to the earlier position (stable).

    Args:
        fused: one score per candidate.
        k: how many to return (fewer when there are fewer candidates).

    Returns:
        Positions into `fused`.
    """
    if k <= 0 or len(fused) == 0:
        return []
    scores = np.asarray(fused, dtype=np.float64)
    if k < len(scores) // 4:
        # Only the k best need sorting; every score tied with the k-th is kept so ties still go
        # to the earlier position.
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        chosen = np.flatnonzero(scores >= kth)
        order = chosen[np.lexsort((chosen, -scores[chosen]))]
    else:
        order = np.lexsort((np.arange(len(scores)), -scores))
    return [int(i) for i in order[:k]]
