"""`python -m eval.calibrate`: refit the abstention model on the tuning questions, at every library size.

The decision must hold for the library a municipality has after ten articles as after two, so it
is fitted on the tuning questions asked of the development library as it grows (2, 5, 10 and 16
articles, `eval.library_eval`'s stages): the seeds' dev questions and eval/tuning.jsonl, and the
library questions of the tune articles. A question about an article a stage does not hold yet is
out of scope there. eval/tuning.jsonl's out-of-scope questions count only at 2 articles: many are
about crises the library covers (the snowstorm, the hacker attack, the heat wave). Held-out
articles' questions and the seeds' held-out split are never read here.

Writes the coefficients and threshold to the model's calibration file
(index/decline/calibrations/<model>.json: every index built with that model is judged with them),
and prints them, the in-sample figures per stage, and two honest checks: the model fitted on the
2-article stage alone and scored on the larger ones, and fitted on the seeds' questions and scored
on the library's (and back). The fit is index/decline/fit.py's, the one a build uses for a model
without a calibration.

Example:
    python -m eval.calibrate
    python -m eval.calibrate --out /tmp/calibrations   # compare before replacing the shipped file
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from eval.dataset import DEFAULT_QUESTIONS, TUNING_QUESTIONS, Question, load_questions
from eval.library_eval import DEFAULT_WORK, GROWTH, Item, items, stage_articles, stage_searcher
from eval.library_set import SEED_ARTICLES
from index import Searcher
from index.decline.calibration import SHIPPED_DIR, Calibration, write_shipped
from index.decline.fit import FEATURES, coefficients, features, logistic_model, safe_threshold
from index.decline.model import ANSWER_DEPTH


class Row(BaseModel):
    """One question asked of one stage: its features, its label and whether a check declines it."""

    stage: int
    source: str  # "seed" or "library"
    out_of_scope: bool
    features: tuple[float, float, float]
    checked_out: bool


class StageRates(BaseModel):
    stage: int
    declined: int
    out_of_scope: int
    false_declines: int
    in_scope: int


def tuning_questions() -> list[Question]:
    """The dev split plus eval/tuning.jsonl; never the held-out split."""
    return [q for q in load_questions(DEFAULT_QUESTIONS) if q.split == "dev"] + load_questions(TUNING_QUESTIONS)


def tuning_items() -> list[Item]:
    """The library's tune questions, the seeds' dev questions and eval/tuning.jsonl, as library items.

    The seeds' out-of-scope questions are counted at the 2-article stage only (`rows_of`).
    """
    chosen = [i for i in items() if i.split == "tune"]
    known = {i.id for i in chosen}
    for q in tuning_questions():
        if q.id not in known:
            chosen.append(Item(id=q.id, question=q.question, kind=q.kind, gold=q.gold, split="tune", seed=True,
                               articles=list(SEED_ARTICLES) if q.in_scope else []))
    return chosen


def rows_of(searcher: Searcher, stage: int, present: Sequence[str], asked: Sequence[Item]) -> list[Row]:
    """Each question's abstention evidence at one stage, exactly as the searcher computes it."""
    rows = []
    for item in asked:
        out_of_scope = not item.in_scope(present)
        if item.seed and out_of_scope and stage > len(SEED_ARTICLES):
            continue  # written for the seeds alone: the library may answer it
        d = searcher.trace(item.question, k=ANSWER_DEPTH).decision
        rows.append(Row(
            stage=stage, source="seed" if item.seed else "library", out_of_scope=out_of_scope,
            features=features(d.dense_top1, d.coverage, d.probe_coverage, d.content_words),
            checked_out=d.missing_answer is not None,
        ))
    return rows


