"""`python -m ui.serve`: what `make run` starts. The index is checked (built when missing or stale)
and loaded with the model, then the chat's web server starts in the same process.

Loading before the server starts means the first page finds the searcher ready: the leader who
opens the chat right away gets the first answer in about the time of one search, instead of
waiting for a second interpreter to import FAISS, BM25 and the model.

Example:
    python -m ui.serve --index-dir .index --corpus corpus --port 8501
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m ui.serve", description="Start Erfaringsbanken-chatten.")
    parser.add_argument("--index-dir", type=Path, default=Path(".index"), help="indeksmappen (standard .index)")
    parser.add_argument("--corpus", type=Path, default=Path("corpus"), help="artikelmappen (standard corpus)")
    parser.add_argument("--port", type=int, default=8501, help="port (standard 8501)")
    parser.add_argument("--address", default="127.0.0.1", help="adresse (standard 127.0.0.1: kun denne maskine)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from ui.editor_gate import ADDRESS_ENV
    from ui.settings import CORPUS_DIR_ENV, INDEX_DIR_ENV, load_settings, offline_models

    offline_models()
    # The app's pages read the same folders from the environment.
    os.environ[INDEX_DIR_ENV] = str(args.index_dir.resolve())
    os.environ[CORPUS_DIR_ENV] = str(args.corpus.resolve())
    # Who may change the library depends on whether the app is shared beyond this machine.
    os.environ[ADDRESS_ENV] = args.address
    from index import SearchIndexError
    from ingest.report import format_report
    from library import EmptyCorpusError, Library
    from ui.loading import preload

    try:
        shelf = Library(args.corpus, args.index_dir)
        recovered = shelf.recover() if args.corpus.is_dir() else None  # a change a kill interrupted
        if recovered is not None:
            print(recovered.message, flush=True)
        update = shelf.build(
            only_if_stale=True,
            progress=True,
            on_build=lambda reason: print(f"Bygger indekset: {reason}", flush=True),
        )
    except (EmptyCorpusError, FileNotFoundError) as error:
        if isinstance(error, EmptyCorpusError) and error.reading is not None:
            print(format_report(error.reading))
        print(f"Fejl: {error}", file=sys.stderr)
        return 1
    if update.built and update.reading is not None:
        print(format_report(update.reading))
        print(f"Indekset er skrevet til {args.index_dir}.")
    else:
        print(f"Indekset i {args.index_dir} er opdateret.")

    print("Indlæser indekset og modellen …", flush=True)
    try:
        preload(load_settings())
    except SearchIndexError as error:
        print(f"Fejl: {error}", file=sys.stderr)
        return 1
    from streamlit.web import cli

    sys.argv = [
        "streamlit", "run", str(ROOT / "app.py"),
        "--server.headless", "true",
        "--server.address", args.address,
        "--server.port", str(args.port),
        "--browser.gatherUsageStats", "false",
    ]
    return int(cli.main() or 0)


if __name__ == "__main__":
    sys.exit(main())
