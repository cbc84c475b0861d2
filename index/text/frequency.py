"""How common a word is in Danish at large (wordfreq's Danish list), and so how specific it is.

A question's word the articles lack says more the rarer it is in Danish: "parkeringslicens" or
"fugleinfluenza" names a topic, "anderledes" or "slog" does not. wordfreq's Danish list (subtitles,
Wikipedia, the web, news) holds about 29,000 words down to Zipf 3, about once in a million words;
it is no lexicon ("værnemidler", "skybrud" are not in it), so it says how everyday a word is, and
the dictionary (index/text/dictionary.py) says whether it is a word at all.
"""

from __future__ import annotations

from functools import lru_cache

# Below RARE_ZIPF a word is specific (it names a topic); above COMMON_ZIPF it is everyday Danish.
RARE_ZIPF = 3.0
COMMON_ZIPF = 5.0


@lru_cache(maxsize=100_000)
def danish_zipf(word: str) -> float:
    """wordfreq's Zipf frequency of a Danish word: log10 of its count per billion words; 0 when unlisted.

    Args:
        word: a lower-cased word.

    Returns:
        The frequency (about 7 for "og", 0 for a word the list does not hold).
    """
    # wordfreq takes a second to import and its list is read on the first lookup: only questions need it.
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "da"))


def specificity(zipf: float) -> float:
    """0 for an everyday word, 1 for a rare or unlisted one, linear between.

    Args:
        zipf: the word's frequency (`danish_zipf`).

    Returns:
        A share in [0, 1].
    """
    return min(1.0, max(0.0, (COMMON_ZIPF - zipf) / (COMMON_ZIPF - RARE_ZIPF)))
