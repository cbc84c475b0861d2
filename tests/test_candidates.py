"""The candidate path a large index searches with, checked against scoring every passage.

The seed index is small enough to score every passage; a second searcher over the same parts is
told to treat it as large (`full_fusion_max = 0`), so both paths answer the same questions.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import index
from eval.dataset import DEFAULT_QUESTIONS, TUNING_QUESTIONS, load_questions
from index import SearchFilters
from index.lexical.postings import top_of_postings
from index.search.plan import MAX_FETCH, dense_found, fetch_depth, plan_candidates, plan_of, population_sample
from index.search.retrieval import retrieve, start_lexical_fetch
from index.search.signals import Query

QUESTIONS = [q.question for q in load_questions(DEFAULT_QUESTIONS) if q.split == "dev"] + [
    q.question for q in load_questions(TUNING_QUESTIONS)
]


def as_large(searcher: index.Searcher, fetch: int) -> index.Searcher:
    large = index.Searcher(searcher.parts, searcher.embedder)
    large.full_fusion_max, large.fetch = 0, fetch
    return large


def test_candidate_path_with_every_passage_fetched_answers_exactly_like_full_fusion(
    seed_searcher: index.Searcher,
) -> None:
    large = as_large(seed_searcher, fetch=len(seed_searcher.passages))
    for question in QUESTIONS[:40]:
        full, cand = seed_searcher.trace(question, k=10), large.trace(question, k=10)
        assert [r.passage_id for r in cand.answer.results] == [r.passage_id for r in full.answer.results], question
        np.testing.assert_allclose([r.score for r in cand.answer.results], [r.score for r in full.answer.results],
                                   atol=2e-4)  # scores are rounded to 4 decimals
        assert cand.decision.abstained == full.decision.abstained
        assert cand.decision.dense_top1 == pytest.approx(full.decision.dense_top1, abs=1e-5)


def test_candidate_path_with_a_shallow_fetch_keeps_the_best_answers(seed_searcher: index.Searcher) -> None:
    # 10 passages per side of 68: the union is a third of the index or less, yet the ranking that
    # matters (the first results) must not move, or the searcher would answer worse at scale.
    large = as_large(seed_searcher, fetch=10)
    same_first, overlap = [], []
    for question in QUESTIONS:
        full, cand = seed_searcher.search(question, k=5), large.search(question, k=5)
        same_first.append(full.results[0].passage_id == cand.results[0].passage_id)
        overlap.append(len({r.passage_id for r in full.results} & {r.passage_id for r in cand.results}) / 5)
        assert full.abstained == cand.abstained, question
    assert np.mean(same_first) >= 0.95
    assert np.mean(overlap) >= 0.9


def test_candidate_path_keeps_to_the_filters(seed_searcher: index.Searcher) -> None:
    large = as_large(seed_searcher, fetch=5)
    article = seed_searcher.articles[0].id
    speaker = seed_searcher.speakers()[0]
    for filters in (SearchFilters(article_ids=[article]), SearchFilters(speakers=[speaker])):
        answer = large.search("hvordan samarbejdede kommunen med de praktiserende læger", k=10, filters=filters)
        assert answer.results
        for result in answer.results:
            passage = seed_searcher.passage(result.passage_id)
            assert filters.article_ids is None or passage.article.id == article
            assert filters.speakers is None or passage.speaker == speaker
    nothing = large.search("læger", filters=SearchFilters(sections=["ingen sådan overskrift"]))
    assert nothing.abstained and not nothing.results


def test_plan_of_a_large_index_fetches_from_every_side_within_the_filter(seed_searcher: index.Searcher) -> None:
    parts = seed_searcher.parts
    n = len(seed_searcher.passages)
    vector = seed_searcher.embedder.embed_queries(["værnemidler"])[0]
    terms = parts.lexical.query_terms("værnemidler")
    plan = plan_candidates([parts.sentences, parts.contexts], parts.lexical, vector, terms, None, n, 0, fetch=3)
    assert 3 <= len(plan.candidates) <= 3 * 3
    assert set(parts.lexical.top_of_terms(terms, 3)[0]) <= set(plan.candidates.tolist())
    assert plan.population is not None and len(plan.population) == n  # the sample is everything here
    allowed = np.zeros(n, dtype=bool)
    allowed[::2] = True
    filtered = plan_candidates([parts.sentences, parts.contexts], parts.lexical, vector, terms, allowed, n, 0, 3)
    assert filtered.candidates.size and allowed[filtered.candidates].all()
    assert filtered.population is not None and allowed[filtered.population].all()
    small = plan_candidates([parts.sentences, parts.contexts], parts.lexical, vector, terms, allowed, n, n, 3)
    assert small.population is None and small.candidates.tolist() == np.flatnonzero(allowed).tolist()


def test_population_sample_is_fixed_and_fetch_depth_is_bounded() -> None:
    allowed = np.arange(0, 100_000, 3)
    sample = population_sample(allowed, 50)
    assert sample.tolist() == population_sample(allowed, 50).tolist()
    assert len(set(sample.tolist())) == 50 and set(sample.tolist()) <= set(allowed.tolist())
    assert fetch_depth(1_000_000, 1_000_000, 100) == 100
    assert fetch_depth(1_000_000, 100_000, 100) == 1_000
    assert fetch_depth(1_000_000, 10, 100) == MAX_FETCH


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=67), min_size=1, max_size=30), st.sampled_from(QUESTIONS[:30]))
def test_exact_scores_of_a_few_passages_equal_the_whole_index_scores(
    seed_searcher: index.Searcher, positions: list[int], question: str
) -> None:
    parts = seed_searcher.parts
    n = len(seed_searcher.passages)
    at = np.asarray(positions)
    terms = parts.lexical.query_terms(question)
    np.testing.assert_allclose(parts.lexical.scores_of(terms, at), parts.lexical.scores(question)[at], rtol=1e-5)
    vector = seed_searcher.embedder.embed_queries([question])[0]
    np.testing.assert_allclose(
        parts.sentences.scores_of(vector, at), parts.sentences.passage_scores(vector, n)[at], rtol=1e-5
    )
    views = parts.contexts.passage_scores(vector, parts.contexts.ntotal)
    np.testing.assert_allclose(parts.contexts.row_scores(vector, at + n), views[at + n], rtol=1e-5)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_compiled_top_of_postings_equals_summing_every_passage(data: st.DataObject) -> None:
    n_docs = data.draw(st.integers(min_value=1, max_value=60))
    n_terms = data.draw(st.integers(min_value=1, max_value=8))
    postings = [
        sorted(data.draw(st.sets(st.integers(min_value=0, max_value=n_docs - 1), max_size=n_docs)))
        for _ in range(n_terms)
    ]
    indptr = np.concatenate([[0], np.cumsum([len(p) for p in postings])]).astype(np.int64)
    indices = np.asarray([d for p in postings for d in p], dtype=np.int64)
    # Few distinct values, so ties between passages are common.
    values = data.draw(st.lists(st.sampled_from([0.5, 1.0, 1.5]), min_size=len(indices), max_size=len(indices)))
    scores_data = np.asarray(values, dtype=np.float32)
    tokens = data.draw(st.lists(st.integers(min_value=0, max_value=n_terms - 1), min_size=1, max_size=4))
    k = data.draw(st.integers(min_value=1, max_value=n_docs + 2))
    docs, scores = top_of_postings(scores_data, indices, indptr, tokens, n_docs, k)
    full = np.zeros(n_docs, dtype=np.float32)
    for t in tokens:
        np.add.at(full, indices[indptr[t] : indptr[t + 1]], scores_data[indptr[t] : indptr[t + 1]])
    expected = [d for d in np.lexsort((np.arange(n_docs), -full)) if full[d] > 0][:k]
    assert docs.tolist() == expected
    np.testing.assert_allclose(scores, full[expected], rtol=1e-6)


@pytest.mark.parametrize("k", [1, 5])
def test_top_of_postings_with_no_terms_or_no_room_finds_nothing(k: int) -> None:
    empty = np.zeros(0, dtype=np.float32)
    docs, scores = top_of_postings(empty, np.zeros(0, dtype=np.int64), np.zeros(1, dtype=np.int64), [], 5, k)
    assert len(docs) == len(scores) == 0


@pytest.mark.parametrize("fetch", [1, 4, 20])
def test_plan_is_the_union_of_what_each_side_found(seed_searcher: index.Searcher, fetch: int) -> None:
    parts = seed_searcher.parts
    n = len(seed_searcher.passages)
    question = "hvordan holdt I kontakten med borgerne"
    vector = seed_searcher.embedder.embed_queries([question])[0]
    terms = parts.lexical.query_terms(question)
    found = dense_found([parts.sentences, parts.contexts], vector, fetch, n)
    # The views index stacks three rows per passage; what it finds are passages, not rows.
    for side in found:
        assert 1 <= len(side) <= fetch and len(set(side.tolist())) == len(side) and side.max() < n
    found.append(parts.lexical.top_of_terms(terms, fetch)[0])
    plan = plan_candidates([parts.sentences, parts.contexts], parts.lexical, vector, terms, None, n, 0, fetch)
    assert plan.candidates.tolist() == sorted(set(np.concatenate(found).tolist()))
    assert plan.candidates.tolist() == plan_of(found, None, n).candidates.tolist()


@pytest.mark.parametrize("filtered", [False, True])
def test_bm25_fetched_while_the_question_is_encoded_plans_what_the_inline_fetch_plans(
    seed_searcher: index.Searcher, filtered: bool
) -> None:
    large = as_large(seed_searcher, fetch=5)
    lexical = seed_searcher.parts.lexical
    filters = SearchFilters(article_ids=[seed_searcher.articles[0].id]) if filtered else None
    allowed = None if filters is None else large.indexes.columns.allowed(filters)
    with ThreadPoolExecutor(max_workers=2) as helpers:
        for question in QUESTIONS[:15]:
            query = Query(vector=seed_searcher.embedder.embed_queries([question])[0],
                          terms=lexical.query_terms(question))
            early = start_lexical_fetch(large.indexes, query.terms, allowed, helpers)
            assert early is not None
            inline = retrieve(large.indexes, query, 10, "dense", allowed)
            fetched_early = retrieve(large.indexes, query, 10, "dense", allowed, lexical_found=early)
            np.testing.assert_array_equal(inline.candidates, fetched_early.candidates)
        # A small index scores every passage: nothing to fetch early.
        assert start_lexical_fetch(seed_searcher.indexes, lexical.query_terms("værnemidler"), None, helpers) is None
