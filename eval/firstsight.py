"""`python -m eval.firstsight`: score a blind-written batch once, on arrival, with the whole library indexed.

A batch is a set of articles and questions written by writers who never saw the code, the index
or any search output (eval/library/README.md, "First-sight batches"). Its first score, taken
before anything is tuned on it, is the honest estimate of what a municipality will see; `--record`
writes that score to `eval/library/firstsight.jsonl` and refuses to write a second one for the
same batch. Afterwards the batch is part of the tune set, and the command can be run again at will
to see what tuning did (without `--record`).

Figures per mode (BM25 alone, dense alone, the product): hit@1, hit@5, MRR@10 over the batch's
answerable questions; out-of-scope questions declined, apart for near misses, plainly off-topic
municipal questions and crises no article covers; answerable questions wrongly declined; of the
questions whose first card is labelled "Stærkt match", the share where that card holds a gold
snippet; for questions several articles answer, how many have two or more of them in the top 5;
every result checked against its file; median search time against encoding the question alone.

Examples:
    python -m eval.firstsight --batch 1 --record     # once, when batch 1 arrives
    python -m eval.firstsight --batch 1              # later: the same figures on today's code
    python -m eval.firstsight --table                # the recorded first-sight figures
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from eval.library_set import LIBRARY_DIR, SEED_ARTICLES, LibraryQuestion, library_articles, load_batch_questions

RECORD = LIBRARY_DIR / "firstsight.jsonl"
DEFAULT_WORK = Path(".eval-work")
Mode = Literal["lexical", "dense", "hybrid"]
MODES: tuple[Mode, ...] = ("lexical", "dense", "hybrid")
LABELS = {"lexical": "BM25 alene", "dense": "dense alene", "hybrid": "produktet"}
K = 10
TOP = 5
_SPACE = re.compile(r"[\s\u00ad]+")


def _norm(text: str) -> str:
    # Writers copy snippets from the text a reader sees; a PDF line end or a double space in the
    # extraction is the same text to a reader.
    return _SPACE.sub(" ", text).strip()


def hit_rank(texts: Sequence[str], gold: Sequence[str]) -> int | None:
    wanted = [_norm(g) for g in gold]
    for rank, text in enumerate(texts, start=1):
        flat = _norm(text)
        if any(g in flat for g in wanted):
            return rank
    return None


class ModeFigures(BaseModel):
    """One mode's figures on one batch."""

    answerable: int
    hit_at_1: float
    hit_at_5: float
    mrr_at_10: float
    out_of_scope: int
    declined: int
    near_misses: int
    near_misses_declined: int
    off_topic: int
    off_topic_declined: int
    other_crises: int
    other_crises_declined: int
    false_declines: int
    strong_first: int
    strong_first_right: int
    multi: int
    multi_two: int
    offset_errors: int
    search_ms: float
    encode_ms: float


class BatchScore(BaseModel):
    """A batch's score: when, on which code, with how large a library."""

    batch: int
    scored: str
    commit: str
    articles: int
    passages: int
    questions: int
    figures: dict[str, ModeFigures]


def _commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                               text=True, check=True).stdout.strip()
        return out.stdout.strip() + ("+changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def score_mode(searcher: object, questions: Sequence[LibraryQuestion], present: set[str], corpus: Path,
               mode: Mode) -> ModeFigures:
    """Ask every question in one mode and count."""
    from index import Searcher

    assert isinstance(searcher, Searcher)
    files: dict[tuple[str, str], str] = {}
    ranks: list[int | None] = []
    out_declined = {"near": [0, 0], "off": [0, 0], "crisis": [0, 0]}
    false_declines = strong = strong_right = multi = multi_two = errors = 0
    search_s: list[float] = []
    encode_s: list[float] = []
    for q in questions:
        started = time.perf_counter()
        answer = searcher.search(q.question, k=K, mode=mode)
        search_s.append(time.perf_counter() - started)
        if mode == "hybrid":
            started = time.perf_counter()
            searcher.embedder.embed_queries([q.question])
            encode_s.append(time.perf_counter() - started)
        for r in answer.results:
            key = (r.article.file, r.article.encoding)
            if key not in files:
                files[key] = (corpus / r.article.file).read_bytes().decode(r.article.encoding)
            if files[key][r.char_start : r.char_end] != r.text:
                errors += 1
        answering = [a for a in q.articles if a in present] if q.in_scope else []
        texts = [r.text for r in answer.results]
        rank = hit_rank(texts, q.gold) if answering else None
        first = answer.results[0] if answer.results else None
        if first is not None and not answer.abstained and first.strength == "strong":
            strong += 1
            strong_right += bool(answering) and rank == 1
        if answering:
            ranks.append(rank)
            false_declines += answer.abstained
            if len(answering) >= 2:
                multi += 1
                covered = {r.article.original or r.article.file for r in answer.results[:TOP]
                           if hit_rank([r.text], q.gold)} & set(answering)
                multi_two += len(covered) >= 2
        else:
            group = "near" if q.near_miss else ("off" if q.off_topic else "crisis")
            out_declined[group][0] += 1
            out_declined[group][1] += answer.abstained
    n = max(1, len(ranks))
    return ModeFigures(
        answerable=len(ranks),
        hit_at_1=sum(r == 1 for r in ranks) / n,
        hit_at_5=sum(r is not None and r <= TOP for r in ranks) / n,
        mrr_at_10=sum(1 / r for r in ranks if r is not None and r <= K) / n,
        out_of_scope=sum(v[0] for v in out_declined.values()),
        declined=sum(v[1] for v in out_declined.values()),
        near_misses=out_declined["near"][0], near_misses_declined=out_declined["near"][1],
        off_topic=out_declined["off"][0], off_topic_declined=out_declined["off"][1],
        other_crises=out_declined["crisis"][0], other_crises_declined=out_declined["crisis"][1],
        false_declines=false_declines, strong_first=strong, strong_first_right=strong_right,
        multi=multi, multi_two=multi_two, offset_errors=errors,
        search_ms=1000 * statistics.median(search_s) if search_s else 0.0,
        encode_ms=1000 * statistics.median(encode_s) if encode_s else 0.0,
    )


