"""What filters and navigation need of every passage, as small integer arrays made once per build.

A searcher must not walk a million passages to learn their articles, speakers and sections, or
to find a passage by id: these columns hold that in ~30 bytes a passage, and are saved with the
build (`passage_columns.npz` and the code tables in `passage_codes.json`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

from index.models import SearchFilters
from ingest.models import Passage

COLUMNS_FILE = "passage_columns.npz"
CODES_FILE = "passage_codes.json"
_ARRAYS = (
    "article", "speaker", "section", "bullet", "question", "article_order", "article_starts", "id_hashes",
    "id_positions",
)
# A passage that is itself a question ends in "?", perhaps inside closing quotes or emphasis.
_ASKS = re.compile(r"\?[\s\"'”’»«*_)\]]*$")


def is_question(text: str) -> bool:
    """Whether a passage is itself a question: an interviewer's, an FAQ's, a podcast host's.

    Args:
        text: the passage's text.

    Returns:
        True when it ends in a question mark (closing quotes, brackets and emphasis aside).
    """
    return bool(_ASKS.search(text))


class CodeTables(BaseModel):
    """The value of each code, by code: code i of a column stands for `<column>[i]`."""

    article: list[str] = Field(default_factory=list, description="Article ids, in order of first passage.")
    speaker: list[str | None] = Field(default_factory=list, description="Speaker roles (None: no speaker).")
    section: list[str | None] = Field(default_factory=list, description="Section headings (None: no heading).")


def id_hash(passage_id: str) -> int:
    """A 64-bit hash of a passage id, the same in every process (unlike `hash`).

    Args:
        passage_id: the id.

    Returns:
        The hash as an unsigned integer.
    """
    return int.from_bytes(hashlib.blake2b(passage_id.encode("utf-8"), digest_size=8).digest(), "little")


@dataclass(frozen=True)
class PassageColumns:
    """Per passage: article, speaker and section codes; plus each article's reading order and an id table.

    `article_order[article_starts[a]:article_starts[a + 1]]` are the positions of article code a's
    passages by ordinal. `id_hashes` is sorted; `id_positions[i]` is the passage with `id_hashes[i]`.
    """

    article: np.ndarray
    speaker: np.ndarray
    section: np.ndarray
    bullet: np.ndarray
    question: np.ndarray
    article_order: np.ndarray
    article_starts: np.ndarray
    id_hashes: np.ndarray
    id_positions: np.ndarray
    tables: CodeTables

    def __len__(self) -> int:
        return len(self.article)

    @classmethod
    def of(cls, passages: Iterable[Passage]) -> PassageColumns:
        """Compute the columns in one pass over the passages.

        Args:
            passages: the passages of an index, in index order.

        Returns:
            The columns; codes are given in order of first appearance.
        """
        codes: dict[str, dict[str | None, int]] = {"article": {}, "speaker": {}, "section": {}}
        values: dict[str, list[int]] = {
            "article": [], "speaker": [], "section": [], "ordinal": [], "bullet": [], "question": []
        }
        hashes: list[int] = []
        for p in passages:
            for name, value in (("article", p.article.id), ("speaker", p.speaker), ("section", p.section)):
                values[name].append(codes[name].setdefault(value, len(codes[name])))
            values["ordinal"].append(p.ordinal)
            values["bullet"].append(p.kind == "bullet")
            values["question"].append(is_question(p.text))
            hashes.append(id_hash(p.id))
        article = np.asarray(values["article"], dtype=np.int32)
        ordinal = np.asarray(values["ordinal"], dtype=np.int64)
        # Reading order: by article, then ordinal, then position (lexsort is stable).
        order = np.lexsort((ordinal, article)).astype(np.int32)
        starts = np.searchsorted(article[order], np.arange(len(codes["article"]) + 1)).astype(np.int64)
        id_hashes = np.asarray(hashes, dtype=np.uint64)
        by_hash = np.argsort(id_hashes, kind="stable")
        tables = CodeTables(
            article=[str(v) for v in codes["article"]], speaker=list(codes["speaker"]), section=list(codes["section"])
        )
        return cls(
            article=article,
            speaker=np.asarray(values["speaker"], dtype=np.int32),
            section=np.asarray(values["section"], dtype=np.int32),
            bullet=np.asarray(values["bullet"], dtype=bool),
            question=np.asarray(values["question"], dtype=bool),
            article_order=order,
            article_starts=starts,
            id_hashes=id_hashes[by_hash],
            id_positions=by_hash.astype(np.int32),
            tables=tables,
        )

    @property
    def nbytes(self) -> int:
        """Bytes the columns hold in memory."""
        return sum(getattr(self, name).nbytes for name in _ARRAYS)

    @cached_property
    def codes(self) -> dict[str, dict[str | None, int]]:
        """Each column's code of a value ("article", "speaker", "section"): the tables reversed."""
        tables = self.tables
        return {
            name: {value: code for code, value in enumerate(values)}
            for name, values in (("article", tables.article), ("speaker", tables.speaker), ("section", tables.section))
        }

    def allowed(self, filters: SearchFilters) -> np.ndarray | None:
        """Mask of the passages whose articles, speakers and sections the filters allow, all at once.

        Args:
            filters: the search's filters (a None field: any).

        Returns:
            The mask, or None when no column is restricted.
        """
        wanted = {"article": filters.article_ids, "speaker": filters.speakers, "section": filters.sections}
        mask: np.ndarray | None = None
        for name, values in wanted.items():
            if values is None:
                continue
            known = [self.codes[name][v] for v in values if v in self.codes[name]]
            keep = np.isin(getattr(self, name), np.asarray(known, dtype=np.int32))
            mask = keep if mask is None else mask & keep
        return mask

    def positions_of_id(self, passage_id: str) -> np.ndarray:
        """Positions whose id has the same hash as `passage_id` (almost always 0 or 1 of them).

        Args:
            passage_id: the id looked for.

        Returns:
            Candidate positions; the caller compares the ids.
        """
        key = np.uint64(id_hash(passage_id))
        low = int(np.searchsorted(self.id_hashes, key, side="left"))
        high = int(np.searchsorted(self.id_hashes, key, side="right"))
        return self.id_positions[low:high]

    def reading_order(self, position: int) -> np.ndarray:
        """The positions of the passages of `position`'s article, in reading order.

        Args:
            position: any passage of the article.

        Returns:
            Positions, by ordinal.
        """
        code = int(self.article[position])
        return self.article_order[self.article_starts[code] : self.article_starts[code + 1]]

    @cached_property
    def has_speaker(self) -> np.ndarray:
        """Whether each passage quotes someone (its speaker code names a role)."""
        named = np.asarray([role is not None for role in self.tables.speaker], dtype=bool)
        return named[self.speaker] if len(self.speaker) else np.zeros(0, dtype=bool)

    @cached_property
    def neighbours(self) -> tuple[np.ndarray, np.ndarray]:
        """Each passage's previous and next passage of the same article, in reading order (-1: none)."""
        before = np.full(len(self), -1, dtype=np.int64)
        after = np.full(len(self), -1, dtype=np.int64)
        order = self.article_order.astype(np.int64)
        first = np.zeros(len(order), dtype=bool)
        first[self.article_starts[:-1][self.article_starts[:-1] < len(order)]] = True
        last = np.roll(first, -1)
        if len(order):
            last[-1] = True
        before[order[~first]] = order[np.flatnonzero(~first) - 1]
        after[order[~last]] = order[np.flatnonzero(~last) + 1]
        return before, after

    def save(self, folder: Path) -> None:
        """Write the columns and code tables into a build folder.

        Args:
            folder: the build folder being written.
        """
        np.savez(folder / COLUMNS_FILE, allow_pickle=False, **{name: getattr(self, name) for name in _ARRAYS})
        (folder / CODES_FILE).write_text(self.tables.model_dump_json(), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, n_passages: int) -> PassageColumns:
        """Read the columns of a build and check that they fit together.

        Args:
            folder: the build folder.
            n_passages: how many passages the build holds.

        Returns:
            The columns.

        Raises:
            ValueError: a file is malformed or the arrays disagree (the caller names the build).
        """
        tables = CodeTables.model_validate_json((folder / CODES_FILE).read_bytes())
        with np.load(folder / COLUMNS_FILE, allow_pickle=False) as data:
            missing = [name for name in _ARRAYS if name not in data.files]
            if missing:
                raise ValueError(f"{COLUMNS_FILE} mangler {', '.join(missing)}")
            arrays = {name: data[name] for name in _ARRAYS}
        columns = cls(**arrays, tables=tables)
        columns._check(n_passages)
        return columns

    def _check(self, n: int) -> None:
        per_passage = (
            "article", "speaker", "section", "bullet", "question", "article_order", "id_hashes", "id_positions"
        )
        lengths = {name: len(getattr(self, name)) for name in per_passage}
        if set(lengths.values()) != {n}:
            raise ValueError(f"{COLUMNS_FILE} har {sorted(set(lengths.values()))} rækker, ikke {n}")
        for name, table in (("article", self.tables.article), ("speaker", self.tables.speaker),
                            ("section", self.tables.section)):
            column: np.ndarray = getattr(self, name)
            if n and (column.min() < 0 or column.max() >= len(table)):
                raise ValueError(f"{COLUMNS_FILE}: en {name}-kode findes ikke i {CODES_FILE}")
        if len(self.article_starts) != len(self.tables.article) + 1:
            raise ValueError(f"{COLUMNS_FILE}: article_starts passer ikke til artiklerne i {CODES_FILE}")
        for name in ("article_order", "id_positions"):
            positions: np.ndarray = getattr(self, name)
            if n and (positions.min() < 0 or positions.max() >= n):
                raise ValueError(f"{COLUMNS_FILE}: {name} peger uden for passagerne")

