"""`python -m eval.calibrate`: refit the abstention model on the tuning questions and show its error rates.

Only the dev split of eval/questions.jsonl and eval/tuning.jsonl are used; the held-out split is
never read here. Prints the coefficients to copy into index/abstain.py and, for a range of
thresholds, the leave-one-out cross-validated share of answerable questions wrongly abstained on
and of out-of-scope questions caught.

Example:
    python -m eval.calibrate --index-dir .index
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

import index
from eval.dataset import DEFAULT_QUESTIONS, TUNING_QUESTIONS, load_questions

# The features differ in scale by ~10x; scaling them keeps the regularised fit even-handed.
_SCALE = np.array([100.0, 10.0])


def features(searcher: index.Searcher, questions: list[str]) -> np.ndarray:
    """(best-sentence cosine, word coverage) for each question, as the searcher decides with them."""
    rows = []
    for question in questions:
        decision = searcher.trace(question, k=1).decision
        rows.append((decision.dense_top1, decision.coverage))
    return np.asarray(rows, dtype=np.float64)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.calibrate", description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path, default=Path(".index"))
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    args = parser.parse_args(argv)
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import LeaveOneOut, cross_val_predict

    questions = [q for q in load_questions(DEFAULT_QUESTIONS) if q.split == "dev"]
    questions += load_questions(TUNING_QUESTIONS)
    searcher = index.ensure_index(args.corpus, args.index_dir)
    x = features(searcher, [q.question for q in questions]) * _SCALE
    y = np.asarray([not q.in_scope for q in questions], dtype=int)
    model = LogisticRegression(C=1.0, class_weight="balanced")
    probability = cross_val_predict(model, x, y, cv=LeaveOneOut(), method="predict_proba")[:, 1]
    model.fit(x, y)
    coef = model.coef_[0] * _SCALE
    print(f"{len(y)} spørgsmål ({int(y.sum())} uden for emnet), dev + tuning; heldout er ikke brugt.")
    print(f"COEF_DENSE = {coef[0]:.2f}\nCOEF_COVERAGE = {coef[1]:.3f}\nINTERCEPT = {model.intercept_[0]:.2f}")
    print("tærskel  fejlagtige afvisninger  out-of-scope fanget   (leave-one-out)")
    for threshold in (0.5, 0.6, 0.7, 0.8, 0.85, 0.9):
        wrong = (probability[y == 0] > threshold).mean()
        caught = (probability[y == 1] > threshold).mean()
        print(f"  {threshold:.2f}   {wrong:6.1%}                 {caught:6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
