"""DenseIndex switches to IVF-PQ fast-scan with exact re-rank above its threshold, and back through save/load."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.dense import pread_rows
from index.dense.faiss_index import DenseIndex
from index.dense.ivf import ivf_lists, ivf_probes, pq_subquantizers
from index.dense.owners import best_per_owner
from index.dense.row_file import RowFile, vectors_path
from index.search.plan import dense_candidates


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
    assert approx.is_approximate and approx.kind.startswith("IVF") and "x4fs" in approx.kind
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
    # The loaded index reads its float vectors from the file per query; it holds no copy.
    assert isinstance(loaded._vectors, RowFile)
    for q in data[1][:5]:
        for a, b in zip(loaded.search_rows(q, 10), approx.search_rows(q, 10), strict=True):
            np.testing.assert_array_equal(a, b)
        positions = np.arange(0, 6000, 13)
        np.testing.assert_array_equal(loaded.scores_of(q, positions), approx.scores_of(q, positions))


def test_pinned_rows_score_exactly_as_rows_read_from_disk(
    data: tuple[np.ndarray, np.ndarray], approx: DenseIndex, tmp_path: Path
) -> None:
    path = tmp_path / "pinned.faiss"
    approx.save(path)
    loaded = DenseIndex.load(path, np.repeat(np.arange(3000), 2))  # two rows per passage
    q, positions = data[1][2], np.arange(0, 3000, 7)
    before = loaded.scores_of(q, positions)
    loaded.pin_passages(np.arange(0, 3000, 2))  # half of them pinned, half read from the file
    np.testing.assert_array_equal(loaded.scores_of(q, positions), before)
    # Float32 sums in another order differ by ~1e-8: relative tolerance alone fails near zero.
    np.testing.assert_allclose(before, np.maximum(data[0][2 * positions] @ q, data[0][2 * positions + 1] @ q),
                               rtol=1e-5, atol=1e-6)


def test_an_index_searching_its_first_rows_finds_only_them_and_scores_every_row(
    data: tuple[np.ndarray, np.ndarray], tmp_path: Path
) -> None:
    # As the views index of a large corpus: rows 0..1999 the passage view, searched; the rest held.
    vectors, queries = data
    part = DenseIndex.from_vectors(vectors, exact_max_rows=1000, searched_rows=2000)
    assert part.is_approximate and (part.ntotal, part.n_searched) == (6000, 2000)
    exact_first = DenseIndex.from_vectors(vectors[:2000], exact_max_rows=2000)
    path = tmp_path / "part.faiss"
    part.save(path)
    loaded = DenseIndex.load(path, np.arange(6000))
    assert (loaded.ntotal, loaded.n_searched) == (6000, 2000)
    recall = []
    for q in queries[:10]:
        rows, scores = loaded.search_rows(q, 50)
        assert len(rows) == 50 and rows.max() < 2000
        np.testing.assert_allclose(scores, vectors[rows] @ q, rtol=1e-5, atol=1e-6)
        recall.append(len(set(rows[:10]) & set(exact_first.search_rows(q, 10)[0])) / 10)
        held = np.arange(1990, 6000, 37)
        np.testing.assert_allclose(loaded.row_scores(q, held), vectors[held] @ q, rtol=1e-5, atol=1e-6)
    assert np.mean(recall) >= 0.9


def test_exact_index_writes_no_vector_file(data: tuple[np.ndarray, np.ndarray], tmp_path: Path) -> None:
    path = tmp_path / "flat.faiss"
    DenseIndex.from_vectors(data[0][:100]).save(path)
    assert not vectors_path(path).exists()
    assert not DenseIndex.load(path, np.arange(100)).is_approximate


def test_passage_scores_and_the_fetched_passages_agree_on_owners(data: tuple[np.ndarray, np.ndarray]) -> None:
    vectors, queries = data
    owners = np.repeat(np.arange(3000), 2)  # two rows (sentences) per passage
    index = DenseIndex.from_vectors(vectors, owners, exact_max_rows=1000)
    positions = dense_candidates(index, queries[1], 5, 3000)
    assert len(set(positions.tolist())) == 5
    scores = index.scores_of(queries[1], positions)
    full = index.passage_scores(queries[1], 3000)
    np.testing.assert_allclose(full[positions], scores, rtol=1e-5)
    assert set(positions.tolist()) == set(np.argsort(-full)[:5].tolist())


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=1, max_value=10**8), st.integers(min_value=1, max_value=2048))
def test_ivf_settings_stay_in_bounds(n_rows: int, dim: int) -> None:
    lists = ivf_lists(n_rows)
    assert 64 <= lists <= 4096 and lists & (lists - 1) == 0
    assert min(lists, 128) <= ivf_probes(lists) <= lists
    # Long lists cost more per probe: capped by rows scanned, never below the floor of 128.
    by_rows = ivf_probes(lists, n_rows)
    assert min(lists, 128) <= by_rows <= ivf_probes(lists)
    assert by_rows <= 128 or by_rows * n_rows / lists <= 400_000
    assert dim % pq_subquantizers(dim) == 0 and dim // pq_subquantizers(dim) <= 2


def test_fast_kernel_finds_the_same_distances_as_the_default(
    data: tuple[np.ndarray, np.ndarray], approx: DenseIndex
) -> None:
    ivf = faiss.downcast_index(faiss.extract_index_ivf(approx._index))
    chosen = ivf.implem
    try:
        fast = approx._index.search(data[1], 50)[0]
        ivf.implem = 0
        default = approx._index.search(data[1], 50)[0]
    finally:
        ivf.implem = chosen
    np.testing.assert_allclose(fast, default, rtol=1e-6)


@pytest.fixture(scope="module")
def row_file(data: tuple[np.ndarray, np.ndarray], tmp_path_factory: pytest.TempPathFactory) -> tuple[RowFile, Path]:
    path = tmp_path_factory.mktemp("rows") / "v.npy"
    np.save(path, data[0], allow_pickle=False)
    pread_rows.start_compiling(wait=True)
    assert pread_rows.compiled_reader() is not None, "numba should compile the row reader here"
    return RowFile(path), path


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=5999), max_size=300), st.integers(0, 5999), st.integers(0, 300))
def test_row_file_reads_the_rows_np_load_reads(
    data: tuple[np.ndarray, np.ndarray], row_file: tuple[RowFile, Path], rows: list[int], start: int, length: int
) -> None:
    rows_read, _ = row_file
    assert rows_read.shape == data[0].shape and len(rows_read) == len(data[0])
    np.testing.assert_array_equal(rows_read[np.array(rows, dtype=np.int64)], data[0][rows])
    # The reads before the compiled loop is ready, and where it cannot be compiled.
    from_python = np.empty((len(rows), data[0].shape[1]), dtype=np.float32)
    rows_read._read_rows_from_python(np.array(rows, dtype=np.int64), from_python)
    np.testing.assert_array_equal(from_python, data[0][rows])
    np.testing.assert_array_equal(rows_read[start : start + length], data[0][start : start + length])


def test_row_file_refuses_rows_outside_and_files_of_another_kind(
    row_file: tuple[RowFile, Path], tmp_path: Path
) -> None:
    rows_read, path = row_file
    with pytest.raises(IndexError):
        rows_read[np.array([6000])]
    with pytest.raises(IndexError):
        rows_read[np.array([-1])]
    wrong = tmp_path / "wrong.npy"
    np.save(wrong, np.zeros((3, 4), dtype=np.float64), allow_pickle=False)
    with pytest.raises(ValueError, match=r"wrong\.npy.*byg indekset igen"):
        RowFile(wrong)
    short = tmp_path / "short.npy"
    short.write_bytes(path.read_bytes()[:100_000])
    with pytest.raises(OSError, match="kortere end forventet"):
        RowFile(short)[np.array([5999])]
    with pytest.raises(OSError, match="kortere end forventet"):
        RowFile(short)._read_rows_from_python(np.array([5999]), np.empty((1, 32), dtype=np.float32))


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=39), st.lists(st.integers(min_value=0, max_value=5999), max_size=200))
def test_rows_scored_after_a_search_are_exact_whether_kept_or_read(
    data: tuple[np.ndarray, np.ndarray], approx: DenseIndex, question: int, extra: list[int]
) -> None:
    vectors, queries = data
    q = queries[question]
    fetched, _ = approx.search_rows(queries[(question + 1) % 40], 50)  # another question's rows are kept
    rows = np.concatenate([fetched[::2], np.asarray(extra, dtype=np.int64)])
    np.testing.assert_allclose(approx.row_scores(q, rows), vectors[rows] @ q, rtol=1e-5, atol=1e-6)


def test_a_flat_index_scores_every_passage_as_a_full_search_does(data: tuple[np.ndarray, np.ndarray]) -> None:
    vectors, queries = data
    for owners, n in ((None, 6000), (np.repeat(np.arange(3000), 2), 3000), (np.arange(6000) % 2500, 2600)):
        index = DenseIndex.from_vectors(vectors, owners, exact_max_rows=len(vectors))
        rows, scores = index.search_rows(queries[3], index.ntotal)
        expected = best_per_owner(rows, scores, index.owners, n)
        np.testing.assert_allclose(index.passage_scores(queries[3], n), expected, rtol=1e-5, atol=1e-6)


def test_an_index_built_from_its_own_vector_file_saves_without_copying_it(
    data: tuple[np.ndarray, np.ndarray], tmp_path: Path
) -> None:
    path = tmp_path / "own.faiss"
    np.save(vectors_path(path), data[0], allow_pickle=False)
    written = vectors_path(path).stat().st_mtime_ns
    index = DenseIndex.from_vectors(RowFile(vectors_path(path)), exact_max_rows=1000)
    index.save(path)
    assert vectors_path(path).stat().st_mtime_ns == written
    loaded = DenseIndex.load(path, index.owners)
    for a, b in zip(loaded.search_rows(data[1][0], 10), index.search_rows(data[1][0], 10), strict=True):
        np.testing.assert_array_equal(a, b)
    # Saved elsewhere, the rows are copied by plain writes into an ordinary .npy.
    index.save(tmp_path / "copy.faiss")
    np.testing.assert_array_equal(np.load(vectors_path(tmp_path / "copy.faiss")), data[0])


def test_rows_read_ahead_score_as_rows_read_at_scoring(
    data: tuple[np.ndarray, np.ndarray], approx: DenseIndex, tmp_path: Path
) -> None:
    path = tmp_path / "ahead.faiss"
    approx.save(path)
    loaded = DenseIndex.load(path, np.repeat(np.arange(3000), 2))
    q, passages = data[1][5], np.arange(0, 3000, 11)
    before = loaded.scores_of(q, passages)
    loaded.read_ahead(loaded.rows_of_passages(passages[::2]))
    np.testing.assert_array_equal(loaded.scores_of(q, passages), before)
    np.testing.assert_array_equal(loaded.rows_of_passages(np.array([4, 7])), [8, 9, 14, 15])
