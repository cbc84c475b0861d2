"""The float32 rows an approximate index keeps in memory, and scoring rows alike wherever they are held.

A large index reads its exact vectors from disk (`RowFile`). Three sets of rows are kept instead:
the fixed corpus sample every question scores (pinned), the rows the last re-rank read (recent),
and the rows of the passages BM25 found, read while the model encodes the question (ahead).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Rows = tuple[np.ndarray, np.ndarray]  # (ascending row ids, their vectors)


@dataclass
class KeptRows:
    """Rows held in memory; each set is replaced by one assignment, so another thread sees the
    old set or the new, never half of one (a row's vector is the same for every question)."""

    pinned: Rows | None = None
    recent: Rows | None = None
    ahead: Rows | None = None

    def split(self, rows: np.ndarray) -> tuple[list[tuple[np.ndarray, np.ndarray, np.ndarray]], np.ndarray]:
        """Which of the given rows the kept sets hold (pinned sample, last re-rank, read ahead).

        Args:
            rows: row ids.

        Returns:
            Per holder: (mask of the rows it serves, their places in it, its vectors); and the mask
            of rows no holder has.
        """
        missing = np.ones(len(rows), dtype=bool)
        found = []
        for kept in (self.pinned, self.recent, self.ahead):
            if kept is None or not missing.any():
                continue
            kept_rows, kept_vectors = kept
            at = np.minimum(np.searchsorted(kept_rows, rows), len(kept_rows) - 1)
            hit = missing & (kept_rows[at] == rows)
            found.append((hit, at[hit], kept_vectors))
            missing &= ~hit
        return found, missing


def cosines(vectors: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Each row's dot product with the query, the same to the last bit whichever matrix holds the row.

    BLAS sums a row in another order depending on its place in the matrix (one score in ~3 differed
    in the last bit between a row read alone and in a block), so a row scored from the pinned
    sample, the last re-rank or the file could differ; einsum sums every row alike, at ~50 us for
    the ~1,300 rows of the largest cache.
    """
    return np.einsum("ij,j->i", vectors, query)
