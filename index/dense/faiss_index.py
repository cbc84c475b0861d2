"""Dense retrieval: FAISS inner-product search over normalised vectors, rows owned by passages.

Several rows may belong to one passage (one row per sentence); a passage is scored by its best
row. Below `EXACT_MAX_ROWS` rows the index is exact (IndexFlatIP). Above it, exact search costs
more than the latency budget allows (6 ms at 100k rows, 52 ms at 1M on one core), so the index
becomes IVF with 4-bit fast-scan product quantisation (index/dense/ivf.py), and the candidates it
finds are re-scored exactly from the float32 vectors kept in a file beside it and read row by row
(`RowFile`). Both kinds are read and written by the same `save`/`load`, so the store and the
searcher never need to know which one they hold.

An approximate index may search only its first rows (`searched_rows`) while holding the vectors of
all of them: the rows it never searches are still scored exactly for the passages other signals
found (`row_scores`), at no cost to the search.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import faiss
import numpy as np

from index.dense.ivf import ADD_CHUNK, FASTSCAN_KERNEL, as_ivf, codes_of, ivf_probes, train_ivf
from index.dense.kept_rows import KeptRows, cosines
from index.dense.owners import OwnerTable, best_per_owner
from index.dense.row_file import RowFile, vectors_path

# One query is a small matrix product; OpenMP threads only add start-up latency there.
faiss.omp_set_num_threads(1)

# Chosen in docs/BENCHMARKS.md: flat search costs 2.8 ms at 50k rows and 5.9 ms at 100k, where
# the approximate index answers in 0.3 ms with recall@10 0.99; the product holds ~5 rows per
# passage, so this is ~10k passages.
EXACT_MAX_ROWS = 50_000
# Rows fetched from the approximate index and re-scored exactly. 4-bit codes rank near-ties
# coarsely; re-scoring 256 rows instead of 100 costs ~0.1 ms and recovers them.
RERANK_ROWS = 256
# Rows an approximate `passage_scores` fetches when the caller sets no depth.
DEFAULT_APPROX_DEPTH = 200


class DenseIndex:
    """Cosine search with a row -> passage-position map; exact or IVF-PQ fast-scan with exact re-rank."""

    def __init__(
        self, index: faiss.Index, owners: np.ndarray, vectors: np.ndarray | RowFile | None = None
    ) -> None:
        self._index = index
        self.owners = np.asarray(owners, dtype=np.int64)
        self._ivf = as_ivf(index)
        if self._ivf is None and index.ntotal != len(owners):
            raise ValueError(f"FAISS holds {index.ntotal} vectors but {len(owners)} owners were given")
        if self._ivf is not None:
            if vectors is None or vectors.shape != (len(owners), index.d):
                raise ValueError("an approximate index needs the float32 vectors of every owned row")
            if index.ntotal > len(owners):
                raise ValueError(f"FAISS searches {index.ntotal} rows but only {len(owners)} owners were given")
            self._ivf.nprobe = ivf_probes(self._ivf.nlist, self._ivf.ntotal)
            if isinstance(self._ivf, faiss.IndexIVFFastScan):
                # FAISS's automatic kernel choice for one query was 3.2 ms at 1M rows; the SIMD
                # kernel with a heap (implem 10) finds the same distances in 2.3 ms.
                self._ivf.implem = FASTSCAN_KERNEL
        self._vectors = vectors
        self._owner_table: OwnerTable | None = None
        self._kept = KeptRows()

    @classmethod
    def from_vectors(
        cls,
        vectors: np.ndarray | RowFile,
        owners: np.ndarray | None = None,
        exact_max_rows: int = EXACT_MAX_ROWS,
        searched_rows: int | None = None,
    ) -> DenseIndex:
        """Index normalised vectors, exactly up to `exact_max_rows` rows, approximately above.

        Args:
            vectors: float32 (n, dim), rows of unit length; may be a np.memmap or a `RowFile`
                (read in chunks: a `RowFile` keeps millions of rows out of the builder's memory).
            owners: passage position of each row; None means row i belongs to passage i.
            exact_max_rows: largest row count that gets an exact index.
            searched_rows: an approximate index searches only the first this many rows (None:
                all); the rest are held for exact scoring. An exact index searches every row.

        Returns:
            The index.
        """
        owners = np.arange(len(vectors)) if owners is None else owners
        if len(vectors) <= exact_max_rows:
            rows = np.ascontiguousarray(vectors[: len(vectors)], dtype=np.float32)
            index = faiss.IndexFlatIP(rows.shape[1])
            if len(rows):
                index.add(rows)
            return cls(index, owners)
        n_searched = len(vectors) if searched_rows is None else max(1, min(searched_rows, len(vectors)))
        return cls(train_ivf(vectors, n_searched), owners, vectors)

    @property
    def ntotal(self) -> int:
        """Rows held: each has an owner and an exact score (`row_scores`)."""
        return len(self.owners)

    @property
    def n_searched(self) -> int:
        """Rows a search can return: the first `n_searched` of `ntotal`."""
        return int(self._index.ntotal)

    @property
    def dim(self) -> int:
        return int(self._index.d)

    @property
    def is_approximate(self) -> bool:
        """True when the index is IVF (fast-scan PQ, or SQ8 in older builds) with exact re-rank."""
        return self._ivf is not None

    @property
    def kind(self) -> str:
        """A short description for reports, e.g. 'flat' or 'IVF1024,PQ192x4fs nprobe=384 rerank=256'."""
        if self._ivf is None:
            return "flat"
        return f"IVF{self._ivf.nlist},{codes_of(self._ivf)} nprobe={self._ivf.nprobe} rerank={RERANK_ROWS}"

    def search_rows(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The k best rows for the query, best first, with their exact cosines.

        Args:
            query: float32 (dim,), unit length.
            k: how many rows.

        Returns:
            (rows int64, scores float32), at most k of each.
        """
        k = min(k, self.n_searched)
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
        vectors = self._row_vectors(order)
        # The candidates a question's dense side found are scored again by every signal right
        # after; their rows' vectors are kept until the next search (a vector is the same for
        # every question, so a search in another thread can only replace them, never spoil them).
        self._kept.recent = (order, vectors)
        exact = cosines(vectors, q[0])
        best = np.argsort(-exact, kind="stable")[:k]
        return order[best], exact[best]

    def best_cosines(self, queries: np.ndarray) -> np.ndarray:
        """Each query's best cosine to any searched row: one batched search when exact.

        Args:
            queries: float32 (n, dim), unit length.

        Returns:
            float32 (n,); -1 for every query when the index holds no row.
        """
        queries = np.ascontiguousarray(queries, dtype=np.float32).reshape(-1, self.dim)
        if self.n_searched == 0:
            return np.full(len(queries), -1.0, dtype=np.float32)
        if self._ivf is None:
            scores, _ = self._index.search(queries, 1)
            return scores[:, 0].astype(np.float32)
        return np.asarray([self.search_rows(q, 1)[1][:1].max(initial=-1.0) for q in queries], dtype=np.float32)

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
        if self._ivf is None and depth >= self.ntotal > 0:
            return self._every_passage_score(query, n_passages)
        rows, scores = self.search_rows(query, depth)
        if len(rows) == 0:
            return np.zeros(n_passages, dtype=np.float32)
        return best_per_owner(rows, scores, self.owners, n_passages)

    def _every_passage_score(self, query: np.ndarray, n_passages: int) -> np.ndarray:
        """`passage_scores` over every row of an exact index, without ranking the rows.

        A FAISS search for all rows sorts them (15 ms for 30k rows, the views of 10k passages);
        the scores alone are one matrix-vector product over the flat index's own storage.
        """
        storage = cast(faiss.IndexFlat, self._index).get_xb()
        flat = faiss.rev_swig_ptr(storage, self.ntotal * self.dim).reshape(self.ntotal, self.dim)
        scores = flat @ np.asarray(query, dtype=np.float32)
        return self._owners().best_of_every(scores, n_passages)

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
        rows, counts, has_rows = self._rows_of(passages)
        if not has_rows.any():
            return out
        row_scores = self.row_scores(query, rows)
        out[has_rows] = np.maximum.reduceat(row_scores, np.cumsum(counts) - counts)
        return out

    def pin_passages(self, passages: np.ndarray) -> None:
        """Keep the vectors of these passages' rows in memory (see `pin_rows`).

        Args:
            passages: passage positions.
        """
        self.pin_rows(self._rows_of(np.asarray(passages, dtype=np.int64))[0])

    def _rows_of(self, passages: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every row of the given passages grouped by passage (`OwnerTable.rows_of`)."""
        return self._owners().rows_of(passages)

    def row_scores(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Exact cosine of given rows to the query (from the stored vectors, not the quantised codes).

        Args:
            query: float32 (dim,), unit length.
            rows: row ids (any order).

        Returns:
            float32, one per row, in the given order.
        """
        rows = np.asarray(rows, dtype=np.int64)
        q = np.asarray(query, dtype=np.float32)
        if len(rows) == 0:
            return np.zeros(0, dtype=np.float32)
        if self._vectors is None:
            return cosines(self._read_rows(rows), q)
        scores = np.empty(len(rows), dtype=np.float32)
        found, missing = self._kept.split(rows)
        for hit, at, kept_vectors in found:
            # Scoring every kept row (a few thousand at most) costs less than gathering the
            # vectors of the rows hit first.
            scores[hit] = cosines(kept_vectors, q)[at]
        if missing.any():
            wanted = rows[missing]
            # Reading rows in file order lets a run of neighbouring rows be one read.
            ascending = np.argsort(wanted, kind="stable")
            read = np.empty(len(wanted), dtype=np.float32)
            read[ascending] = cosines(self._read_rows(wanted[ascending]), q)
            scores[missing] = read
        return scores

    def _owners(self) -> OwnerTable:
        """The rows grouped by owner, made on first use: a passage's rows without a search."""
        if self._owner_table is None:
            self._owner_table = OwnerTable.of(self.owners)
        return self._owner_table

    def pin_rows(self, rows: np.ndarray) -> None:
        """Keep these rows' float32 vectors in memory: rows read for every question (the searcher's
        fixed corpus sample) would otherwise be read from disk each time.

        Args:
            rows: row ids; replaces any rows pinned before.
        """
        rows = np.unique(np.asarray(rows, dtype=np.int64))
        self._kept.pinned = (rows, self._read_rows(rows)) if len(rows) else None

    def read_ahead(self, rows: np.ndarray) -> None:
        """Read these rows' vectors now, for the question about to be scored (e.g. the rows of the
        passages BM25 found, read on the second core while the model encodes the question).

        Args:
            rows: row ids; replaces the rows read ahead before. No-op for an exact index.
        """
        if self._vectors is None:
            return
        rows = np.unique(np.asarray(rows, dtype=np.int64))
        # One assignment: a search on another thread sees the old rows or the new, never half.
        self._kept.ahead = (rows, self._read_rows(rows)) if len(rows) else None

    def rows_of_passages(self, passages: np.ndarray) -> np.ndarray:
        """Every row owned by the given passages (owners as stored; see `view_rows_of` for views)."""
        return self._rows_of(np.asarray(passages, dtype=np.int64))[0]

    def _row_vectors(self, rows: np.ndarray) -> np.ndarray:
        """Vectors of the given rows, from the kept rows where they hold them (`KeptRows`), else from
        the vector file (ascending rows keep the file reads in order)."""
        if self._vectors is None:
            return self._read_rows(rows)
        out = np.empty((len(rows), self.dim), dtype=np.float32)
        found, missing = self._kept.split(rows)
        for hit, at, kept_vectors in found:
            out[hit] = kept_vectors[at]
        if missing.any():
            out[missing] = self._read_rows(rows[missing])
        return out

    def _read_rows(self, rows: np.ndarray) -> np.ndarray:
        if self._vectors is not None:
            return np.asarray(self._vectors[rows], dtype=np.float32)
        return self._index.reconstruct_batch(rows)

    def save(self, path: Path) -> None:
        """Write the FAISS index to `path`; an approximate one also writes its float32 vectors.

        The owners are saved by the store.
        """
        faiss.write_index(self._index, str(path))
        if self._vectors is None:
            return
        target = vectors_path(path)
        if isinstance(self._vectors, RowFile) and target.exists() and target.samefile(self._vectors.path):
            # Built from the very file it would be copied to (a builder that wrote its rows there).
            return
        # Plain writes, not a memory map: mapped pages written would count in the writer's memory
        # (gigabytes at millions of rows) until the map is dropped.
        with target.open("wb") as out:
            header = {"descr": "<f4", "fortran_order": False, "shape": tuple(self._vectors.shape)}
            np.lib.format.write_array_header_2_0(out, header)
            for start in range(0, len(self._vectors), ADD_CHUNK):
                out.write(np.ascontiguousarray(self._vectors[start : start + ADD_CHUNK], dtype=np.float32).tobytes())

    @classmethod
    def load(cls, path: Path, owners: np.ndarray) -> DenseIndex:
        """Read an index written by `save`; an approximate one reads its vectors per query (`RowFile`).

        Args:
            path: the .faiss file.
            owners: the row -> passage map saved beside it.

        Returns:
            The index.
        """
        index = faiss.read_index(str(path))
        vectors = None
        if as_ivf(index) is not None:
            vectors = RowFile(vectors_path(path))
        return cls(index, owners, vectors)
