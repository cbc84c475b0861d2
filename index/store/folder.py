"""Which build an index folder holds, and whether its files are the ones its manifest names.

A reader resolves `current` once and reads only that build (index/store/reading.py), so neither a
concurrent build nor a killed one can show it a half-written index (index/store/writing.py). The
files are named in index/store/layout.py. No pickle anywhere.
"""

from __future__ import annotations

import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from pydantic import ValidationError

from index.errors import IndexCorruptError, IndexFormatError, IndexNotFoundError, SearchIndexError
from index.store.hashing import digest_or_none, file_sha256
from index.store.layout import (
    ARTICLES,
    BM25_DIR,
    CACHE_FORMATS,
    CACHE_KEYS,
    CACHE_VECTORS,
    CALIBRATION,
    CONTEXT_FAISS,
    CURRENT,
    FORMAT_VERSION,
    MANIFEST,
    PASSAGE_CODES,
    PASSAGE_COLUMNS,
    PASSAGE_OFFSETS,
    PASSAGES,
    SENTENCE_FAISS,
    SENTENCE_OWNERS,
    Manifest,
)
from ingest.models import Article

# numpy parses every .npy header with `ast.literal_eval`, and CPython 3.11's AST builder keeps its
# recursion depth per interpreter, not per thread: two threads loading at once can fail one of
# them with "SystemError: AST constructor recursion depth mismatch". Reading the files of a build
# (not hashing them) is therefore done by one thread at a time.
READ_LOCK = threading.Lock()


def build_dir(index_dir: Path) -> Path:
    """The folder of the build `index_dir` currently points at.

    Args:
        index_dir: the index folder (holding `current`), or a build folder itself.

    Returns:
        The build folder.

    Raises:
        IndexNotFoundError: there is no index there.
    """
    index_dir = Path(index_dir)
    link = index_dir / CURRENT
    if link.is_symlink() or link.exists():
        target = link.resolve()
        if not target.is_dir():
            raise IndexCorruptError(index_dir, f"'{CURRENT}' peger på {target.name}, som ikke findes")
        return target
    if (index_dir / MANIFEST).is_file():
        return index_dir
    raise IndexNotFoundError(index_dir)


def read_manifest(index_dir: Path) -> tuple[Path, Manifest]:
    """Read and validate the manifest of the current build.

    Args:
        index_dir: the index folder.

    Returns:
        (build folder, manifest).

    Raises:
        IndexNotFoundError, IndexFormatError, IndexCorruptError.
    """
    folder = build_dir(index_dir)
    return folder, manifest_in(index_dir, folder)


def manifest_in(index_dir: Path, folder: Path, formats: tuple[int, ...] = (FORMAT_VERSION,)) -> Manifest:
    path = folder / MANIFEST
    if not path.is_file():
        raise IndexCorruptError(index_dir, f"{MANIFEST} mangler")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexCorruptError(index_dir, f"{MANIFEST} kan ikke læses ({exc})") from exc
    version = raw.get("format_version") if isinstance(raw, dict) else None
    if version not in formats:
        raise IndexFormatError(index_dir, f"formatversion {version!r}, forventet {FORMAT_VERSION}")
    try:
        return Manifest.model_validate(raw)
    except ValidationError as exc:
        raise IndexFormatError(index_dir, f"{MANIFEST} har ugyldige felter ({exc.error_count()} fejl)") from exc


def verify_files(index_dir: Path, folder: Path, manifest: Manifest) -> None:
    """Check that every file the manifest lists exists with the same sha256, and nothing is missing.

    A file this process already hashed, unchanged since (same inode, size, mtime and ctime), is
    not read again: the staleness check and the load of one start hash each file once.

    Args:
        index_dir: the index folder, named in errors.
        folder: the build folder.
        manifest: its manifest.

    Raises:
        IndexCorruptError: naming the first file that differs.
    """
    required = {
        PASSAGES, PASSAGE_OFFSETS, PASSAGE_COLUMNS, PASSAGE_CODES, ARTICLES,
        SENTENCE_FAISS, SENTENCE_OWNERS, CONTEXT_FAISS, CACHE_VECTORS, CACHE_KEYS, CALIBRATION,
    }
    missing_entries = sorted(required - set(manifest.files))
    if missing_entries or not any(name.startswith(BM25_DIR + "/") for name in manifest.files):
        raise IndexCorruptError(index_dir, f"manifestet nævner ikke {', '.join(missing_entries) or BM25_DIR + '/'}")
    names = sorted(manifest.files)
    for name in names:
        if not (folder / name).is_file():
            raise IndexCorruptError(index_dir, f"filen {name} mangler")
    # hashlib lets go of the GIL on large blocks: at a million passages (~17 GB) every core counts.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        digests = list(pool.map(lambda name: digest_or_none(folder / name), names))
    for name, digest in zip(names, digests, strict=True):
        if digest is None:
            # Deleted while being checked (two rebuilds in a row): `read` then reads the newer build.
            raise IndexCorruptError(index_dir, f"filen {name} mangler")
        if digest != manifest.files[name]:
            raise IndexCorruptError(index_dir, f"filen {name} er ændret eller afkortet siden indekset blev bygget")


def read_articles(index_dir: Path) -> list[Article]:
    """The articles the current build holds, read without verifying the rest of the build.

    Args:
        index_dir: the index folder.

    Returns:
        The articles (empty when there is no readable build).
    """
    try:
        folder = build_dir(Path(index_dir))
        raw = json.loads((folder / ARTICLES).read_text(encoding="utf-8"))
        return [Article.model_validate(a) for a in raw]
    except (SearchIndexError, OSError, ValueError):
        return []


def read_cache(index_dir: Path | None, model_name: str, dim: int) -> dict[str, np.ndarray]:
    """Embeddings of an earlier build, by content hash, for re-using on a re-ingest.

    Args:
        index_dir: the earlier index folder, or None.
        model_name: the embedder of the new build; vectors of another model are never reused.
        dim: its dimension.

    Returns:
        content hash -> vector; empty when there is nothing valid to reuse.
    """
    if index_dir is None:
        return {}
    try:
        folder = build_dir(Path(index_dir))
        manifest = manifest_in(Path(index_dir), folder, CACHE_FORMATS)
        if manifest.model_name != model_name or manifest.dim != dim:
            return {}
        keys = json.loads((folder / CACHE_KEYS).read_text(encoding="utf-8"))
        with READ_LOCK:
            vectors = np.load(folder / CACHE_VECTORS, allow_pickle=False)
        if file_sha256(folder / CACHE_VECTORS) != manifest.files.get(CACHE_VECTORS):
            return {}
    except (IndexNotFoundError, IndexFormatError, IndexCorruptError, OSError, ValueError):
        # A broken old index only means everything is embedded afresh.
        return {}
    if vectors.ndim != 2 or vectors.shape != (len(keys), dim):
        return {}
    return dict(zip(keys, vectors, strict=True))


def current_moved(index_dir: Path, folder: Path | None) -> bool:
    """True when `current` now names another build than `folder`, the one a read started from."""
    try:
        return build_dir(index_dir) != folder
    except SearchIndexError:
        return False
