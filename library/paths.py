"""Where a library lives: one data folder, outside the code, that holds all a municipality adds.

    <library>/library.json    what the folder is: its layout version, when and from what it was made
    <library>/articles/       the articles, articles.toml, .changes.jsonl, .removed/, .journal/
    <library>/index/          the search index

Which folder: `--library DIR` on a command, else `$ERFARINGSBANKEN_LIBRARY`, else `data/` in the
checkout (git ignores it). The app, `python -m ingest`, `python -m index` and `python -m library`
read the same setting. `--corpus DIR` and `--index-dir DIR` still name one folder alone and win
over the library's; `--corpus` without `--index-dir` (and without `--library`) keeps its old
partner `.index`, so a command given the old flags works on the folders it always did.

A new library is made from the articles shipped in the repository's `corpus/` (read, never
changed); a checkout whose `corpus/` holds a library of its own is moved over once
(library/upgrade.py).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field

from ingest.metadata import METADATA_FILE
from library.lock import folder_lock
from library.restore_journal import RestoreJournalError, recover_restore
from library.upgrade import legacy_additions, move_legacy_library

LIBRARY_ENV = "ERFARINGSBANKEN_LIBRARY"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LIBRARY = ROOT / "data"
SEED_CORPUS = ROOT / "corpus"
LEGACY_INDEX = Path(".index")
ARTICLES = "articles"
INDEX = "index"
MARKER = "library.json"
# 1: articles/ and index/ under one folder, described by library.json.
LAYOUT_VERSION = 1


class LibraryLayoutError(RuntimeError):
    """The data folder was written by a newer version of the program, or is not a library."""


class LibraryPaths(BaseModel):
    """The folders one command or app works on."""

    root: Path | None = Field(description="The library folder; None when the folders were named alone.")
    corpus_dir: Path
    index_dir: Path


class LibraryInfo(BaseModel):
    """library.json: what the data folder is."""

    layout: int = LAYOUT_VERSION
    created: datetime
    made_from: str = Field(description="Danish: the seeds, a moved corpus/ or a backup.")


def resolve_paths(
    library: Path | str | None = None,
    corpus: Path | str | None = None,
    index_dir: Path | str | None = None,
    environ: Mapping[str, str] | None = None,
) -> LibraryPaths:
    """The folders a command works on, from its flags and the environment.

    Args:
        library: `--library`, or None.
        corpus: `--corpus`, or None.
        index_dir: `--index-dir`, or None.
        environ: The environment (default `os.environ`).

    Returns:
        The folders; `root` is set when the articles are the library's own.
    """
    env = os.environ if environ is None else environ
    root = Path(library or env.get(LIBRARY_ENV) or DEFAULT_LIBRARY).expanduser().absolute()
    if corpus is None:
        return LibraryPaths(root=root, corpus_dir=root / ARTICLES, index_dir=Path(index_dir or root / INDEX))
    partner = index_dir or (root / INDEX if library else LEGACY_INDEX)
    return LibraryPaths(root=None, corpus_dir=Path(corpus), index_dir=Path(partner))


def check_layout(root: Path) -> None:
    """Refuse a data folder a newer version of the program laid out differently (never misread it).

    Raises:
        LibraryLayoutError: Its layout is newer than this version knows (Danish message).
    """
    try:
        raw = json.loads((root / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    layout = raw.get("layout") if isinstance(raw, dict) else None
    if isinstance(layout, int) and layout > LAYOUT_VERSION:
        raise LibraryLayoutError(
            f"Biblioteket i {root} er lagt an af en nyere version af Erfaringsbanken (layout {layout}; denne "
            f"version kender {LAYOUT_VERSION}). Opgrader programmet (git pull), eller peg på et andet bibliotek "
            "med --library."
        )


def write_info(root: Path, made_from: str) -> None:
    """Write library.json whole (a temporary file renamed into place)."""
    info = LibraryInfo(created=datetime.now(UTC), made_from=made_from)
    tmp = root / f".{MARKER}.{os.getpid()}.tmp"
    tmp.write_text(info.model_dump_json(indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, root / MARKER)


def seed_files(seeds: Path) -> list[Path]:
    """The files shipped in the repository's corpus/: its articles and articles.toml (no hidden file)."""
    return sorted(p for p in seeds.iterdir() if p.is_file() and not p.is_symlink() and not p.name.startswith("."))


def ensure_library(paths: LibraryPaths, seeds: Path = SEED_CORPUS, checkout: Path = ROOT) -> str | None:
    """Make the library folder when it does not exist yet, and say what was done.

    A checkout whose corpus/ holds more than it shipped with (articles added, a change log, removed
    articles) has its library moved over once; otherwise the shipped articles are copied in. The
    repository's own files are only read.

    Args:
        paths: The folders (nothing is done when they were named alone).
        seeds: The shipped articles.
        checkout: The checkout whose corpus/ may hold an older library.

    A restore a kill interrupted is finished or undone first: it may have left no articles folder,
    and a new library must never be made over it.

    Returns:
        A Danish message when a library was made or moved, or an interrupted restore finished or
        undone, else None.

    Raises:
        LibraryLayoutError: The folder was laid out by a newer version, or an interrupted restore's
            journal cannot be read.
    """
    root = paths.root
    if root is not None:
        check_layout(root)
    try:
        recovered = recover_restore(paths.corpus_dir)
    except RestoreJournalError as exc:
        raise LibraryLayoutError(str(exc)) from exc
    said = recovered.message if recovered is not None else None
    if root is None or paths.corpus_dir.is_dir():
        return said
    try:
        return _make(paths, root, seeds, checkout)
    except OSError as exc:
        raise LibraryLayoutError(
            f"Biblioteket kan ikke laves i {root} ({exc.strerror or exc}). Tjek, at mappen kan skrives af den "
            "bruger, programmet kører som, eller vælg en anden med --library (ERFARINGSBANKEN_LIBRARY)."
        ) from exc


def _make(paths: LibraryPaths, root: Path, seeds: Path, checkout: Path) -> str | None:
    with folder_lock(root):  # only one process makes a library at a time
        if paths.corpus_dir.is_dir():  # another process made it while this one waited
            return None
        additions = legacy_additions(checkout, seeds)
        if additions:
            message = move_legacy_library(checkout, seeds, additions, paths.corpus_dir, paths.index_dir)
            write_info(root, f"flyttet fra {seeds}")
            return message
        staging = root / f".{ARTICLES}-new-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        shipped = seed_files(seeds)
        for path in shipped:
            shutil.copy2(path, staging / path.name)
        os.replace(staging, paths.corpus_dir)
        write_info(root, f"de medfølgende artikler i {seeds}")
    articles = [p for p in shipped if p.name != METADATA_FILE]
    return (f"Nyt bibliotek i {root}: de {len(articles)} medfølgende artikler fra {seeds} er kopieret ind "
            f"(mappen {paths.corpus_dir}). Programmets egne filer ændres ikke.")
