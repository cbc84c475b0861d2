"""Filters, neighbours, sections and speakers from the stored columns give what the passages themselves give."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import index
from index.dense.embed import Embedder
from index.store.passages import PassageStore
from ingest.models import Passage
from ui.articles import overviews, searcher_overviews

QUESTIONS = ["Hvad sagde de om værnemidler?", "samarbejde med de praktiserende læger", "hjemmearbejde"]


@pytest.fixture(scope="module")
def loaded(seed_index_dir: Path, e5_embedder: Embedder) -> index.Searcher:
    return index.load(seed_index_dir, embedder=e5_embedder)


@pytest.fixture(scope="module")
def in_memory(seed_searcher: index.Searcher) -> list[Passage]:
    passages = seed_searcher.passages
    assert isinstance(passages, list)  # the reference: built in memory from the list
    return passages


def reference_neighbours(passages: list[Passage], passage_id: str, before: int, after: int) -> list[Passage]:
    """What neighbours() gave when it walked the passages (format 2)."""
    by_id = {p.id: i for i, p in enumerate(passages)}
    order = [i for i, p in sorted(enumerate(passages), key=lambda ip: (ip[1].article.id, ip[1].ordinal))
             if p.article.id == passages[by_id[passage_id]].article.id]
    here = order.index(by_id[passage_id])
    return [passages[i] for i in order[max(0, here - max(0, before)) : here + max(0, after) + 1]]


def test_the_loaded_searcher_reads_passages_lazily(loaded: index.Searcher, in_memory: list[Passage]) -> None:
    assert isinstance(loaded.passages, PassageStore)
    assert loaded.passages == in_memory


def test_every_passage_is_found_by_its_id(loaded: index.Searcher, in_memory: list[Passage]) -> None:
    for passage in in_memory:
        assert loaded.passage(passage.id) == passage
    for wrong in ("nope", in_memory[0].id + "x", "", in_memory[0].article.id):
        with pytest.raises(KeyError, match="findes ikke i indekset"):
            loaded.passage(wrong)


@given(st.data())
def test_neighbours_match_the_old_walk_over_the_passages(
    loaded: index.Searcher, seed_searcher: index.Searcher, in_memory: list[Passage], data: st.DataObject
) -> None:
    passage = data.draw(st.sampled_from(in_memory))
    before, after = data.draw(st.integers(-2, 6)), data.draw(st.integers(-2, 6))
    expected = reference_neighbours(in_memory, passage.id, before, after)
    assert loaded.neighbours(passage.id, before=before, after=after) == expected
    assert seed_searcher.neighbours(passage.id, before=before, after=after) == expected


def test_neighbours_of_an_unknown_id_is_the_same_danish_key_error(loaded: index.Searcher) -> None:
    with pytest.raises(KeyError, match="Søg igen, eller byg indekset igen"):
        loaded.neighbours("findes:ikke")


def test_sections_and_speakers_are_those_of_the_passages(loaded: index.Searcher, in_memory: list[Passage]) -> None:
    assert loaded.sections() == sorted({p.section for p in in_memory if p.section})
    assert loaded.speakers() == sorted({p.speaker for p in in_memory if p.speaker})
    assert loaded.sections() and loaded.speakers()


def test_each_filter_gives_the_in_memory_answers(loaded: index.Searcher, seed_searcher: index.Searcher) -> None:
    article_ids = [a.id for a in seed_searcher.articles]
    choices = [
        index.SearchFilters(article_ids=[article_ids[0]]),
        index.SearchFilters(article_ids=article_ids[1:], speakers=seed_searcher.speakers()[:2]),
        index.SearchFilters(sections=seed_searcher.sections()[:3]),
        index.SearchFilters(speakers=[seed_searcher.speakers()[0]], sections=seed_searcher.sections()),
        index.SearchFilters(article_ids=["ukendt"]),
        index.SearchFilters(speakers=[]),
    ]
    for filters in choices:
        for question in QUESTIONS:
            expected = seed_searcher.search(question, k=10, filters=filters)
            assert loaded.search(question, k=10, filters=filters) == expected
            allowed = [r for r in expected.results if _passes(r.article.id, r.speaker, r.section, filters)]
            assert allowed == expected.results


def _passes(article_id: str, speaker: str | None, section: str | None, filters: index.SearchFilters) -> bool:
    return (
        (filters.article_ids is None or article_id in filters.article_ids)
        and (filters.speakers is None or speaker in filters.speakers)
        and (filters.sections is None or section in filters.sections)
    )


def test_hand_assembled_parts_get_their_columns_from_the_passages(
    seed_searcher: index.Searcher, in_memory: list[Passage]
) -> None:
    bare = index.Searcher(dataclasses.replace(seed_searcher.parts, columns=None), seed_searcher.embedder)
    middle = in_memory[len(in_memory) // 2]
    assert bare.neighbours(middle.id, 2, 2) == reference_neighbours(in_memory, middle.id, 2, 2)
    assert bare.sections() == seed_searcher.sections()
    filters = index.SearchFilters(sections=seed_searcher.sections()[:2])
    assert bare.search(QUESTIONS[0], filters=filters) == seed_searcher.search(QUESTIONS[0], filters=filters)


def test_the_articles_page_outline_needs_no_passage(loaded: index.Searcher, in_memory: list[Passage]) -> None:
    assert searcher_overviews(loaded) == overviews(loaded.articles, in_memory)
    assert all(o.n_passages > 0 and o.sections for o in searcher_overviews(loaded))
    assert loaded.article_outline("ukendt") == ([], 0)
