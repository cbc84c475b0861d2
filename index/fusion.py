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
    """One ranking signal: a function from a prepared query to one score per passage."""

    name: str
    score: Callable[[Q], np.ndarray]
    weight: float = 1.0


def z_normalise(scores: np.ndarray) -> np.ndarray:
    """Scores shifted to mean 0 and scaled to standard deviation 1 (all zeros when constant).

    Args:
        scores: one score per passage; non-finite values count as the lowest finite one.

    Returns:
        float64 array of the same length.
    """
    values = np.asarray(scores, dtype=np.float64).copy()
    if values.size == 0:
        return values
    finite = np.isfinite(values)
    if not finite.any():
        return np.zeros_like(values)
    values[~finite] = values[finite].min()
    std = values.std()
    # A signal that cannot tell passages apart must not move the ranking.
    if std < 1e-12:
        return np.zeros_like(values)
    return (values - values.mean()) / std


def fuse(signal_scores: Mapping[str, np.ndarray], weights: Mapping[str, float] | None = None) -> np.ndarray:
    """Weighted mean of the per-signal z-scores.

    Args:
        signal_scores: name -> one score per passage (all the same length).
        weights: name -> weight; missing names weigh 1.

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
        total += weight * z_normalise(scores)
        weight_sum += abs(weight)
    return total / weight_sum if weight_sum else total


def run_signals(signals: Sequence[Signal[Q]], query: Q, candidates: np.ndarray) -> dict[str, np.ndarray]:
    """Each signal's scores restricted to the candidate passages.

    Args:
        signals: the signals to run.
        query: the prepared query every signal receives.
        candidates: positions of the passages allowed by the filters.

    Returns:
        name -> scores of the candidates, in candidate order.
    """
    return {signal.name: np.asarray(signal.score(query))[candidates] for signal in signals}


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
