"""Dense retrieval: FAISS inner-product search over normalised vectors, rows owned by passages.

Several rows may belong to one passage (one row per sentence); a passage is scored by its best
row. Below `EXACT_MAX_ROWS` rows the index is exact (IndexFlatIP). Above it, exact search costs
more than the latency budget allows (6 ms at 100k rows, 52 ms at 1M on one core), so the index
becomes IVF with 4-bit fast-scan product quantisation (two dimensions per sub-quantiser), and the
candidates it finds are re-scored exactly from the float32 vectors kept in a file beside it and
read row by row (`RowFile`). Both kinds are read and written by the same `save`/`load`, so the
store and the searcher never need to know which one they hold.

An approximate index may search only its first rows (`searched_rows`) while holding the vectors of
all of them: the rows it never searches are still scored exactly for the passages other signals
found (`row_scores`), at no cost to the search.
"""

from __future__ import annotations

import logging
import os
import weakref
from pathlib import Path
from typing import cast

import faiss
import numpy as np

from index import pread_rows

# One query is a small matrix product; OpenMP threads only add start-up latency there.
faiss.omp_set_num_threads(1)

log = logging.getLogger(__name__)

# Chosen in docs/BENCHMARKS.md: flat search costs 2.8 ms at 50k rows and 5.9 ms at 100k, where
# the approximate index answers in 0.3 ms with recall@10 0.99; the product holds ~5 rows per
# passage, so this is ~10k passages.
EXACT_MAX_ROWS = 50_000
# Rows fetched from the approximate index and re-scored exactly. 4-bit codes rank near-ties
# coarsely; re-scoring 256 rows instead of 100 costs ~0.1 ms and recovers them.
RERANK_ROWS = 256
# Rows an approximate `passage_scores` fetches when the caller sets no depth.
DEFAULT_APPROX_DEPTH = 200
# FAISS IVF fast-scan search kernel: SIMD distances, heap of the k best (docs/BENCHMARKS.md).
_FASTSCAN_KERNEL = 10
_MAX_PROBES = 384
# Codes one search scans at most: a probe costs the length of its list, so long lists get fewer.
_MAX_SCANNED_ROWS = 400_000
_ADD_CHUNK = 65_536
_TRAIN_POINTS_PER_LIST = 64
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
    """Number of IVF lists for `n_rows` vectors: a power of two near sqrt(n), 64..4096.

    Fast-scan codes are cheap to scan but every visited list has a fixed cost, so fewer, longer
    lists are faster at equal recall (docs/BENCHMARKS.md: 1024 lists beat 2048 and 4096 at 1M).

    Args:
        n_rows: how many vectors will be indexed.

    Returns:
        The list count.
    """
    target = np.sqrt(max(1, n_rows))
    return int(min(4096, max(64, 2 ** round(np.log2(target)))))


