"""Short follow-up questions ("og hvad med lægerne?") are searched together with the question before."""

from __future__ import annotations

from pydantic import BaseModel

from ui.danish import WORD_RE, fold, is_content_word

_OPENERS = ("og hvad", "hvad med", "og ", "men ", "hvad så med", "også ")
_MAX_SHORT_CONTENT_WORDS = 2


class Query(BaseModel):
    """What is actually searched for one chat turn."""

    typed: str
    searched: str
    base: str
    follows: str | None = None


def is_followup(question: str) -> bool:
    """Tell whether a question leans on the one before it.

    Args:
        question: the text the user typed.

    Returns:
        True when it starts with og/men/hvad med/og hvad, or has at most two content words.
    """
    lowered = question.strip().casefold()
    if not lowered:
        return False
    if lowered.startswith(_OPENERS):
        return True
    content = [w for w in WORD_RE.findall(lowered) if is_content_word(fold(w))]
    return len(content) <= _MAX_SHORT_CONTENT_WORDS and len(WORD_RE.findall(lowered)) <= 4


def build_query(typed: str, previous: Query | None) -> Query:
    """Decide what to search for a question, given the previous turn.

    A chain of follow-ups keeps the last standalone question as its base, so the search text
    does not grow with every turn.

    Args:
        typed: the text the user typed.
        previous: the previous turn's query, or None on the first turn.

    Returns:
        The `Query`: `searched` joins the base question and the follow-up when it is one.
    """
    typed = typed.strip()
    if previous is None or not is_followup(typed):
        return Query(typed=typed, searched=typed, base=typed)
    base = previous.base
    return Query(typed=typed, searched=f"{base} {typed}", base=base, follows=base)


def answered_label(query: Query) -> str | None:
    """Return the question a card should say it answered, or None when it is what was typed.

    Args:
        query: the turn's query.

    Returns:
        E.g. '»Hvad sagde de om værnemidler?« + »og hvad med lægerne?«' for a follow-up.
    """
    if query.follows is None:
        return None
    return f"{query.typed} (opfølgning på: {query.follows})"
