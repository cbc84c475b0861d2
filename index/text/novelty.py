"""How new each word of a question is to the library: its own word, a typo of one, part of one, or news.

The decline ("the articles do not speak of this") and the words the answer names as absent read the
same verdict, from three sources none of which is shaped by any one library:
- the library's vocabulary (its passages, titles, headings, speakers, publishers) as the analyzer
  reads a question's word onto it: exactly, in another ae/oe/aa spelling, derived, as the
  dictionary's lemma, as a compound of library words;
- the Danish dictionary (index/text/dictionary.py): a real word is news, never a typo;
- Danish at large (index/text/frequency.py): a rare word names a topic, an everyday one does not.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from index.text.analyzer import DanishAnalyzer, TermMatch
from index.text.frequency import specificity

WordKind = Literal["known", "part", "typo", "novel", "foreign"]
# What a word adds to the question's novelty: a compound of library words is a half-new concept
# ("naturbranden": natur + brand); a typo is the library's word.
NOVELTY_WEIGHT: dict[WordKind, float] = {"known": 0.0, "typo": 0.0, "part": 0.5, "novel": 1.0, "foreign": 1.0}
_KNOWN = frozenset({"exact", "folded", "derived", "lemma", "abbreviation"})


@dataclass(frozen=True)
class WordNovelty:
    """How one content word of a question stands to the library and to Danish at large."""

    word: str
    kind: WordKind
    zipf: float  # how common the word is in Danish (0: not in wordfreq's list)

    @property
    def specificity(self) -> float:
        """0 for an everyday word, 1 for a rare one (`index.text.frequency.specificity`)."""
        return specificity(self.zipf)

    @property
    def absent(self) -> bool:
        """The articles use the word in no form: not even as a typo or a compound part."""
        return self.kind in ("novel", "foreign")

    @property
    def weight(self) -> float:
        """Its share in the question's novelty (`NOVELTY_WEIGHT`)."""
        return NOVELTY_WEIGHT[self.kind]


def novelty_of(match: TermMatch, analyzer: DanishAnalyzer, vocabulary: Collection[str]) -> WordNovelty:
    """How new one word of a question is to the library.

    Args:
        match: how the word met the vocabulary (`DanishAnalyzer.explain_query`).
        analyzer: the index's analyzer (dictionary, frequencies, the vocabulary's lookups).
        vocabulary: the library's vocabulary the match was read against.

    Returns:
        "known" (the library's word in some form), "typo" (not Danish, an edit or two from a library
        word), "part" (a compound of library words, or the first or last part of one: "skimmel" in
        "skimmelsvamp"), "novel" (a real Danish word the library lacks) or "foreign" (neither Danish
        nor near the library: a name, another language, garbage).
    """
    word = match.word
    zipf = analyzer.zipf(word)
    if match.how in _KNOWN:
        return WordNovelty(word, "known", zipf)
    if match.how == "typo":
        return WordNovelty(word, "typo", zipf)
    if match.how == "compound":
        return WordNovelty(word, "part", zipf)
    view = analyzer.view(vocabulary)
    if any(view.holds_part(analyzer.stem(v)) for v in analyzer.readings(word)):
        return WordNovelty(word, "part", zipf)
    return WordNovelty(word, "novel" if analyzer.is_danish(word) else "foreign", zipf)


def novelty_share(words: Sequence[WordNovelty]) -> float:
    """The question's share of new words, each by its weight (0 for a question without content words)."""
    return sum(w.weight for w in words) / len(words) if words else 0.0


def novel_specificity(words: Sequence[WordNovelty]) -> float:
    """The new words' specificity, summed by weight: one rare new word counts 1, a rare compound part 1/2."""
    return sum(w.weight * w.specificity for w in words)
