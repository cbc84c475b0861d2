"""`python -m eval.calibrate`: refit the abstention model on the tuning questions and show its error rates.

Only the dev split of eval/questions.jsonl and eval/tuning.jsonl are used; the held-out split is
never read here. Prints the coefficients to copy into index/abstain.py and, for a range of
thresholds, the leave-one-out cross-validated share of answerable questions wrongly abstained on
and of out-of-scope questions caught. It also fits on one question set and scores the other
(dev -> tune and back): the two were written by different people, so that figure shows how the
model carries over to questions worded unlike those it was fitted on.

Example:
    python -m eval.calibrate --index-dir .index
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from pydantic import BaseModel

import index
import library
from eval.dataset import DEFAULT_QUESTIONS, TUNING_QUESTIONS, Question, load_questions

# The model's features, in the order of index/abstain.py's coefficients.
FEATURES: tuple[str, ...] = ("dense", "coverage", "ablation_gain", "log_words")
# The model before the ablation gain and length were added, printed for comparison.
BASELINE: tuple[str, ...] = ("dense", "coverage")
THRESHOLDS: tuple[float, ...] = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9)
TARGET_FALSE_SHARE = 0.03


class ErrorRates(BaseModel):
    """False abstentions and out-of-scope questions caught at one threshold."""

    threshold: float
    false_share: float
    caught_share: float


def features(searcher: index.Searcher, questions: Sequence[str]) -> dict[str, np.ndarray]:
    """Each abstention feature for each question, exactly as the searcher computes it.

    Args:
        searcher: the searcher over the corpus.
        questions: the question texts.

    Returns:
        feature name -> one value per question, plus "missing_answer" (1 when the answer-type rule
        of index/answer_type.py abstains whatever the model says; not a model feature).
    """
    rows = []
    for question in questions:
        d = searcher.trace(question, k=1).decision
        rows.append(
            (d.dense_top1, d.coverage, d.ablation_gain, math.log1p(d.content_words), d.missing_answer is not None)
        )
    table = np.asarray(rows, dtype=np.float64)
    return {name: table[:, i] for i, name in enumerate((*FEATURES, "missing_answer"))}


def _model():  # type: ignore[no-untyped-def]
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    # Standardised features keep the regularised fit even-handed across scales ~100x apart.
    return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, class_weight="balanced"))


def loo_probabilities(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Leave-one-out P(out of scope) for every question.

    Args:
        x: features, one row per question.
        y: 1 for out of scope.

    Returns:
        One probability per question, each from a model fitted without it.
    """
    from sklearn.model_selection import LeaveOneOut, cross_val_predict

    return cross_val_predict(_model(), x, y, cv=LeaveOneOut(), method="predict_proba")[:, 1]


def rates(probability: np.ndarray, y: np.ndarray, threshold: float) -> ErrorRates:
    """Error rates of abstaining above `threshold`.

    Args:
        probability: P(out of scope) per question.
        y: 1 for out of scope.
        threshold: abstain when the probability exceeds it.

    Returns:
        The rates.
    """
    return ErrorRates(
        threshold=threshold,
        false_share=float((probability[y == 0] > threshold).mean()),
        caught_share=float((probability[y == 1] > threshold).mean()),
    )


def lowest_safe_threshold(probability: np.ndarray, y: np.ndarray, target: float = TARGET_FALSE_SHARE) -> float:
    """The lowest threshold (in steps of 0.01) whose false-abstention share stays within `target`.

    Args:
        probability: P(out of scope) per question.
        y: 1 for out of scope.
        target: the largest acceptable share of answerable questions abstained on.

    Returns:
        The threshold.
    """
    for threshold in np.arange(0.5, 1.0, 0.01):
        if rates(probability, y, float(threshold)).false_share <= target:
            return round(float(threshold), 2)
    return 0.99


