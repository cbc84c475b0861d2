"""IVF with 4-bit fast-scan product quantisation: how many lists, probes and codes, and training it.

An index above `faiss_index.EXACT_MAX_ROWS` rows is approximate; every figure here was chosen in
docs/BENCHMARKS.md.
"""

from __future__ import annotations

import logging
import os
from typing import cast

import faiss
import numpy as np

from index.dense.row_file import RowFile

log = logging.getLogger(__name__)

# FAISS IVF fast-scan search kernel: SIMD distances, heap of the k best (docs/BENCHMARKS.md).
FASTSCAN_KERNEL = 10
_MAX_PROBES = 384
# Codes one search scans at most: a probe costs the length of its list, so long lists get fewer.
_MAX_SCANNED_ROWS = 400_000
# Rows added (and written) per call: bounded memory at millions of rows.
ADD_CHUNK = 65_536
_TRAIN_POINTS_PER_LIST = 64
_TRAIN_ITERATIONS = 10
_SEED = 20240607


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


def as_ivf(index: faiss.Index) -> faiss.IndexIVF | None:
    try:
        # Downcast: the generic IndexIVF proxy hides which codes (PQ fast-scan, SQ8) the lists hold.
        return cast(faiss.IndexIVF, faiss.downcast_index(faiss.extract_index_ivf(index)))
    except RuntimeError:
        return None


def codes_of(ivf: faiss.IndexIVF) -> str:
    """The code part of a factory string for a loaded index (older builds used SQ8)."""
    if isinstance(ivf, faiss.IndexIVFPQFastScan):
        return f"PQ{ivf.pq.M}x{ivf.pq.nbits}fs"
    if isinstance(ivf, faiss.IndexIVFScalarQuantizer):
        return "SQ8"
    return type(ivf).__name__


def train_ivf(vectors: np.ndarray | RowFile, n: int) -> faiss.Index:
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
        for start in range(0, n, ADD_CHUNK):
            index.add(np.ascontiguousarray(vectors[start : min(n, start + ADD_CHUNK)], dtype=np.float32))
    finally:
        faiss.omp_set_num_threads(1)
    log.info("dense index: %d rows in IVF%d,%s", n, n_lists, codes)
    return index

