"""`python -m eval.calibrate`: fit the decline, the labels and the fusion on the tune questions, cross-validated.

Asks every tune question (eval/tune_set.py: the first-sight batches, the development library's tune
articles, the seeds' dev and tuning questions) of the whole library, and each tune article's own
questions of the library without that article (they are then out of scope, except where another
article answers too). Then, leaving one group out at a time (eval/tune_cv.py), fits on the others
and scores the one left out: the answer-type checks alone, and the decline (the cosine relative to
the probes, how new and how specific the question's words are) with equal-weight fusion and with
the fusion chosen in the fold. Prints Markdown tables (eval/README.md keeps the last), then fits on
every group and writes the model's calibration (index/decline/calibrations/<model>.json) and its
probe vectors. Held-out questions are never read. (The design before issue 26, a crisis word list
and an unknown-name check, was compared the same way at commit 7b68340: eval/README.md.)

Example:
    python -m eval.calibrate
    python -m eval.calibrate --out /tmp/calibrations   # compare before replacing the shipped file
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import index
from eval.library_eval import DEFAULT_WORK, stage_searcher
from eval.library_set import SEED_ARTICLES, library_articles
from eval.snapshots import Library, Snapshot, take
from eval.tune_cv import (
    TABLE_HEAD,
    Outcomes,
    Variant,
    cross_validate,
    fitted,
    fusion_grid,
    in_sample,
    table,
)
from eval.tune_set import TuneQuestion, groups, left_out_articles, tune_questions
from index.decline.calibration import SHIPPED_DIR, Calibration, FusionParams, write_shipped
from index.decline.probes import write_probe_vectors


def snapshots(work: Path, questions: Sequence[TuneQuestion]) -> list[Snapshot]:
    """Every tune question of the whole library, and each tune article's questions of the library without it."""
    articles = library_articles()
    searcher, _ = stage_searcher(work, "all", articles, None)
    whole = Library("all", searcher, set(SEED_ARTICLES) | set(articles))
    started = time.monotonic()
    found = [take(whole, q) for q in questions]
    print(f"{len(found)} spørgsmål stillet til hele biblioteket ({time.monotonic() - started:.0f} s)", file=sys.stderr)
    passages = list(searcher.passages)
    for article, _group in left_out_articles().items():
        asked = [q for q in questions if q.in_scope and article in q.articles]
        if not asked:
            continue
        kept = [p for p in passages if (p.article.original or p.article.file) != article]
        others = [a for a in searcher.articles if (a.original or a.file) != article]
        without = index.build(kept, articles=others, embedder=searcher.embedder, reuse_from=work / "all" / "index")
        library = Library(f"uden {article}", without, whole.present - {article})
        found += [take(library, q) for q in asked]
        print(f"  uden {article}: {len(asked)} spørgsmål", file=sys.stderr, flush=True)
    return found


def _variants() -> dict[str, Variant]:
    plain = FusionParams()
    return {
        "answer-type checks alone, equal fusion": lambda o, train: fitted(o, train, plain, checks_only=True),
        "decline, equal fusion": lambda o, train: fitted(o, train, plain),
        "decline, CV fusion": lambda o, train: fitted(o, train),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.calibrate", description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="arbejdsmappe til korpus og indeks")
    parser.add_argument("--out", type=Path, default=SHIPPED_DIR,
                        help=f"hvor modellens kalibreringsfil skrives (standard: {SHIPPED_DIR})")
    parser.add_argument("--no-write", action="store_true", help="vis kun krydsvalideringen")
    args = parser.parse_args(argv)

    questions = tune_questions()
    outcomes = Outcomes(snapshots(args.work, questions))
    names = groups()
    counts = {g: sum(q.group == g for q in questions) for g in names}
    print(f"Tune-spørgsmål pr. gruppe: {counts}; heldout er ikke brugt.\n")
    print("Leave-one-group-out (fit on the others, scored on the group left out):\n")
    print("\n".join(TABLE_HEAD))
    chosen: dict[str, list[FusionParams]] = {}
    for label, variant in _variants().items():
        per_group, chosen[label] = cross_validate(outcomes, variant)
        print("\n".join(table(label, per_group)))
    print(f"\nFusion chosen per fold ({', '.join(names)} left out):")
    for params in chosen["decline, CV fusion"]:
        print(f"  {params.model_dump()}")
    print("\nIn-sample (fitted on every group; for reference only):\n")
    print("\n".join(TABLE_HEAD))
    print("\n".join(table("decline, CV fusion", in_sample(outcomes, _variants()["decline, CV fusion"]))))

    params, decline, strong = fitted(outcomes, set(names), grid=fusion_grid())
    assert decline.model is not None and strong is not None
    searcher = next(s.library.searcher for s in outcomes.snapshots if s.library.name == "all")
    model = searcher.embedder
    calibration = Calibration(
        model_name=model.name, dim=model.dim, decline=decline.model, strong=strong, fusion=params,
        fitted_on=("python -m eval.calibrate: the tune questions (first-sight batches, the development library's tune "
                   "articles, the seeds' dev and tuning questions), whole library and each tune article left out; "
                   "decline threshold: the lowest with at most 2.5 % false declines over them, the checks "
                   "counted; 'Stærkt match': the lowest with 95 % right first cards in every group"),
        questions={g: counts[g] for g in names} | {"asked": len(outcomes.snapshots)},
    )
    print(f"\nAlle grupper: fusion {params.model_dump()}")
    print(f"  afvisning: {decline.model.model_dump()}")
    print(f"  stærkt match: {strong.model_dump()}")
    if not args.no_write:
        print(f"  Skrevet til {write_shipped(calibration, args.out)} og {write_probe_vectors(model, args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
