"""Vectors saved while a build embeds, so a build that is killed resumes from them.

A build writes each embedded chunk to `<index_dir>/embedding-progress/` as soon as it has it
(one small .npz per chunk, written whole under a temporary name and renamed), keyed by the
texts' content hashes and named for the model. The next build reads them with the previous
index's own cache; once a build is saved, its cache holds them all and the folder is emptied.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from pathlib import Path

import numpy as np

PROGRESS_DIR = "embedding-progress"


def progress_dir(index_dir: Path) -> Path:
    """Where a build of `index_dir` saves its vectors as it goes."""
    return Path(index_dir) / PROGRESS_DIR


def _model_tag(model_name: str, dim: int) -> str:
    return hashlib.sha256(f"{model_name}\0{dim}".encode()).hexdigest()[:16]


def write_chunk(folder: Path, model_name: str, dim: int, keys: list[str], vectors: np.ndarray) -> None:
    """Save one embedded chunk; a reader sees the whole file or none of it.

    Args:
        folder: the progress folder (created when missing).
        model_name: the embedder's name; only a build with the same model reads the chunk.
        dim: its dimension.
        keys: the content hashes of the texts, in the order of `vectors`.
        vectors: float32 (len(keys), dim).
    """
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{_model_tag(model_name, dim)}-{uuid.uuid4().hex}.npz"
    tmp = folder / f".{name}.tmp"
    with tmp.open("wb") as handle:
        np.savez(handle, keys=np.asarray(keys, dtype="U64"), vectors=np.asarray(vectors, dtype=np.float32))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, folder / name)


def read_chunks(folder: Path, model_name: str, dim: int) -> dict[str, np.ndarray]:
    """Every vector saved by earlier, unfinished builds with this model (an unreadable chunk is skipped).

    Args:
        folder: the progress folder (it may be missing).
        model_name: the embedder of the new build.
        dim: its dimension.

    Returns:
        content hash -> vector.
    """
    found: dict[str, np.ndarray] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob(f"{_model_tag(model_name, dim)}-*.npz")):
        try:
            with np.load(path, allow_pickle=False) as chunk:
                keys, vectors = chunk["keys"], chunk["vectors"]
        except (OSError, ValueError, KeyError):
            continue  # a chunk cut short by a crash only means those texts are embedded again
        if vectors.ndim != 2 or vectors.shape != (len(keys), dim):
            continue
        found.update(zip((str(k) for k in keys), vectors, strict=True))
    return found


def clear(folder: Path) -> None:
    """Remove the progress folder once a build that holds its vectors is saved."""
    shutil.rmtree(folder, ignore_errors=True)
