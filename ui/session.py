"""Chat history and basket kept in a plain mutable mapping (Streamlit's session_state in the app)."""

from __future__ import annotations

from typing import Literal, Protocol, cast

from pydantic import BaseModel

from index.models import Answer
from ingest.models import Article
from ui import basket
from ui.answers import AnswerView
from ui.basket import BasketItem
from ui.followup import Query
from ui.ratelimit import QuestionRate
from ui.wholequote import WholeQuote

MESSAGES = "messages"
BASKET = "basket"
ALONE = "search_alone"
ASKED = "asked"
RATE = "question_rate"


class State(Protocol):
    """Streamlit's session_state, or a plain dict in tests: only this module reads and writes its keys."""

    def __getitem__(self, key: str, /) -> object: ...

    def __setitem__(self, key: str, value: object, /) -> None: ...

    def setdefault(self, key: str, default: object, /) -> object: ...



class Turn(BaseModel):
    """One chat message: the user's question or the assistant's answer to it."""

    role: Literal["user", "assistant"]
    query: Query
    answer: Answer | None = None
    view: AnswerView | None = None
    # What the cards need beyond the results, read when the question was answered: the whole of a
    # quote cut across passages (by passage id) and the records of the answer's articles (by id).
    wholes: dict[str, WholeQuote] = {}
    articles: dict[str, Article] = {}


def init(state: State) -> None:
    """Create empty history and basket on first use.

    Args:
        state: the session state.
    """
    state.setdefault(MESSAGES, [])
    state.setdefault(BASKET, [])


def turns(state: State) -> list[Turn]:
    """Return the chat history.

    Args:
        state: the session state.

    Returns:
        The turns in order.
    """
    return cast(list[Turn], state[MESSAGES])


def last_answer(state: State) -> Turn | None:
    """Return the latest assistant turn that searched (its query and whether it was declined), for follow-ups.

    A refusal (too long a question, too many questions) searched nothing: the question before it
    is still what a follow-up follows.

    Args:
        state: the session state.

    Returns:
        The turn, or None before the first question.
    """
    return next((t for t in reversed(turns(state)) if t.role == "assistant" and t.answer is not None), None)


def search_alone(state: State, typed: str) -> None:
    """Button callback: search a follow-up's own words alone on the next run."""
    state[ALONE] = typed


def take_search_alone(state: State) -> str | None:
    """The words a "Søg kun på" button asked to search alone, once."""
    value = state.setdefault(ALONE, None)
    state[ALONE] = None
    return value if isinstance(value, str) and value else None


def ask_example(state: State, question: str) -> None:
    """Button callback: ask one of the first screen's example questions on the next run."""
    state[ASKED] = question


def take_example(state: State) -> str | None:
    """The example question a button asked, once."""
    value = state.setdefault(ASKED, None)
    state[ASKED] = None
    return value if isinstance(value, str) and value else None


def rate(state: State) -> QuestionRate:
    """This session's question rate (created on first use)."""
    found = state.setdefault(RATE, QuestionRate())
    return found if isinstance(found, QuestionRate) else QuestionRate()


def items(state: State) -> list[BasketItem]:
    """Return the basket.

    Args:
        state: the session state.

    Returns:
        The collected quotes in order.
    """
    return cast(list[BasketItem], state[BASKET])


def add_to_basket(state: State, item: BasketItem) -> None:
    """Button callback: add a quote to the basket.

    Args:
        state: the session state.
        item: the quote.
    """
    state[BASKET] = basket.add(items(state), item)


def remove_from_basket(state: State, key: str) -> None:
    """Button callback: remove a quote.

    Args:
        state: the session state.
        key: its passage id.
    """
    state[BASKET] = basket.remove(items(state), key)


def move_in_basket(state: State, key: str, step: int) -> None:
    """Button callback: move a quote up (-1) or down (+1).

    Args:
        state: the session state.
        key: its passage id.
        step: direction.
    """
    state[BASKET] = basket.move(items(state), key, step)


def clear_basket(state: State) -> None:
    """Button callback: empty the basket.

    Args:
        state: the session state.
    """
    state[BASKET] = []
