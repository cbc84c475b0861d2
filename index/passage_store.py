"""The passages of a saved build, read from passages.jsonl by byte offset only when one is asked for.

At a million passages the parsed records would cost gigabytes; a search shows 5-10 of them. The
store keeps one int64 offset per line (plus the file's end) and reads a line with `os.pread`,
which needs no shared file position, so threads can read at once. The file is opened when the
store is made: a searcher keeps reading its own build even after a rebuild has deleted it.
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
        self._path = Path(path)
        self._offsets = np.asarray(offsets, dtype=np.int64)
        self._index_dir = index_dir if index_dir is not None else self._path.parent
        self._fd = os.open(self._path, os.O_RDONLY)
        weakref.finalize(self, os.close, self._fd)
        self._cached = lru_cache(maxsize=CACHE_PASSAGES)(self._read)

    @property
    def path(self) -> Path:
        """The passages file this store reads."""
        return self._path

    def __len__(self) -> int:
        return len(self._offsets) - 1

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
        n = len(self)
        start = 0
        while start < n:
            stop = int(np.searchsorted(self._offsets, self._offsets[start] + _ITER_BYTES, side="right")) - 1
            stop = min(n, max(stop, start + 1))
            block = self._pread(int(self._offsets[start]), int(self._offsets[stop]), start)
            base = int(self._offsets[start])
            for i in range(start, stop):
                line = block[int(self._offsets[i]) - base : int(self._offsets[i + 1]) - base]
                yield self._parse(line, i)
            start = stop

    def __eq__(self, other: object) -> bool:
        # Compares like a list, so a loaded index equals the one built in memory.
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # mutable-equality semantics, like list

    def __repr__(self) -> str:
        return f"PassageStore({str(self._path)!r}, {len(self)} passager)"

    def _read(self, position: int) -> Passage:
        start, end = int(self._offsets[position]), int(self._offsets[position + 1])
        return self._parse(self._pread(start, end, position), position)

    def _pread(self, start: int, end: int, position: int) -> bytes:
        data = os.pread(self._fd, end - start, start)
        if len(data) != end - start:
            raise IndexCorruptError(
                self._index_dir, f"{self._path.name} er afkortet: linje {position + 1} mangler ({len(data)} byte læst)"
            )
        return data

    def _parse(self, line: bytes, position: int) -> Passage:
        try:
            return Passage.model_validate_json(line)
        except ValidationError as exc:
            raise IndexCorruptError(
                self._index_dir,
                f"linje {position + 1} i {self._path.name} er ikke en gyldig passage ({exc.error_count()} fejl)",
            ) from exc
