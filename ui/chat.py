"""One chat turn: decide what to search, search it, and decide how to show the answer.

A turn holds everything its cards show (the quotes, the passages around them, the whole of a quote
cut across passages, the articles' dates, the words to mark): it renders the same after an editor
removes or replaces an article. Too long a question, too many questions, a search past its budget:
each becomes a Danish line in the chat, never an error.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from index import MAX_QUESTION_CHARS, Answer, Budget, Result, Searcher, SearchFilters, SearchTimeoutError
from ingest.models import Article
from library import QuoteCheck
from ui import labels
from ui.answers import AnswerView, answer_view
from ui.followup import Query, build_query
from ui.highlight import match_spans
from ui.ratelimit import QuestionRate
from ui.searching import run_abandonable
from ui.session import Turn
from ui.settings import DEFAULT_K
from ui.wholequote import WholeQuote, whole_quote

# A follow-up's search looks this deep, so quotes holding its own words can come first.
FOLLOWUP_DEPTH = 15
_STRENGTH_ORDER = {"strong": 0, "possible": 1, "weak": 2}


def refusal(query: Query, message: str) -> Turn:
    """An assistant turn that answers with a Danish line instead of quotes."""
    return Turn(role="assistant", query=query, view=AnswerView(notice=message, weak_heading=None, results=[],
                                                                 topics=[]))


def too_long(typed: str) -> str | None:
    """The refusal of a question longer than a search takes, counted on what the leader typed."""
    n = len(typed.strip())
    if n <= MAX_QUESTION_CHARS:
        return None
    return labels.TOO_LONG.format(n=f"{n:,}".replace(",", "."), limit=f"{MAX_QUESTION_CHARS:,}".replace(",", "."))


def ask(
    searcher: Searcher,
    typed: str,
    previous: Turn | None,
    filters: SearchFilters | None = None,
    k: int = DEFAULT_K,
    quotes: QuoteCheck | None = None,
    rate: QuestionRate | None = None,
    keep_alive: Callable[[], None] | None = None,
    budget: Budget | None = None,
) -> Turn:
    """Answer one question of the chat.

    Args:
        searcher: the loaded `index` searcher.
        typed: what the user typed.
        previous: the previous assistant turn (a follow-up builds on it unless it was declined), or None.
        filters: the sidebar's filters (`SearchFilters.chosen`), or None.
        k: how many results.
        quotes: checks each quote against its file (`library.QuoteCheck`); one whose file changed is left out.
        rate: this session's question rate; past it the turn says how long to wait.
        keep_alive: the app's Streamlit call while the search runs (`ui.searching.run_abandonable`).
        budget: the search's time budget (20 s when None).

    Returns:
        The assistant `Turn`: the query, the answer and how to show it, or a Danish refusal.
    """
    declined = previous is not None and previous.answer is not None and previous.answer.abstained
    last = previous.query if previous is not None and previous.answer is not None else None
    long_message = too_long(typed)
    if long_message is not None:
        short = typed.strip()[:80] + " …"
        return refusal(Query(typed=short, searched="", base=short), long_message)
    query = build_query(typed, last, previous_declined=declined)
    if rate is not None:
        wait = rate.admit(time.monotonic())
        if wait is not None:
            return refusal(query, labels.TOO_FAST.format(n=len(rate.asked), seconds=wait))
    depth = max(k, FOLLOWUP_DEPTH) if query.follows else k
    try:
        answer = run_abandonable(
            lambda b: searcher.search(query.searched, k=depth, mode="hybrid", filters=filters, budget=b),
            budget or Budget(), keep_alive)
    except SearchTimeoutError as error:
        return refusal(query, str(error))
    marks = answer.matched_terms
    if query.follows:
        marks = sorted(searcher.matched_stems(query.leading)) or marks
        shown = {r.passage_id for r in previous.view.results} if previous and previous.view else set()
        answer = answer.model_copy(update={"results": moved_on(answer.results, marks, shown)[:k]})
    left_out: str | None = None
    if quotes is not None:
        checked = quotes.check(answer)
        answer, left_out = checked.answer, checked.notice
    view = answer_view(answer, searcher.sections() if answer.abstained else [])
    view = view.model_copy(update={"index_stems": list(marks), "left_out": left_out})
    return Turn(role="assistant", query=query, answer=answer, view=view,
                wholes=wholes_of(searcher, answer), articles=articles_of(searcher, answer))


def moved_on(results: list[Result], lead_terms: list[str], shown: set[str]) -> list[Result]:
    """A follow-up's results: within each strength, those holding its own words first, then those
    not shown in the answer before, then the rest, each in the search's order.

    Args:
        results: the search's results, best first.
        lead_terms: the terms the follow-up's own words were read as (`Searcher.matched_stems`).
        shown: passage ids the previous answer showed.

    Returns:
        The results reordered; the strengths still never rise down the list.
    """
    def key(item: tuple[int, Result]) -> tuple[int, bool, bool, int]:
        n, result = item
        holds = bool(match_spans(result.text, "", lead_terms))
        return _STRENGTH_ORDER[result.strength], not holds, result.passage_id in shown, n

    return [result for _, result in sorted(enumerate(results), key=key)]


def wholes_of(searcher: Searcher, answer: Answer) -> dict[str, WholeQuote]:
    """The whole of each quote cut across passages, read now so the turn renders without the index."""
    found = {}
    for result in answer.results:
        try:
            whole = whole_quote(result.passage, searcher.neighbours)
        except KeyError:  # the index changed between the search and this read: show the passage alone
            continue
        if whole.before or whole.after or whole.cut_close:
            found[result.passage_id] = whole
    return found


def articles_of(searcher: Searcher, answer: Answer) -> dict[str, Article]:
    """The records of the answer's articles (their dates), kept with the turn."""
    wanted = {r.article.id for r in answer.results}
    return {a.id: a for a in searcher.articles if a.id in wanted}
