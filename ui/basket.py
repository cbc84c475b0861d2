"""The briefing basket: quotes a leader collects, in the order they choose. Pure list operations."""

from __future__ import annotations

from pydantic import BaseModel

from index.models import Result
from ingest.models import Article
from ui.wholequote import WholeQuote


class BasketItem(BaseModel):
    """One collected quote, the question it answered, and what its citation needs."""

    result: Result
    question: str  # as the leader typed it
    context: str | None = None  # the question a follow-up followed
    article: Article | None = None  # the article's record (its date), when known
    whole: WholeQuote | None = None  # the passages a quote cut across passages runs over

    @property
    def quote(self) -> str:
        """The quote as a briefing gives it: whole when it was cut across passages."""
        return self.whole.text_of(self.result.text) if self.whole else self.result.text

    @property
    def key(self) -> str:
        """Identity of the quote in the basket (one passage appears once)."""
        return self.result.passage_id


def add(items: list[BasketItem], item: BasketItem) -> list[BasketItem]:
    """Add a quote at the end unless it is already there.

    Args:
        items: the basket.
        item: the quote to add.

    Returns:
        A new list.
    """
    if contains(items, item.key):
        return list(items)
    return [*items, item]


def contains(items: list[BasketItem], key: str) -> bool:
    """Tell whether a passage is in the basket.

    Args:
        items: the basket.
        key: a passage id.

    Returns:
        True when it is there.
    """
    return any(i.key == key for i in items)


def remove(items: list[BasketItem], key: str) -> list[BasketItem]:
    """Remove a quote.

    Args:
        items: the basket.
        key: the passage id to remove.

    Returns:
        A new list without it (unchanged when absent).
    """
    return [i for i in items if i.key != key]


def move(items: list[BasketItem], key: str, step: int) -> list[BasketItem]:
    """Move a quote up (step -1) or down (step +1), stopping at the ends.

    Args:
        items: the basket.
        key: the passage id to move.
        step: how many places; negative is up.

    Returns:
        A new list.
    """
    moved = list(items)
    for index, item in enumerate(moved):
        if item.key == key:
            target = max(0, min(len(moved) - 1, index + step))
            moved.insert(target, moved.pop(index))
            break
    return moved
