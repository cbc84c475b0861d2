"""The lazy passage store: the same passages as the list it was written from, read one line at a time."""

from __future__ import annotations

import random
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import index
from index import store
from index.errors import IndexCorruptError
from index.store.columns import PassageColumns
from index.store.passages import PassageStore
from ingest.models import ArticleSource, CorpusReading, Passage


def written(passages: list[Passage], folder: Path) -> PassageStore:
    folder.mkdir(parents=True, exist_ok=True)
    offsets = store.write_passages(passages, folder)
    return PassageStore(folder / store.PASSAGES, offsets)


@pytest.fixture(scope="module")
def seed_list(seed_reading: CorpusReading) -> list[Passage]:
    return list(seed_reading.passages)


@pytest.fixture(scope="module")
def seed_store(seed_list: list[Passage], tmp_path_factory: pytest.TempPathFactory) -> PassageStore:
    return written(seed_list, tmp_path_factory.mktemp("store"))


def test_round_trip_gives_the_same_passages_in_the_same_order(
    seed_store: PassageStore, seed_list: list[Passage]
) -> None:
    assert len(seed_store) == len(seed_list)
    assert [seed_store[i] for i in range(len(seed_list))] == seed_list
    assert list(seed_store) == seed_list
    assert seed_store == seed_list and seed_list == seed_store
    assert seed_store != seed_list[:-1]


def test_negative_indexes_slices_and_numpy_integers(seed_store: PassageStore, seed_list: list[Passage]) -> None:
    assert seed_store[-1] == seed_list[-1]
    assert seed_store[-len(seed_list)] == seed_list[0]
    assert seed_store[np.int64(3)] == seed_list[3]
    for where in (slice(2, 7), slice(None, None, -3), slice(-5, None), slice(10, 2), slice(None, None, 4)):
        assert seed_store[where] == seed_list[where]
    assert seed_list[5] in seed_store and seed_store.index(seed_list[5]) == 5


def test_out_of_range_is_an_index_error_in_danish(seed_store: PassageStore) -> None:
    for where in (len(seed_store), -len(seed_store) - 1, 10**9):
        with pytest.raises(IndexError, match="findes ikke; indekset har"):
            seed_store[where]


@given(st.data())
def test_any_index_or_slice_matches_the_list(
    seed_store: PassageStore, seed_list: list[Passage], data: st.DataObject
) -> None:
    n = len(seed_list)
    position = data.draw(st.integers(-n, n - 1))
    assert seed_store[position] == seed_list[position]
    bounds = st.none() | st.integers(-n - 3, n + 3)
    where = slice(data.draw(bounds), data.draw(bounds), data.draw(st.none() | st.integers(-5, 5).filter(bool)))
    assert seed_store[where] == seed_list[where]


def test_iteration_reads_many_blocks_correctly(seed_list: list[Passage], tmp_path: Path) -> None:
    # More than one 1 MB block: iteration must cut blocks on line boundaries only.
    many = [p.model_copy(update={"id": f"{p.id}#{i}"}) for i in range(40) for p in seed_list]
    lazy = written(many, tmp_path)
    assert (tmp_path / store.PASSAGES).stat().st_size > 2 << 20
    assert list(lazy) == many


def test_an_edited_line_is_named_with_its_file_when_read(seed_list: list[Passage], tmp_path: Path) -> None:
    lazy = written(seed_list, tmp_path)
    path = tmp_path / store.PASSAGES
    data = bytearray(path.read_bytes())
    at = data.index(b'"char_start"', int(store_offsets(tmp_path)[2]))
    data[at + 1] = ord("X")  # same size, not a passage any more
    path.write_bytes(bytes(data))
    with pytest.raises(IndexCorruptError, match=r"linje 3 i passages\.jsonl.*python -m ingest"):
        lazy[2]
    assert lazy[0] == seed_list[0]


def store_offsets(folder: Path) -> np.ndarray:
    return np.load(folder / store.PASSAGE_OFFSETS, allow_pickle=False)


def test_a_searcher_keeps_reading_its_build_after_a_rebuild_deleted_it(
    seed_searcher: index.Searcher, e5_embedder: index.Embedder, tmp_path: Path
) -> None:
    target = tmp_path / "index"
    seed_searcher.save(target)
    loaded = index.load(target, embedder=e5_embedder)
    for _ in range(2):  # the second save deletes the first build
        seed_searcher.save(target)
    assert not list(target.glob(loaded.passages.path.parent.name))  # type: ignore[attr-defined]
    assert list(loaded.passages) == list(seed_searcher.passages)


def synthetic(n: int, seed: list[Passage]) -> list[Passage]:
    """n valid passages over n // 50 articles, texts and spans taken from the seed passages."""
    rng = random.Random(5)
    out = []
    for i in range(n):
        base = seed[rng.randrange(len(seed))]
        article = ArticleSource(
            id=f"{i // 50:05d}_syntetisk", title="Syntetisk", title_is_derived=True,
            file=f"{i // 50:05d}_syntetisk.txt", encoding="utf-8",
        )
        out.append(base.model_copy(update={"id": f"{article.id}:{i:08x}", "article": article, "ordinal": i % 50}))
    return out


def test_a_loaded_store_costs_few_bytes_per_passage(seed_list: list[Passage], tmp_path: Path) -> None:
    n = 20_000
    passages = synthetic(n, seed_list)
    store.write_passages(passages, tmp_path)
    PassageColumns.of(passages).save(tmp_path)
    del passages
    tracemalloc.start()
    try:
        lazy = PassageStore(tmp_path / store.PASSAGES, store_offsets(tmp_path))
        columns = PassageColumns.load(tmp_path, n)
        per_passage = tracemalloc.get_traced_memory()[0] / n
    finally:
        tracemalloc.stop()
    # Parsed, a passage costs ~3.4 KB; offsets, codes, reading order and id table are ~40 bytes.
    assert per_passage < 80, per_passage
    assert len(lazy) == len(columns) == n
