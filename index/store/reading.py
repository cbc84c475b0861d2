"""Read a build of the index folder whole: every file verified against the manifest, the counts checked."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from index.decline.calibration import IndexCalibration
from index.dense.faiss_index import DenseIndex
from index.dense.views import PASSAGE_VIEWS
from index.errors import IndexCorruptError
from index.lexical.bm25 import LexicalIndex
from index.store.columns import PassageColumns
from index.store.folder import READ_LOCK, build_dir, current_moved, manifest_in, verify_files
from index.store.layout import (
    ARTICLES,
    BM25_DIR,
    CACHE_KEYS,
    CACHE_VECTORS,
    CALIBRATION,
    CONTEXT_FAISS,
    PASSAGE_COLUMNS,
    PASSAGE_OFFSETS,
    PASSAGES,
    SENTENCE_FAISS,
    SENTENCE_OWNERS,
    IndexParts,
    Manifest,
)
from index.store.passages import PassageStore
from index.text.analyzer import DanishAnalyzer
from ingest.models import Article

_READ_ATTEMPTS = 3


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
            if attempt == _READ_ATTEMPTS or not current_moved(index_dir, folder):
                raise
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _read_build(index_dir: Path, folder: Path, analyzer: DanishAnalyzer | None) -> IndexParts:
    manifest = manifest_in(index_dir, folder)
    verify_files(index_dir, folder, manifest)
    with READ_LOCK:
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
        calibration = IndexCalibration.model_validate_json((folder / CALIBRATION).read_bytes())
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
    return IndexParts(
        manifest, passages, articles, sentences, contexts, lexical, cache_keys, cache_vectors, columns, calibration
    )


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
