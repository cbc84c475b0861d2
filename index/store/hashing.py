"""The sha256 of an index file, hashed at most once per process while the file is unchanged."""

from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path

# A file's hash is remembered only when it had not changed for this long before hashing began:
# any later write then gives it a newer ctime than the remembered one, even on a coarse clock.
_SETTLED_NS = 2_000_000_000
_MAX_REMEMBERED = 4096

_remembered: dict[tuple[int, int], tuple[int, int, int, str]] = {}
_remembered_lock = threading.Lock()
_hashed = [0]


def file_sha256(path: Path) -> str:
    """The sha256 of a file, hashed at most once per process while the file is unchanged.

    Args:
        path: the file.

    Returns:
        The hex digest of its bytes now.
    """
    before = path.stat()
    key = (before.st_dev, before.st_ino)
    stamp = (before.st_size, before.st_mtime_ns, before.st_ctime_ns)
    with _remembered_lock:
        known = _remembered.get(key)
    if known is not None and known[:3] == stamp:
        return known[3]
    started = time.time_ns()
    digest = sha256(path)
    after = path.stat()
    # Remember only a file that was settled before hashing began and did not change during it.
    if (after.st_size, after.st_mtime_ns, after.st_ctime_ns) == stamp and stamp[2] < started - _SETTLED_NS:
        with _remembered_lock:
            if len(_remembered) >= _MAX_REMEMBERED:
                _remembered.clear()
            _remembered[key] = (*stamp, digest)
    return digest


def digest_or_none(path: Path) -> str | None:
    """The file's sha256, or None when it is gone."""
    try:
        return file_sha256(path)
    except FileNotFoundError:
        return None


def hashed_bytes() -> int:
    """How many bytes of index files this process has hashed, writing or verifying (to measure start-up).

    Returns:
        The running total.
    """
    return _hashed[0]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            _hashed[0] += len(block)
    return digest.hexdigest()
