"""DenseIndex switches to IVF-SQ8 with exact re-rank above its threshold, and back through save/load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.dense import DenseIndex, ivf_lists, ivf_probes, vectors_path


def _unit(rng: np.random.Generator, n: int, dim: int = 32) -> np.ndarray:
    # Clustered like real embeddings: a few centres plus noise.
    centres = rng.standard_normal((20, dim))
    v = centres[rng.integers(0, 20, n)] + 0.3 * rng.standard_normal((n, dim))
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return _unit(rng, 6000), _unit(rng, 40)


@pytest.fixture(scope="module")
def approx(data: tuple[np.ndarray, np.ndarray]) -> DenseIndex:
    return DenseIndex.from_vectors(data[0], exact_max_rows=1000)


def test_small_index_stays_exact(data: tuple[np.ndarray, np.ndarray]) -> None:
    index = DenseIndex.from_vectors(data[0][:500], exact_max_rows=1000)
    assert not index.is_approximate
    assert index.kind == "flat"


def test_large_index_becomes_ivf_with_high_recall(data: tuple[np.ndarray, np.ndarray], approx: DenseIndex) -> None:
    vectors, queries = data
    exact = DenseIndex.from_vectors(vectors, exact_max_rows=len(vectors))
    assert approx.is_approximate and approx.kind.startswith("IVF")
    recall = np.mean(
        [len(set(approx.search_rows(q, 10)[0]) & set(exact.search_rows(q, 10)[0])) / 10 for q in queries]
    )
    assert recall >= 0.9


def test_reranked_scores_are_exact_cosines(data: tuple[np.ndarray, np.ndarray], approx: DenseIndex) -> None:
    vectors, queries = data
    rows, scores = approx.search_rows(queries[0], 10)
    np.testing.assert_allclose(scores, vectors[rows] @ queries[0], rtol=1e-5)
    assert list(scores) == sorted(scores, reverse=True)


def test_save_and_load_keep_the_approximate_index(
    data: tuple[np.ndarray, np.ndarray], approx: DenseIndex, tmp_path: Path
) -> None:
    path = tmp_path / "dense.faiss"
    approx.save(path)
    assert vectors_path(path).is_file()
    loaded = DenseIndex.load(path, approx.owners)
    assert loaded.is_approximate and loaded.kind == approx.kind
    for q in data[1][:5]:
        np.testing.assert_array_equal(loaded.search_rows(q, 10)[0], approx.search_rows(q, 10)[0])


def test_exact_index_writes_no_vector_file(data: tuple[np.ndarray, np.ndarray], tmp_path: Path) -> None:
    path = tmp_path / "flat.faiss"
    DenseIndex.from_vectors(data[0][:100]).save(path)
    assert not vectors_path(path).exists()
    assert not DenseIndex.load(path, np.arange(100)).is_approximate


def test_passage_scores_and_top_passages_agree_on_owners(data: tuple[np.ndarray, np.ndarray]) -> None:
    vectors, queries = data
    owners = np.repeat(np.arange(3000), 2)  # two rows (sentences) per passage
    index = DenseIndex.from_vectors(vectors, owners, exact_max_rows=1000)
    positions, scores = index.top_passages(queries[1], 5)
    assert len(set(positions.tolist())) == 5
    full = index.passage_scores(queries[1], 3000)
    np.testing.assert_allclose(full[positions], scores, rtol=1e-5)
    np.testing.assert_allclose(index.scores_of(queries[1], positions), scores, rtol=1e-5)


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=1, max_value=10**8))
def test_ivf_settings_stay_in_bounds(n_rows: int) -> None:
    lists = ivf_lists(n_rows)
    assert 64 <= lists <= 4096 and lists & (lists - 1) == 0
    assert 8 <= ivf_probes(lists) <= lists