def ivf_probes(n_lists: int, n_rows: int = 0) -> int:
    """Lists visited per query: 3/8 of them, at least 128 (all of them below that), at most 384,
    and no more than scan ~400k rows (`_MAX_SCANNED_ROWS`).

    docs/BENCHMARKS.md: at 1M rows (1024 lists) 1/4 gave recall@10 0.965, 3/8 gave 0.984 for
    3.3 ms; with 256 lists 3/8 gave only 0.966, and visiting half costs 0.3 ms there. Past ~1,000
    rows per list the share of lists needed falls: the 2.6M sentence rows of 1M passages (2048
    lists of ~1,270 rows) gave 0.988 at 256 probes, 0.989 at 320 and 0.990 at 384 (2.1, 2.7 and
    3.1 ms), their recall then set by the re-rank; the 1M passage-view rows (1024 lists of ~980)
    gave 0.975 at 320 and 0.982 at 384 (2.7 ms). The two are searched side by side, so the rows
    cap spends on each about the same time: 315 probes for the sentence rows, 384 for the views.

    Args:
        n_lists: the list count.
        n_rows: the rows the index searches (0: unknown, no cap by rows).

    Returns:
        nprobe.
    """
    probes = max(128, min(_MAX_PROBES, (3 * n_lists) // 8))
    if n_rows > 0:
        probes = max(128, min(probes, (_MAX_SCANNED_ROWS * n_lists) // n_rows))
    return min(n_lists, probes)


def pq_subquantizers(dim: int) -> int:
    """Sub-quantisers of the fast-scan codes: one per two dimensions (96 bytes for 384-d).

    Fewer were measured too coarse to find the true neighbours among many near-ties even with
    a deep re-rank (docs/BENCHMARKS.md: 48 gave recall@10 0.64 at 1M, 96 gave 0.89).

    Args:
        dim: the vector dimension.

    Returns:
        M, a divisor of dim.
    """
    return dim // 2 if dim % 2 == 0 else dim


class DenseIndex:
    """Cosine search with a row -> passage-position map; exact or IVF-PQ fast-scan with exact re-rank."""

    def __init__(
        self, index: faiss.Index, owners: np.ndarray, vectors: np.ndarray | RowFile | None = None
    ) -> None:
        self._index = index
        self.owners = np.asarray(owners, dtype=np.int64)
        self._ivf = _as_ivf(index)
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
                self._ivf.implem = _FASTSCAN_KERNEL
        self._vectors = vectors
        self._rows_by_owner: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._pinned: tuple[np.ndarray, np.ndarray] | None = None
        self._recent: tuple[np.ndarray, np.ndarray] | None = None
        self._ahead: tuple[np.ndarray, np.ndarray] | None = None
        # Once, not per query: the max over a million owners costs ~0.3 ms.
        self._rows_per_passage = max(1, round(self.ntotal / max(1, int(self.owners.max(initial=0)) + 1)))

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
        return cls(_train_ivf(vectors, n_searched), owners, vectors)

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
        return f"IVF{self._ivf.nlist},{_codes_of(self._ivf)} nprobe={self._ivf.nprobe} rerank={RERANK_ROWS}"

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
        self._recent = (order, vectors)
        exact = _cosines(vectors, q[0])
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
        order, owners_sorted, _ = self._owner_table()
        if len(owners_sorted) == n_passages and bool((owners_sorted == np.arange(n_passages)).all()):
            return scores[order].astype(np.float32, copy=False)
        out = np.full(n_passages, -np.inf, dtype=np.float32)
        starts = np.flatnonzero(np.r_[True, owners_sorted[1:] != owners_sorted[:-1]])
        out[owners_sorted[starts]] = np.maximum.reduceat(scores[order], starts)
        out[np.isneginf(out)] = scores.min()
        return out

    def top_passages(self, query: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """The n best passages (by best row), best first: the dense side of a candidate search.

        Args:
            query: float32 (dim,), unit length.
            n: how many passages.

        Returns:
            (passage positions int64, cosines float32).
        """
        rows, scores = self.search_rows(query, n * self._rows_per_passage * 2)
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
        """Every row of the given passages grouped by passage, the group sizes, and which passages have rows."""
        order, _, starts = self._owner_table()
        known = (passages >= 0) & (passages < len(starts) - 1)
        lo = np.zeros(len(passages), dtype=np.int64)
        counts = np.zeros(len(passages), dtype=np.int64)
        lo[known] = starts[passages[known]]
        counts[known] = starts[passages[known] + 1] - lo[known]
        has_rows = counts > 0
        lo, counts = lo[has_rows], counts[has_rows]
        # The start of each group repeated over its length, plus the offset inside the group.
        group_start = np.repeat(np.cumsum(counts) - counts, counts)
        rows = order[np.repeat(lo, counts) + np.arange(int(counts.sum())) - group_start]
        return rows, counts, has_rows

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
            return _cosines(self._read_rows(rows), q)
        scores = np.empty(len(rows), dtype=np.float32)
        found, missing = self._kept(rows)
        for hit, at, kept_vectors in found:
            # Scoring every kept row (a few thousand at most) costs less than gathering the
            # vectors of the rows hit first.
            scores[hit] = _cosines(kept_vectors, q)[at]
        if missing.any():
            wanted = rows[missing]
            # Reading rows in file order lets a run of neighbouring rows be one read.
            ascending = np.argsort(wanted, kind="stable")
            read = np.empty(len(wanted), dtype=np.float32)
            read[ascending] = _cosines(self._read_rows(wanted[ascending]), q)
            scores[missing] = read
        return scores

    def _owner_table(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows ordered by owner, their owners, and where each owner's rows start in that order
        (owner o's rows are order[starts[o]:starts[o + 1]]): a passage's rows without a search."""
        if self._rows_by_owner is None:
            # Rows are added passage by passage, so owners are usually sorted already: no copy then.
            if len(self.owners) < 2 or bool((self.owners[1:] >= self.owners[:-1]).all()):
                order, owners_sorted = np.arange(len(self.owners)), self.owners
            else:
                order = np.argsort(self.owners, kind="stable")
                owners_sorted = self.owners[order]
            counts = np.bincount(owners_sorted, minlength=int(owners_sorted.max(initial=-1)) + 1)
            starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
            self._rows_by_owner = (order, owners_sorted, starts)
        return self._rows_by_owner

    def pin_rows(self, rows: np.ndarray) -> None:
        """Keep these rows' float32 vectors in memory: rows read for every question (the searcher's
        fixed corpus sample) would otherwise be read from disk each time.

        Args:
            rows: row ids; replaces any rows pinned before.
        """
        rows = np.unique(np.asarray(rows, dtype=np.int64))
        self._pinned = (rows, self._read_rows(rows)) if len(rows) else None

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
        self._ahead = (rows, self._read_rows(rows)) if len(rows) else None

    def rows_of_passages(self, passages: np.ndarray) -> np.ndarray:
        """Every row owned by the given passages (owners as stored; see `view_rows_of` for views)."""
        return self._rows_of(np.asarray(passages, dtype=np.int64))[0]

    def _row_vectors(self, rows: np.ndarray) -> np.ndarray:
        """Vectors of the given rows, from the kept rows where they hold them (`_kept`), else from
        the vector file (ascending rows keep the file reads in order)."""
        if self._vectors is None:
            return self._read_rows(rows)
        out = np.empty((len(rows), self.dim), dtype=np.float32)
        found, missing = self._kept(rows)
        for hit, at, kept_vectors in found:
            out[hit] = kept_vectors[at]
        if missing.any():
            out[missing] = self._read_rows(rows[missing])
        return out

    def _kept(self, rows: np.ndarray) -> tuple[list[tuple[np.ndarray, np.ndarray, np.ndarray]], np.ndarray]:
        """Which of the given rows the kept rows hold (pinned sample, last re-rank, read ahead).

        Returns:
            Per holder: (mask of the rows it serves, their places in it, its vectors); and the mask
            of rows no holder has.
        """
        missing = np.ones(len(rows), dtype=bool)
        found = []
        for kept in (self._pinned, self._recent, self._ahead):
            if kept is None or not missing.any():
                continue
            kept_rows, kept_vectors = kept
            at = np.minimum(np.searchsorted(kept_rows, rows), len(kept_rows) - 1)
            hit = missing & (kept_rows[at] == rows)
            found.append((hit, at[hit], kept_vectors))
            missing &= ~hit
        return found, missing

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
            for start in range(0, len(self._vectors), _ADD_CHUNK):
                out.write(np.ascontiguousarray(self._vectors[start : start + _ADD_CHUNK], dtype=np.float32).tobytes())

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
        if _as_ivf(index) is not None:
            vectors = RowFile(vectors_path(path))
        return cls(index, owners, vectors)


class RowFile:
    """The rows of a float32 .npy matrix, read from disk on demand with pread, never mapped.

    A re-rank reads a few hundred scattered rows per question. Memory-mapping the file made the
    kernel map ~64 KB of already-cached neighbours around every row touched (fault-around; not
    switched off by MADV_RANDOM), so a few hundred questions put ~1 GB of the 1.5 GB file into
    the server's RSS at 1M rows. Reading rows with pread costs ~1 us each and keeps only the
    rows themselves in the kernel's page cache, outside the process (docs/BENCHMARKS.md).
    Indexing supports what `DenseIndex` needs: an integer array of rows, or a slice.
    """

    def __init__(self, path: Path) -> None:
        with path.open("rb") as f:
            version = np.lib.format.read_magic(f)
            read_header = (
                np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            )
            shape, fortran, dtype = read_header(f)
            self._offset = f.tell()
        if fortran or dtype != np.float32 or len(shape) != 2:
            raise ValueError(f"{path} er ikke en float32-matrix skrevet af søgeindekset; byg indekset igen.")
        self.shape: tuple[int, int] = (int(shape[0]), int(shape[1]))
        self._row_bytes = self.shape[1] * 4
        self.path = path
        self._fd = os.open(path, os.O_RDONLY)
        weakref.finalize(self, os.close, self._fd)
        if hasattr(os, "posix_fadvise"):
            # Scattered reads: read-ahead would only fill the page cache with rows nobody asked for.
            os.posix_fadvise(self._fd, 0, 0, os.POSIX_FADV_RANDOM)
        pread_rows.start_compiling()

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, key: slice | np.ndarray) -> np.ndarray:
        if isinstance(key, slice):
            start, stop, step = key.indices(self.shape[0])
            if step != 1:
                raise IndexError("RowFile reads contiguous slices only")
            out = np.empty((max(0, stop - start), self.shape[1]), dtype=np.float32)
            if len(out):
                self._read_into(out.data.cast("B"), start)
            return out
        rows = np.ascontiguousarray(np.asarray(key, dtype=np.int64).reshape(-1))
        if len(rows) and (rows.min() < 0 or rows.max() >= self.shape[0]):
            raise IndexError(f"row outside 0..{self.shape[0] - 1} in {self.path}")
        out = np.empty((len(rows), self.shape[1]), dtype=np.float32)
        if len(rows) == 0:
            return out
        compiled = pread_rows.compiled_reader()
        if compiled is None:
            self._read_rows_from_python(rows, out)
        elif compiled(self._fd, rows, out, self._row_bytes, self._offset):
            raise OSError(f"{self.path} er kortere end forventet; byg søgeindekset igen.")
        return out

    def _read_rows_from_python(self, rows: np.ndarray, out: np.ndarray) -> None:
        """`__getitem__`'s reads until the compiled loop is ready (`index.pread_rows`)."""
        if len(rows) == 0:
            return
        view, size = out.data.cast("B"), self._row_bytes
        # One read per run of consecutive rows: a passage's sentence rows lie side by side, and
        # a read costs about as much as the bytes it copies for a few rows.
        breaks = np.flatnonzero(np.diff(rows) != 1) + 1
        starts = np.concatenate([[0], breaks]).tolist()
        ends = np.concatenate([breaks, [len(rows)]]).tolist()
        for first, last, row in zip(starts, ends, rows[starts].tolist(), strict=True):
            self._read_into(view[first * size : last * size], row)

    def _read_into(self, buffer: memoryview, first_row: int) -> None:
        got = os.preadv(self._fd, [buffer], self._offset + first_row * self._row_bytes)
        if got != len(buffer):
            raise OSError(f"{self.path} er kortere end forventet; byg søgeindekset igen.")


def view_rows_of(views: DenseIndex, positions: np.ndarray, n_passages: int) -> np.ndarray:
    """Every view's row of the given passages in a views index (row = view * n + passage), view by view."""
    positions = np.asarray(positions, dtype=np.int64)
    return (np.arange(_view_count(views, n_passages), dtype=np.int64)[:, None] * n_passages + positions).ravel()


def view_scores_of(views: DenseIndex, query: np.ndarray, positions: np.ndarray, n_passages: int) -> np.ndarray:
    """Every view's exact score of the given passages in a views index (row = view * n + passage).

    Args:
        views: the views index.
        query: float32 (dim,), unit length.
        positions: passage positions.
        n_passages: passages in the index.

    Returns:
        float32 (views, len(positions)).
    """
    scores = views.row_scores(query, view_rows_of(views, positions, n_passages))
    return scores.reshape(_view_count(views, n_passages), len(positions))


def _view_count(views: DenseIndex, n_passages: int) -> int:
    return views.ntotal // max(1, n_passages)


def _cosines(vectors: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Each row's dot product with the query, the same to the last bit whichever matrix holds the row.

    BLAS sums a row in another order depending on its place in the matrix (one score in ~3 differed
    in the last bit between a row read alone and in a block), so a row scored from the pinned
    sample, the last re-rank or the file could differ; einsum sums every row alike, at ~50 us for
    the ~1,300 rows of the largest cache.
    """
    return np.einsum("ij,j->i", vectors, query)


def _as_ivf(index: faiss.Index) -> faiss.IndexIVF | None:
    try:
        # Downcast: the generic IndexIVF proxy hides which codes (PQ fast-scan, SQ8) the lists hold.
        return cast(faiss.IndexIVF, faiss.downcast_index(faiss.extract_index_ivf(index)))
    except RuntimeError:
        return None


def _codes_of(ivf: faiss.IndexIVF) -> str:
    """The code part of a factory string for a loaded index (older builds used SQ8)."""
    if isinstance(ivf, faiss.IndexIVFPQFastScan):
        return f"PQ{ivf.pq.M}x{ivf.pq.nbits}fs"
    if isinstance(ivf, faiss.IndexIVFScalarQuantizer):
        return "SQ8"
    return type(ivf).__name__


def _train_ivf(vectors: np.ndarray | RowFile, n: int) -> faiss.Index:
    """IVF-PQ fast-scan over the first `n` rows of `vectors`, trained on a seeded sample of them and
    filled in chunks (bounded memory)."""
    dim = vectors.shape[1]
    n_lists = ivf_lists(n)
    codes = f"PQ{pq_subquantizers(dim)}x4fs"
    # L2 on unit vectors ranks like cosine, and k-means by L2 is not skewed by the anisotropy of e5
    # vectors (all cosines 0.75-0.9) the way inner-product list assignment is; candidates are
    # re-scored by exact cosine anyway.
    # 4-bit fast-scan PQ scans a list with SIMD table look-ups, ~4x faster per row than SQ8
    # (docs/BENCHMARKS.md), so more lists can be visited for the same time, which is what lifts
    # recall; the codes are also a quarter of SQ8's size (96 vs 384 bytes per 384-d row).
    index = faiss.index_factory(dim, f"IVF{n_lists},{codes}", faiss.METRIC_L2)
    # Ten k-means rounds instead of 25: list quality barely moves after that, build time does.
    faiss.extract_index_ivf(index).cp.niter = _TRAIN_ITERATIONS
    sample_size = min(n, n_lists * _TRAIN_POINTS_PER_LIST)
    sample = np.sort(np.random.default_rng(_SEED).choice(n, size=sample_size, replace=False))
    # Building is a batch job: use every core, then return to one thread for queries.
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    try:
        index.train(np.ascontiguousarray(vectors[sample], dtype=np.float32))
        for start in range(0, n, _ADD_CHUNK):
            index.add(np.ascontiguousarray(vectors[start : min(n, start + _ADD_CHUNK)], dtype=np.float32))
    finally:
        faiss.omp_set_num_threads(1)
    log.info("dense index: %d rows in IVF%d,%s", n, n_lists, codes)
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
