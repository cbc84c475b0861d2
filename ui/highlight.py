"""Mark the words of a passage that match the question, without changing a single character.

The output is the passage HTML-escaped, with matching words wrapped in `<mark class="eb-hit">`.
Removing the `<mark>` tags and unescaping gives the passage back exactly.
"""

from __future__ import annotations

import html
from collections.abc import Collection

from ui.danish import WORD_RE, fold, is_content_word, stem
from ui.escaping import escape

MARK_OPEN = '<mark class="eb-hit">'
MARK_CLOSE = "</mark>"
# A question stem this long may be the first part of a Danish compound in the passage
# ("samarbejd" -> "samarbejdsrelationerne"); shorter stems match too much ("kommun" -> "kommunaldirektør").
_MIN_PREFIX = 7


def question_terms(question: str) -> list[str]:
    """Return the folded content words of a question, in order, without repeats.

    Args:
        question: the text the user typed (may be anything).

    Returns:
        Folded words that are not Danish stopwords.
    """
    terms: list[str] = []
    for match in WORD_RE.finditer(question):
        word = fold(match.group())
        if is_content_word(word) and word not in terms:
            terms.append(word)
    return terms


def _matches(word: str, terms: list[str], stems: set[str], index_stems: frozenset[str]) -> bool:
    folded = fold(word)
    if not is_content_word(folded):
        return False
    if stem(folded) in stems or stem(word.casefold()) in index_stems:
        return True
    return any(
        (len(term) >= _MIN_PREFIX and folded.startswith(stem(term)) and len(stem(term)) >= _MIN_PREFIX)
        or (len(folded) >= _MIN_PREFIX and term.startswith(folded))
        for term in terms
    )


def match_spans(text: str, question: str, index_stems: Collection[str] = ()) -> list[tuple[int, int]]:
    """Find the character spans of `text` whose words match the question.

    Args:
        text: a verbatim passage.
        question: the question it answered.
        index_stems: the article words the search read the question's words as
            (`Searcher.matched_stems`): "samarbjede" is marked where the passage says "samarbejde",
            "hamstring" where it says "hamstre".

    Returns:
        Sorted, non-overlapping (start, end) offsets into `text`.
    """
    terms = question_terms(question)
    if not terms and not index_stems:
        return []
    stems = {stem(term) for term in terms}
    matched = frozenset(index_stems)
    return [(m.start(), m.end()) for m in WORD_RE.finditer(text) if _matches(m.group(), terms, stems, matched)]


def highlight_html(text: str, question: str, index_stems: Collection[str] = ()) -> str:
    """Return `text` as escaped HTML with the words matching `question` marked.

    Args:
        text: a verbatim passage.
        question: the question it answered.
        index_stems: the article words the search matched (see `match_spans`).

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