def _arrays(rows: Sequence[Row]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    x = np.asarray([r.features for r in rows], dtype=np.float64)
    y = np.asarray([r.out_of_scope for r in rows], dtype=bool)
    checked = np.asarray([r.checked_out for r in rows], dtype=bool)
    stages = np.asarray([r.stage for r in rows])
    return x, y, checked, stages


def stage_rates(declined: np.ndarray, y: np.ndarray, stages: np.ndarray) -> list[StageRates]:
    rates = []
    for s in np.unique(stages):
        out, inside = (stages == s) & y, (stages == s) & ~y
        rates.append(StageRates(stage=int(s), declined=int(declined[out].sum()), out_of_scope=int(out.sum()),
                                false_declines=int(declined[inside].sum()), in_scope=int(inside.sum())))
    return rates


def _print_rates(label: str, rates: Sequence[StageRates]) -> None:
    print(label)
    for r in rates:
        print(f"  {r.stage:>2} artikler: uden for emnet afvist {r.declined}/{r.out_of_scope} "
              f"({100 * r.declined / max(1, r.out_of_scope):.0f} %), fejlagtigt afvist {r.false_declines}/{r.in_scope} "
              f"({100 * r.false_declines / max(1, r.in_scope):.1f} %)")


def fitted(x: np.ndarray, y: np.ndarray, checked: np.ndarray, stages: np.ndarray, fit_on: np.ndarray
           ) -> np.ndarray:
    """Declines of a model fitted (threshold included) on `fit_on` rows, for every row."""
    model = logistic_model().fit(x[fit_on], y[fit_on])
    threshold = safe_threshold(model.predict_proba(x[fit_on])[:, 1], y[fit_on], checked[fit_on], stages[fit_on])
    return (model.predict_proba(x)[:, 1] > threshold) | checked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.calibrate", description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="arbejdsmappe til korpus og indeks")
    parser.add_argument("--out", type=Path, default=SHIPPED_DIR,
                        help=f"hvor modellens kalibreringsfil skrives (standard: {SHIPPED_DIR})")
    args = parser.parse_args(argv)

    asked = tuning_items()
    rows: list[Row] = []
    model_name, dim = "", 0
    for n in (*GROWTH, None):
        stage = stage_articles(n)
        present = list(SEED_ARTICLES) + stage
        name = "all" if n is None else f"growth-{n}"
        reuse = None if n is None else args.work / "all" / "index"
        searcher, _ = stage_searcher(args.work, name, stage, reuse)
        model_name, dim = searcher.manifest.model_name, searcher.manifest.dim
        rows += rows_of(searcher, len(present), present, asked)
    x, y, checked, stages = _arrays(rows)
    source = np.asarray([r.source for r in rows])
    print(f"{len(rows)} spørgsmål-og-stadie ({int(y.sum())} uden for emnet) fra tune-spørgsmålene; "
          "heldout er ikke brugt.")

    model = logistic_model().fit(x, y)
    coef, intercept = coefficients(model)
    threshold = safe_threshold(model.predict_proba(x)[:, 1], y, checked, stages)
    calibration = Calibration(
        model_name=model_name, dim=dim, coef_dense=round(float(coef[0]), 3), coef_coverage=round(float(coef[1]), 3),
        coef_log_words=round(float(coef[2]), 3), intercept=round(intercept, 3), abstain_probability=threshold,
        fitted_on="python -m eval.calibrate: the tuning questions (the seeds' dev split, eval/tuning.jsonl, the "
        "library's tune articles) at 2, 5, 10 and 16 articles of the development library; threshold: the lowest "
        "with at most 2.5 % false declines at every size, the checks' own counted",
        questions={"out_of_scope": int(y.sum()), "in_scope": int((~y).sum())},
    )
    print(f"\nKoefficienter for {model_name} (alle stadier), på {', '.join(FEATURES)}:")
    print(f"  {calibration.coef_dense:.3f}, {calibration.coef_coverage:.3f}, {calibration.coef_log_words:.3f}; "
          f"skæring {calibration.intercept:.3f}; afvis over {threshold:.2f}")
    print(f"  Skrevet til {write_shipped(calibration, args.out)}")

    _print_rates("\nI stikprøven (tilpasset på alle stadier):",
                 stage_rates((model.predict_proba(x)[:, 1] > threshold) | checked, y, stages))
    _print_rates("\nTilpasset på 2 artikler alene, målt på alle stadier:",
                 stage_rates(fitted(x, y, checked, stages, stages == stages.min()), y, stages))
    for label, fit_on in (("seed-spørgsmål -> biblioteket", source == "seed"),
                          ("biblioteket -> seed-spørgsmål", source == "library")):
        declined = fitted(x, y, checked, stages, fit_on)
        _print_rates(f"\nTilpasset på {label} (målt på de andre):",
                     stage_rates(declined[~fit_on], y[~fit_on], stages[~fit_on]))
    _print_rates("\nKontrollerne alene (krise, svartype, taler, ukendt navn):", stage_rates(checked, y, stages))
    return 0


if __name__ == "__main__":
    sys.exit(main())
