"""LexicalIndex.top_of_terms: the numba backend's top passages equal the full BM25 scores' best ones."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.lexical.bm25 import LexicalIndex, numba_available

TEXTS = [
    "Kommunen manglede værnemidler i de første uger af krisen.",
    "Kriseledelsen mødtes hver morgen og prioriterede opgaverne.",
    "Plejehjemmene fik hjælp fra frivillige og fra sundhedsvæsenet.",
    "Borgmesteren talte med medarbejderne om kerneopgaven.",
    "Der var mangel på testkapacitet og værnemidler på plejecentrene.",
    "Hjemmeplejen omlagde ruterne for at beskytte de ældre borgere.",
]


@pytest.fixture(scope="module")
def lexical() -> LexicalIndex:
    return LexicalIndex.from_texts(TEXTS * 50)


def test_numba_is_used_here(lexical: LexicalIndex) -> None:
    assert numba_available()
    assert lexical.backend == "numba"


def test_top_matches_full_scores(lexical: LexicalIndex) -> None:
    full = lexical.scores("værnemidler på plejecentrene")
    positions, scores = lexical.top_of_terms(lexical.query_terms("værnemidler på plejecentrene"), 20)
    np.testing.assert_allclose(scores, np.sort(full)[::-1][:20], rtol=1e-5)
    np.testing.assert_allclose(full[positions], scores, rtol=1e-5)


def test_unknown_words_give_no_candidates(lexical: LexicalIndex) -> None:
    positions, scores = lexical.top_of_terms(lexical.query_terms("xylofon zebra"), 10)
    assert len(positions) == 0 and len(scores) == 0


def test_numpy_fallback_gives_the_same_scores(lexical: LexicalIndex) -> None:
    terms = lexical.query_terms("kriseledelsen og kerneopgaven")
    fast = lexical.top_of_terms(terms, 30)[1]
    lexical.backend = "numpy"
    try:
        slow = lexical.top_of_terms(terms, 30)[1]
    finally:
        lexical.backend = "numba"
    np.testing.assert_allclose(fast, slow, rtol=1e-5)


def test_saved_index_loads_with_numba(lexical: LexicalIndex, tmp_path: Path) -> None:
    lexical.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path)
    loaded.warm_up()
    assert loaded.backend == "numba"
    terms = lexical.query_terms("værnemidler")
    np.testing.assert_allclose(loaded.top_of_terms(terms, 5)[1], lexical.top_of_terms(terms, 5)[1], rtol=1e-5)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["værnemidler", "krisen", "borgere", "frivillige", "ruterne", "ukendt"]), max_size=4),
       st.integers(min_value=1, max_value=400))
def test_top_is_sorted_positive_and_bounded(lexical: LexicalIndex, words: list[str], n: int) -> None:
    positions, scores = lexical.top_of_terms(lexical.query_terms(" ".join(words)), n)
    assert len(positions) == len(scores) <= min(n, lexical.n_docs)
    assert (scores > 0).all()
    assert list(scores) == sorted(scores, reverse=True)


@pytest.fixture(scope="module")
def saved(lexical: LexicalIndex, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bm25")
    lexical.save(folder)
    return folder


@pytest.fixture(scope="module")
def both(saved: Path) -> tuple[LexicalIndex, LexicalIndex]:
    return LexicalIndex.load(saved), LexicalIndex.load(saved, mmap=False)


def test_load_maps_the_arrays_from_disk_by_default(both: tuple[LexicalIndex, LexicalIndex]) -> None:
    mapped, copied = both
    assert isinstance(mapped._bm25.scores["data"], np.memmap)
    assert not isinstance(copied._bm25.scores["data"], np.memmap)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["værnemidler", "krisen", "borgere", "frivillige", "kerneopgaven", "ukendt"]),
                max_size=4), st.integers(min_value=1, max_value=300))
def test_mapped_index_answers_like_the_copied_one(
    both: tuple[LexicalIndex, LexicalIndex], words: list[str], n: int
) -> None:
    mapped, copied = both
    question = " ".join(words)
    terms = copied.query_terms(question)
    assert mapped.query_terms(question) == terms
    np.testing.assert_array_equal(mapped.scores(question), copied.scores(question))
    for a, b in zip(mapped.top_of_terms(terms, n), copied.top_of_terms(terms, n), strict=True):
        np.testing.assert_array_equal(a, b)
    positions = np.arange(0, copied.n_docs, 7)
    np.testing.assert_array_equal(mapped.scores_of(terms, positions), copied.scores_of(terms, positions))

