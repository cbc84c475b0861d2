"""Scattered rows of a file read in one compiled loop of `pread` calls, for `dense.RowFile`.

A large index reads ~1,000-1,700 scattered rows of its vector files per question (re-rank and the
exact scores of the candidates). From Python each `os.preadv` costs ~2.3 us on these machines, of
which ~1 us is the system call: a numba loop calling libc's `pread` saves ~2 ms per question at
1M passages (docs/BENCHMARKS.md). Numba cannot cache a function that calls through ctypes, so the
loop is compiled (~0.6 s) on a background thread when the first large index is opened, and reads
go through Python until it is ready; where libc or numba is missing they always do.
"""

from __future__ import annotations

import ctypes
import logging
import threading
from collections.abc import Callable

import numpy as np

log = logging.getLogger(__name__)

ReadRows = Callable[[int, np.ndarray, np.ndarray, int, int], int]

_compiled: ReadRows | None = None
_compiling: threading.Thread | None = None
_lock = threading.Lock()


def compiled_reader() -> ReadRows | None:
    """The compiled loop once it is ready, else None (call `start_compiling` first)."""
    return _compiled


def start_compiling(wait: bool = False) -> None:
    """Compile the loop on a background thread, once per process.

    Args:
        wait: block until it is compiled (tests, and the benchmark before it times questions).
    """
    global _compiling
    with _lock:
        if _compiling is None:
            _compiling = threading.Thread(target=_compile, name="pread-rows-compile", daemon=True)
            _compiling.start()
        thread = _compiling
    if wait:
        thread.join()


def _compile() -> None:
    global _compiled
    try:
        import numba

        libc = ctypes.CDLL(None, use_errno=True)
        pread = libc.pread
        pread.restype = ctypes.c_ssize_t
        pread.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_ssize_t]

        @numba.njit("int64(int64, int64[:], float32[:, :], int64, int64)", nogil=True)
        def read_rows(fd: int, rows: np.ndarray, out: np.ndarray, row_bytes: int, offset: int) -> int:
            # Returns the reads that came back short: the caller refuses the file then (it is
            # shorter than its header says). A run of consecutive rows is one read.
            short = 0
            address = out.ctypes.data
            n = rows.shape[0]
            first = 0
            while first < n:
                last = first + 1
                while last < n and rows[last] == rows[last - 1] + 1:
                    last += 1
                size = (last - first) * row_bytes
                if pread(fd, address + first * row_bytes, size, offset + rows[first] * row_bytes) != size:
                    short += 1
                first = last
            return short

        _compiled = read_rows
    except Exception as error:  # any failure leaves the Python reads in place
        log.info("scattered rows are read from Python (%s)", error)
