"""One chat turn: decide what to search, search it, and decide how to show the answer."""

from __future__ import annotations

from index import Searcher, SearchFilters
from ui.answers import answer_view
from ui.followup import build_query
from ui.session import Turn
from ui.settings import DEFAULT_K


def ask(
    searcher: Searcher,
    typed: str,
    previous: Turn | None,
    filters: SearchFilters | None = None,
    k: int = DEFAULT_K,
) -> Turn:
    """Answer one question of the chat.

    The answer carries everything its cards show (the words to mark, the words the articles never
    use, the passages around each quote): the searcher is asked once per turn, and the topics of a
    declined answer come from its section list, read once per index.

    Args:
        searcher: the loaded `index` searcher.
        typed: what the user typed.
        previous: the previous assistant turn (a follow-up builds on it unless it was declined), or None.
        filters: the sidebar's filters (`SearchFilters.chosen`), or None.
        k: how many results.

    Returns:
        The assistant `Turn`, holding the query, the answer and how to show it.
    """
    declined = previous is not None and previous.answer is not None and previous.answer.abstained
    query = build_query(typed, previous.query if previous is not None else None, previous_declined=declined)
    answer = searcher.search(query.searched, k=k, mode="hybrid", filters=filters)
    view = answer_view(answer, searcher.sections() if answer.abstained else [])
    return Turn(role="assistant", query=query, answer=answer, view=view)
