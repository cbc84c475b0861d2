"""The index on disk: one folder per build, swapped in whole through a `current` symlink.

Layout of `index_dir`:
    current -> build-<stamp>/        (relative symlink, replaced atomically with os.replace)
    build-<stamp>/manifest.json       (format, model, counts, versions, sha256 of every file)
    build-<stamp>/passages.jsonl, passage_offsets.npy (byte offset of each line, then the size),
                  passage_columns.npz + passage_codes.json (filter and navigation columns),
                  articles.json, dense_sentences.faiss, sentence_owners.npy,
                  dense_context.faiss, bm25/, vectors.npy, keys.json (embedding cache)
A reader resolves `current` once and reads only that build, so neither a concurrent build nor a
killed one can show it a half-written index. Passages stay on disk and are read by offset when
shown (index/passage_store.py). No pickle anywhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
import uuid
from array import array
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, Field, ValidationError

from index.danish import DanishAnalyzer
from index.dense import DenseIndex
from index.errors import IndexCorruptError, IndexFormatError, IndexNotFoundError, SearchIndexError
from index.lexical import LexicalIndex
from index.passage_columns import CODES_FILE, COLUMNS_FILE, PassageColumns
from index.passage_store import PassageStore
from index.views import PASSAGE_VIEWS
from ingest.models import Article, Passage

# 2: the context index stacks one row per passage view (index/views.py), not one per passage.
# 3: passages are read by offset (passage_offsets.npy); filter columns are saved with the build.
# 4: the passage views are derived from sentence vectors (index/views.py), not embedded.
# 5: passage_columns.npz holds which passages are bullets (for neighbour propagation).
FORMAT_VERSION = 5
# Builds whose embedding cache (vectors.npy, keys.json) this version can reuse: the cache is
# unchanged since format 2, so an upgrade re-embeds nothing.
CACHE_FORMATS = (2, 3, 4, 5)
CURRENT = "current"
MANIFEST = "manifest.json"
PASSAGES = "passages.jsonl"
PASSAGE_OFFSETS = "passage_offsets.npy"
PASSAGE_COLUMNS = COLUMNS_FILE
PASSAGE_CODES = CODES_FILE
ARTICLES = "articles.json"
SENTENCE_FAISS = "dense_sentences.faiss"
SENTENCE_OWNERS = "sentence_owners.npy"
CONTEXT_FAISS = "dense_context.faiss"
BM25_DIR = "bm25"
CACHE_VECTORS = "vectors.npy"
CACHE_KEYS = "keys.json"
_STALE_TMP_SECONDS = 3600
_READ_ATTEMPTS = 3
# A file's hash is remembered only when it had not changed for this long before hashing began:
# any later write then gives it a newer ctime than the remembered one, even on a coarse clock.
_SETTLED_NS = 2_000_000_000
_MAX_REMEMBERED = 4096
# numpy parses every .npy header with `ast.literal_eval`, and CPython 3.11's AST builder keeps its
# recursion depth per interpreter, not per thread: two threads loading at once can fail one of
# them with "SystemError: AST constructor recursion depth mismatch". Reading the files of a build
# (not hashing them) is therefore done by one thread at a time.
_READ_LOCK = threading.Lock()


class Manifest(BaseModel):
    """What a build holds and how it was made; `files` lets load() detect any changed byte."""

    format_version: int
    model_name: str
    dim: int
    corpus_hash: str | None = None
    n_passages: int
    n_sentences: int
    n_articles: int
    created: datetime
    versions: dict[str, str] = Field(default_factory=dict)
    analyzer: dict[str, Any] = Field(default_factory=dict)
    signals: list[str] = Field(default_factory=list)
    files: dict[str, str] = Field(default_factory=dict, description="Relative path -> sha256 of its bytes.")


@dataclass
class IndexParts:
    """Everything a Searcher is made of, as built in memory or read from disk."""

    manifest: Manifest
    passages: Sequence[Passage]
    articles: list[Article]
    sentences: DenseIndex
    contexts: DenseIndex
    lexical: LexicalIndex
    cache_keys: list[str]
    cache_vectors: np.ndarray
    columns: PassageColumns | None = None  # None: computed from `passages` when needed


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
    return folder, _read_manifest_in(index_dir, folder)


def _read_manifest_in(index_dir: Path, folder: Path, formats: tuple[int, ...] = (FORMAT_VERSION,)) -> Manifest:
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
        SENTENCE_FAISS, SENTENCE_OWNERS, CONTEXT_FAISS, CACHE_VECTORS, CACHE_KEYS,
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
        digests = list(pool.map(lambda name: _digest_or_none(folder / name), names))
    for name, digest in zip(names, digests, strict=True):
        if digest is None:
            # Deleted while being checked (two rebuilds in a row): `read` then reads the newer build.
            raise IndexCorruptError(index_dir, f"filen {name} mangler")
        if digest != manifest.files[name]:
            raise IndexCorruptError(index_dir, f"filen {name} er ændret eller afkortet siden indekset blev bygget")


def read(index_dir: Path, analyzer: DanishAnalyzer | None = None) -> IndexParts:
    """Read and fully verify the current build (format, file hashes, counts).

    Args:
        index_dir: the index folder.
        analyzer: the Danish analyzer to attach to BM25; a new one when None.

    Returns:
        The parts of the index.

    Raises:
        IndexNotFoundError, IndexFormatError, IndexCorruptError.
    """
    for attempt in range(1, _READ_ATTEMPTS + 1):
        folder: Path | None = None
        try:
            folder = build_dir(index_dir)
            return _read_build(index_dir, folder, analyzer)
        except IndexCorruptError:
            # A reader that resolved `current` just before two rebuilds in a row may find its
            # build deleted under it: that is not damage, the newest build is read instead.
            if attempt == _READ_ATTEMPTS or not _current_moved(index_dir, folder):
                raise
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _read_build(index_dir: Path, folder: Path, analyzer: DanishAnalyzer | None) -> IndexParts:
    manifest = _read_manifest_in(index_dir, folder)
    verify_files(index_dir, folder, manifest)
    with _READ_LOCK:
        return _read_verified(index_dir, folder, manifest, analyzer)


def _read_verified(index_dir: Path, folder: Path, manifest: Manifest, analyzer: DanishAnalyzer | None) -> IndexParts:
    try:
        offsets = np.load(folder / PASSAGE_OFFSETS, allow_pickle=False)
        _check_offsets(index_dir, offsets, (folder / PASSAGES).stat().st_size)
        passages = PassageStore(folder / PASSAGES, offsets, index_dir)
        columns = PassageColumns.load(folder, manifest.n_passages)
        articles = [Article.model_validate(a) for a in json.loads((folder / ARTICLES).read_text(encoding="utf-8"))]
        owners = np.load(folder / SENTENCE_OWNERS, allow_pickle=False)
        sentences = DenseIndex.load(folder / SENTENCE_FAISS, owners)
        contexts = DenseIndex.load(folder / CONTEXT_FAISS, np.arange(manifest.n_passages * len(PASSAGE_VIEWS)))
        lexical = LexicalIndex.load(folder / BM25_DIR, analyzer)
        # Only a rebuild reads these (to re-use vectors): mapped, they cost no memory while serving.
        cache_vectors = np.load(folder / CACHE_VECTORS, mmap_mode="r", allow_pickle=False)
        cache_keys = json.loads((folder / CACHE_KEYS).read_text(encoding="utf-8"))
    except (OSError, ValueError, RuntimeError) as exc:
        # ValueError covers pydantic, JSON and numpy; RuntimeError is how FAISS reports a bad file.
        raise IndexCorruptError(index_dir, f"en fil kan ikke læses ({type(exc).__name__}: {exc})") from exc
    counts = {
        "passager i passage_offsets.npy": len(passages),
        "vektorer pr. visning i dense_context.faiss": contexts.ntotal // len(PASSAGE_VIEWS),
        "dokumenter i bm25/": lexical.n_docs,
    }
    if set(counts.values()) != {manifest.n_passages} or contexts.ntotal % len(PASSAGE_VIEWS):
        detail = ", ".join(f"{v} {k}" for k, v in counts.items())
        raise IndexCorruptError(
            index_dir, f"antallene passer ikke sammen ({detail}; manifestet siger {manifest.n_passages})"
        )
    if sentences.ntotal != manifest.n_sentences or (len(owners) and owners.max() >= manifest.n_passages):
        raise IndexCorruptError(index_dir, "sætningsindekset passer ikke til passagerne")
    if {sentences.dim, contexts.dim} != {manifest.dim} or cache_vectors.shape[0] != len(cache_keys):
        raise IndexCorruptError(index_dir, "vektorernes dimension eller antal passer ikke til manifestet")
    _check_ends(index_dir, passages, columns)
    return IndexParts(manifest, passages, articles, sentences, contexts, lexical, cache_keys, cache_vectors, columns)


def _check_offsets(index_dir: Path, offsets: np.ndarray, size: int) -> None:
    """The offsets must start at 0, grow line by line and end exactly at the passages file's size."""
    if offsets.dtype != np.int64 or offsets.ndim != 1 or len(offsets) < 1 or offsets[0] != 0:
        raise IndexCorruptError(index_dir, f"{PASSAGE_OFFSETS} er ikke en gyldig liste over linjernes placering")
    if len(offsets) > 1 and not bool(np.all(offsets[1:] > offsets[:-1])):
        raise IndexCorruptError(index_dir, f"linjernes placeringer i {PASSAGE_OFFSETS} er ikke i stigende orden")
    if int(offsets[-1]) != size:
        raise IndexCorruptError(
            index_dir,
            f"antallene passer ikke sammen ({PASSAGES} har {size} byte, men {PASSAGE_OFFSETS} "
            f"regner med {int(offsets[-1])} byte for {len(offsets) - 1} passager)",
        )


