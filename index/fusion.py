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
    order = np.lexsort((np.arange(len(fused)), -np.asarray(fused, dtype=np.float64)))
    return [int(i) for i in order[:k]]
