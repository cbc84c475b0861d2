"""The passages of a saved build, read from passages.jsonl by byte offset only when one is asked for.

At a million passages the parsed records would cost gigabytes; a search shows 5-10 of them. The
store keeps one int64 offset per line (plus the file's end) and reads a line with `os.pread`,
which needs no shared file position, so threads can read at once. The file is opened when the
store is made: a searcher keeps reading its own build even after a rebuild has deleted it, and a
file cut short under it gives a Danish error, not a crash (a memory map would raise SIGBUS).
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import overload

import numpy as np
from pydantic import ValidationError

from index.errors import IndexCorruptError
from ingest.models import Passage

# Results, their neighbours and the articles page ask for the same few passages again and again.
CACHE_PASSAGES = 1024
# Iteration reads many lines per system call instead of one.
_ITER_BYTES = 1 << 20


class _Lines:
    """Reads and parses line i of the open passages file; holds no reference to the store, so the
    store is freed (and its file closed) as soon as nothing uses it."""

    def __init__(self, path: Path, offsets: np.ndarray, index_dir: Path, fd: int) -> None:
        self.path, self.offsets, self.index_dir, self.fd = path, offsets, index_dir, fd

    def read(self, position: int) -> Passage:
        start, end = int(self.offsets[position]), int(self.offsets[position + 1])
        return self.parse(self.pread(start, end, position), position)

    def pread(self, start: int, end: int, position: int) -> bytes:
        data = os.pread(self.fd, end - start, start)
        if len(data) != end - start:
            raise IndexCorruptError(
                self.index_dir, f"{self.path.name} er afkortet: linje {position + 1} mangler ({len(data)} byte læst)"
            )
        return data

    def parse(self, line: bytes, position: int) -> Passage:
        try:
            return Passage.model_validate_json(line)
        except ValidationError as exc:
            raise IndexCorruptError(
                self.index_dir,
                f"linje {position + 1} i {self.path.name} er ikke en gyldig passage ({exc.error_count()} fejl)",
            ) from exc


class PassageStore(Sequence[Passage]):
    """A read-only sequence of passages backed by passages.jsonl and its line offsets."""

    def __init__(self, path: Path, offsets: np.ndarray, index_dir: Path | None = None) -> None:
        """Open the passages file.

        Args:
            path: passages.jsonl of a build.
            offsets: int64 byte offset of each line's start, then the file's size (n + 1 values);
                checked against the file by `store.read`.
            index_dir: the index folder named in error messages; the file's folder when None.

        Raises:
            OSError: the file cannot be opened.
        """
        path = Path(path)
        fd = os.open(path, os.O_RDONLY)
        weakref.finalize(self, os.close, fd)
        self._lines = _Lines(path, np.asarray(offsets, dtype=np.int64), index_dir or path.parent, fd)
        self._cached = lru_cache(maxsize=CACHE_PASSAGES)(self._lines.read)

    @property
    def path(self) -> Path:
        """The passages file this store reads."""
        return self._lines.path

    def __len__(self) -> int:
        return len(self._lines.offsets) - 1

    @overload
    def __getitem__(self, where: int) -> Passage: ...

    @overload
    def __getitem__(self, where: slice) -> list[Passage]: ...

    def __getitem__(self, where: int | slice) -> Passage | list[Passage]:
        if isinstance(where, slice):
            return [self._cached(i) for i in range(*where.indices(len(self)))]
        position = int(where)  # numpy integers index too
        n = len(self)
        if position < 0:
            position += n
        if not 0 <= position < n:
            raise IndexError(f"passage {where} findes ikke; indekset har {n} passager")
        return self._cached(position)

    def __iter__(self) -> Iterator[Passage]:
        # Read blocks of whole lines, bypassing the cache: a full pass must not evict the results.
        lines, offsets, n = self._lines, self._lines.offsets, len(self)
        start = 0
        while start < n:
            stop = int(np.searchsorted(offsets, offsets[start] + _ITER_BYTES, side="right")) - 1
            stop = min(n, max(stop, start + 1))
            base = int(offsets[start])
            block = lines.pread(base, int(offsets[stop]), start)
            for i in range(start, stop):
                yield lines.parse(block[int(offsets[i]) - base : int(offsets[i + 1]) - base], i)
            start = stop

    def __eq__(self, other: object) -> bool:
        # Compares like a list, so a loaded index equals the one built in memory.
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # mutable-equality semantics, like list

    def __repr__(self) -> str:
        return f"PassageStore({str(self.path)!r}, {len(self)} passager)"
