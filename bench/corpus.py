"""Benchmark corpora: real seed material, and seeded synthetic passages built from it.

Two seed articles give ~150 real sentences; a corpus of a million passages cannot be embedded on
two cores in minutes. So a synthetic passage recombines 2-3 real sentences (its BM25 terms are
theirs, analysed once per sentence). Its dense rows are shaped like the product's
(index/build.py): one row per sentence (the real sentence vector plus seeded noise) in the
sentence index, and one row per passage view (`PASSAGE_VIEWS`: the mean of its sentences' real
vectors plus each view's own seeded noise) stacked view by view in the context index, ~5.6 rows
per passage in all. Everything is a pure function of (material, size, seed): two runs measure the
same corpus. Rows are written to .npy files with plain writes, never through a memory map, so
making a million passages' 5.6M rows does not put the 8.6 GB into the process's memory.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.dense.views import PASSAGE_VIEWS
from index.text.analyzer import DanishAnalyzer
from ingest.models import ArticleSource, Passage

SEED = 7
# Norm of the noise added to each mean vector: enough that no two synthetic passages coincide
# and IVF lists stay balanced, small enough that a passage stays nearest its own sentences.
NOISE_NORM = 0.35
_CHUNK = 50_000


@dataclass
class Material:
    """Real inputs of every synthetic corpus: seed sentences with their vectors and terms, questions."""

    sentences: list[str]
    sentence_terms: list[list[str]]
    sentence_vectors: np.ndarray
    questions: list[str]
    question_vectors: np.ndarray

    def save(self, folder: Path) -> None:
        """Write the material to `folder` (json + npy) for the per-size subprocesses.

        Args:
            folder: an existing folder.
        """
        data = {"sentences": self.sentences, "sentence_terms": self.sentence_terms, "questions": self.questions}
        (folder / "material.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        np.save(folder / "sentence_vectors.npy", self.sentence_vectors, allow_pickle=False)
        np.save(folder / "question_vectors.npy", self.question_vectors, allow_pickle=False)

    @classmethod
    def load(cls, folder: Path) -> Material:
        """Read what `save` wrote.

        Args:
            folder: the folder.

        Returns:
            The material.
        """
        data = json.loads((folder / "material.json").read_text(encoding="utf-8"))
        return cls(
            sentences=data["sentences"],
            sentence_terms=data["sentence_terms"],
            sentence_vectors=np.load(folder / "sentence_vectors.npy", allow_pickle=False),
            questions=data["questions"],
            question_vectors=np.load(folder / "question_vectors.npy", allow_pickle=False),
        )


def sentence_terms(sentences: list[str], analyzer: DanishAnalyzer) -> list[list[str]]:
    """The BM25 terms of each sentence, as the product's analyzer makes them.

    Args:
        sentences: the sentences.
        analyzer: the Danish analyzer.

    Returns:
        One term list per sentence.
    """
    return [analyzer.document_terms(s) for s in sentences]


def recipes(n: int, n_sentences: int, seed: int = SEED) -> np.ndarray:
    """Which seed sentences make up each synthetic passage: 2 or 3 distinct ones, in article order.

    Args:
        n: number of passages.
        n_sentences: size of the sentence pool.
        seed: the random seed.

    Returns:
        int32 (n, 3); the third column is -1 for a two-sentence passage.
    """
    rng = np.random.default_rng(seed)
    picks = np.argsort(rng.random((n, n_sentences)), axis=1)[:, :3] if n_sentences <= 64 else None
    if picks is None:
        # Three draws with rejection of repeats: argsort over the pool would cost O(n * pool).
        picks = rng.integers(0, n_sentences, size=(n, 3))
        for col in (1, 2):
            clash = (picks[:, col : col + 1] == picks[:, :col]).any(axis=1)
            while clash.any():
                picks[clash, col] = rng.integers(0, n_sentences, size=int(clash.sum()))
                clash = (picks[:, col : col + 1] == picks[:, :col]).any(axis=1)
    picks = np.sort(picks, axis=1).astype(np.int32)
    picks[rng.random(n) < 0.4, 2] = -1
    return picks


def passage_terms(recipe: np.ndarray, terms: list[list[str]]) -> list[list[str]]:
    """BM25 terms of each synthetic passage: its sentences' terms joined.

    Args:
        recipe: from `recipes`.
        terms: terms of each seed sentence.

    Returns:
        One term list per passage.
    """
    return [[t for s in row if s >= 0 for t in terms[s]] for row in recipe.tolist()]


def passage_text(row: np.ndarray, sentences: list[str]) -> str:
    """The text of one synthetic passage (its sentences joined by a space)."""
    return " ".join(sentences[s] for s in row if s >= 0)


def passages(recipe: np.ndarray, sentences: list[str], per_article: int = 50) -> Iterator[Passage]:
    """The synthetic passages as the product stores them: verbatim text, article, heading, speaker.

    Generated one at a time (the bench writes a million without holding them). Offsets and
    sentence spans describe the passage's own text, as if each passage were its own slice.

    Args:
        recipe: sentence ids per passage (from `recipes`).
        sentences: the seed sentences.
        per_article: passages per synthetic article.

    Yields:
        One `Passage` per recipe row, in order.
    """
    rng = random.Random(SEED)
    sections = [f"Afsnit {i}" for i in range(12)] + [None] * 4
    speakers = ["en kommunaldirektør", "en chef", "en direktør", "en leder"] + [None] * 8
    source = _article(0)
    for i, row in enumerate(recipe.tolist()):
        if i % per_article == 0:
            source = _article(i // per_article)
        text = passage_text(np.asarray(row), sentences)
        spans, start = [], 0
        for s in row:
            if s >= 0:
                spans.append((start, start + len(sentences[s])))
                start += len(sentences[s]) + 1
        yield Passage(
            id=f"{source.id}:{i:x}", article=source, ordinal=i % per_article, section=rng.choice(sections),
            speaker=rng.choice(speakers), char_start=0, char_end=len(text), text=text, sentence_spans=spans,
        )


def _article(number: int) -> ArticleSource:
    name = f"{number:07d}_syntetisk"
    return ArticleSource(
        id=name, title=f"Syntetisk artikel {number}", title_is_derived=True, file=f"{name}.txt", encoding="utf-8"
    )


def sentence_owners(recipe: np.ndarray) -> np.ndarray:
    """The passage of each sentence row, in row order (passage by passage, as the product adds them).

    Args:
        recipe: from `recipes`.

    Returns:
        int64 (rows,), ascending.
    """
    return np.repeat(np.arange(len(recipe), dtype=np.int64), (recipe >= 0).sum(axis=1))


def write_sentence_rows(recipe: np.ndarray, sentence_vectors: np.ndarray, path: Path, seed: int = SEED) -> int:
    """One row per sentence of every passage: its real vector plus seeded noise, renormalised.

    Args:
        recipe: from `recipes`.
        sentence_vectors: the real vectors of the seed sentences (unit rows).
        path: where to write the float32 .npy.
        seed: the noise seed.

    Returns:
        The number of rows written.
    """
    n_rows = int((recipe >= 0).sum())
    noise = _Noise(sentence_vectors, seed + 11)
    with _RowWriter(path, n_rows, sentence_vectors.shape[1]) as out:
        for start in range(0, len(recipe), _CHUNK):
            rows = recipe[start : start + _CHUNK]
            out.write(noise.perturb(sentence_vectors[rows[rows >= 0]]))
    return n_rows


def write_view_rows(recipe: np.ndarray, sentence_vectors: np.ndarray, path: Path, seed: int = SEED) -> int:
    """Every passage view's row, stacked view by view (row = view * n + passage), as the product does.

    A view's vector is the mean of the passage's sentence vectors plus that view's own noise: the
    views of one passage are close to each other but not equal, as a passage alone, under its
    title and after its predecessor are.

    Args:
        recipe: from `recipes`.
        sentence_vectors: the real vectors of the seed sentences (unit rows).
        path: where to write the float32 .npy.
        seed: the noise seed (the first view's noise is that of the earlier one-row corpus).

    Returns:
        The number of rows written.
    """
    n = len(recipe)
    with _RowWriter(path, n * len(PASSAGE_VIEWS), sentence_vectors.shape[1]) as out:
        for view in range(len(PASSAGE_VIEWS)):
            _write_view(recipe, sentence_vectors, out, seed + 1 + view)
    return n * len(PASSAGE_VIEWS)


def write_vectors(recipe: np.ndarray, sentence_vectors: np.ndarray, path: Path, seed: int = SEED) -> np.ndarray:
    """One vector per passage (its first view's), for measurements that need one row per passage.

    Args:
        recipe: from `recipes`.
        sentence_vectors: the real vectors of the seed sentences (unit rows).
        path: where to write the .npy.
        seed: the noise seed.

    Returns:
        The file, memory-mapped read-only.
    """
    with _RowWriter(path, len(recipe), sentence_vectors.shape[1]) as out:
        _write_view(recipe, sentence_vectors, out, seed + 1)
    return np.load(path, mmap_mode="r")


def _write_view(recipe: np.ndarray, sentence_vectors: np.ndarray, out: _RowWriter, seed: int) -> None:
    padded = np.vstack([sentence_vectors, np.zeros((1, sentence_vectors.shape[1]), dtype=np.float32)])
    noise = _Noise(sentence_vectors, seed)
    for start in range(0, len(recipe), _CHUNK):
        rows = recipe[start : start + _CHUNK]
        counts = (rows >= 0).sum(axis=1, keepdims=True)
        out.write(noise.perturb(padded[np.where(rows >= 0, rows, len(sentence_vectors))].sum(axis=1) / counts))


class _Noise:
    """Seeded noise of norm ~`NOISE_NORM` in the span of the real sentence vectors' variation.

    Not isotropic: e5 vectors occupy a narrow cone, and isotropic noise would bury the structure
    a real corpus has.
    """

    def __init__(self, sentence_vectors: np.ndarray, seed: int) -> None:
        spread = (sentence_vectors - sentence_vectors.mean(axis=0)).astype(np.float32)
        spread *= NOISE_NORM / np.sqrt((spread**2).sum(axis=1).mean() * len(spread))
        self._spread = spread
        self._rng = np.random.default_rng(seed)

    def perturb(self, vectors: np.ndarray) -> np.ndarray:
        """Unit `vectors` plus noise, renormalised (float32)."""
        base = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        noise = self._rng.standard_normal((len(vectors), len(self._spread)), dtype=np.float32) @ self._spread
        block = (base + noise).astype(np.float32)
        return block / np.linalg.norm(block, axis=1, keepdims=True)


class _RowWriter:
    """A float32 .npy of known shape written block by block with plain writes.

    Writing through `np.lib.format.open_memmap` keeps every written page mapped, and so counted in
    the writer's resident memory, until the map is dropped.
    """

    def __init__(self, path: Path, n_rows: int, dim: int) -> None:
        self._path, self._shape, self._done = path, (n_rows, dim), 0

    def __enter__(self) -> _RowWriter:
        self._file = self._path.open("wb")
        header = {"descr": np.lib.format.dtype_to_descr(np.dtype(np.float32)), "fortran_order": False,
                  "shape": self._shape}
        np.lib.format.write_array_header_2_0(self._file, header)
        return self

    def write(self, block: np.ndarray) -> None:
        self._file.write(np.ascontiguousarray(block, dtype=np.float32).tobytes())
        self._done += len(block)

    def __exit__(self, *exc: object) -> None:
        self._file.close()
        if exc[0] is None and self._done != self._shape[0]:
            raise ValueError(f"{self._path}: {self._done} rows written, {self._shape[0]} announced")
