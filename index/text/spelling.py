"""Spellings of one Danish word: æ/ø/å written as ae/oe/aa, and how far apart two spellings are.

Pure functions on strings, no vocabulary: the analyser (index/text/analyzer.py) decides which
spelling the articles use.
"""

from __future__ import annotations

from collections.abc import Iterator

_FOLDS = (("ae", "æ"), ("oe", "ø"), ("aa", "å"))


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
    """Every reading of `word` with some of its ae/oe/aa as æ/ø/å ("sundhedsvaesenet")."""
    digraphs = dict(_FOLDS)

    def readings(rest: str, budget: int) -> Iterator[str]:
        if not rest:
            yield ""
            return
        head = rest[:2]
        if budget and head in digraphs:
            for tail in readings(rest[2:], budget - 1):
                yield digraphs[head] + tail
        for tail in readings(rest[1:], budget):
            yield rest[0] + tail

    # A real word has few such pairs; the budget bounds the work on garbage input.
    for variant in readings(word, 4):
        if variant != word:
            yield variant


def deletes(term: str) -> set[str]:
    """`term` with one letter left out, each way."""
    return {term[:i] + term[i + 1 :] for i in range(len(term))}


def osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (Levenshtein plus adjacent swaps), cut off above `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[-1], limit + 1)
