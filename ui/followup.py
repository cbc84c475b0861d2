"""Follow-ups are searched together with the question before them; everything else is a new search.

What makes a follow-up is what its words say, not its length: it opens like one ("og hvad med
…", "hvad så med …", "og …", "men …"), it points back with a pronoun that has no topic of its own
("hvor ofte mødtes de?", "hvad sagde skolechefen om det?", "virkede det?"), or it is elliptic
("også i Sorø?", "lægerne?"). Keyword searches ("samarbejde med regionen") and full questions with
a topic of their own ("Hvad sagde de om hjemmearbejde?") are new searches, and a question the
articles did not answer is never the base of a follow-up. Measured on 70 turn pairs written for
it (eval/followups.jsonl, tests/test_ui_followup.py).

A follow-up moves on: its own words lead the search and are what the answer marks; the question
before gives only context. "og med regionerne?" after "Hvad lærte kommunerne om samarbejdet med
de praktiserende læger?" is searched as "og med regionerne? Hvad lærte kommunerne om samarbejdet":
the words the follow-up puts in place of the earlier ones (the phrase after the same preposition)
are left out of the context, so the general practitioners do not come back.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from index import MAX_QUESTION_CHARS
from ui.danish import WORD_RE, fold, is_content_word

_OPENERS = re.compile(r"^(?:og|men|samt|plus|også|hvad\s+med|hvad\s+så(?:\s+med)?|hvordan\s+med|hvad\s+angår)\b")
_QUESTION_TEXT = """
    hvad hvordan hvorfor hvem hvor hvornår hvilke hvilken hvilket kan kunne er var har havde skal vil må bør
