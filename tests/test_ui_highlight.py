"""Highlighting marks matching words and never changes a character of the passage."""

from __future__ import annotations

import html
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ui.escaping import escape
from ui.highlight import highlight_html, match_spans, question_terms, strip_marks

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]


def _marked_words(text: str, question: str) -> list[str]:
    return [text[s:e] for s, e in match_spans(text, question)]


def test_whole_seed_articles_come_back_exactly() -> None:
    for text in SEED_TEXTS:
        for question in ("Hvad sagde de om værnemidler?", "og hvad med lægerne", "KL`s rolle <b>"):
            assert strip_marks(highlight_html(text, question)) == text


def test_matches_case_insensitively_with_danish_stems() -> None:
    text = "Vores praktiserende læger har vi vupti kunne lave digitale møder med. Lægerne var opsøgende."
    assert _marked_words(text, "Hvad med LÆGERNE?") == ["læger", "Lægerne"]


def test_folds_ascii_spellings_of_danish_letters() -> None:
    text = "Det er sådan en lavpraktisk kamp om ressourcer og værnemidler."
    assert _marked_words(text, "vaernemidler") == ["værnemidler"]


def test_words_the_search_read_the_question_as_are_marked_too() -> None:
    text = "Et godt samarbejde, og der går samme effekt i gang i forhold til at hamstre toiletpapir."
    # What `Searcher.matched_stems` gives for "samarbjede om hamstring": a typo and a derived noun.
    assert _marked_words(text, "samarbjede om hamstring") == []
    spans = match_spans(text, "samarbjede om hamstring", ["samarbejd", "hamstr"])
    assert [text[s:e] for s, e in spans] == ["samarbejde", "hamstre"]
    assert strip_marks(highlight_html(text, "samarbjede", ["samarbejd"])) == text


def test_question_compound_start_matches_longer_compound() -> None:
    text = "samarbejdsrelationerne i sundhedsvæsnet under coronakrisen"
    assert _marked_words(text, "Hvordan var samarbejdet?") == ["samarbejdsrelationerne"]


def test_stopwords_and_question_frame_are_not_marked() -> None:
    assert question_terms("Hvad sagde de om det, og hvordan gik det?") == ["gik"]
    text = "Hvad de sagde om det, det var godt."
    assert match_spans(text, "Hvad sagde de om det?") == []


def test_markup_in_passage_and_question_is_escaped() -> None:
    text = 'Han skrev <script>alert("x")</script> & gik.'
    marked = highlight_html(text, "<script>alert(1)</script>")
    assert "<script>" not in marked
    assert '<mark class="eb-hit">script</mark>' in marked
    assert strip_marks(marked) == text


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300), question=st.text(max_size=80))
def test_any_text_round_trips(text: str, question: str) -> None:
    marked = highlight_html(text, question)
    assert strip_marks(marked) == text
    # Nothing but our own mark tags may be raw markup.
    assert "<" not in marked.replace('<mark class="eb-hit">', "").replace("</mark>", "")


@settings(max_examples=100, deadline=None)
@given(start=st.integers(0, 6000), length=st.integers(1, 600), question=st.sampled_from(
    ["Hvad sagde de om værnemidler?", "samarbejde med regionen", "aeldre og boern", "test-strategien"]
))
def test_real_seed_slices_round_trip(start: int, length: int, question: str) -> None:
    text = SEED_TEXTS[1][start : start + length]
    marked = highlight_html(text, question)
    assert html.unescape(marked.replace('<mark class="eb-hit">', "").replace("</mark>", "")) == text


@given(text=st.text(max_size=200))
def test_escape_leaves_no_html_or_markdown_specials(text: str) -> None:
    escaped = escape(text)
    assert html.unescape(escaped) == text
    assert not set(escaped) & set("<>\"'[]()`*_$~|!\\:")


def test_the_noun_of_a_fixed_phrase_marks_nothing_on_its_own() -> None:
    text = "Styrelsen for Patientsikkerhed og andre styrelser var styrende, og værnemidlerne kom frem."
    question = "Hvordan fik kommunerne styr på værnemidlerne?"
    assert _marked_words(text, question) == ["værnemidlerne"]


def test_a_short_stem_never_marks_the_words_it_only_begins() -> None:
    text = "Kommunaldirektøren og kommunens kommunikationschef talte sammen."
    assert _marked_words(text, "Hvad gjorde kommunen?") == ["kommunens"]


@settings(max_examples=60, deadline=None)
@given(
    question=st.sampled_from([
        "Hvordan fik kommunerne styr på værnemidlerne?", "samarbjede med laegerne", "hamstring",
        "kriseledelsesmøder", "Hvad sagde de om KL?", "beredskap og hjemmepleje", "test-strategien",
    ]),
    position=st.integers(0, 67),
)
def test_a_mark_is_always_a_word_the_search_says_it_matched(
    seed_searcher: object, question: str, position: int
) -> None:
    from index import Searcher
    from index.text.analyzer import DanishAnalyzer
    from ui.danish import fold, is_content_word
    from ui.highlight import MIN_PREFIX

    assert isinstance(seed_searcher, Searcher)
    passage = seed_searcher.passages[position]
    matched = set(seed_searcher.matched_stems(question))
    analyzer = DanishAnalyzer()
    for start, end in match_spans(passage.text, question, seed_searcher.matched_stems(question)):
        word = passage.text[start:end]
        assert is_content_word(fold(word)), word
        shares_a_term = bool(set(analyzer.document_terms(word)) & matched)
        first_part = any(len(t) >= MIN_PREFIX and fold(word).startswith(t) for t in matched)
        assert shares_a_term or first_part, (question, word)
        assert word.lower() not in {"styrelsen", "styrelser", "styrende"}
