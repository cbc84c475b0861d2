"""`python -m ui.serve`: what `make run`, the systemd unit and the container start. The library is
found (made from the shipped articles, or moved from an older checkout's corpus/, the first time),
its index checked (built when missing, stale or of an older format) and loaded with the model,
then the chat's web server starts in the same process, with `/healthz` beside Streamlit's routes.

Loading before the server starts means the first page finds the searcher ready, and that nothing
answers on the port (not even Streamlit's `/_stcore/health`) until the index is loaded.

Logs go to standard output, one line each (time, level, source, message): the start, the
library's changes (who, what), editor sign-ins; Streamlit's and the web server's own lines too.

Examples:
    python -m ui.serve                                    # the library in data/ (or $ERFARINGSBANKEN_LIBRARY)
    python -m ui.serve --library /var/lib/erfaringsbanken --address 127.0.0.1 --port 8501 \\
        --base-url-path erfaringsbanken --trusted-proxies 127.0.0.1
    python -m ui.serve --editors anyone                   # one person's own machine: anyone may edit
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

ROOT = Path(__file__).resolve().parent.parent
HEALTH_PATH = "healthz"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m ui.serve", description="Start Erfaringsbanken-chatten.",
        epilog="Eksempel: python -m ui.serve --library /var/lib/erfaringsbanken --base-url-path erfaringsbanken",
    )
    parser.add_argument("--library", type=Path, default=None,
                        help="bibliotekets datamappe (standard: $ERFARINGSBANKEN_LIBRARY, ellers data/)")
    parser.add_argument("--index-dir", type=Path, default=None, help="en indeksmappe alene")
    parser.add_argument("--corpus", type=Path, default=None, help="en artikelmappe alene")
    parser.add_argument("--port", type=int, default=8501, help="port (standard 8501)")
    parser.add_argument("--address", default="127.0.0.1", help="adresse (standard 127.0.0.1: kun denne maskine)")
    parser.add_argument("--base-url-path", default="",
                        help="sti bag en proxy, fx erfaringsbanken for https://server/erfaringsbanken/")
    parser.add_argument("--editors", choices=["signed-in", "anyone"], default=None,
                        help="hvem må ændre biblioteket (standard: $ERFARINGSBANKEN_EDITORS, ellers signed-in)")
    parser.add_argument("--trusted-proxies", default=None,
                        help="proxyer, hvis X-Forwarded-For troes, fx 127.0.0.1 (standard: "
                        "$ERFARINGSBANKEN_TRUSTED_PROXIES, ellers ingen)")
    return parser.parse_args(argv)


def log_to_stdout() -> None:
    """Every log line of the process on standard output, where journald and podman collect it."""
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format=LOG_FORMAT, force=True)
    logging.getLogger("erfaringsbanken").setLevel(logging.INFO)
    for name in ("streamlit", "uvicorn", "uvicorn.error", "uvicorn.access"):
        for handler in logging.getLogger(name).handlers:
            if isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler):
                handler.setStream(sys.stdout)


def health_route(base_url_path: str) -> BaseRoute:
    """The `/healthz` route (under the base URL path), answered from the process's searcher."""
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from ui.health import check
    from ui.resources import searcher_slot
    from ui.settings import load_settings

    def health(request: Request) -> JSONResponse:  # a plain function: Starlette runs it on a worker thread
        outcome = check(searcher_slot(), load_settings())
        return JSONResponse(outcome.model_dump(mode="json"), status_code=200 if outcome.ok else 503)

    prefix = "/" + base_url_path.strip("/") if base_url_path.strip("/") else ""
    return Route(f"{prefix}/{HEALTH_PATH}", health, methods=["GET", "HEAD"])


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from ui.clients import TRUSTED_PROXIES_ENV, parse_networks
    from ui.editors import EDITORS_ENV, RULES, describe, editor_rule, read_secrets, secrets_path
    from ui.settings import CORPUS_DIR_ENV, INDEX_DIR_ENV, load_settings, offline_models

    log_to_stdout()
    offline_models()
    from index import SearchIndexError
    from ingest.report import format_report
    from library import EmptyCorpusError, Library, LibraryLayoutError, ensure_library, resolve_paths
    from ui.loading import preload

    paths = resolve_paths(args.library, args.corpus, args.index_dir)
    try:
        made = ensure_library(paths)
    except (LibraryLayoutError, OSError) as error:
        print(f"Fejl: {error}", file=sys.stderr)
        return 1
    if made:
        print(made, flush=True)
    # The app's pages read the same folders, the editor rule and the trusted proxies from the environment.
    os.environ[INDEX_DIR_ENV] = str(paths.index_dir.resolve())
    os.environ[CORPUS_DIR_ENV] = str(paths.corpus_dir.resolve())
    if args.editors:
        os.environ[EDITORS_ENV] = args.editors
    if args.trusted_proxies is not None:
        os.environ[TRUSTED_PROXIES_ENV] = args.trusted_proxies
    try:
        parse_networks(os.environ.get(TRUSTED_PROXIES_ENV))
    except ValueError as error:
        print(f"Fejl: {error}", file=sys.stderr)
        return 2
    print(f"Bibliotek: {paths.root or paths.corpus_dir} (artikler i {paths.corpus_dir}, indeks i {paths.index_dir})",
          flush=True)
    told = os.environ.get(EDITORS_ENV, "")
    if told and told.strip().lower() not in RULES:
        print(f"Advarsel: {EDITORS_ENV}={told} kendes ikke (signed-in eller anyone); kun redaktører, der er logget "
              "ind, kan ændre biblioteket.", flush=True)
    print(describe(editor_rule(), read_secrets(secrets_path()), args.address), flush=True)

    try:
        shelf = Library(paths.corpus_dir, paths.index_dir)
        recovered = shelf.recover() if paths.corpus_dir.is_dir() else None  # a change a kill interrupted
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
        print(f"Indekset er skrevet til {paths.index_dir}.")
    else:
        print(f"Indekset i {paths.index_dir} er opdateret.")

    print("Indlæser indekset og modellen …", flush=True)
    try:
        preload(load_settings())
    except SearchIndexError as error:
        print(f"Fejl: {error}", file=sys.stderr)
        return 1
    import streamlit as st

    base = args.base_url_path.strip("/")
    app = st.App(str(ROOT / "app.py"), routes=[health_route(base)])
    # The chat is the main script (its folder on sys.path and its pages/ beside it), as `streamlit run app.py`.
    sys.argv = [str(ROOT / "app.py")]
    print(f"Chatten svarer på http://{args.address}:{args.port}/{base + '/' if base else ''} "
          f"(sundhedstjek: /{base + '/' if base else ''}{HEALTH_PATH})", flush=True)
    app.run(config={
        "server.headless": True,
        "server.address": args.address,
        "server.port": args.port,
        "server.baseUrlPath": base,
        "browser.gatherUsageStats": False,
        # st.login reads [auth] from the same file the editor rules read (ERFARINGSBANKEN_SECRETS).
        "secrets.files": [str(secrets_path().resolve())],
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
