"""The Danish analyzer: document terms, and questions mapped onto the index vocabulary."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from index.text.analyzer import DanishAnalyzer
from index.text.spelling import fold_digraphs, fold_variants
from index.text.vocabulary import VocabularyView, allowed_edits

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.fixture(scope="module")
def analyzer() -> DanishAnalyzer:
    return DanishAnalyzer()


@pytest.fixture(scope="module")
def vocabulary(analyzer: DanishAnalyzer) -> set[str]:
    texts = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))]
    return {term for text in texts for term in analyzer.document_terms(text)}


def terms_of(analyzer: DanishAnalyzer, word: str) -> set[str]:
    return set(analyzer.document_terms(word))


def test_stopwords_and_case_are_dropped(analyzer: DanishAnalyzer) -> None:
    assert analyzer.document_terms("Hvordan har de det, og hvad med lægerne?") == [analyzer.stem("lægerne")]


def test_hyphenated_words_meet_their_joined_form(analyzer: DanishAnalyzer, vocabulary: set[str]) -> None:
    assert analyzer.stem("hjemmearbejde") in analyzer.query_terms("hjemme-arbejde", vocabulary)


def test_capitals_mark_abbreviations_but_lowercase_med_is_a_stopword(analyzer: DanishAnalyzer) -> None:
    assert "med" in analyzer.document_terms("MED-organisationen")
    assert analyzer.stem("landsforening") in analyzer.document_terms("KL har spillet en rolle")
    assert "med" not in analyzer.document_terms("med hinanden")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("sundhedsvaesenet", "sundhedsvæsenet"), ("vaernemidler", "værnemidler"), ("Soroe", "Sorø")],
)
def test_ae_oe_aa_fold_onto_words_the_articles_use(
    analyzer: DanishAnalyzer, vocabulary: set[str], typed: str, meant: str
) -> None:
    match = analyzer.explain_query(typed, vocabulary)[0]
    assert match.how == "folded"
    assert analyzer.stem(meant.lower()) in match.terms


def test_aa_is_not_folded_when_the_vocabulary_has_it_written_so(analyzer: DanishAnalyzer) -> None:
    vocabulary = {analyzer.stem("aarhus"), analyzer.stem("århus")}
    assert analyzer.query_terms("Aarhus", vocabulary) == [analyzer.stem("aarhus")]


@pytest.mark.parametrize(("typed", "meant"), [("beredskap", "beredskab"), ("samarbjede", "samarbejde")])
def test_typos_land_on_the_nearest_word(analyzer: DanishAnalyzer, vocabulary: set[str], typed: str, meant: str) -> None:
    match = analyzer.explain_query(typed, vocabulary)[0]
    assert match.how == "typo"
    assert match.terms == (analyzer.stem(meant),)


def test_a_typo_that_changes_the_stemmed_ending_is_found_from_the_whole_word(
    analyzer: DanishAnalyzer, vocabulary: set[str]
) -> None:
    # The stemmer strips "-ig" from the typo: its stem is three edits from the articles' word.
    assert analyzer.stem("nødundervisnig") != analyzer.stem("nødundervisning")
    match = analyzer.explain_query("nødundervisnig", vocabulary)[0]
    assert (match.how, match.terms) == ("typo", (analyzer.stem("nødundervisningen"),))
    assert analyzer.respell("nødundervisnig i skolen", vocabulary) == "nødundervisning i skolen"


def test_compound_meets_its_parts(analyzer: DanishAnalyzer) -> None:
    vocabulary = {analyzer.stem("kriseledelse"), analyzer.stem("møder")}
    match = analyzer.explain_query("kriseledelsesmøder", vocabulary)[0]
    assert match.how == "compound"
    assert set(match.terms) == vocabulary


def test_a_noun_meets_the_verb_the_article_uses(analyzer: DanishAnalyzer, vocabulary: set[str]) -> None:
    # The article says "hamstre toiletpapir"; a leader types the noun.
    match = analyzer.explain_query("hamstring", vocabulary)[0]
    assert (match.how, match.terms) == ("derived", (analyzer.stem("hamstre"),))
    assert match.spelling is None  # a real word: the embedding model reads it as typed


@pytest.mark.parametrize(
    ("typed", "article_word"),
    [
        ("koordinering", "koordinere"),
        ("planlægning", "planlægge"),
        ("kommunikere", "kommunikationen"),
        ("omstille", "omstilling"),
        ("prioriterer", "prioriteringen"),
    ],
)
def test_verbs_and_their_nouns_meet_both_ways(analyzer: DanishAnalyzer, typed: str, article_word: str) -> None:
    vocabulary = {analyzer.stem(article_word), analyzer.stem("kommune")}
    match = analyzer.explain_query(typed, vocabulary)[0]
    assert (match.how, match.terms) == ("derived", (analyzer.stem(article_word),))


@pytest.mark.parametrize("typed", ["regning", "ledning"])
def test_no_derivation_from_a_base_too_short_to_be_sure(analyzer: DanishAnalyzer, typed: str) -> None:
    # "regning" (a bill) is no form of "regn" (rain), "ledning" (a wire) none of "lede".
    vocabulary = {analyzer.stem("regn"), analyzer.stem("lede")}
    assert analyzer.explain_query(typed, vocabulary)[0].how == "unknown"


def test_a_word_that_does_not_end_as_a_verb_is_not_read_as_one(analyzer: DanishAnalyzer) -> None:
    # Its stem plus "-ing" is the article's noun, but the word is that noun mistyped: a typo, respelled.
    vocabulary = {analyzer.stem("nødundervisning")}
    assert analyzer.stem("nødundervisnig") + "ing" in vocabulary
    assert analyzer.explain_query("nødundervisnig", vocabulary)[0].how == "typo"


@pytest.mark.parametrize(
    ("typed", "library_word"),
    [("besætning", "sætning"), ("broen", "brød"), ("beskyttede", "benyttede"), ("forsvundet", "forsvandt")],
)
def test_a_real_danish_word_is_never_corrected_to_a_library_word(
    analyzer: DanishAnalyzer, typed: str, library_word: str
) -> None:
    # One edit apart, but the first is Danish in its own right (hunspell-da): news to the library, no typo.
    vocabulary = {analyzer.stem(library_word), analyzer.stem("kommunen")}
    match = analyzer.explain_query(typed, vocabulary)[0]
    assert (match.how, match.terms) == ("unknown", ())
    assert analyzer.respell(f"{typed} i kommunen", vocabulary) == f"{typed} i kommunen"


@pytest.mark.parametrize(("typed", "meant"), [("legionela", "legionella"), ("kommunaldirktør", "kommunaldirektør"),
                                              ("komunen", "kommunen")])
def test_a_word_no_danish_dictionary_knows_is_read_as_the_library_word_it_nearly_is(
    analyzer: DanishAnalyzer, typed: str, meant: str
) -> None:
    vocabulary = {analyzer.stem(meant), analyzer.stem("plejehjemmet")}
    match = analyzer.explain_query(typed, vocabulary)[0]
    assert (match.how, match.terms) == ("typo", (analyzer.stem(meant),))


def test_an_inflection_the_stemmer_does_not_join_meets_its_dictionary_form(analyzer: DanishAnalyzer) -> None:
    # Snowball stems "udløste" and "udløse" apart; hunspell-da knows the first is the second's past tense.
    vocabulary = {analyzer.stem("udløse"), analyzer.stem("anbringe")}
    assert analyzer.stem("udløste") not in vocabulary
    assert analyzer.explain_query("udløste", vocabulary)[0].how == "lemma"
    assert analyzer.explain_query("anbragt", vocabulary)[0].terms == (analyzer.stem("anbringe"),)


def test_out_of_scope_words_stay_unknown(analyzer: DanishAnalyzer, vocabulary: set[str]) -> None:
    matches = {m.word: m for m in analyzer.explain_query("Hvordan rydder kommunen sne om vinteren?", vocabulary)}
    assert {w for w, m in matches.items() if not m.found} == {"rydder", "sne", "vinteren"}
    assert analyzer.coverage("Hvordan rydder kommunen sne om vinteren?", vocabulary) < 0.5


def test_fold_variants_cover_each_digraph() -> None:
    assert {"åen", "aæn"} <= set(fold_variants("aaen"))
    assert "sundhedsvæsenet" in set(fold_variants("sundhedsvaesenet"))


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_any_text_gives_terms_of_the_vocabulary_only(text: str) -> None:
    analyzer = DanishAnalyzer()
    vocabulary = set(analyzer.document_terms("Værnemidler, beredskab og kriseledelse i kommunerne."))
    assert set(analyzer.query_terms(text, vocabulary)) <= vocabulary
    assert 0.0 <= analyzer.coverage(text, vocabulary) <= 1.0


# Without æ/ø/å: those are compared in their ae/oe/aa spelling, where one letter is two.
_LETTERS = "abdegiklmnorstuv"


@st.composite
def typo_of_a_term(draw: st.DrawFn) -> tuple[str, str]:
    """A term of 6-12 letters, and the term with one letter swapped, dropped, doubled or replaced inside it."""
    term = draw(st.text(alphabet=_LETTERS, min_size=6, max_size=12))
    at = draw(st.integers(1, len(term) - 3))
    how = draw(st.sampled_from(["swap", "drop", "double", "replace"]))
    if how == "swap":
        typo = term[:at] + term[at + 1] + term[at] + term[at + 2 :]
    elif how == "drop":
        typo = term[:at] + term[at + 1 :]
    elif how == "double":
        typo = term[:at] + term[at] + term[at:]
    else:
        typo = term[:at] + draw(st.sampled_from(_LETTERS)) + term[at + 1 :]
    return term, typo


@given(typo_of_a_term(), st.lists(st.text(alphabet=_LETTERS, min_size=4, max_size=14), max_size=30))
@settings(max_examples=300, deadline=None)
def test_one_edit_inside_a_term_finds_it_among_any_others(pair: tuple[str, str], others: list[str]) -> None:
    term, typo = pair
    view = VocabularyView.of([term, *others])
    near = view.near_terms(fold_digraphs(typo))
    assert term in near and near[term] <= 1
    # Nothing farther than the edits a word of its length may hold is offered.
    assert all(d <= allowed_edits(fold_digraphs(typo)) for d in near.values())


@given(st.text(alphabet="abeoæøå", min_size=1, max_size=10))
def test_a_word_written_with_digraphs_folds_back(word: str) -> None:
    assume(sum(ch in "æøå" for ch in word) <= 4)  # the documented bound on readings tried
    assert word in set(fold_variants(fold_digraphs(word))) | {fold_digraphs(word)}


def test_respell_gives_the_model_the_articles_spelling(analyzer: DanishAnalyzer, vocabulary: set[str]) -> None:
    assert analyzer.respell("laegerne mere opsoegende", vocabulary) == "lægerne mere opsøgende"
    assert analyzer.respell("Samarbjede med regionen", vocabulary) == "Samarbejde med regionen"
    assert analyzer.respell("Hvad sagde de om værnemidler?", vocabulary) == "Hvad sagde de om værnemidler?"


def test_respell_names_the_abbreviation_the_articles_use(analyzer: DanishAnalyzer, vocabulary: set[str]) -> None:
    respelled = analyzer.respell("Hvad gjorde Kommunernes Landsforening?", vocabulary)
    assert respelled == "Hvad gjorde Kommunernes Landsforening? (KL)"
    assert analyzer.respell("Hvad gjorde KL?", vocabulary) == "Hvad gjorde KL?"


@given(st.text(max_size=200))
@settings(max_examples=150, deadline=None)
def test_respell_never_touches_words_it_did_not_resolve(text: str) -> None:
    analyzer = DanishAnalyzer()
    vocabulary = set(analyzer.document_terms("Værnemidler og beredskab i kommunerne."))
    respelled = analyzer.respell(text, vocabulary)
    unresolved = [m.word for m in analyzer.explain_query(text, vocabulary) if not m.spelling]
    for word in unresolved:
        if word in text.lower():  # a hyphenated word's joined form ("0-0" -> "00") is not in the text
            assert word in respelled.lower()


def test_stopwords_typed_with_digraphs_are_not_content_words(analyzer: DanishAnalyzer, vocabulary: set[str]) -> None:
    words = {
        m.word for m in analyzer.explain_query("Er personalet paa plejehjemmet klar, naar det gaelder?", vocabulary)
    }
    assert not {"paa", "naar"} & words
    assert "personalet" in words
