"""Chat history and basket kept in a plain mutable mapping (Streamlit's session_state in the app)."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any, Literal

from pydantic import BaseModel

from index.models import Answer
from ui import basket
from ui.answers import AnswerView
from ui.basket import BasketItem
from ui.followup import Query

MESSAGES = "messages"
BASKET = "basket"


class Turn(BaseModel):
    """One chat message: the user's question or the assistant's answer to it."""

    role: Literal["user", "assistant"]
    query: Query
    answer: Answer | None = None
    view: AnswerView | None = None


def init(state: MutableMapping[str, Any]) -> None:
    """Create empty history and basket on first use.

    Args:
        state: the session state.
    """
    state.setdefault(MESSAGES, [])
    state.setdefault(BASKET, [])


def turns(state: MutableMapping[str, Any]) -> list[Turn]:
    """Return the chat history.

    Args:
        state: the session state.

    Returns:
        The turns in order.
    """
    return state[MESSAGES]


def last_query(state: MutableMapping[str, Any]) -> Query | None:
    """Return the query of the latest answered turn, for follow-ups.

    Args:
        state: the session state.

    Returns:
        The query, or None before the first question.
    """
    for turn in reversed(turns(state)):
        if turn.role == "assistant":
            return turn.query
    return None


def items(state: MutableMapping[str, Any]) -> list[BasketItem]:
    """Return the basket.

    Args:
        state: the session state.

    Returns:
        The collected quotes in order.
    """
    return state[BASKET]


def add_to_basket(state: MutableMapping[str, Any], item: BasketItem) -> None:
    """Button callback: add a quote to the basket.

    Args:
        state: the session state.
        item: the quote.
    """
    state[BASKET] = basket.add(items(state), item)


def remove_from_basket(state: MutableMapping[str, Any], key: str) -> None:
    """Button callback: remove a quote.

    Args:
        state: the session state.
        key: its passage id.
    """
    state[BASKET] = basket.remove(items(state), key)


def move_in_basket(state: MutableMapping[str, Any], key: str, step: int) -> None:
    """Button callback: move a quote up (-1) or down (+1).

    Args:
        state: the session state.
        key: its passage id.
        step: direction.
    """
    state[BASKET] = basket.move(items(state), key, step)


def clear_basket(state: MutableMapping[str, Any]) -> None:
    """Button callback: empty the basket.

    Args:
        state: the session state.
    """
    state[BASKET] = []
