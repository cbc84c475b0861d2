"""Dense retrieval: a FAISS inner-product index over normalised vectors, rows owned by passages.

Several rows may belong to one passage (one row per sentence); a passage is scored by its best
row. The FAISS index hides behind `DenseIndex` so a flat index can become IVF at scale without
the searcher changing.
"""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

# One query is a single small matrix product; OpenMP threads only add start-up latency here.
faiss.omp_set_num_threads(1)


class DenseIndex:
    """Exact cosine search (IndexFlatIP) with a row -> passage-position map."""

    def __init__(self, index: faiss.Index, owners: np.ndarray) -> None:
        if index.ntotal != len(owners):
            raise ValueError(f"FAISS holds {index.ntotal} vectors but {len(owners)} owners were given")
        self._index = index
        self.owners = np.asarray(owners, dtype=np.int64)

    @classmethod
    def from_vectors(cls, vectors: np.ndarray, owners: np.ndarray | None = None) -> DenseIndex:
        """Index normalised vectors.

        Args:
            vectors: float32 (n, dim), rows of unit length.
            owners: passage position of each row; None means row i belongs to passage i.

        Returns:
            The index.
        """
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        index = faiss.IndexFlatIP(vectors.shape[1])
        if len(vectors):
            index.add(vectors)
        return cls(index, np.arange(len(vectors)) if owners is None else owners)

    @property
    def ntotal(self) -> int:
        return int(self._index.ntotal)

    @property
    def dim(self) -> int:
        return int(self._index.d)

    def passage_scores(self, query: np.ndarray, n_passages: int, depth: int | None = None) -> np.ndarray:
        """Cosine of each passage's best row to the query.

        Args:
            query: float32 (dim,), unit length.
            n_passages: how many passages the owners refer to.
            depth: rows to fetch; None fetches all (exact). Passages not reached get the lowest
                fetched score, so they rank last without distorting the per-query statistics.

        Returns:
            float32 (n_passages,).
        """
        k = self.ntotal if depth is None else min(depth, self.ntotal)
        if k == 0:
            return np.zeros(n_passages, dtype=np.float32)
        scores, rows = self._index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k)
        return best_per_owner(rows[0], scores[0], self.owners, n_passages)

    def save(self, path: Path) -> None:
        """Write the FAISS index to `path` (the owners are saved by the store)."""
        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path, owners: np.ndarray) -> DenseIndex:
        """Read a FAISS index written by `save`.

        Args:
            path: the .faiss file.
            owners: the row -> passage map saved beside it.

        Returns:
            The index.
        """
        return cls(faiss.read_index(str(path)), owners)


def best_per_owner(rows: np.ndarray, scores: np.ndarray, owners: np.ndarray, n_owners: int) -> np.ndarray:
    """Max score per owner over the fetched rows; owners never fetched get the lowest fetched score.

    Args:
        rows: fetched row ids (FAISS pads with -1 when it has fewer).
        scores: their scores.
        owners: owner of every row of the index.
        n_owners: number of owners.

    Returns:
        float32 (n_owners,).
    """
    valid = rows >= 0
    rows, scores = rows[valid], scores[valid].astype(np.float32)
    if len(scores) == 0:
        return np.zeros(n_owners, dtype=np.float32)
    out = np.full(n_owners, -np.inf, dtype=np.float32)
    np.maximum.at(out, owners[rows], scores)
    out[np.isneginf(out)] = scores.min()
    return out