def _check_ends(index_dir: Path, passages: PassageStore, columns: PassageColumns) -> None:
    """Read the first and the last passage: offsets that do not fall on line starts show at once."""
    for position in {0, len(passages) - 1} if len(passages) else set():
        passage = passages[position]
        if columns.tables.article[int(columns.article[position])] != passage.article.id:
            raise IndexCorruptError(
                index_dir, f"{PASSAGE_COLUMNS} passer ikke til passage {position + 1} i {PASSAGES}"
            )


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
    files = {
        path.relative_to(folder).as_posix(): _sha256(path)
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
        manifest = _read_manifest_in(Path(index_dir), folder, CACHE_FORMATS)
        if manifest.model_name != model_name or manifest.dim != dim:
            return {}
        keys = json.loads((folder / CACHE_KEYS).read_text(encoding="utf-8"))
        with _READ_LOCK:
            vectors = np.load(folder / CACHE_VECTORS, allow_pickle=False)
        if file_sha256(folder / CACHE_VECTORS) != manifest.files.get(CACHE_VECTORS):
            return {}
    except (IndexNotFoundError, IndexFormatError, IndexCorruptError, OSError, ValueError):
        # A broken old index only means everything is embedded afresh.
        return {}
    if vectors.ndim != 2 or vectors.shape != (len(keys), dim):
        return {}
    return dict(zip(keys, vectors, strict=True))


def _current_moved(index_dir: Path, folder: Path | None) -> bool:
    """True when `current` now names another build than `folder`, the one a read started from."""
    try:
        return build_dir(index_dir) != folder
    except SearchIndexError:
        return False


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


_remembered: dict[tuple[int, int], tuple[int, int, int, str]] = {}
_remembered_lock = threading.Lock()
_hashed = [0]


def file_sha256(path: Path) -> str:
    """The sha256 of a file, hashed at most once per process while the file is unchanged.

    Args:
        path: the file.

    Returns:
        The hex digest of its bytes now.
    """
    before = path.stat()
    key = (before.st_dev, before.st_ino)
    stamp = (before.st_size, before.st_mtime_ns, before.st_ctime_ns)
    with _remembered_lock:
        known = _remembered.get(key)
    if known is not None and known[:3] == stamp:
        return known[3]
    started = time.time_ns()
    digest = _sha256(path)
    after = path.stat()
    # Remember only a file that was settled before hashing began and did not change during it.
    if (after.st_size, after.st_mtime_ns, after.st_ctime_ns) == stamp and stamp[2] < started - _SETTLED_NS:
        with _remembered_lock:
            if len(_remembered) >= _MAX_REMEMBERED:
                _remembered.clear()
            _remembered[key] = (*stamp, digest)
    return digest


def _digest_or_none(path: Path) -> str | None:
    """The file's sha256, or None when it is gone."""
    try:
        return file_sha256(path)
    except FileNotFoundError:
        return None


def hashed_bytes() -> int:
    """How many bytes of index files this process has hashed, writing or verifying (to measure start-up).

    Returns:
        The running total.
    """
    return _hashed[0]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            _hashed[0] += len(block)
    return digest.hexdigest()
