"""Mark the words of a passage that the search matched to the question, without changing a character.

A mark tells the leader "this is the word you asked about", so a word is marked only when the
search met one of the question's words in it: the same Danish stem, a spelling or typo variant, a
derived form, a compound part (`Searcher.matched_stems` gives the terms the search used), or the
question's word as the first part of a compound ("samarbejdet" in "samarbejdsrelationerne").
Never a word that only begins with a short stem ("kommun" in "kommunaldirektør"), never a
stopword, never the noun of a fixed phrase ("styr" in "få styr på": not "Styrelsen").

The output is the passage HTML-escaped, with matching words wrapped in `<mark class="eb-hit">`.
Removing the `<mark>` tags and unescaping gives the passage back exactly.
"""

from __future__ import annotations

import html
from collections.abc import Collection

from index.text.analyzer import DanishAnalyzer
from index.text.lexicon import idiom_words
from ui.danish import WORD_RE, fold, is_content_word
from ui.escaping import escape

MARK_OPEN = '<mark class="eb-hit">'
MARK_CLOSE = "</mark>"
# A question stem this long may be the first part of a Danish compound in the passage
# ("samarbejd" -> "samarbejdsrelationerne"); shorter stems match too much ("kommun" -> "kommunaldirektør").
MIN_PREFIX = 7
_LINKS = ("", "s", "e")
# The index's analyser: the stems a passage word is marked by are the terms the search reads.
_analyzer = DanishAnalyzer()


def question_terms(question: str) -> list[str]:
    """Return the folded content words of a question, in order, without repeats (fixed phrases' nouns left out).

    Args:
        question: the text the user typed (may be anything).

    Returns:
        Folded words that are not Danish stopwords.
    """
    idioms = idiom_words(question)
    terms: list[str] = []
    for match in WORD_RE.finditer(question):
        word = fold(match.group())
        if is_content_word(word) and word not in terms and match.group().lower() not in idioms:
            terms.append(word)
    return terms


def matched_terms(question: str, index_stems: Collection[str] = ()) -> frozenset[str]:
    """The terms a passage word must share to be marked: the search's own (`Searcher.matched_stems`),
    or without a search the stems of the question's content words."""
    if index_stems:
        return frozenset(index_stems)
    return frozenset(t for term in question_terms(question) for t in _analyzer.document_terms(term))


def is_match(word: str, terms: frozenset[str]) -> bool:
    """Whether a passage word is one the search met a question word in (see the module's rule).

    Args:
        word: one word of the passage, as written.
        terms: from `matched_terms`.

    Returns:
        True to mark it.
    """
    folded = fold(word)
    if not is_content_word(folded) or not terms:
        return False
    if set(_analyzer.document_terms(word)) & terms:
        return True
    # The question's word as the first part of a compound: "samarbejd" + "s" + "relationerne".
    return any(
        len(term) >= MIN_PREFIX and folded.startswith(term + link) and len(folded) - len(term + link) >= 4
        for term in terms
        for link in _LINKS
    )


def match_spans(text: str, question: str, index_stems: Collection[str] = ()) -> list[tuple[int, int]]:
    """Find the character spans of `text` whose words the search matched to the question.

    Args:
        text: a verbatim passage.
        question: the question it answered.
        index_stems: the terms the search read the question's words as (`Searcher.matched_stems`):
            "samarbjede" is marked where the passage says "samarbejde", "hamstring" where it says
            "hamstre". Without them, the stems of the question's own words.

    Returns:
        Sorted, non-overlapping (start, end) offsets into `text`.
    """
    terms = matched_terms(question, index_stems)
    if not terms:
        return []
    return [(m.start(), m.end()) for m in WORD_RE.finditer(text) if is_match(m.group(), terms)]


def highlight_html(text: str, question: str, index_stems: Collection[str] = ()) -> str:
    """Return `text` as escaped HTML with the words matching `question` marked.

    Args:
        text: a verbatim passage.
        question: the question it answered.
        index_stems: the terms the search matched (see `match_spans`).

    Returns:
        Safe HTML: every character escaped, matches wrapped in `<mark class="eb-hit">`.
    """
    parts: list[str] = []
    position = 0
    for start, end in match_spans(text, question, index_stems):
        parts.append(escape(text[position:start]))
        parts.append(MARK_OPEN + escape(text[start:end]) + MARK_CLOSE)
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts)


def strip_marks(marked: str) -> str:
    """Undo `highlight_html`: drop the marks and unescape (used to prove nothing changed).

    Args:
        marked: HTML produced by `highlight_html`.

    Returns:
        The original passage text.
    """
    return html.unescape(marked.replace(MARK_OPEN, "").replace(MARK_CLOSE, ""))
