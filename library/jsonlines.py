"""Append-only JSON-lines files that survive a torn write: the change log and the change journal.

An entry is appended whole (one `write` of the complete line, then `fsync`). A line cut short by a
kill or a full disk is never glued to the next entry: before anything is appended, a last line
without its newline is cut off (it was never a complete entry), and readers skip it.
"""

from __future__ import annotations

import os
from pathlib import Path

_CHUNK = 64 * 1024


def _torn_tail_start(fd: int, size: int) -> int | None:
    """Where a torn last line starts (just after the last newline), or None when the file ends whole."""
    if size == 0:
        return None
    if os.pread(fd, 1, size - 1) == b"\n":
        return None
    end = size
    while end > 0:
        start = max(0, end - _CHUNK)
        chunk = os.pread(fd, end - start, start)
        newline = chunk.rfind(b"\n")
        if newline >= 0:
            return start + newline + 1
        end = start
    return 0


def repair_torn_tail(path: Path) -> bool:
    """Cut a torn last line off the file (hold the library lock).

    Args:
        path: The JSON-lines file (it may be missing).

    Returns:
        True when a torn line was cut off.
    """
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        cut = _torn_tail_start(fd, os.fstat(fd).st_size)
        if cut is None:
            return False
        os.ftruncate(fd, cut)
        os.fsync(fd)
        return True
    finally:
        os.close(fd)


def ends_torn(path: Path) -> bool:
    """Whether the file's last line lacks its newline (one byte read: cheap on every start)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        size = os.fstat(fd).st_size
        return size > 0 and os.pread(fd, 1, size - 1) != b"\n"
    finally:
        os.close(fd)


def append_whole(path: Path, line: str) -> None:
    """Append one entry whole: a torn last line is cut off first, then the line goes in one write
    and is flushed to disk before this returns (hold the library lock).

    Args:
        path: The JSON-lines file (created when missing).
        line: One JSON object, without a newline.
    """
    data = (line + "\n").encode("utf-8")
    repair_torn_tail(path)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        written = os.write(fd, data)
        while written < len(data):  # a short write (a full disk, a signal): the rest follows it
            written += os.write(fd, data[written:])
        os.fsync(fd)
    finally:
        os.close(fd)


def complete_lines(path: Path) -> list[str]:
    """The file's complete lines, oldest first; a torn last line is left out.

    Args:
        path: The JSON-lines file (missing: no lines).
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    whole = data[: data.rfind(b"\n") + 1]  # nothing when there is no newline at all
    return [line for line in whole.decode("utf-8", errors="replace").split("\n") if line]
