"""One change to a library at a time, across threads and processes.

Two editors adding or editing at once (two app sessions, or the app and a command line) must not
both read articles.toml and each write back their own version. Every change holds this lock from
reading the corpus to writing the index; readers (search) never take it.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# flock is per open file description: threads of one process must also wait for each other. A
# change that calls another change (in the same thread) holds the lock it already has.
_THREADS = threading.RLock()
_held = threading.local()


@contextmanager
def library_lock(corpus_dir: Path) -> Iterator[None]:
    """Hold the library's lock while the block runs (blocks until the holder is done).

    The lock is taken on the corpus folder itself, so no lock file is ever left in it.

    Args:
        corpus_dir: The corpus folder.
    """
    with _THREADS:
        if getattr(_held, "depth", 0):
            _held.depth += 1
            try:
                yield
            finally:
                _held.depth -= 1
            return
        fd = os.open(Path(corpus_dir), os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            _held.depth = 1
            yield
        finally:
            _held.depth = 0
            os.close(fd)  # closing the folder lets go of the lock


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold a plain cross-process lock on a folder (made if missing) while the block runs.

    Unlike `library_lock` it is not re-entrant: for steps that never nest (making a library,
    a restore and its recovery).
    """
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the folder lets go of the lock