def raw_coefficients(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Fit on all questions and express the model on the unscaled features.

    Args:
        x: features.
        y: 1 for out of scope.

    Returns:
        (one coefficient per feature, intercept), for index/abstain.py.
    """
    model = _model().fit(x, y)
    scaler, logistic = model[0], model[1]
    coef = logistic.coef_[0] / scaler.scale_
    intercept = float(logistic.intercept_[0] - np.sum(logistic.coef_[0] * scaler.mean_ / scaler.scale_))
    return coef, intercept


def cross_set(x: np.ndarray, y: np.ndarray, fit_on: np.ndarray) -> ErrorRates:
    """Fit on one question set, pick its safe threshold there, and score the other set.

    Args:
        x: features.
        y: 1 for out of scope.
        fit_on: True for the questions to fit on.

    Returns:
        The error rates on the other questions.
    """
    model = _model().fit(x[fit_on], y[fit_on])
    threshold = lowest_safe_threshold(model.predict_proba(x[fit_on])[:, 1], y[fit_on])
    return rates(model.predict_proba(x[~fit_on])[:, 1], y[~fit_on], threshold)


def _table(names: Sequence[str], columns: dict[str, np.ndarray]) -> np.ndarray:
    return np.column_stack([columns[name] for name in names])


def tuning_questions() -> list[Question]:
    """The dev split plus eval/tuning.jsonl; never the held-out split."""
    return [q for q in load_questions(DEFAULT_QUESTIONS) if q.split == "dev"] + load_questions(TUNING_QUESTIONS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.calibrate", description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path, default=Path(".index"))
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    args = parser.parse_args(argv)

    questions = tuning_questions()
    searcher = library.ensure_index(args.corpus, args.index_dir)
    columns = features(searcher, [q.question for q in questions])
    y = np.asarray([not q.in_scope for q in questions], dtype=int)
    from_dev = np.asarray([q.split == "dev" for q in questions])
    print(f"{len(y)} spørgsmål ({int(y.sum())} uden for emnet), dev + tuning; heldout er ikke brugt.")

    for names in (BASELINE, FEATURES):
        x = _table(names, columns)
        probability = loo_probabilities(x, y)
        safe = lowest_safe_threshold(probability, y)
        at_safe = rates(probability, y, safe)
        print(f"\nTræk: {' + '.join(names)}   (leave-one-out)")
        print("  tærskel  fejlagtige afvisninger  out-of-scope fanget")
        for threshold in THRESHOLDS:
            r = rates(probability, y, threshold)
            print(f"   {threshold:.2f}    {r.false_share:6.1%}                  {r.caught_share:6.1%}")
        print(
            f"  Laveste tærskel med ≤ {TARGET_FALSE_SHARE:.0%} fejlagtige: {safe:.2f} "
            f"({at_safe.false_share:.1%} fejlagtige, {at_safe.caught_share:.1%} fanget)"
        )
        for label, fit_on in (("dev -> tune", from_dev), ("tune -> dev", ~from_dev)):
            r = cross_set(x, y, fit_on)
            print(f"  Tilpasset på {label}: {r.false_share:.1%} fejlagtige, {r.caught_share:.1%} fanget")
        # The answer-type rule abstains on its own; it has no parameter fitted here.
        with_rule = rates(np.maximum(probability, columns["missing_answer"]), y, safe)
        print(
            f"  Med svartype-reglen oveni (tærskel {safe:.2f}): {with_rule.false_share:.1%} fejlagtige, "
            f"{with_rule.caught_share:.1%} fanget"
        )

    coef, intercept = raw_coefficients(_table(FEATURES, columns), y)
    print("\nKoefficienter til index/abstain.py (alle spørgsmål):")
    for name, constant in zip(FEATURES, ("COEF_DENSE", "COEF_COVERAGE", "COEF_GAIN", "COEF_LOG_WORDS"), strict=True):
        print(f"  {constant} = {coef[FEATURES.index(name)]:.3f}")
    print(f"  INTERCEPT = {intercept:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
