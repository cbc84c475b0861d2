"""Lookups over one index vocabulary, built once: the terms near a mistyped word, the compounds ending in a word.

A symmetric-delete table (every term under itself and its one-letter deletions, keyed on the
ae/oe/aa spelling) finds the terms within one or two edits of a word without comparing it to the
whole vocabulary; a suffix table finds the compounds a word is the head of ("møder" in
"kriseledelsesmøder").
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from index.text.spelling import deletes, fold_digraphs, osa_distance

MIN_TYPO_LEN = 5  # shorter words have too many neighbours at distance 1 to guess safely


@dataclass
class VocabularyView:
    """Lookup structures over one vocabulary, built once and reused for every question."""

    terms: frozenset[str]
    deletes: dict[str, list[str]] = field(default_factory=dict)
    by_suffix: dict[str, list[str]] = field(default_factory=dict)

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
                for key in {folded, *deletes(folded)}:
                    view.deletes.setdefault(key, []).append(term)
            # Danish compounds are head-final: index every term under its tails so a question's
            # word can find the compounds that end in it ("møder" -> "kriseledelsesmøder").
            for cut in range(3, len(term) - 3):
                view.by_suffix.setdefault(term[cut:], []).append(term)
        return view

    def near_terms(self, probe: str) -> dict[str, int]:
        """Vocabulary terms within 1 edit of `probe` (2 from 8 letters), with their distances.

        Args:
            probe: a word in its ae/oe/aa spelling (`fold_digraphs`).

        Returns:
            term -> distance.
        """
        max_distance = 1 if len(probe) < 8 else 2
        found: dict[str, int] = {}
        keys = {probe, *deletes(probe)}
        if max_distance == 2:
            keys |= {twice for once in deletes(probe) for twice in deletes(once)}
        for key in keys:
            for term in self.deletes.get(key, ()):
                distance = osa_distance(fold_digraphs(term), probe, max_distance)
                if distance <= max_distance:
                    found[term] = min(distance, found.get(term, distance))
        return found
