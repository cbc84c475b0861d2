"""Spellings of one Danish word: æ/ø/å written as ae/oe/aa.

Pure functions on strings, no vocabulary: the analyser (index/text/analyzer.py) decides which
spelling the articles use; how far a typo is from a word is rapidfuzz's (index/text/vocabulary.py).
"""

from __future__ import annotations

from collections.abc import Iterator

_DIGRAPHS = {"ae": "æ", "oe": "ø", "aa": "å"}
# A real word has few ae/oe/aa pairs (the questions of eval/ at most 2, the articles' words at most
# 3); these bound the work on anything else.
MAX_FOLDS = 4
MAX_VARIANTS = 128
# The longest word of the development library's articles has 37 letters; a longer one is read
# exactly, never folded, split or corrected (each of those costs more with every letter).
MAX_WORD_CHARS = 64


def fold_digraphs(text: str) -> str:
    """æ/ø/å written out as ae/oe/aa, so both spellings compare equal."""
    return text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")


def fold_letters(text: str) -> str:
    """Every aa/ae/oe read as å/æ/ø (the reverse of `fold_digraphs`; used for comparison only).

    Args:
        text: lower-cased text.

    Returns:
        The text with the Danish letters.
    """
    for ascii_form, letter in (("aa", "å"), ("ae", "æ"), ("oe", "ø")):
        text = text.replace(ascii_form, letter)
    return text


def fold_variants(word: str) -> Iterator[str]:
    """Readings of `word` with some of its ae/oe/aa as æ/ø/å ("sundhedsvaesenet": "sundhedsvæsenet").

    Bounded whatever the input: at most `MAX_FOLDS` pairs read in one reading, at most
    `MAX_VARIANTS` readings, and none for a word longer than `MAX_WORD_CHARS` (no Danish word is
    that long: it is a link, a code or a key held down). Iterative: a 999-letter word costs no more
    than a short one. The readings come in the same order as ever: the leftmost pairs read first.
    """
    if len(word) > MAX_WORD_CHARS:
        return
    given = 0
    # Depth first, each position's "read as a letter" branch before its "keep the pair" branch
    # (pushed last, so popped first): (position, pairs left to read, the reading so far).
    stack: list[tuple[int, int, str]] = [(0, MAX_FOLDS, "")]
    while stack:
        at, left, built = stack.pop()
        if at >= len(word):
            if built != word:
                yield built
                given += 1
                if given >= MAX_VARIANTS:
                    return
            continue
        stack.append((at + 1, left, built + word[at]))
        letter = _DIGRAPHS.get(word[at : at + 2])
        if left and letter is not None:
            stack.append((at + 2, left - 1, built + letter))