"""
_QUESTION_WORDS = frozenset(_QUESTION_TEXT.split())
# Pronouns that stand for something named in the question before; "de", "det" and "den" are articles
# when a noun phrase follows ("med de praktiserende læger").
_POINTING = frozenset(["de", "dem", "det", "den", "deres", "dets", "disse", "dette", "dér"])
_ARTICLES = frozenset({"de", "det", "den"})
_PREPOSITION_TEXT = "om med af til i på for under efter ved fra hos mellem over uden blandt"
_PREPOSITIONS = frozenset(_PREPOSITION_TEXT.split())
_MAX_ELLIPTIC_WORDS = 3
_MAX_OWN_WORDS = 2


class Query(BaseModel):
    """What is actually searched for one chat turn."""

    typed: str
    searched: str
    base: str
    follows: str | None = None
    # The words that lead: a follow-up's own content words (marked in the answer), else what was typed.
    lead: str = ""

    @property
    def leading(self) -> str:
        return self.lead or self.typed


def _words(text: str) -> list[str]:
    return [w.casefold() for w in WORD_RE.findall(text)]


def _pointing(words: list[str], i: int) -> bool:
    """Whether words[i] is a pronoun standing on its own ("om det?", "blev de registreret?"), not an
    article before a noun phrase ("med de praktiserende læger")."""
    if words[i] not in _POINTING:
        return False
    if words[i] not in _ARTICLES or i + 2 >= len(words):
        return True
    return not is_content_word(fold(words[i + 1]))


def _has_own_topic(words: list[str]) -> bool:
    """A content word after a preposition (an article between them or not): the question says what it
    is about ("… om hjemmearbejde?", "… med de praktiserende læger?")."""
    for i, word in enumerate(words[:-1]):
        if word not in _PREPOSITIONS:
            continue
        nxt = words[i + 1]
        if (is_content_word(fold(nxt)) and nxt not in _POINTING) or (nxt in _POINTING and not _pointing(words, i + 1)):
            return True
    return False


def is_followup(question: str) -> bool:
    """Tell whether a question leans on the one before it.

    Args:
        question: the text the user typed.

    Returns:
        True for an opener, a pronoun pointing back, or an elliptic question; False for keyword
        searches and full questions.
    """
    lowered = " ".join(question.strip().casefold().split())
    words = _words(lowered)
    if not words:
        return False
    if _OPENERS.match(lowered):
        return True
    asks = lowered.endswith("?")
    # "hvad sagde skolechefen om det?", "hvem sad i den?": a preposition with a pronoun for its object.
    if any(words[i] in _PREPOSITIONS and _pointing(words, i + 1) for i in range(len(words) - 1)):
        return True
    # "virkede det?", "fungerede det for lederne?": a verb first, a pronoun for its subject.
    if asks and len(words) >= 2 and words[0] not in _QUESTION_WORDS and _pointing(words, 1):
        return True
    # "lægerne?", "også i Sorø?": a fragment asked as a question.
    if asks and len(words) <= _MAX_ELLIPTIC_WORDS and words[0] not in _QUESTION_WORDS:
        return True
    own = [w for w in words if is_content_word(fold(w)) and w not in _POINTING]
    points_back = any(_pointing(words, i) for i in range(len(words)))
    return asks and points_back and not _has_own_topic(words) and len(own) <= _MAX_OWN_WORDS


def build_query(typed: str, previous: Query | None, previous_declined: bool = False) -> Query:
    """Decide what to search for a question, given the previous turn.

    A chain of follow-ups keeps the last standalone question as its base, so the search text
    does not grow with every turn.

    Args:
        typed: the text the user typed.
        previous: the previous turn's query, or None on the first turn.
        previous_declined: the articles did not answer the previous turn; it is then no base.

    Returns:
        The `Query`: for a follow-up, `searched` is its own words first, then the base question
        without the phrase they replace (`context_of`), within the search's length limit; `lead`
        holds its own content words.
    """
    typed = typed.strip()
    if previous is None or previous_declined or not is_followup(typed):
        return Query(typed=typed, searched=typed, base=typed)
    base = previous.base
    context = context_of(base, typed)
    room = MAX_QUESTION_CHARS - len(typed) - 1
    if len(context) > room:  # the leader's own words always fit; the context gives way
        context = context[: max(room, 0)].rsplit(" ", 1)[0] if room > 0 else ""
    searched = f"{typed} {context}".strip()
    return Query(typed=typed, searched=searched, base=base, follows=base, lead=own_words(typed))


def own_words(typed: str) -> str:
    """A follow-up's content words, without opener, pronouns and question words ("og med regionerne?": "regionerne")."""
    words = [w for w in WORD_RE.findall(typed) if is_content_word(fold(w)) and w.casefold() not in _POINTING]
    return " ".join(words) or typed


def context_of(base: str, typed: str) -> str:
    """The base question as context for a follow-up: without the phrase the follow-up replaces.

    A follow-up that names a preposition's object ("og med regionerne?", "og under oversvømmelsen?")
    puts it in place of what followed the same preposition in the base question; that phrase runs to
    the next preposition or the end.

    Args:
        base: the standalone question before.
        typed: the follow-up.

    Returns:
        The base question, shortened where the follow-up replaces a phrase of it.
    """
    typed_words = _words(typed)
    replaced = {
        word for i, word in enumerate(typed_words[:-1])
        if word in _PREPOSITIONS and is_content_word(fold(typed_words[-1]))
    }
    if not replaced:
        return base
    cut: list[tuple[int, int]] = []  # spans of the base to leave out: a replaced preposition and its phrase
    words = list(WORD_RE.finditer(base))
    i = 0
    while i < len(words):
        if words[i].group().casefold() not in replaced:
            i += 1
            continue
        j = i + 1
        while j < len(words) and words[j].group().casefold() not in _PREPOSITIONS:
            gap = base[words[j - 1].end() : words[j].start()]
            if any(ch in gap for ch in ",;.?!"):
                break
            j += 1
        cut.append((words[i].start(), words[j - 1].end()))
        i = j
    if not cut:
        return base
    kept, position = [], 0
    for start, end in cut:
        kept.append(base[position:start])
        position = end
    kept.append(base[position:])
    return re.sub(r"\s+(?=[?,.!;:])", "", " ".join("".join(kept).split()))