def score_batch(batch: int, work: Path) -> BatchScore:
    """The batch's figures in every mode, with the whole library (seeds, eval/library, every batch) indexed."""
    from eval.library_eval import stage_searcher

    questions = load_batch_questions(batch)
    articles = library_articles()
    searcher, corpus = stage_searcher(work, "all", articles, None)
    present = set(SEED_ARTICLES) | set(articles)
    figures = {mode: score_mode(searcher, questions, present, corpus, mode) for mode in MODES}
    return BatchScore(
        batch=batch, scored=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), commit=_commit(),
        articles=len(present), passages=len(searcher.passages), questions=len(questions), figures=figures,
    )


def recorded() -> list[BatchScore]:
    """The first-sight scores recorded so far, in batch order."""
    if not RECORD.exists():
        return []
    found = [BatchScore.model_validate_json(line) for line in RECORD.read_text("utf-8").splitlines() if line.strip()]
    return sorted(found, key=lambda s: s.batch)


def _pct(part: int, whole: int) -> str:
    return f"{part}/{whole}" if whole else "–"


def table(scores: Sequence[BatchScore]) -> list[str]:
    """A Markdown table: one row per batch and mode."""
    lines = [
        "| batch | scored | commit | library (articles/passages) | method | hit@1 | hit@5 | MRR@10 | out of scope "
        "declined (near / off-topic / other crisis) | wrongly declined | \"Stærkt match\" first cards right | "
        "≥ 2 voices in top 5 | offset errors | search / encode ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in scores:
        for mode in MODES:
            f = s.figures[mode]
            lines.append(
                f"| {s.batch} | {s.scored[:10]} | {s.commit} | {s.articles}/{s.passages} | {LABELS[mode]} "
                f"| {f.hit_at_1:.2f} | {f.hit_at_5:.2f} | {f.mrr_at_10:.2f} "
                f"| {_pct(f.declined, f.out_of_scope)} ({_pct(f.near_misses_declined, f.near_misses)} / "
                f"{_pct(f.off_topic_declined, f.off_topic)} / {_pct(f.other_crises_declined, f.other_crises)}) "
                f"| {_pct(f.false_declines, f.answerable)} | {_pct(f.strong_first_right, f.strong_first)} "
                f"| {_pct(f.multi_two, f.multi)} | {f.offset_errors} "
                f"| {f.search_ms:.0f} / {f.encode_ms:.0f} |"
            )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.firstsight", description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, help="batchens nummer (eval/library/batches.json)")
    parser.add_argument("--record", action="store_true", help="gem tallene som batchens første syn (kun én gang)")
    parser.add_argument("--table", action="store_true", help="vis de gemte første-syns-tal")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="arbejdsmappe til korpus og indeks")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if args.table or args.batch is None:
        print("\n".join(table(recorded())))
        return 0
    if args.record and any(s.batch == args.batch for s in recorded()):
        print(f"Batch {args.batch} har allerede et første syn i {RECORD}; det tages kun én gang.", file=sys.stderr)
        return 2
    score = score_batch(args.batch, args.work)
    print("\n".join(table([score])))
    if args.record:
        with RECORD.open("a", encoding="utf-8") as out:
            out.write(score.model_dump_json() + "\n")
        print(f"Gemt som første syn i {RECORD}.")
    return 1 if any(f.offset_errors for f in score.figures.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
