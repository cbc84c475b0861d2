"""The float32 rows of an approximate index's vector file, read from disk on demand with pread."""

from __future__ import annotations

import os
import weakref
from pathlib import Path

import numpy as np

from index.dense import pread_rows


def vectors_path(faiss_path: Path) -> Path:
    """Where the float32 vectors of an approximate index live, beside its .faiss file.

    Args:
        faiss_path: the .faiss file.

    Returns:
        The .npy path (e.g. dense_context.faiss -> dense_context.vectors.npy).
    """
    return faiss_path.with_name(faiss_path.stem + ".vectors.npy")


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

