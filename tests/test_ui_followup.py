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
