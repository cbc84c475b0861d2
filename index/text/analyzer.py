"""Danish lexical analysis for BM25: terms for the index, and questions mapped onto them.

Leaders type the way people do: "sundhedsvaesenet" for "sundhedsvæsenet", "beredskap",
"kriseledelsesmøder" where the text says "kriseledelse", "KL" where another article says
"Kommunernes Landsforening". The document side stays plain (Snowball stems, stopwords out,
hyphenated words also joined, known abbreviations expanded). All tolerance lives on the query
side and is guided by the index vocabulary, so a fold or correction only ever lands on a word the
articles really use ("Aarhus" stays "Aarhus" when the articles say "Aarhus").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import Stemmer

from index.text.dictionary import DanishDictionary, NoDictionary, reading_dictionary
from index.text.frequency import danish_zipf
from index.text.lexicon import ABBREVIATIONS, STOPWORDS, WORD, idiom_words, is_stopword, tokens
from index.text.spelling import MAX_FOLDS, MAX_VARIANTS, MAX_WORD_CHARS, fold_digraphs, fold_variants
from index.text.vocabulary import MIN_TYPO_LEN, VocabularyView
from index.text.word_forms import derivations, heads_of, split_compound

MatchKind = Literal["exact", "folded", "derived", "lemma", "compound", "abbreviation", "typo", "unknown"]

# The ae/oe/aa readings of a word looked up in the dictionary: a real word has at most a few pairs.
_DICTIONARY_READINGS = 8
# How much a word met only approximately counts towards the share of the question the articles use.
_COVERAGE_WEIGHT: dict[MatchKind, float] = {
    "exact": 1.0,
    "folded": 1.0,
    "abbreviation": 1.0,
    "derived": 0.75,
    "lemma": 1.0,
    "compound": 0.75,
    "typo": 0.75,
    "unknown": 0.0,
}


@dataclass(frozen=True)
class TermMatch:
    """How one word of a question met the index vocabulary."""

    word: str
    how: MatchKind
    terms: tuple[str, ...] = ()
    spelling: str | None = None  # the word as the articles spell it, when it was folded or a typo

    @property
    def found(self) -> bool:
        return self.how != "unknown"


def coverage_of(matches: Sequence[TermMatch]) -> float:
    """Share of a question's content words the articles use (derived words, compounds, typos: 3/4); 0 if none.

    Args:
        matches: the question's matches (`DanishAnalyzer.explain_query`).

    Returns:
        A share in [0, 1].
    """
    if not matches:
        return 0.0
    return sum(_COVERAGE_WEIGHT[m.how] for m in matches) / len(matches)


class DanishAnalyzer:
    """Turns Danish text into BM25 terms, and questions into terms of a given vocabulary."""

    def __init__(self, dictionary: DanishDictionary | NoDictionary | None = None) -> None:
        self._stemmer = Stemmer.Stemmer("danish")
        self._stem = lru_cache(maxsize=200_000)(self._stemmer.stemWord)
        self._views: dict[int, tuple[Collection[str], VocabularyView]] = {}
        self._dictionary = dictionary

    @property
    def dictionary(self) -> DanishDictionary | NoDictionary:
        """The Danish dictionary (hunspell-da), loaded on first use: only questions need it. Where it is
        missing, none (`reading_dictionary`: logged once with what to install; questions are still read)."""
        if self._dictionary is None:
            self._dictionary = reading_dictionary()
        return self._dictionary

    @property
    def settings(self) -> dict[str, object]:
        return {
            "stemmer": "snowball-danish",
            "stopwords": len(STOPWORDS),
            "abbreviations": sorted(ABBREVIATIONS),
            "query_side": [
                f"fold ae/oe/aa (at most {MAX_FOLDS} pairs, {MAX_VARIANTS} readings)",
                "verb/noun derivations",
                "compounds",
                "abbreviations",
                "hunspell-da lemmas of real words",
                f"typos of words hunspell-da and wordfreq do not know (len >= {MIN_TYPO_LEN}, rapidfuzz OSA)",
                f"words over {MAX_WORD_CHARS} letters read exactly",
            ],
            "version": 5,
        }

    # --- document side -------------------------------------------------------------------------

    def words(self, text: str) -> list[str]:
        """Lower-cased words of `text`; a hyphenated word gives its parts and the joined form."""
        return [word for word, _ in tokens(text)]

    def content_words(self, text: str) -> list[str]:
        return [w for w in self.words(text) if len(w) > 1 and w not in STOPWORDS]

    def stem(self, word: str) -> str:
        return self._stem(word)

    def spellings(self, word: str) -> list[str]:
        """`word` and its readings with ae/oe/aa as æ/ø/å ("maeslinger": also "mæslinger")."""
        return list(dict.fromkeys([word, *fold_variants(word)]))

    def document_terms(self, text: str) -> list[str]:
        """Index-side terms: stems of content words, with known abbreviations spelled out."""
        terms: list[str] = []
        for word, upper in tokens(text):
            # Only upper case marks an abbreviation in running text: "MED" is one, "med" is "with".
            if upper and word in ABBREVIATIONS:
                terms.append(word)
                terms.extend(self._stem(w) for w in ABBREVIATIONS[word].split() if w not in STOPWORDS)
            elif len(word) > 1 and word not in STOPWORDS:
                terms.append(self._stem(word))
        return terms

    # --- query side ----------------------------------------------------------------------------

    def query_terms(self, question: str, vocabulary: Collection[str]) -> list[str]:
        """The question's terms mapped onto `vocabulary`; words with no match are dropped."""
        return [term for match in self.explain_query(question, vocabulary) for term in match.terms]

    def explain_query(
        self, question: str, vocabulary: Collection[str], check: Callable[[], object] | None = None
    ) -> list[TermMatch]:
        """One `TermMatch` per content word of the question, saying how (or whether) it matched.

        Each word's work is bounded (`index.text.spelling`: variants and length); `check` is called
        before each word, so a question's time budget can stop a question of hundreds of words.

        Args:
            question: the question.
            vocabulary: the index vocabulary.
            check: called before each word (it raises to stop); None: never stopped.

        Returns:
            The matches, in the question's order.
        """
        view = self._view(vocabulary)
        matches: list[TermMatch] = []
        seen = idiom_words(question)  # a fixed phrase's noun is no topic word
        for word, upper in tokens(question):
            if self.skips(word, upper) or word in seen:
                continue
            if check is not None:
                check()
            seen.add(word)
            matches.append(self._match(word, view, self._is_abbreviation(word, upper)))
        return matches

    def skips(self, word: str, upper: bool) -> bool:
        """Whether a question's word is no content word: one letter, or a stopword that is no abbreviation.

        Args:
            word: the lower-cased word.
            upper: it was written in capitals.

        Returns:
            True when the word is read as no topic.
        """
        return len(word) < 2 or (is_stopword(word) and not self._is_abbreviation(word, upper))

    def match_word(self, word: str, upper: bool, vocabulary: Collection[str]) -> TermMatch:
        """How one content word meets the vocabulary (as `explain_query` reads it inside a question).

        Args:
            word: the lower-cased word.
            upper: it was written in capitals.
            vocabulary: the index vocabulary.

        Returns:
            The match.
        """
        return self._match(word, self._view(vocabulary), self._is_abbreviation(word, upper))

    @staticmethod
    def _is_abbreviation(word: str, upper: bool) -> bool:
        return word in ABBREVIATIONS and (upper or word not in STOPWORDS)

    def respell(
        self, question: str, vocabulary: Collection[str], matches: Sequence[TermMatch] | None = None
    ) -> str:
        """The question with ae/oe/aa readings and typos replaced by the articles' spelling, for the model.

        The embedding model reads "laegerne" and "samarbjede" poorly; the rest of the question is kept
        character for character, so only the words the lexical side already resolved change. A
        "word" longer than `MAX_WORD_CHARS` (a link, a code, a key held down) reaches the model cut
        to that length: the model encodes every piece of it, 2 s for 999 letters.

        Args:
            question: the question.
            vocabulary: the index vocabulary.
            matches: the question's matches when already read (`explain_query`); read here when None.

        Returns:
            The respelled question.
        """
        if matches is None:
            matches = self.explain_query(question, vocabulary)
        fixes = {m.word: m.spelling for m in matches if m.spelling}
        short = self._abbreviations_spelled_out(question, vocabulary)
        overlong = any(len(token) > MAX_WORD_CHARS for token in WORD.findall(question))
        if not fixes and not short and not overlong:
            return question

        def fix(match: re.Match[str]) -> str:
            token = match.group()
            if len(token) > MAX_WORD_CHARS:
                return token[:MAX_WORD_CHARS]
            spelling = fixes.get(token.lower())
            if spelling is None:
                return token
            return spelling.capitalize() if token[:1].isupper() else spelling

        respelled = WORD.sub(fix, question)
        # The articles write "KL" where the leader writes "Kommunernes Landsforening": name both.
        return f"{respelled} ({', '.join(short)})" if short else respelled

    def _abbreviations_spelled_out(self, question: str, vocabulary: Collection[str]) -> list[str]:
        """Abbreviations the articles use whose full form the question writes out."""
        stems = {self._stem(word) for word in self.words(question)}
        return [
            short.upper()
            for short, full in ABBREVIATIONS.items()
            if short in vocabulary
            and short not in self.words(question)
            and all(self._stem(w) in stems for w in full.split() if w not in STOPWORDS)
        ]

    def coverage(self, question: str, vocabulary: Collection[str]) -> float:
        """Share of the question's content words the articles use (derived words, compounds, typos: 3/4); 0 if none."""
        return coverage_of(self.explain_query(question, vocabulary))

    def _match(self, word: str, view: VocabularyView, abbreviation: bool) -> TermMatch:
        vocab = view.terms
        if abbreviation:
            terms = [word] if word in vocab else []
            terms += [t for t in (self._stem(w) for w in ABBREVIATIONS[word].split()) if t in vocab]
            if terms:
                return TermMatch(word, "abbreviation", tuple(dict.fromkeys(terms)))
        stem = self._stem(word)
        if stem in vocab:
            return TermMatch(word, "exact", (stem,))
        if len(word) > MAX_WORD_CHARS:
            # No word of the articles is this long: read it exactly, or not at all.
            return TermMatch(word, "unknown")
        readings = [(v, self._stem(v)) for v in fold_variants(word)]
        folded = [(v, s) for v, s in readings if s in vocab]
        if folded:
            return TermMatch(word, "folded", tuple(dict.fromkeys(s for _, s in folded)), spelling=folded[0][0])
        derived = derivations(word, stem, vocab, self._stem)
        if derived:
            return TermMatch(word, "derived", derived)
        # A compound may be typed with ae/oe/aa too ("koekkenpersonale"): the model then reads it respelled.
        for reading in self.readings(word):
            parts = split_compound(reading, vocab, self._stem) or heads_of(self._stem(reading), view)
            if parts:
                return TermMatch(word, "compound", parts, spelling=None if reading == word else reading)
        if self.is_danish(word):
            # A real word is never corrected to the articles' nearest word ("besætning" is no
            # "sætning"); an inflection the stemmer does not join meets its lemma ("udløste": "udløse").
            lemmas = self._lemma_terms(word, vocab)
            return TermMatch(word, "lemma", lemmas) if lemmas else TermMatch(word, "unknown")
        typos, whole_word = self._typo_candidates(word, stem, view)
        if typos:
            # Keep the word's own ending on the corrected stem: "samarbjede" -> "samarbejd" + "e";
            # a stem the whole word was near already holds the ending the typo made the stemmer drop.
            ending = word[len(stem) :] if word.startswith(stem) and not whole_word else ""
            return TermMatch(word, "typo", typos, spelling=typos[0] + ending)
        return TermMatch(word, "unknown")

    def readings(self, word: str) -> list[str]:
        """The word and its first ae/oe/aa readings, as the dictionary and the frequency list are asked."""
        return self.spellings(word)[:_DICTIONARY_READINGS]

    def is_danish(self, word: str) -> bool:
        """Whether the word, in one of its ae/oe/aa readings, is Danish: the dictionary takes it
        whole, or Danish at large uses it (wordfreq: also names and loanwords the dictionary lacks).

        Args:
            word: a lower-cased word.

        Returns:
            True for a real word (never corrected as a typo).
        """
        return any(danish_zipf(v) > 0 or self.dictionary.is_word(v) for v in self.readings(word))

    def zipf(self, word: str) -> float:
        """How common the word is in Danish at large, in its most common ae/oe/aa reading (`danish_zipf`)."""
        return max(danish_zipf(v) for v in self.readings(word))

    def _lemma_terms(self, word: str, vocab: Collection[str]) -> tuple[str, ...]:
        """Vocabulary stems of the word's dictionary forms, other than its own stem."""
        stems = (self._stem(lemma) for v in self.readings(word) for lemma in self.dictionary.lemmas(v))
        return tuple(dict.fromkeys(s for s in stems if s in vocab))

    def _typo_candidates(self, word: str, stem: str, view: VocabularyView) -> tuple[tuple[str, ...], bool]:
        """The vocabulary stems nearest the word's stem, or failing that nearest the word itself
        (a typo can change which ending the stemmer strips: "nødundervisnig" stems to
        "nødundervisn", three edits from "nødundervisning", while the word is one edit from it).

        Returns:
            (the nearest stems, sorted; whether they were found from the whole word).
        """
        if len(word) < MIN_TYPO_LEN or len(stem) < MIN_TYPO_LEN:
            return (), False
        for probe, whole_word in ((fold_digraphs(stem), False), (fold_digraphs(word), True)):
            found = view.near_terms(probe)
            if found:
                nearest = min(found.values())
                return tuple(sorted(t for t, d in found.items() if d == nearest)), whole_word
        return (), False

    def view(self, vocabulary: Collection[str]) -> VocabularyView:
        """The lookups of a vocabulary, built on its first question and kept (`VocabularyView`)."""
        return self._view(vocabulary)

    def _view(self, vocabulary: Collection[str]) -> VocabularyView:
        # Keyed by identity: the searcher passes the same vocabulary object for every question.
        cached = self._views.get(id(vocabulary))
        if cached is not None and cached[0] is vocabulary:
            return cached[1]
        view = VocabularyView.of(vocabulary)
        self._views = {id(vocabulary): (vocabulary, view)}
        return view
