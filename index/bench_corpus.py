"""Benchmark corpora: real seed material, and seeded synthetic passages built from it.

Two seed articles give ~150 real sentences; a corpus of a million passages cannot be embedded on
two cores in minutes. So a synthetic passage recombines 2-3 real sentences (its BM25 terms are
theirs, analysed once per sentence) and its vector is the mean of their real embeddings plus
seeded Gaussian noise, renormalised. Everything is a pure function of (material, size, seed):
two runs measure the same corpus.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.danish import DanishAnalyzer

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


def write_vectors(recipe: np.ndarray, sentence_vectors: np.ndarray, path: Path, seed: int = SEED) -> np.memmap:
    """Vectors of the synthetic passages, written in chunks to a .npy file (bounded memory).

    Args:
        recipe: from `recipes`.
        sentence_vectors: the real vectors of the seed sentences (unit rows).
        path: where to write the .npy.
        seed: the noise seed.

    Returns:
        The file, memory-mapped read-only.
    """
    n, dim = len(recipe), sentence_vectors.shape[1]
    out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(n, dim))
    rng = np.random.default_rng(seed + 1)
    # Noise drawn in the span of the real sentence vectors' variation, not isotropic: e5 vectors
    # occupy a narrow cone, and isotropic noise would bury the structure a real corpus has.
    spread = (sentence_vectors - sentence_vectors.mean(axis=0)).astype(np.float32)
    spread *= NOISE_NORM / np.sqrt((spread**2).sum(axis=1).mean() * len(spread))
    padded = np.vstack([sentence_vectors, np.zeros((1, dim), dtype=np.float32)])
    for start in range(0, n, _CHUNK):
        rows = recipe[start : start + _CHUNK]
        counts = (rows >= 0).sum(axis=1, keepdims=True)
        mean = padded[np.where(rows >= 0, rows, len(sentence_vectors))].sum(axis=1) / counts
        noise = rng.standard_normal((len(rows), len(spread))).astype(np.float32) @ spread
        block = mean / np.linalg.norm(mean, axis=1, keepdims=True) + noise
        out[start : start + len(rows)] = block / np.linalg.norm(block, axis=1, keepdims=True)
    out.flush()
    del out
    return np.load(path, mmap_mode="r")
