"""Which passage owns each row of a dense index, and a passage's rows found without a search.

Several rows may belong to one passage (one row per sentence; one row per view in the views
index); a passage is scored by its best row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class OwnerTable:
    """Rows ordered by owner, their owners, and where each owner's rows start in that order
    (owner o's rows are order[starts[o]:starts[o + 1]])."""

    order: np.ndarray
    owners_sorted: np.ndarray
    starts: np.ndarray

    @classmethod
    def of(cls, owners: np.ndarray) -> OwnerTable:
        """Group the rows by owner.

        Args:
            owners: the owner of each row.

        Returns:
            The table.
        """
        # Rows are added passage by passage, so owners are usually sorted already: no copy then.
        if len(owners) < 2 or bool((owners[1:] >= owners[:-1]).all()):
            order, owners_sorted = np.arange(len(owners)), owners
        else:
            order = np.argsort(owners, kind="stable")
            owners_sorted = owners[order]
        counts = np.bincount(owners_sorted, minlength=int(owners_sorted.max(initial=-1)) + 1)
        starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        return cls(order, owners_sorted, starts)

    def rows_of(self, passages: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every row of the given passages grouped by passage, the group sizes, and which passages have rows.

        Args:
            passages: passage positions (any order, repeats allowed).

        Returns:
            (rows, rows per passage that has any, mask of the passages that have rows).
        """
        starts = self.starts
        known = (passages >= 0) & (passages < len(starts) - 1)
        lo = np.zeros(len(passages), dtype=np.int64)
        counts = np.zeros(len(passages), dtype=np.int64)
        lo[known] = starts[passages[known]]
        counts[known] = starts[passages[known] + 1] - lo[known]
        has_rows = counts > 0
        lo, counts = lo[has_rows], counts[has_rows]
        # The start of each group repeated over its length, plus the offset inside the group.
        group_start = np.repeat(np.cumsum(counts) - counts, counts)
        rows = self.order[np.repeat(lo, counts) + np.arange(int(counts.sum())) - group_start]
        return rows, counts, has_rows

    def best_of_every(self, scores: np.ndarray, n_passages: int) -> np.ndarray:
        """Each passage's best score from one score per row (every row scored).

        Args:
            scores: one score per row, in row order.
            n_passages: how many passages the owners refer to.

        Returns:
            float32 (n_passages,); a passage without rows gets the lowest score.
        """
        order, owners_sorted = self.order, self.owners_sorted
        if len(owners_sorted) == n_passages and bool((owners_sorted == np.arange(n_passages)).all()):
            return scores[order].astype(np.float32, copy=False)
        out = np.full(n_passages, -np.inf, dtype=np.float32)
        starts = np.flatnonzero(np.r_[True, owners_sorted[1:] != owners_sorted[:-1]])
        out[owners_sorted[starts]] = np.maximum.reduceat(scores[order], starts)
        out[np.isneginf(out)] = scores.min()
        return out


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

