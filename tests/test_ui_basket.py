"""The briefing basket: add once, reorder, remove; the session helpers the app's buttons call."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from index.models import Result
from ingest.models import ArticleSource, Passage
from ui import basket, session
from ui.basket import BasketItem

SOURCE = ArticleSource(id="a", title="T", title_is_derived=True, file="a.txt", encoding="utf-8")


def item(n: int) -> BasketItem:
    passage = Passage(id=f"a:{n}", article=SOURCE, ordinal=n, char_start=n * 10, char_end=n * 10 + 5, text="abcde")
    return BasketItem(result=Result.from_passage(passage, rank=1, score=1.0), question="q")


def test_add_ignores_a_quote_already_there() -> None:
    items = basket.add(basket.add([], item(1)), item(1))
    assert [i.key for i in items] == ["a:1"]


def test_move_and_remove() -> None:
    items = [item(1), item(2), item(3)]
    assert [i.key for i in basket.move(items, "a:3", -1)] == ["a:1", "a:3", "a:2"]
    assert [i.key for i in basket.move(items, "a:1", -1)] == ["a:1", "a:2", "a:3"]
    assert [i.key for i in basket.move(items, "a:3", 1)] == ["a:1", "a:2", "a:3"]
    assert [i.key for i in basket.remove(items, "a:2")] == ["a:1", "a:3"]
    assert [i.key for i in items] == ["a:1", "a:2", "a:3"]  # operations never mutate their input


@given(ops=st.lists(st.tuples(st.sampled_from(["add", "remove", "up", "down"]), st.integers(0, 5)), max_size=40))
def test_any_sequence_keeps_each_quote_at_most_once(ops: list[tuple[str, int]]) -> None:
    state: dict[str, object] = {}
    session.init(state)
    added: set[str] = set()
    for op, n in ops:
        key = f"a:{n}"
        if op == "add":
            session.add_to_basket(state, item(n))
            added.add(key)
        elif op == "remove":
            session.remove_from_basket(state, key)
            added.discard(key)
        else:
            session.move_in_basket(state, key, -1 if op == "up" else 1)
        keys = [i.key for i in session.items(state)]
        assert len(keys) == len(set(keys))
        assert set(keys) == added
