"""Abstention evidence and decision: the ablation gain on the real seed index, and the model's shape."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

import index
from index import abstain
from index.abstain import Evidence


def test_words_the_articles_lack_pull_an_out_of_scope_question_away(seed_searcher: index.Searcher) -> None:
    # Snow clearing: once "ryddede", "sne", "snestormen" are gone, what is left fits the articles better.
    decision = seed_searcher.trace("Hvordan ryddede kommunen vejene for sne efter snestormen?", k=1).decision
    assert decision.ablation_gain < 0
    assert decision.content_words == 5


def test_an_unknown_synonym_still_carries_meaning_the_articles_share(seed_searcher: index.Searcher) -> None:
    # The articles say "corona", never "pandemien": removing the word costs cosine.
    paraphrase = seed_searcher.trace("Hvordan klarede kommunerne sig gennem pandemien?", k=1).decision
    off_topic = seed_searcher.trace("Hvordan ryddede kommunen vejene for sne efter snestormen?", k=1).decision
    assert paraphrase.ablation_gain > 0
    assert paraphrase.out_of_scope_probability < off_topic.out_of_scope_probability


def recording_top1(cosine: float) -> tuple[list[str], Callable[[str], float]]:
    """A `top1_of` that answers `cosine` and records each text it is asked about."""
    calls: list[str] = []

    def top1_of(text: str) -> float:
        calls.append(text)
        return cosine

    return calls, top1_of


def test_a_question_in_the_articles_own_words_needs_no_second_embedding(seed_searcher: index.Searcher) -> None:
    lexical = seed_searcher.parts.lexical
    calls, top1_of = recording_top1(0.0)
    question = "samarbejde med de praktiserende læger"
    evidence = abstain.gather_evidence(question, question, 0.9, lexical.analyzer, lexical.vocabulary, top1_of)
    assert calls == []
    assert evidence.ablation_gain == 0.0
    assert evidence.content_words == 3
    assert evidence.coverage == 1.0


def test_the_second_embedding_sees_the_question_without_its_unused_words(seed_searcher: index.Searcher) -> None:
    lexical = seed_searcher.parts.lexical
    calls, top1_of = recording_top1(0.8)
    question = "Hvordan rydder kommunen sne om vinteren?"
    evidence = abstain.gather_evidence(question, question, 0.83, lexical.analyzer, lexical.vocabulary, top1_of)
    assert calls == ["Hvordan kommunen om ?"]
    assert evidence.ablation_gain == pytest.approx(0.03)


def test_a_question_of_unused_words_only_is_judged_on_its_cosine_and_coverage(seed_searcher: index.Searcher) -> None:
    lexical = seed_searcher.parts.lexical
    evidence = abstain.gather_evidence("snerydning", "snerydning", 0.8, lexical.analyzer, lexical.vocabulary, len)
    assert evidence.ablation_gain == 0.0
    assert evidence.coverage == 0.0
    assert abstain.decide_on(evidence).abstained


unit = st.floats(min_value=0, max_value=1)
gain = st.floats(min_value=-0.1, max_value=0.1)
words = st.integers(min_value=0, max_value=40)


@given(unit, unit, gain, words, st.floats(min_value=0, max_value=0.1))
def test_a_larger_ablation_gain_never_turns_an_answer_into_an_abstention(
    dense: float, coverage: float, ablation_gain: float, content_words: int, more: float
) -> None:
    before = abstain.decide(dense, coverage, ablation_gain, content_words)
    after = abstain.decide(dense, coverage, ablation_gain + more, content_words)
    assert after.out_of_scope_probability <= before.out_of_scope_probability
    if not before.abstained:
        assert not after.abstained


@given(unit, unit, gain, words)
def test_the_decision_reports_its_inputs(
    dense: float, coverage: float, ablation_gain: float, content_words: int
) -> None:
    decision = abstain.decide_on(
        Evidence(dense_top1=dense, coverage=coverage, ablation_gain=ablation_gain, content_words=content_words)
    )
    assert 0.0 <= decision.out_of_scope_probability <= 1.0
    assert decision.content_words == content_words
    assert decision.abstained == (decision.reason is not None)
    assert decision.abstained == (
        abstain.out_of_scope_probability(dense, coverage, ablation_gain, content_words) > abstain.ABSTAIN_PROBABILITY
    )


def test_a_short_question_needs_a_lower_cosine_to_count_as_answered() -> None:
    # e5 gives a one-word question lower cosines to everything than a long one.
    assert abstain.out_of_scope_probability(0.84, 1.0, 0.0, 1) < abstain.out_of_scope_probability(0.84, 1.0, 0.0, 8)


@given(st.booleans(), st.lists(unit, max_size=10), unit, gain, words)
def test_strengths_with_evidence_never_rise_down_the_list(
    abstained: bool, dense: list[float], coverage: float, ablation_gain: float, content_words: int
) -> None:
    order = {"strong": 2, "possible": 1, "weak": 0}
    evidence = Evidence(
        dense_top1=max(dense, default=0.0), coverage=coverage, ablation_gain=ablation_gain, content_words=content_words
    )
    labels = abstain.ranked_strengths(abstained, dense, coverage, evidence)
    assert len(labels) == len(dense)
    assert all(order[a] >= order[b] for a, b in itertools.pairwise(labels))
    if abstained:
        assert set(labels) <= {"weak"}


def test_a_missing_figure_abstains_whatever_the_topic_signals_say() -> None:
    sure = abstain.decide(0.95, 1.0, 0.0, 4)
    assert not sure.abstained
    missing = abstain.decide(0.95, 1.0, 0.0, 4, missing_answer="number")
    assert missing.abstained and missing.reason is not None and "number" in missing.reason
