"""Danish words as the screen reads them, by the index's analyser (index/text/): no list or stemmer of its own.

Used to decide *which* characters of a passage to mark, and what a follow-up's words say; it never
rewrites text. The stopwords are the index's: a word the search reads as no topic is never marked.
"""

from __future__ import annotations

import re

from index.text.lexicon import is_stopword
from index.text.spelling import fold_letters

# The characters a mark may cover: letters and digits between any other characters.
WORD_RE = re.compile(r"\w+", re.UNICODE)
# Shorter words are never worth marking or reading as a topic ("KL" and "it" aside, which the
# search reads as abbreviations and marks through its own terms).
MIN_CONTENT_LETTERS = 3


def fold(word: str) -> str:
    """Lower-case a word and read its ASCII spellings ae/oe/aa as æ/ø/å (for comparison only, never shown).

    Args:
        word: one word, any case.

    Returns:
        The folded, lower-cased word.
    """
    return fold_letters(word.casefold())


def is_content_word(word: str) -> bool:
    """Tell whether a word carries meaning worth highlighting (a number, or no stopword of three letters or more).

    Args:
        word: a folded word (see `fold`).

    Returns:
        False for the index's stopwords and one- or two-letter words (except numbers).
    """
    if word.isdigit():
        return True
    return len(word) >= MIN_CONTENT_LETTERS and not is_stopword(word)
