"""How new a question's words are to the library: Debian's Danish dictionary, wordfreq's frequencies,
the library's vocabulary with its metadata. Real hunspell-da, real wordfreq, the real seed index."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

import index
from index.lexical.library_vocabulary import article_texts
from index.text.analyzer import DanishAnalyzer
from index.text.dictionary import (
    DanishDictionary,
    DictionaryMissingError,
    NoDictionary,
    danish_dictionary,
    reading_dictionary,
)
from index.text.frequency import danish_zipf, specificity
from index.text.novelty import novel_specificity, novelty_of, novelty_share


@pytest.fixture(scope="module")
def dictionary() -> DanishDictionary:
    return danish_dictionary()


@pytest.fixture(scope="module")
def analyzer() -> DanishAnalyzer:
    return DanishAnalyzer()


@pytest.mark.parametrize("word", ["besætning", "strømsvigtet", "vandmanglen", "skovbranden", "legionella", "nordby"])
def test_real_danish_words_are_words(dictionary: DanishDictionary, word: str) -> None:
    assert dictionary.is_word(word)


@pytest.mark.parametrize("word", ["legionela", "samarbjede", "komunen", "beredskap", "kommunaldirktør"])
def test_typos_are_not(dictionary: DanishDictionary, word: str) -> None:
    assert not dictionary.is_word(word)


def test_a_compound_of_a_short_first_part_is_no_word(dictionary: DanishDictionary) -> None:
    # hunspell-da accepts "kordinerede" as ko + dinerede and "årsagn" as års + agn.
    assert not dictionary.is_word("kordinerede") and not dictionary.is_word("årsagn")


def test_lemmas_and_words_the_dictionary_cannot_spell(dictionary: DanishDictionary) -> None:
    assert "udløse" in dictionary.lemmas("udløste") and "slå" in dictionary.lemmas("slog")
    # Letters outside the dictionary's encoding, and words past hunspell's length, are simply no words.
    assert not dictionary.is_word("москва") and dictionary.lemmas("москва") == ()
    assert not dictionary.is_word("a" * 500)


def test_a_missing_dictionary_says_what_to_install(tmp_path: object) -> None:
    with pytest.raises(DictionaryMissingError, match="hunspell-da"):
        DanishDictionary(tmp_path)  # type: ignore[arg-type]


def test_without_the_dictionary_questions_are_still_read_and_the_log_says_what_to_install(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        missing = reading_dictionary(tmp_path)
        assert reading_dictionary(tmp_path) is missing  # logged once per process
    assert isinstance(missing, NoDictionary) and "hunspell-da" in missing.reason
    assert len([r for r in caplog.records if "hunspell-da" in r.getMessage()]) == 1
    analyzer = DanishAnalyzer(dictionary=missing)
    vocabulary = frozenset(analyzer.document_terms("Legionella i vandet. Skimmelsvampen lukkede skolen i kommunen."))

    def kind(word: str) -> str:
        (match,) = analyzer.explain_query(word, vocabulary)
        return novelty_of(match, analyzer, vocabulary).kind

    # wordfreq's list alone still knows everyday words and finds typos of the library's words.
    assert kind("kommunen") == "known" and kind("legionela") == "typo" and kind("xqzvbn") == "foreign"


def test_everyday_words_are_not_specific_and_rare_ones_are() -> None:
    assert danish_zipf("kommunen") > 4.5 and specificity(danish_zipf("kommunen")) == 0.0
    assert danish_zipf("parkeringslicens") == 0.0 and specificity(0.0) == 1.0


def test_each_kind_of_word_is_read_as_such(analyzer: DanishAnalyzer) -> None:
    vocabulary = frozenset(analyzer.document_terms("Legionella i vandet. Skimmelsvampen lukkede skolen i kommunen."))

    def kind(word: str) -> str:
        (match,) = analyzer.explain_query(word, vocabulary)
        return novelty_of(match, analyzer, vocabulary).kind

    assert kind("kommunen") == "known"
    assert kind("legionela") == "typo"  # no Danish word, one edit from the library's
    assert kind("skimmel") == "part"  # the first part of a library compound
    assert kind("togulykken") == "novel"  # Danish, and news to this library
    assert kind("xqzvbn") == "foreign"


def test_novelty_counts_new_rare_words_fully_and_parts_by_half(analyzer: DanishAnalyzer) -> None:
    vocabulary = frozenset(analyzer.document_terms("Skimmelsvampen lukkede skolen i kommunen."))
    matches = analyzer.explain_query("togulykken skimmel kommunen", vocabulary)
    words = [novelty_of(m, analyzer, vocabulary) for m in matches]
    assert [w.kind for w in words] == ["novel", "part", "known"]
    assert novelty_share(words) == pytest.approx(1.5 / 3)
    assert novel_specificity(words) == pytest.approx(1.0 + 0.5 * words[1].specificity)


def test_the_library_s_vocabulary_holds_its_titles_and_speakers_words(seed_searcher: index.Searcher) -> None:
    passages_only = seed_searcher.parts.lexical.vocabulary
    extra = seed_searcher.vocabulary - passages_only
    assert extra  # words only a title, a series, a publisher or a speaker's role uses
    analyzer = seed_searcher.parts.lexical.analyzer
    metadata = article_texts(seed_searcher.articles)
    word = next(w for text in metadata for w in analyzer.content_words(text) if analyzer.stem(w) in extra)
    assert seed_searcher.absent_words(f"Hvad sagde de om {word}?") == []
