"""Other forms of a question's word the articles may use: the verb of its noun, the parts of its compound,
the compounds it is the head of.

Danish makes nouns of verbs ("koordinere" -> "koordinering", "hamstre" -> "hamstring") and joins
words into compounds ("kriseledelse-s-møder"); Snowball stems neither together, so a question's
noun would miss the article's verb, and a compound the words it is made of. Pure functions over a
vocabulary and a stemmer (index/text/analyzer.py reads a word through them in turn).
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from index.text.vocabulary import VocabularyView

Stem = Callable[[str], str]

_MAX_HEAD_EXPANSIONS = 8
# Danish makes nouns of verbs with these endings ("koordinere" -> "koordinering", "hamstre" ->
# "hamstring", "planlægge" -> "planlægning", "kommunikere" -> "kommunikation"). Snowball keeps
# them, so a question's noun would miss the article's verb, and the reverse.
# Each with the shortest base it is read off: a shorter one meets unrelated words ("regning" is no
# "regn" + "-ing", "ledning" no "led" + "-ning").
_NOUN_ENDINGS = {"ering": 4, "ation": 4, "ning": 4, "ing": 5}
_VERB_ENDINGS = ("e", "r", "t", "s")
_MIN_DERIVED_BASE = 4


def derivations(word: str, stem: str, vocab: Collection[str], stem_of: Stem) -> tuple[str, ...]:
    """Vocabulary stems of the same verb or its noun ("hamstring" -> "hamstr", "hamstr" -> "hamstring").

    Args:
        word: the lower-cased word.
        stem: its stem.
        vocab: the vocabulary.
        stem_of: the stemmer.

    Returns:
        The stems, once each (never the word's own).
    """
    found: list[str] = []
    for ending, shortest_base in _NOUN_ENDINGS.items():
        base = stem[: -len(ending)]
        if stem.endswith(ending) and len(base) >= shortest_base:
            # The verb's stem is the base itself ("planlæg-ning") or what Snowball makes of the
            # infinitive ("koordiner-ing" -> "koordinere" -> "koordin").
            found += [t for t in (base, stem_of(base + "e")) if len(t) >= _MIN_DERIVED_BASE and t in vocab]
    # Only a word that ends as Danish verbs do (-e, -er, -et, -es, -ede, -te) is read as a verb:
    # "nødundervisnig" is a typo of the noun, not a verb of it.
    if len(stem) >= _MIN_DERIVED_BASE and word.endswith(_VERB_ENDINGS):
        # A doubled consonant before -ing: "omstil" -> "omstilling".
        nouns = [stem + ending for ending in _NOUN_ENDINGS] + [stem + stem[-1] + "ing"]
        found += [t for t in nouns if t in vocab]
    return tuple(dict.fromkeys(t for t in found if t != stem))


def heads_of(stem: str, view: VocabularyView) -> tuple[str, ...]:
    """Compounds in the vocabulary whose head is `stem` ("mød" -> "kriseledelsesmød"), shortest first.

    Args:
        stem: the word's stem (5 letters or more; a shorter one ends too many compounds).
        view: the vocabulary's lookups.

    Returns:
        At most eight compounds.
    """
    if len(stem) < 5:
        return ()
    hits = [t for t in view.by_suffix.get(stem, ()) if t != stem]
    hits.sort(key=len)
    return tuple(hits[:_MAX_HEAD_EXPANSIONS])


def split_compound(word: str, vocab: Collection[str], stem_of: Stem) -> tuple[str, ...]:
    """Split `word` into a modifier and a head that both stem into the vocabulary, the most even split.

    Args:
        word: the lower-cased word.
        vocab: the vocabulary.
        stem_of: the stemmer.

    Returns:
        (modifier stem, head stem), or () when no split has both.
    """
    best: tuple[str, ...] = ()
    best_len = 0
    for cut in range(3, len(word) - 2):
        left, right = word[:cut], word[cut:]
        right_stem = stem_of(right)
        if right_stem not in vocab:
            continue
        # Danish links compound parts with -s- or -e- ("kriseledelse-s-møder").
        for modifier in dict.fromkeys((left, left[:-1] if left[-1:] in "se" else left)):
            left_stem = stem_of(modifier)
            if len(modifier) >= 3 and left_stem in vocab and min(len(modifier), len(right)) > best_len:
                best, best_len = (left_stem, right_stem), min(len(modifier), len(right))
    return best
