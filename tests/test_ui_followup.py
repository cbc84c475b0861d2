"""Follow-up questions move on: their own words lead the search, the standalone question before gives context."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import index
from ui.chat import ask
from ui.followup import build_query, context_of, is_followup


@pytest.mark.parametrize(
    "question",
    ["og hvad med lægerne?", "Og lægerne?", "men regionerne?", "Hvad med KL?", "og hvad så", "lægerne?"],
)
def test_followups_are_recognised(question: str) -> None:
    assert is_followup(question)


@pytest.mark.parametrize(
    "question",
    [
        "Hvad sagde de om værnemidler?",
        "Hvordan har samarbejdet med de praktiserende læger ændret sig under krisen?",
        "Hvordan rydder kommunen sne om vinteren?",
    ],
)
def test_standalone_questions_are_not_followups(question: str) -> None:
    assert not is_followup(question)


def test_first_question_is_searched_as_typed() -> None:
    query = build_query("  og hvad med lægerne?  ", None)
    assert query.searched == "og hvad med lægerne?" and query.follows is None and query.leading == query.typed


def test_followup_chain_keeps_the_standalone_base() -> None:
    first = build_query("Hvad sagde de om værnemidler?", None)
    second = build_query("og hvad med lægerne?", first)
    third = build_query("men regionerne?", second)
    assert second.searched == "og hvad med lægerne? Hvad sagde de om værnemidler?"
    assert third.searched == "men regionerne? Hvad sagde de om værnemidler?"
    assert third.follows == "Hvad sagde de om værnemidler?" and third.lead == "regionerne"


@pytest.mark.parametrize(
    ("base", "typed", "context"),
    [
        ("Hvad lærte kommunerne om samarbejdet med de praktiserende læger?", "og med regionerne?",
         "Hvad lærte kommunerne om samarbejdet?"),
        ("Hvordan samarbejdede kommunerne med regionen?", "og med de praktiserende læger?",
         "Hvordan samarbejdede kommunerne?"),
        ("Hvordan ledede direktørerne under corona?", "og under oversvømmelsen?", "Hvordan ledede direktørerne?"),
        ("Hvad sagde kommunaldirektørerne om hurtige beslutninger?", "og om politikerne?",
         "Hvad sagde kommunaldirektørerne?"),
        ("Hvad lærte de om sms-varsling?", "også i Lemvig?", "Hvad lærte de om sms-varsling?"),
        ("Hvordan støttede lederne medarbejderne efter knivangrebet?", "og eleverne?",
         "Hvordan støttede lederne medarbejderne efter knivangrebet?"),
    ],
)
def test_the_words_a_followup_puts_in_place_of_earlier_ones_leave_the_context(base: str, typed: str,
                                                                              context: str) -> None:
    assert context_of(base, typed) == context


def test_a_followup_to_a_long_question_is_never_too_long_for_the_search() -> None:
    long_base = build_query("Hvad lærte de om samarbejdet " + "og værnemidler " * 60 + "?", None)
    assert len(long_base.typed) <= index.MAX_QUESTION_CHARS
    query = build_query("og med regionerne?", long_base)
    assert query.searched.startswith("og med regionerne?") and len(query.searched) <= index.MAX_QUESTION_CHARS


def test_a_followup_answer_leads_with_its_own_words_and_does_not_repeat_the_last_answer(
    seed_searcher: index.Searcher,
) -> None:
    first = ask(seed_searcher, "Hvad lærte kommunerne om samarbejdet med de praktiserende læger?", None)
    then = ask(seed_searcher, "og med regionerne?", first)
    assert then.view is not None and first.view is not None
    assert then.view.index_stems and all("region" in stem for stem in then.view.index_stems)  # what is marked
    top = then.view.results[0]
    assert "region" in top.text.lower()
    assert top.passage_id not in {r.passage_id for r in first.view.results[:2]}


def test_a_new_standalone_question_starts_over() -> None:
    first = build_query("Hvad sagde de om værnemidler?", None)
    fresh = build_query("Hvordan samarbejdede kommunen med regionens topledelse?", first)
    assert fresh.searched == fresh.typed and fresh.follows is None


@given(typed=st.text(min_size=1, max_size=60))
def test_searched_text_always_starts_with_what_was_typed(typed: str) -> None:
    previous = build_query("Hvad sagde de om værnemidler?", None)
    query = build_query(typed, previous)
    assert query.searched.startswith(typed.strip())


def test_the_rule_reads_the_turn_pairs_right() -> None:
    """eval/followups.jsonl: 70 turn pairs the rule was written on, and 30 written after it (held out)."""
    import json
    from pathlib import Path

    pairs = [json.loads(line) for line in (Path(__file__).parents[1] / "eval" / "followups.jsonl").open()]
    assert len(pairs) >= 100 and {p["split"] for p in pairs} == {"tune", "heldout"}
    assert sum(p["followup"] for p in pairs) >= 40 and sum(not p["followup"] for p in pairs) >= 40
    for split in ("tune", "heldout"):
        chosen = [p for p in pairs if p["split"] == split]
        right = sum(is_followup(p["typed"]) == p["followup"] for p in chosen)
        assert right / len(chosen) >= 0.95, (split, right, len(chosen))


@pytest.mark.parametrize("keywords", ["samarbjede med regionen", "hjemmepleje", "frivillige stormflod", "beredskap"])
def test_keyword_searches_are_new_searches_after_any_question(keywords: str) -> None:
    previous = build_query("Hvordan håndterede kommunen oversvømmelsen?", None)
    assert build_query(keywords, previous).searched == keywords


def test_a_declined_question_is_never_the_base_of_a_followup() -> None:
    previous = build_query("Hvordan håndterede kommunen oversvømmelsen?", None)
    assert build_query("og hvad med lægerne?", previous, previous_declined=True).searched == "og hvad med lægerne?"
    assert build_query("og hvad med lægerne?", previous).follows == previous.typed
