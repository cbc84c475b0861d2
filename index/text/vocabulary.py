"""Lookups over one index vocabulary, built once: the terms near a mistyped word, the compounds a word is part of.

The terms near a word are found by rapidfuzz's optimal-string-alignment distance (Levenshtein plus
adjacent swaps) on the ae/oe/aa spelling. The work per word is bounded however large the
vocabulary: a word is compared only with the terms of a length it can reach within the allowed
edits that also share its first or its last letter (a typo seldom changes both ends of a word:
"komunen", "beredskap", "samarbjede", "kommunaldirktør"), one bucket of a few hundred terms in a
library of thousands, a few thousand in a vocabulary of a million. A suffix table finds the
compounds a word is the head of ("møder" in "kriseledelsesmøder"), the sorted terms those it
begins ("skimmel" in "skimmelsvamp").
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from index.text.spelling import fold_digraphs

MIN_TYPO_LEN = 5  # shorter words have too many neighbours at distance 1 to guess safely
# A word of this many letters may be two edits from its term; a shorter one only one.
TWO_EDITS_FROM = 8
# A stem shorter than this begins or ends too many of the library's compounds to mean anything.
MIN_PART = 5


def allowed_edits(word: str) -> int:
    """The edits a typo of this length may hold (1 below `TWO_EDITS_FROM` letters, else 2)."""
    return 1 if len(word) < TWO_EDITS_FROM else 2


@dataclass
class _Bucket:
    """Folded spellings of one length sharing one end letter, and the terms each spells."""

    folded: list[str] = field(default_factory=list)
    terms: list[list[str]] = field(default_factory=list)
    _at: dict[str, int] = field(default_factory=dict)

    def add(self, folded: str, term: str) -> None:
        at = self._at.get(folded)
        if at is None:
            self._at[folded] = len(self.folded)
            self.folded.append(folded)
            self.terms.append([term])
        else:
            self.terms[at].append(term)


@dataclass
class VocabularyView:
    """Lookup structures over one vocabulary, built once and reused for every question."""

    terms: frozenset[str]
    by_first: dict[tuple[int, str], _Bucket] = field(default_factory=dict)
    by_last: dict[tuple[int, str], _Bucket] = field(default_factory=dict)
    by_suffix: dict[str, list[str]] = field(default_factory=dict)
    ordered: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, vocabulary: Collection[str]) -> VocabularyView:
        """Build the lookups of a vocabulary.

        Args:
            vocabulary: the index's terms (stems).

        Returns:
            The view.
        """
        view = cls(frozenset(vocabulary))
        for term in view.terms:
            if len(term) >= MIN_TYPO_LEN - 1:
                # Keyed on the folded spelling, so "tvaersektorielt" still finds "tværsektoriel".
                folded = fold_digraphs(term)
                view.by_first.setdefault((len(folded), folded[0]), _Bucket()).add(folded, term)
                view.by_last.setdefault((len(folded), folded[-1]), _Bucket()).add(folded, term)
            # Danish compounds are head-final: index every term under its tails so a question's
            # word can find the compounds that end in it ("møder" -> "kriseledelsesmøder").
            for cut in range(3, len(term) - 3):
                view.by_suffix.setdefault(term[cut:], []).append(term)
        view.ordered = sorted(view.terms)
        return view

    def near_terms(self, probe: str) -> dict[str, int]:
        """Vocabulary terms within 1 edit of `probe` (2 from 8 letters), with their distances.

        Args:
            probe: a word in its ae/oe/aa spelling (`fold_digraphs`).

        Returns:
            term -> distance.
        """
        if not probe:
            return {}
        limit = allowed_edits(probe)
        found: dict[str, int] = {}
        for length in range(len(probe) - limit, len(probe) + limit + 1):
            for bucket in (self.by_first.get((length, probe[0])), self.by_last.get((length, probe[-1]))):
                if bucket is None:
                    continue
                for _, distance, at in process.extract(
                    probe, bucket.folded, scorer=OSA.distance, score_cutoff=limit, limit=None
                ):
                    for term in bucket.terms[at]:
                        found[term] = min(int(distance), found.get(term, limit))
        return found

    def holds_part(self, stem: str) -> bool:
        """Some term begins or ends with the stem: it is a modifier or a head of the library's
        compounds ("skimmel" in "skimmelsvamp", "møder" in "kriseledelsesmøder").

        Args:
            stem: a stem of at least `MIN_PART` letters (shorter ones never count).

        Returns:
            True when a longer term begins or ends with it.
        """
        if len(stem) < MIN_PART:
            return False
        # The terms beginning with the stem follow it in sorted order (after the stem itself).
        at = bisect_left(self.ordered, stem)
        begins = any(t != stem and t.startswith(stem) for t in self.ordered[at : at + 2])
        return begins or any(t != stem for t in self.by_suffix.get(stem, ()))
