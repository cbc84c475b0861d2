"""Danish word handling for highlighting: tokens, stopwords, folding and a light stem.

Only used to decide *which* characters of a passage to mark; it never rewrites text.
"""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

WORD_RE = re.compile(r"\w+", re.UNICODE)

# Snowball's Danish list plus the words every question is framed with ("hvad sagde de om ..."):
# marking them would light up half of every passage and hide the words that matter.
_STOPWORD_TEXT = """
    og i jeg det at en den til er som på de med han af for ikke der var mig sig men et har om vi min
    havde ham hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal selv her alle vil
    blev kunne ind når være dog noget ville jo deres efter ned skulle denne end dette mit også under
    have dig anden hende mine alt meget sit sine vor mod disse hvis din nogle hos blive mange ad bliver
    hendes været thi jer sådan
    hvordan hvorfor hvornår hvilke hvilken hvilket hvem sagde siger sige sagt fortalte fortæller
    mener syntes synes tænker tænkte gjorde gør gøre kan kunne ville får fik fået
    lige bare så godt nogen noget mere mest andre andet hinanden
"""
STOPWORDS: frozenset[str] = frozenset(_STOPWORD_TEXT.split())

_FOLDS = (("aa", "å"), ("ae", "æ"), ("oe", "ø"))
_stemmer = Stemmer.Stemmer("danish")


def fold(word: str) -> str:
    """Lower-case a word and fold the ASCII spellings ae/oe/aa into æ/ø/å.

    Args:
        word: one word, any case.

    Returns:
        The folded, lower-cased word (used for comparison only, never shown).
    """
    folded = word.casefold()
    for ascii_form, letter in _FOLDS:
        folded = folded.replace(ascii_form, letter)
    return folded


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """Return the Danish Snowball stem of an already folded word.

    Args:
        word: a folded word (see `fold`).

    Returns:
        Its stem, e.g. 'lægerne' -> 'læg'.
    """
    return _stemmer.stemWord(word)


def is_content_word(word: str) -> bool:
    """Tell whether a question word carries meaning worth highlighting.

    Args:
        word: a folded word.

    Returns:
        False for stopwords and one- or two-letter words (except numbers).
    """
    if word.isdigit():
        return True
    return len(word) >= 3 and word not in STOPWORDS
