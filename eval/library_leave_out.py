"""`python -m eval.library_leave_out`: a library article's crisis, asked of the library without it.

The nearest miss a growing library meets is a question about a crisis of an article not added
yet, asked of every other article: the rest share its words, its roles and its kind of document.
For each library article of the chosen split in turn, the index of the seeds and the other
library articles is built (vectors reused from the whole library's index) and asked the
article's own answerable questions, which should now be declined, and the questions several
articles answer, which should not. Nothing tells the decline which article is missing: it reads
the question's words against the remaining library's vocabulary, and its cosine against the
remaining library's probe statistics (index/decline/model.py).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

# Models must never be fetched from a hub, and default threading makes one query take ~1.7 s on 2 cores:
# set before FAISS and the model libraries load.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

from pydantic import BaseModel

import index
import ingest
from eval.library_eval import DEFAULT_WORK, items, stage_articles, stage_searcher
from eval.library_set import SEED_ARTICLES, LibrarySplit, article_splits, make_corpus


class ArticleLeftOut(BaseModel):
    """How one article's questions were answered by the library without it."""

    article: str
    own: int
    own_declined: int
    elsewhere: int
    wrongly_declined: int


def leave_out(article: str, others: Sequence[str], work: Path, reuse_from: Path, split: LibrarySplit) -> ArticleLeftOut:
    """Ask the library without `article` that article's questions and those it shares with others."""
    corpus = make_corpus(work / "leave-out" / "corpus", others)
    reading = ingest.load_corpus(corpus)
    searcher = index.build(reading.passages, articles=reading.articles, reuse_from=reuse_from)
    present = [*SEED_ARTICLES, *others]
    own = declined = elsewhere = wrong = 0
    for item in items():
        if item.split != split or article not in item.articles or item.kind == "out_of_scope":
            continue
        answer = searcher.search(item.question, k=5)
        if item.in_scope(present):
            elsewhere += 1
            wrong += answer.abstained
        else:
            own += 1
            declined += answer.abstained
    return ArticleLeftOut(article=article, own=own, own_declined=declined, elsewhere=elsewhere,
                          wrongly_declined=wrong)


def _pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f} %)" if whole else f"{part}/0"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.library_leave_out", description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("heldout", "tune"), default="tune",
                        help="hvilke artikler der tages ud en ad gangen (standard: tune)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="arbejdsmappe til korpus og indeks")
    args = parser.parse_args(argv)

    articles = stage_articles(None)
    stage_searcher(args.work, "all", articles, None)  # the vectors every left-out index reuses
    splits = article_splits(articles)
    rows: list[ArticleLeftOut] = []
    for article in (a for a in articles if splits[a] == args.split):
        print(f"Uden {article} …", file=sys.stderr, flush=True)
        others = [a for a in articles if a != article]
        rows.append(leave_out(article, others, args.work, args.work / "all" / "index", args.split))
    print(f"Hver {args.split}-artikel taget ud af biblioteket i tur: dens egne spørgsmål skal afvises, "
          "spørgsmål som andre artikler også besvarer ikke.")
    print(f"{'artikel':<44} {'egne afvist':<16} {'andre fejlagtigt afvist':<16}")
    for row in rows:
        wrong = _pct(row.wrongly_declined, row.elsewhere)
        print(f"{row.article:<44} {_pct(row.own_declined, row.own):<16} {wrong:<16}")
    own = sum(r.own for r in rows)
    print(f"{'i alt':<44} {_pct(sum(r.own_declined for r in rows), own):<16} "
          f"{_pct(sum(r.wrongly_declined for r in rows), sum(r.elsewhere for r in rows)):<16}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
