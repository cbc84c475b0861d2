"""Write a build of the index folder: a complete new folder beside the current one, then one symlink swap."""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from array import array
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from index.errors import IndexCorruptError
from index.store.columns import PassageColumns
from index.store.folder import build_dir
from index.store.hashing import sha256
from index.store.layout import (
    ARTICLES,
    BM25_DIR,
    CACHE_KEYS,
    CACHE_VECTORS,
    CALIBRATION,
    CONTEXT_FAISS,
    CURRENT,
    MANIFEST,
    PASSAGE_OFFSETS,
    PASSAGES,
    SENTENCE_FAISS,
    SENTENCE_OWNERS,
    IndexParts,
)
from ingest.models import Passage

_STALE_TMP_SECONDS = 3600


def write(parts: IndexParts, index_dir: Path) -> Path:
    """Write a complete build beside the current one, then point `current` at it atomically.

    Args:
        parts: the index to write (its manifest's `files` is filled in here).
        index_dir: the index folder; created if missing.

    Returns:
        The new build folder.
    """
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(index_dir)
    name = f"build-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
    tmp = index_dir / f".{name}.tmp"
    tmp.mkdir()
    try:
        _write_files(parts, tmp)
        os.replace(tmp, index_dir / name)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        previous = build_dir(index_dir) if (index_dir / CURRENT).is_symlink() else None
    except IndexCorruptError:
        previous = None  # `current` pointed at a deleted build: nothing to keep, the new one replaces it
    link_tmp = index_dir / f".{CURRENT}.{uuid.uuid4().hex[:8]}.tmp"
    os.symlink(name, link_tmp)
    os.replace(link_tmp, index_dir / CURRENT)
    _fsync_dir(index_dir)
    # Keep the previous build one generation: a reader that resolved `current` just before the
    # swap can still finish reading it.
    keep = {name, previous.name if previous else None}
    for old in index_dir.glob("build-*"):
        if old.name not in keep and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    return index_dir / name


def _write_files(parts: IndexParts, folder: Path) -> None:
    write_passages(parts.passages, folder)
    (parts.columns or PassageColumns.of(parts.passages)).save(folder)
    (folder / ARTICLES).write_text(
        json.dumps([a.model_dump(mode="json") for a in parts.articles], ensure_ascii=False, indent=1), encoding="utf-8"
    )
    parts.sentences.save(folder / SENTENCE_FAISS)
    np.save(folder / SENTENCE_OWNERS, parts.sentences.owners.astype(np.int64), allow_pickle=False)
    parts.contexts.save(folder / CONTEXT_FAISS)
    parts.lexical.save(folder / BM25_DIR)
    np.save(folder / CACHE_VECTORS, np.asarray(parts.cache_vectors, dtype=np.float32), allow_pickle=False)
    (folder / CACHE_KEYS).write_text(json.dumps(parts.cache_keys), encoding="utf-8")
    if parts.calibration is None:
        raise ValueError("an index is written with the calibration it is judged with (Searcher makes it)")
    (folder / CALIBRATION).write_text(parts.calibration.model_dump_json(indent=1), encoding="utf-8")
    files = {
        path.relative_to(folder).as_posix(): sha256(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }
    parts.manifest = parts.manifest.model_copy(update={"files": files})
    (folder / MANIFEST).write_text(parts.manifest.model_dump_json(indent=1), encoding="utf-8")
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb+") as handle:
                os.fsync(handle.fileno())


def write_passages(passages: Iterable[Passage], folder: Path) -> np.ndarray:
    """Write passages.jsonl line by line (never one joined string), and its line offsets beside it.

    Args:
        passages: the passages, in index order (iterated once; a generator will do).
        folder: the build folder being written.

    Returns:
        The offsets written to passage_offsets.npy: each line's first byte, then the file's size.
    """
    # 8 bytes an offset, grown as lines are written: a million passages never sit in memory.
    offsets = array("q")
    written = 0
    with (folder / PASSAGES).open("wb") as handle:
        for passage in passages:
            line = (passage.model_dump_json() + "\n").encode("utf-8")
            offsets.append(written)
            handle.write(line)
            written += len(line)
    offsets.append(written)
    as_array = np.frombuffer(offsets, dtype=np.int64)
    np.save(folder / PASSAGE_OFFSETS, as_array, allow_pickle=False)
    return as_array


def _remove_abandoned(index_dir: Path) -> None:
    """Remove temp folders of builds that were killed (old enough not to be running still)."""
    now = time.time()
    for tmp in index_dir.glob(".build-*.tmp"):
        if now - tmp.stat().st_mtime > _STALE_TMP_SECONDS:
            shutil.rmtree(tmp, ignore_errors=True)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
