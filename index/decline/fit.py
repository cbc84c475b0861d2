"""Fitting the decline model: a logistic regression on its three features, and the threshold it declines above.

One implementation for both places that fit: `python -m eval.calibrate` (the tuning questions, at
every size of the development library) and a build for a model without shipped numbers
(index/decline/self_calibration.py).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

# The model's features, in the order of `Calibration`'s coefficients.
FEATURES: tuple[str, ...] = ("dense", "coverage_above_probes", "log_words")
# The most false declines accepted (at any one stage of the library), the checks' own counted.
TARGET_FALSE_SHARE = 0.025


def features(dense: float, coverage: float, probe_coverage: float, content_words: int) -> tuple[float, float, float]:
    """One question's features, as `Calibration.out_of_scope_probability` weighs them.

    Args:
        dense: the best sentence's cosine.
        coverage: the share of its content words the articles use.
        probe_coverage: the same share for the index's probe questions.
        content_words: how many content words it has.

    Returns:
        (cosine, coverage above the probes', log(1 + content words)).
    """
    return dense, coverage - probe_coverage, math.log1p(max(0, content_words))


def logistic_model() -> Any:
    """A standardised, class-balanced logistic regression (scikit-learn), not yet fitted.

    Standardised features keep the regularised fit even-handed across scales ~100x apart.
    """
    # scikit-learn takes ~5 s to import here; only a fit needs it, never a search.
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000))


def coefficients(model: Any) -> tuple[np.ndarray, float]:
    """A fitted `logistic_model`'s coefficients and intercept on the raw (unstandardised) features.

    Args:
        model: the fitted pipeline.

    Returns:
        (one coefficient per feature, the intercept).
    """
    scaler, logistic = model[0], model[1]
    coef = logistic.coef_[0] / scaler.scale_
    intercept = float(logistic.intercept_[0] - np.sum(logistic.coef_[0] * scaler.mean_ / scaler.scale_))
    return coef, intercept


def safe_threshold(
    probability: np.ndarray,
    y: np.ndarray,
    checked: np.ndarray,
    stages: np.ndarray,
    target: float = TARGET_FALSE_SHARE,
) -> float:
    """The lowest threshold (steps of 0.01) with at most `target` false declines at every stage, checks counted.

    Args:
        probability: each question's fitted P(out of scope).
        y: whether each question is out of scope.
        checked: whether a check without fitted numbers declines it anyway.
        stages: each question's stage (library size); one value for one index.
        target: the share of in-scope questions that may be declined.

    Returns:
        The threshold (0.99 when none is safe).
    """
    for threshold in np.arange(0.5, 1.0, 0.01):
        declined = (probability > threshold) | checked
        if all(declined[(stages == s) & ~y].mean() <= target for s in np.unique(stages)):
            return round(float(threshold), 2)
    return 0.99
