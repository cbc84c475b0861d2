"""Searching the real seed corpus with the real model, FAISS and BM25."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import index
from index.models import Answer

KNOWN = [
    ("Hvad sagde de om værnemidler?", "værnemidl"),
    ("Hvordan var samarbejdet med de praktiserende læger?", "praktiserende læge"),
    ("Hvilken rolle spillede KL i koordineringen?", "KL"),
    ("Erfaringer med hjemmearbejde", "hjemmearbejde"),
    ("sundhedsvaesenet", "sundhedsv"),  # ae for æ, as typed on a foreign keyboard
]


def assert_verbatim(answer: Answer, corpus_dir: Path) -> None:
    for result in answer.results:
        decoded = (corpus_dir / result.article.file).read_bytes().decode(result.article.encoding)
        assert decoded[result.char_start : result.char_end] == result.text


@pytest.mark.parametrize(("question", "needle"), KNOWN)
def test_known_questions_find_a_passage_on_their_topic(
    seed_searcher: index.Searcher, corpus_dir: Path, question: str, needle: str
) -> None:
    answer = seed_searcher.search(question, k=5)
    assert not answer.abstained
    assert any(needle.lower() in r.text.lower() for r in answer.results), [r.text[:60] for r in answer.results]
    assert [r.rank for r in answer.results] == [1, 2, 3, 4, 5]
    assert all(a.score >= b.score for a, b in zip(answer.results, answer.results[1:], strict=False))
    assert_verbatim(answer, corpus_dir)


OUT_OF_SCOPE = [
    "Hvordan rydder kommunen sne om vinteren?",
    "Hvad er opskriften på æblekage?",
    "Hvem vandt VM i fodbold?",
]


@pytest.mark.parametrize("question", OUT_OF_SCOPE)
def test_out_of_scope_questions_abstain_with_only_weak_results(seed_searcher: index.Searcher, question: str) -> None:
    answer = seed_searcher.search(question, k=3)
    assert answer.abstained
    assert answer.results and {r.strength for r in answer.results} == {"weak"}


@pytest.mark.parametrize("question", ["", "   ", "\n\t"])
def test_empty_questions_abstain_without_results(seed_searcher: index.Searcher, question: str) -> None:
    answer = seed_searcher.search(question)
    assert answer.abstained
    assert answer.results == []
    assert answer.question == question


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=st.text(max_size=80), k=st.integers(min_value=1, max_value=8))
def test_any_question_gives_a_valid_verbatim_answer(
    seed_searcher: index.Searcher, corpus_dir: Path, question: str, k: int
) -> None:
    answer = seed_searcher.search(question, k=k)
    assert len(answer.results) <= k
    assert len({r.passage_id for r in answer.results}) == len(answer.results)
    assert_verbatim(answer, corpus_dir)
    Answer.model_validate_json(answer.model_dump_json())


def test_answer_json_has_the_fields_of_the_interface(seed_searcher: index.Searcher) -> None:
    dumped = seed_searcher.search("Hvad sagde de om værnemidler?", k=1).model_dump(mode="json")
    assert {"question", "abstained", "results"} <= dumped.keys()
    result = dumped["results"][0]
    assert {"rank", "score", "text", "article", "section", "speaker", "char_start", "char_end"} <= result.keys()
    assert {"id", "title", "title_is_derived", "url", "file", "encoding"} <= result["article"].keys()


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_every_mode_answers(seed_searcher: index.Searcher, mode: index.SearchMode) -> None:
    answer = seed_searcher.search("samarbejde med regionerne", k=3, mode=mode)
    assert len(answer.results) == 3


def test_trace_reports_the_abstention_inputs(seed_searcher: index.Searcher) -> None:
    trace = seed_searcher.trace("Hvordan rydder kommunen sne om vinteren?", k=2)
    assert trace.decision.abstained and trace.decision.reason
    assert 0.0 <= trace.decision.coverage < 1.0
    assert set(trace.signal_scores) == {"sentence", "passage", "lede", "window", "bm25"}
    assert all(len(v) == 2 for v in trace.signal_scores.values())


def test_filters_restrict_results(seed_searcher: index.Searcher) -> None:
    article_id = seed_searcher.passages[0].article.id
    filters = index.SearchFilters(article_ids=[article_id])
    answer = seed_searcher.search("samarbejde", k=10, filters=filters)
    assert answer.results and {r.article.id for r in answer.results} == {article_id}
    nothing = seed_searcher.search("samarbejde", filters=index.SearchFilters(sections=["findes ikke"]))
    assert nothing.abstained and nothing.results == []


@pytest.mark.parametrize(("k", "mode"), [(0, "hybrid"), (101, "hybrid"), (5, "semantisk")])
def test_invalid_arguments_raise_a_danish_error(seed_searcher: index.Searcher, k: int, mode: str) -> None:
    with pytest.raises(ValueError, match=r"Brug|helt tal"):
        seed_searcher.search("samarbejde", k=k, mode=mode)  # type: ignore[arg-type]


def test_passage_lookup_and_neighbours_follow_article_order(seed_searcher: index.Searcher) -> None:
    middle = next(p for p in seed_searcher.passages if p.ordinal == 2)
    assert seed_searcher.passage(middle.id) == middle
    around = seed_searcher.neighbours(middle.id, before=1, after=1)
    assert [p.ordinal for p in around] == [1, 2, 3]
    assert {p.article.id for p in around} == {middle.article.id}
    first = next(p for p in seed_searcher.passages if p.ordinal == 0 and p.article.id == middle.article.id)
    assert [p.ordinal for p in seed_searcher.neighbours(first.id, before=3, after=0)] == [0]
    with pytest.raises(KeyError, match="findes ikke"):
        seed_searcher.passage("nope")


def test_sections_and_speakers_are_sorted_and_distinct(seed_searcher: index.Searcher) -> None:
    for values in (seed_searcher.sections(), seed_searcher.speakers()):
        assert values == sorted(set(values))
    assert set(seed_searcher.sections()) == {p.section for p in seed_searcher.passages if p.section}


def test_matched_stems_are_the_article_words_the_question_was_read_as(seed_searcher: index.Searcher) -> None:
    analyzer = seed_searcher.parts.lexical.analyzer
    stems = seed_searcher.matched_stems("samarbjede om hamstring i sundhedsvaesenet")
    assert {analyzer.stem(w) for w in ("samarbejde", "hamstre", "sundhedsvæsenet")} <= set(stems)
    assert len(stems) == len(set(stems))
    assert seed_searcher.matched_stems("snerydning") == []


def test_absent_words_are_the_question_words_the_articles_use_in_no_form(seed_searcher: index.Searcher) -> None:
    assert seed_searcher.absent_words("Hvordan håndterede kommunerne hedebølgen på plejehjemmene?") == ["hedebølgen"]
    # A typo, ae/oe/aa, a verb for its noun and a compound all count as used.
    assert seed_searcher.absent_words("samarbjede om hamstring i sundhedsvaesenet") == []
    assert seed_searcher.absent_words("kriseledelsesmøderne") == []
    assert seed_searcher.absent_words("snerydning, cyberangreb og snerydning") == ["snerydning", "cyberangreb"]
    assert seed_searcher.absent_words("hvad er det?") == []  # no content word at all


def test_a_search_reads_the_question_once(seed_searcher: index.Searcher) -> None:
    analyzer = seed_searcher.parts.lexical.analyzer
    read: list[str] = []
    original = analyzer.explain_query

    def counting(question: str, vocabulary: object, check: object = None) -> object:
        read.append(question)
        return original(question, vocabulary, check)  # type: ignore[arg-type]

    analyzer.explain_query = counting  # type: ignore[method-assign]
    try:
        for question in ("Hvad sagde borgmesteren om værnemidler?", "Hvor mange døde i Thyborøn?", "samarbjede"):
            read.clear()
            seed_searcher.search(question, k=5)
            assert read == [question], read
    finally:
        del analyzer.explain_query


def test_the_answer_carries_what_the_screen_shows(seed_searcher: index.Searcher) -> None:
    question = "Hvordan håndterede kommunerne hedebølgen og samarbjede med laegerne?"
    answer = seed_searcher.search(question, k=5)
    assert answer.matched_terms == seed_searcher.matched_stems(question)
    assert answer.absent_words == seed_searcher.absent_words(question) == ["hedebølgen"]
    for result in answer.results:
        # The passages the app's "context" expander shows: just before and just after, same article.
        around = seed_searcher.neighbours(result.passage_id, before=1, after=1)
        assert result.context_before == [p for p in around if p.ordinal < result.passage.ordinal]
        assert result.context_after == [p for p in around if p.ordinal > result.passage.ordinal]
    assert any(r.context_before for r in answer.results) and any(r.context_after for r in answer.results)


def test_the_result_json_keeps_its_flat_fields_and_adds_new_ones_after_them(seed_searcher: index.Searcher) -> None:
    answer = seed_searcher.search("Hvad sagde de om værnemidler?", k=2)
    dumped = answer.model_dump(mode="json")
    interface = ["rank", "score", "text", "article", "section", "speaker", "char_start", "char_end", "passage_id",
                 "kind", "strength", "page"]
    for result, record in zip(answer.results, dumped["results"], strict=True):
        assert list(record)[: len(interface)] == interface
        assert record["text"] == result.passage.text and record["passage_id"] == result.passage.id
        assert {"ordinal", "context_before", "context_after"} <= record.keys()
    again = Answer.model_validate_json(answer.model_dump_json())
    assert [r.passage_id for r in again.results] == [r.passage_id for r in answer.results]
    assert again.model_dump(mode="json")["results"][0]["text"] == dumped["results"][0]["text"]


def test_a_sidebar_that_chooses_nothing_filters_nothing() -> None:
    assert index.SearchFilters.chosen([], [], []) is None
    chosen = index.SearchFilters.chosen(["a"], [], ["Afsnit"])
    assert chosen == index.SearchFilters(article_ids=["a"], speakers=None, sections=["Afsnit"])
