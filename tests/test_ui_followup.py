"""Follow-up questions are searched together with the standalone question before them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ui.followup import answered_label, build_query, is_followup


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
    assert query.searched == "og hvad med lægerne?"
    assert answered_label(query) is None


def test_followup_chain_keeps_the_standalone_base() -> None:
    first = build_query("Hvad sagde de om værnemidler?", None)
    second = build_query("og hvad med lægerne?", first)
    third = build_query("men regionerne?", second)
    assert second.searched == "Hvad sagde de om værnemidler? og hvad med lægerne?"
    assert third.searched == "Hvad sagde de om værnemidler? men regionerne?"
    assert third.follows == "Hvad sagde de om værnemidler?"
    label = answered_label(third)
    assert label is not None and "men regionerne?" in label and "værnemidler" in label


def test_a_new_standalone_question_starts_over() -> None:
    first = build_query("Hvad sagde de om værnemidler?", None)
    fresh = build_query("Hvordan samarbejdede kommunen med regionens topledelse?", first)
    assert fresh.searched == fresh.typed and fresh.follows is None


@given(typed=st.text(min_size=1, max_size=60))
def test_searched_text_always_contains_what_was_typed(typed: str) -> None:
    previous = build_query("Hvad sagde de om værnemidler?", None)
    query = build_query(typed, previous)
    assert typed.strip() in query.searched


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
