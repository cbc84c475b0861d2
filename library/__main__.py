"""`python -m library`: back up and restore a whole library, one command each (`make backup`, `make restore`).

Examples:
    python -m library backup            # data/ (or $ERFARINGSBANKEN_LIBRARY) to ./erfaringsbanken-backup-….tar.gz
    python -m library backup --library /var/lib/erfaringsbanken --to /srv/backup/eb.tar.gz
    python -m library restore /srv/backup/eb.tar.gz --library /var/lib/erfaringsbanken-ny
    python -m library restore eb.tar.gz --replace             # the library there is moved aside first
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from library.backup import BackupError, backup, default_archive, restore
from library.paths import LIBRARY_ENV, LibraryLayoutError, resolve_paths


def _folders(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--library", type=Path, default=None,
                        help=f"bibliotekets datamappe (standard: ${LIBRARY_ENV}, ellers data/ i programmappen)")
    parser.add_argument("--corpus", type=Path, default=None, help="en artikelmappe alene (i stedet for bibliotekets)")
    parser.add_argument("--index-dir", type=Path, default=None, help="en indeksmappe alene (i stedet for bibliotekets)")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m library",
                                     description="Tag backup af hele biblioteket, eller gendan det fra en backup.")
    commands = parser.add_subparsers(dest="command", required=True)
    save = commands.add_parser(
        "backup", help="skriv hele biblioteket til ét arkiv med manifest og kontrolsummer",
        description="Skriv artiklerne, deres metadata, ændringsloggen, de fjernede artikler og indekset til ét "
        "arkiv (.tar.gz) med manifest.json og SHA256SUMS. Biblioteket er låst imens, så ingen ændring kommer "
        "halvt med.",
        epilog="Eksempel: python -m library backup --to /srv/backup/erfaringsbanken.tar.gz",
    )
    _folders(save)
    save.add_argument("--to", type=Path, default=None, help="arkivet (standard: erfaringsbanken-backup-TID.tar.gz her)")
    save.add_argument("--without-index", action="store_true",
                      help="uden indekset (mindre arkiv; det bygges igen ved gendannelse)")
    back = commands.add_parser(
        "restore", help="gendan et bibliotek fra en backup",
        description="Kontrollér hver fil i arkivet mod manifestet, og læg biblioteket på plads. Er indekset af et "
        "andet format eller en anden model end denne versions, bygges det igen.",
        epilog="Eksempel: python -m library restore erfaringsbanken.tar.gz --library /var/lib/erfaringsbanken",
    )
    back.add_argument("archive", type=Path, help="backup-arkivet")
    _folders(back)
    back.add_argument("--replace", action="store_true",
                      help="erstat et bibliotek, der ligger der (det flyttes til side, intet slettes)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    paths = resolve_paths(args.library, args.corpus, args.index_dir)
    try:
        if args.command == "backup":
            report = backup(paths, args.to or default_archive(), with_index=not args.without_index)
            index = (f"indekset {report.index.build} ({report.index.n_passages} passager)" if report.index
                     else "uden indeks")
            print(f"Backup skrevet: {report.archive} ({report.size / 1e6:.1f} MB, {report.files} filer: "
                  f"{report.articles} artikler, ændringsloggen, de fjernede artikler og {index}).")
            print(f"Gendan med: python -m library restore {report.archive} --library MAPPE")
            return 0
        done = restore(args.archive, paths, replace=args.replace, on_message=lambda line: print(line, flush=True))
    except (BackupError, LibraryLayoutError) as error:
        print(f"Fejl: {error}", file=sys.stderr)
        return 2
    where = paths.root or paths.corpus_dir
    rebuilt = f" Indekset blev bygget igen ({done.rebuilt})" if done.rebuilt else " Indekset fra backuppen bruges."
    print(f"Gendannet i {where}: {done.articles} artikler fra backuppen {done.made:%Y-%m-%d %H:%M} UTC.{rebuilt}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
