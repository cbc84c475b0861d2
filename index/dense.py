"""Dense retrieval: FAISS inner-product search over normalised vectors, rows owned by passages.

Several rows may belong to one passage (one row per sentence); a passage is scored by its best
row. Below `EXACT_MAX_ROWS` rows the index is exact (IndexFlatIP). Above it, exact search costs
more than encoding the question (52 ms per query at 1M rows on one core), so the index becomes
IVF with 8-bit scalar quantisation, and the candidates it finds are re-scored exactly from the
float32 vectors kept in a memory-mapped file beside it. Both kinds are read and written by the
same `save`/`load`, so the store and the searcher never need to know which one they hold.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import faiss
import numpy as np

# One query is a small matrix product; OpenMP threads only add start-up latency there.
faiss.omp_set_num_threads(1)

log = logging.getLogger(__name__)

# Chosen in docs/BENCHMARKS.md: flat search at 200k rows still fits the latency budget of
# 1.5 x the question's encoding time; beyond it only the approximate index does.
EXACT_MAX_ROWS = 200_000
# Rows fetched from the approximate index and re-scored exactly: the re-rank lifts recall@10
# on real questions from ~0.96 to >= 0.97 for well under a millisecond.
RERANK_ROWS = 100
# Rows an approximate `passage_scores` fetches when the caller sets no depth.
DEFAULT_APPROX_DEPTH = 200
_ADD_CHUNK = 65_536
_TRAIN_POINTS_PER_LIST = 32
_TRAIN_ITERATIONS = 10
_SEED = 20240607


def vectors_path(faiss_path: Path) -> Path:
    """Where the float32 vectors of an approximate index live, beside its .faiss file.

    Args:
        faiss_path: the .faiss file.

    Returns:
        The .npy path (e.g. dense_context.faiss -> dense_context.vectors.npy).
    """
    return faiss_path.with_name(faiss_path.stem + ".vectors.npy")


def ivf_lists(n_rows: int) -> int:
    """Number of IVF lists for `n_rows` vectors: a power of two near 2 * sqrt(n), 64..4096.

    Fewer lists than the usual 4 * sqrt(n) halve the cost of assigning every vector at build
    time (the longest step on 2 cores); query cost depends on the share of lists probed.

    Args:
        n_rows: how many vectors will be indexed.

    Returns:
        The list count.
    """
    target = 2 * np.sqrt(max(1, n_rows))
    return int(min(4096, max(64, 2 ** round(np.log2(target)))))


def ivf_probes(n_lists: int) -> int:
    """Lists visited per query: 1/8 of them (docs/BENCHMARKS.md: 1/16 lost too much recall on real
    questions, 1/4 doubled the time).

    Args:
        n_lists: the list count.

    Returns:
        nprobe.
    """
    return max(8, n_lists // 8)


class DenseIndex:
    """Cosine search with a row -> passage-position map; exact or IVF-SQ8 with exact re-rank."""

    def __init__(self, index: faiss.Index, owners: np.ndarray, vectors: np.ndarray | None = None) -> None:
        if index.ntotal != len(owners):
            raise ValueError(f"FAISS holds {index.ntotal} vectors but {len(owners)} owners were given")
        self._index = index
        self.owners = np.asarray(owners, dtype=np.int64)
        self._ivf = _as_ivf(index)
        if self._ivf is not None:
            if vectors is None or vectors.shape != (index.ntotal, index.d):
                raise ValueError("an approximate index needs its float32 vectors for the exact re-rank")
            self._ivf.nprobe = ivf_probes(self._ivf.nlist)
        self._vectors = vectors
        self._rows_by_owner: tuple[np.ndarray, np.ndarray] | None = None

    @classmethod
    def from_vectors(
        cls, vectors: np.ndarray, owners: np.ndarray | None = None, exact_max_rows: int = EXACT_MAX_ROWS
    ) -> DenseIndex:
        """Index normalised vectors, exactly up to `exact_max_rows` rows, approximately above.

        Args:
            vectors: float32 (n, dim), rows of unit length; may be a np.memmap (added in chunks).
            owners: passage position of each row; None means row i belongs to passage i.
            exact_max_rows: largest row count that gets an exact index.

        Returns:
            The index.
        """
        owners = np.arange(len(vectors)) if owners is None else owners
        if len(vectors) <= exact_max_rows:
            vectors = np.ascontiguousarray(vectors, dtype=np.float32)
            index = faiss.IndexFlatIP(vectors.shape[1])
            if len(vectors):
                index.add(vectors)
            return cls(index, owners)
        return cls(_train_ivf(vectors), owners, vectors)

    @property
    def ntotal(self) -> int:
        return int(self._index.ntotal)

    @property
    def dim(self) -> int:
        return int(self._index.d)

    @property
    def is_approximate(self) -> bool:
        """True when the index is IVF-SQ8 with exact re-rank, False when it is exact."""
        return self._ivf is not None

    @property
    def kind(self) -> str:
        """A short description for reports, e.g. 'flat' or 'IVF4096,SQ8 nprobe=256 rerank=100'."""
        if self._ivf is None:
            return "flat"
        return f"IVF{self._ivf.nlist},SQ8 nprobe={self._ivf.nprobe} rerank={RERANK_ROWS}"

    def search_rows(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The k best rows for the query, best first, with their exact cosines.

        Args:
            query: float32 (dim,), unit length.
            k: how many rows.

        Returns:
            (rows int64, scores float32), at most k of each.
        """
        k = min(k, self.ntotal)
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        if self._ivf is None:
            scores, rows = self._index.search(q, k)
            keep = rows[0] >= 0
            return rows[0][keep].astype(np.int64), scores[0][keep]
        _, rows = self._index.search(q, max(k, RERANK_ROWS))
        rows = rows[0][rows[0] >= 0].astype(np.int64)
        # Quantised scores only choose candidates; the order comes from the stored float vectors.
        order = np.sort(rows)
        exact = np.asarray(self._vectors[order], dtype=np.float32) @ q[0]
        best = np.argsort(-exact, kind="stable")[:k]
        return order[best], exact[best]

    def passage_scores(self, query: np.ndarray, n_passages: int, depth: int | None = None) -> np.ndarray:
        """Cosine of each passage's best row to the query.

        Args:
            query: float32 (dim,), unit length.
            n_passages: how many passages the owners refer to.
            depth: rows to fetch; None fetches all when exact, `DEFAULT_APPROX_DEPTH` when
                approximate. Passages not reached get the lowest fetched score, so they rank
                last without distorting the per-query statistics.

        Returns:
            float32 (n_passages,).
        """
        if depth is None:
            depth = self.ntotal if self._ivf is None else DEFAULT_APPROX_DEPTH
        rows, scores = self.search_rows(query, depth)
        if len(rows) == 0:
            return np.zeros(n_passages, dtype=np.float32)
        return best_per_owner(rows, scores, self.owners, n_passages)

    def top_passages(self, query: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """The n best passages (by best row), best first: the dense side of a candidate search.

        Args:
            query: float32 (dim,), unit length.
            n: how many passages.

        Returns:
            (passage positions int64, cosines float32).
        """
        rows_per_passage = max(1, round(self.ntotal / max(1, int(self.owners.max(initial=0)) + 1)))
        rows, scores = self.search_rows(query, n * rows_per_passage * 2)
        owners = self.owners[rows]
        # Rows come best first, so the first row seen of each owner is its best.
        _, first = np.unique(owners, return_index=True)
        first = np.sort(first)[:n]
        return owners[first], scores[first]

    def scores_of(self, query: np.ndarray, passages: np.ndarray) -> np.ndarray:
        """Exact cosine of the best row of each given passage (for candidates other signals found).

        Args:
            query: float32 (dim,), unit length.
            passages: passage positions (any order, repeats allowed).

        Returns:
            float32, one per passage, in the given order (-1 for a passage with no row).
        """
        passages = np.asarray(passages, dtype=np.int64)
        out = np.full(len(passages), -1.0, dtype=np.float32)
        order, owners_sorted = self._owner_table()
        lo = np.searchsorted(owners_sorted, passages, side="left")
        counts = np.searchsorted(owners_sorted, passages, side="right") - lo
        has_rows = counts > 0
        if not has_rows.any():
            return out
        lo, counts = lo[has_rows], counts[has_rows]
        # Every row of every passage, grouped by passage: the start of each group repeated over
        # its length, plus the offset inside the group.
        group_start = np.repeat(np.cumsum(counts) - counts, counts)
        rows = order[np.repeat(lo, counts) + np.arange(int(counts.sum())) - group_start]
        row_scores = self.row_scores(query, rows)
        out[has_rows] = np.maximum.reduceat(row_scores, np.cumsum(counts) - counts)
        return out

    def row_scores(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Exact cosine of given rows to the query (from the stored vectors, not the quantised codes).

        Args:
            query: float32 (dim,), unit length.
            rows: row ids (any order).

        Returns:
            float32, one per row, in the given order.
        """
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) == 0:
            return np.zeros(0, dtype=np.float32)
        # Reading rows in file order keeps a memory-mapped read sequential.
        ascending = np.argsort(rows, kind="stable")
        scores = np.empty(len(rows), dtype=np.float32)
        scores[ascending] = self._row_vectors(rows[ascending]) @ np.asarray(query, dtype=np.float32)
        return scores

    def _owner_table(self) -> tuple[np.ndarray, np.ndarray]:
        if self._rows_by_owner is None:
            # Rows are added passage by passage, so owners are usually sorted already: no copy then.
            if len(self.owners) < 2 or bool((self.owners[1:] >= self.owners[:-1]).all()):
                self._rows_by_owner = (np.arange(len(self.owners)), self.owners)
            else:
                order = np.argsort(self.owners, kind="stable")
                self._rows_by_owner = (order, self.owners[order])
        return self._rows_by_owner

    def _row_vectors(self, rows: np.ndarray) -> np.ndarray:
        if self._vectors is not None:
            return np.asarray(self._vectors[rows], dtype=np.float32)
        return self._index.reconstruct_batch(rows)

    def save(self, path: Path) -> None:
        """Write the FAISS index to `path`; an approximate one also writes its float32 vectors.

        The owners are saved by the store.
        """
        faiss.write_index(self._index, str(path))
        if self._vectors is not None:
            out = np.lib.format.open_memmap(vectors_path(path), mode="w+", dtype=np.float32, shape=self._vectors.shape)
            for start in range(0, len(out), _ADD_CHUNK):
                out[start : start + _ADD_CHUNK] = self._vectors[start : start + _ADD_CHUNK]
            out.flush()
            del out

    @classmethod
    def load(cls, path: Path, owners: np.ndarray) -> DenseIndex:
        """Read an index written by `save`; an approximate one maps its vectors from disk.

        Args:
            path: the .faiss file.
            owners: the row -> passage map saved beside it.

        Returns:
            The index.
        """
        index = faiss.read_index(str(path))
        vectors = None
        if _as_ivf(index) is not None:
            # Memory-mapped: a query touches only the pages of the rows it re-ranks.
            vectors = np.load(vectors_path(path), mmap_mode="r", allow_pickle=False)
        return cls(index, owners, vectors)


def _as_ivf(index: faiss.Index) -> faiss.IndexIVF | None:
    try:
        return faiss.extract_index_ivf(index)
    except RuntimeError:
        return None


def _train_ivf(vectors: np.ndarray) -> faiss.Index:
    """IVF-SQ8 over `vectors`, trained on a seeded sample and filled in chunks (bounded memory)."""
    n, dim = vectors.shape
    n_lists = ivf_lists(n)
    # L2 on unit vectors ranks like cosine, and k-means by L2 is not skewed by the anisotropy of e5
    # vectors (all cosines 0.75-0.9) the way inner-product list assignment is; candidates are
    # re-scored by exact cosine anyway.
    index = faiss.index_factory(dim, f"IVF{n_lists},SQ8", faiss.METRIC_L2)
    # Ten k-means rounds instead of 25: list quality barely moves after that, build time does.
    faiss.extract_index_ivf(index).cp.niter = _TRAIN_ITERATIONS
    sample_size = min(n, n_lists * _TRAIN_POINTS_PER_LIST)
    sample = np.sort(np.random.default_rng(_SEED).choice(n, size=sample_size, replace=False))
    # Building is a batch job: use every core, then return to one thread for queries.
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    try:
        index.train(np.ascontiguousarray(vectors[sample], dtype=np.float32))
        for start in range(0, n, _ADD_CHUNK):
            index.add(np.ascontiguousarray(vectors[start : start + _ADD_CHUNK], dtype=np.float32))
    finally:
        faiss.omp_set_num_threads(1)
    log.info("dense index: %d rows in IVF%d,SQ8", n, n_lists)
    return index


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
