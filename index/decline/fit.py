"""Fitting the decline and label models: a logistic regression, and the threshold each decides at.

One implementation for the places that fit: `python -m eval.calibrate` (the tune questions, with
leave-one-batch-out cross-validation) and a build for a model without shipped numbers
(index/decline/self_calibration.py).
"""

from __future__ import annotations

import numpy as np

from index.decline.calibration import LogisticModel

# The most false declines accepted in any group of tune questions, the checks' own counted.
TARGET_FALSE_SHARE = 0.025
# "Stærkt match" promises that nine first cards in ten hold the answer. Fitted to hold 95 % in every
# group of tune questions: fitted at 90 %, the threshold held 75-88 % on a group left out
# (leave-one-batch-out, eval/README.md "Labels"), as a threshold chosen on a few dozen answers does.
TARGET_STRONG_PRECISION = 0.95
# Fewer labelled first cards than this are too few to judge a group's precision by.
MIN_LABELLED = 10


def fit_logistic(x: np.ndarray, y: np.ndarray, features: list[str], c: float = 1.0) -> LogisticModel:
    """A logistic regression of y on x (standardised while fitting, so the regularisation is even-handed
    across features ~100x apart in scale), returned on the raw features with no threshold yet.

    Args:
        x: (n, features) values.
        y: (n,) the event.
        features: the features' names.
        c: inverse regularisation strength.

    Returns:
        The model (threshold 1.01: it decides nothing until one is chosen).
    """
    # scikit-learn takes ~5 s to import here; only a fit needs it, never a search.
    from sklearn.linear_model import LogisticRegression

    x = np.asarray(x, dtype=np.float64)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale = np.where(scale > 1e-12, scale, 1.0)
    model = LogisticRegression(C=c, max_iter=5000).fit((x - mean) / scale, np.asarray(y, dtype=bool))
    coef = model.coef_[0] / scale
    intercept = float(model.intercept_[0] - np.sum(model.coef_[0] * mean / scale))
    return LogisticModel(features=features, coef=[float(v) for v in coef], intercept=intercept, threshold=1.01)


def probabilities(model: LogisticModel, x: np.ndarray) -> np.ndarray:
    """The model's probability for each row of x."""
    logit = np.clip(np.asarray(x, dtype=np.float64) @ np.asarray(model.coef) + model.intercept, -60, 60)
    return np.asarray(1.0 / (1.0 + np.exp(-logit)))


def decline_threshold(
    probability: np.ndarray, y: np.ndarray, checked: np.ndarray, groups: np.ndarray, target: float = TARGET_FALSE_SHARE
) -> float:
    """The lowest threshold at which every group's false declines (the model's or a check's) stay <= target.

    Args:
        probability: each question's P(out of scope).
        y: whether each question is out of scope.
        checked: whether a check without fitted numbers declines it anyway.
        groups: each question's group (a batch, the seeds' set); one value for one pool.
        target: the share of a group's in-scope questions that may be declined.

    Returns:
        The threshold (1.01, never, when none keeps the target).
    """
    probability, y, checked, groups = (np.asarray(a) for a in (probability, y, checked, groups))
    best = 1.01
    for threshold in np.unique(np.round(probability, 4))[::-1]:
        declined = (probability >= threshold) | checked
        if all(declined[(groups == g) & ~y].mean() <= target for g in np.unique(groups[~y])):
            best = float(threshold)
        else:
            break
    return best


def precision_threshold(probability: np.ndarray, right: np.ndarray, target: float, min_labelled: int) -> float:
    """The lowest probability at which every prefix (best first) of at least `min_labelled` answers is
    right at least `target` of the time.

    Args:
        probability: P(right) of each answer.
        right: whether each first card held the answer.
        target: the precision promised.
        min_labelled: prefixes shorter than this are too small to judge.

    Returns:
        The threshold (1.01 when even the best prefix misses the target).
    """
    probability = np.asarray(probability, dtype=np.float64)
    order = np.argsort(-probability, kind="stable")
    ordered, hits = probability[order], np.asarray(right, dtype=bool)[order]
    precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    threshold = 1.01
    for n in range(len(ordered)):
        if n + 1 >= min_labelled and precision[n] < target:
            break
        threshold = float(ordered[n])
    return threshold


def strong_threshold(
    probability: np.ndarray,
    right: np.ndarray,
    groups: np.ndarray,
    target: float = TARGET_STRONG_PRECISION,
    min_labelled: int = MIN_LABELLED,
) -> float:
    """The threshold at which every group holds `target` on its own: the highest of the groups'.

    A pooled threshold lets the easy questions of one group carry another below the target.

    Args:
        probability: P(right) of each answer.
        right: whether each first card held the answer.
        groups: each answer's group.
        target: the precision promised.
        min_labelled: see `precision_threshold`.

    Returns:
        The threshold.
    """
    probability, right, groups = np.asarray(probability), np.asarray(right, dtype=bool), np.asarray(groups)
    return max(
        precision_threshold(probability[groups == g], right[groups == g], target, min_labelled)
        for g in np.unique(groups)
    )
