"""`python -m eval`: run the evaluation questions through every search mode and print the table.

Example:
    python -m eval --split heldout --k 10
    python -m eval --split dev --show-misses
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

# Models must never be fetched from a hub, and default threading makes one query take ~1.7 s on 2 cores:
# set before FAISS and the model libraries load.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import index
import library
from eval.dataset import DEFAULT_QUESTIONS, DatasetError, Question, count_by_kind_and_split, load_questions
from eval.metrics import Outcome, first_hit_rank, verbatim_error
from eval.report import MODES, Mode, SplitChoice, build_report, columns_for, format_misses, format_text

DEFAULT_CORPUS = Path("corpus")
DEFAULT_INDEX = Path(".index")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m eval",
        description=(
            "Mål søgningen på evalueringsspørgsmålene: BM25 alene, dense alene og hybrid (produktet) side om side, "
            "med hit@1/3/5, MRR@10, afvisning, svartid og ordret-tjek af hvert resultat."
        ),
        epilog="Eksempel: python -m eval --split dev --show-misses   (tun kun på dev; se aldrig heldout-fejl)",
    )
    parser.add_argument(
        "--split",
        choices=("dev", "heldout", "tune", "all"),
        default="heldout",
        help="hvilke spørgsmål der rapporteres (standard: heldout, med dev ved siden af)",
    )
    parser.add_argument("--k", type=int, default=10, help="antal resultater pr. spørgsmål (standard: 10)")
    parser.add_argument("--json", action="store_true", help="skriv hele tabellen som ét JSON-objekt")
    parser.add_argument("--index-dir", type=Path, default=DEFAULT_INDEX, help="indeksmappe (standard: .index)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="artikelmappe (standard: corpus/)")
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS, help="spørgsmålsfil (JSONL)")
    parser.add_argument(
        "--modes", nargs="+", choices=MODES, default=list(MODES), help="søgetilstande (standard: alle tre)"
    )
    parser.add_argument(
        "--show-misses", action="store_true", help="vis spørgsmål uden gold i top 5 (kun dev, medmindre andet angives)"
    )
    parser.add_argument(
        "--misses-split",
        choices=("dev", "heldout", "tune", "all"),
        default="dev",
        help="split for --show-misses (standard: dev; heldout-fejl må aldrig bruges til tuning)",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.k <= 100:
        parser.error("--k skal være mellem 1 og 100.")
    return args


class CorpusFiles:
    """Decoded article files, read once per (file, encoding), for the verbatim check."""

    def __init__(self, corpus_dir: Path) -> None:
        self._dir = corpus_dir
        self._cache: dict[tuple[str, str], str] = {}

    def read(self, file: str, encoding: str) -> str:
        key = (file, encoding)
        if key not in self._cache:
            self._cache[key] = (self._dir / file).read_bytes().decode(encoding)
        return self._cache[key]


def run_mode(
    searcher: Any, mode: Mode, questions: Sequence[Question], k: int, files: CorpusFiles
) -> tuple[list[Outcome], int, list[str]]:
    """Ask every question in one mode, score the ranking and check every result against its file.

    Args:
        searcher: an `index.Searcher`.
        mode: "lexical", "dense" or "hybrid".
        questions: the questions to run.
        k: results per question.
        files: the decoded corpus files.

    Returns:
        (outcomes, results checked, Danish verbatim error descriptions).
    """
    outcomes: list[Outcome] = []
    errors: list[str] = []
    checked = 0
    for q in questions:
        start = time.perf_counter()
        answer = searcher.search(q.question, k=k, mode=mode)
        latency = time.perf_counter() - start
        for r in answer.results:
            checked += 1
            error = verbatim_error(r.text, r.article.file, r.article.encoding, r.char_start, r.char_end, files.read)
            if error:
                errors.append(f"{q.id} rang {r.rank}: {error}")
        outcomes.append(
            Outcome(
                question_id=q.id,
                kind=q.kind,
                split=q.split,
                in_scope=q.in_scope,
                first_hit_rank=first_hit_rank([r.text for r in answer.results], q.gold),
                abstained=answer.abstained,
                latency_s=latency,
            )
        )
    return outcomes, checked, errors


def _selected(questions: Sequence[Question], split: SplitChoice) -> list[Question]:
    wanted = set(columns_for(split))
    return [q for q in questions if "all" in wanted or q.split in wanted]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        questions = load_questions(args.questions)
    except DatasetError as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        return 2
    if not args.corpus.is_dir():
        print(f"Fejl: artikelmappen {args.corpus} findes ikke. Angiv den med --corpus.", file=sys.stderr)
        return 2

    try:
        searcher = library.ensure_index(args.corpus, args.index_dir, on_progress=None)
    except index.SearchIndexError as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        return 2

    split = cast(SplitChoice, args.split)
    selected = _selected(questions, split)
    files = CorpusFiles(args.corpus)
    outcomes: dict[Mode, list[Outcome]] = {}
    checks: dict[Mode, tuple[int, list[str]]] = {}
    for mode in (m for m in MODES if m in args.modes):
        mode_outcomes, checked, errors = run_mode(searcher, mode, selected, args.k, files)
        outcomes[mode] = mode_outcomes
        checks[mode] = (checked, errors)

    report = build_report(split, args.k, selected, outcomes, checks, count_by_kind_and_split(questions))
    if args.json:
        print(report.model_dump_json())
    else:
        print(format_text(report))
    if args.show_misses:
        if args.misses_split == "heldout":
            print("Advarsel: heldout-fejl vises. Brug dem aldrig til at tune søgningen.", file=sys.stderr)
        # With --json, stdout must stay one JSON object: the list goes to stderr.
        print(format_misses(selected, outcomes, args.misses_split), file=sys.stderr if args.json else sys.stdout)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
