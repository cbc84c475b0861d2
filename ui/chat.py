"""One chat turn: decide what to search, search it, and decide how to show the answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from ui.answers import answer_view
from ui.followup import build_query
from ui.session import Turn
from ui.settings import DEFAULT_K

if TYPE_CHECKING:
    from index import Searcher, SearchFilters
    from ingest import Passage


class FilterChoice(BaseModel):
    """What the leader picked in the sidebar; empty lists mean 'all'."""

    article_ids: list[str] = Field(default_factory=list)
    speakers: list[str] = Field(default_factory=list)
    sections: list[str] = Field(default_factory=list)
    k: int = DEFAULT_K

    @property
    def active(self) -> bool:
        """True when any filter narrows the search."""
        return bool(self.article_ids or self.speakers or self.sections)


def search_filters(choice: FilterChoice) -> SearchFilters | None:
    """Turn the sidebar choice into the searcher's filter object.

    Args:
        choice: the sidebar choice.

    Returns:
        The searcher's filters, or None when nothing is filtered.
    """
    if not choice.active:
        return None
    from index import SearchFilters

    return SearchFilters(
        article_ids=choice.article_ids or None,
        speakers=choice.speakers or None,
        sections=choice.sections or None,
    )


def ask(searcher: Searcher, typed: str, previous: Turn | None, choice: FilterChoice) -> Turn:
    """Answer one question of the chat.

    Args:
        searcher: the loaded `index` searcher.
        typed: what the user typed.
        previous: the previous assistant turn (a follow-up builds on it unless it was declined), or None.
        choice: the sidebar filters and number of results.

    Returns:
        The assistant `Turn`, holding the query, the answer and how to show it.
    """
    declined = previous is not None and previous.answer is not None and previous.answer.abstained
    query = build_query(typed, previous.query if previous is not None else None, previous_declined=declined)
    answer = searcher.search(query.searched, k=choice.k, mode="hybrid", filters=search_filters(choice))
    view = answer_view(
        answer, searcher.sections(), searcher.matched_stems(query.searched), searcher.absent_words(query.searched)
    )
    return Turn(role="assistant", query=query, answer=answer, view=view)


def context_of(searcher: Searcher, passage_id: str) -> tuple[list[Passage], list[Passage]]:
    """Return the passages just before and just after a quote, in reading order.

    Args:
        searcher: the loaded `index` searcher.
        passage_id: the quote's passage id.

    Returns:
        (before, after): the passages, the quote itself excluded.
    """
    own = searcher.passage(passage_id)
    around = searcher.neighbours(passage_id, before=1, after=1)
    before = sorted((p for p in around if p.ordinal < own.ordinal), key=lambda p: p.ordinal)
    after = sorted((p for p in around if p.ordinal > own.ordinal), key=lambda p: p.ordinal)
    return before, after
