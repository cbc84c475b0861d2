"""The answer a question asks for (a figure, a sum, a time, someone's words), and whether passages give it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import index
from index.decline.answer_type import AnswerType, expected_answer, gives_answer
from index.text.analyzer import DanishAnalyzer

ANALYZER = DanishAnalyzer()


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Hvor mange beboere døde på plejehjemmene?", "number"),
        # "Hvor meget" asks for a degree as often as for an amount: only money makes it a figure.
        ("Hvor meget har krisen ændret samarbejdet?", None),
        ("Hvad er kommunens telefonnummer?", "number"),
        ("Hvad kostede krisen kommunerne?", "money"),
        ("Hvor meget betalte kommunen for testene?", "money"),
        ("Hvornår åbnede plejehjemmene igen?", "time"),
        ("hvornaar aabnede skolerne", "time"),
        ("Hvordan holdt man humøret oppe?", None),
        # Leaders ask how long staff can keep going; the articles answer that in words.
        ("Hvor længe kan personalet holde til det?", None),
        ("værnemidler", None),
    ],
)
def test_the_questions_that_ask_for_a_figure_a_sum_or_a_time(question: str, kind: str | None) -> None:
    assert expected_answer(question) == kind


def test_a_figure_counts_only_beside_the_words_the_question_asks_about() -> None:
    question = "Hvor mange lærere tog kurset?"
    assert gives_answer("number", "Hele 130 lærere tilmeldte sig hurtigt et online kursus.", question, ANALYZER)
    far = "Vi talte med 10 kriseledere fra flere kommuner om krisen, og senere om skolen og lærerne."
    assert not gives_answer("number", far, question, ANALYZER)


def test_a_count_is_answered_by_a_figure_beside_what_is_counted() -> None:
    question = "Hvor mange døde af covid på plejecentrene i de fire kommuner?"
    # A figure beside another of the question's words counts something else.
    interviews = "Vi har interviewet 10 kommunale kriseledere fra 4 forskellige kommuner om krisen."
    assert not gives_answer("number", interviews, question, ANALYZER)
    assert gives_answer("number", "På plejecentrene døde 37 beboere af covid i foråret.", question, ANALYZER)
    counted = "Hvor mange kriseledere blev interviewet?"
    assert gives_answer("number", interviews, counted, ANALYZER)


def test_a_sum_of_money_answers_a_question_of_cost_wherever_it_stands() -> None:
    question = "Hvad kostede indsatsen?"
    assert gives_answer("money", "Regningen endte på 3,5 mio. kr. for hele året.", question, ANALYZER)
    assert not gives_answer("money", "Indsatsen involverede 40 medarbejdere.", question, ANALYZER)


def test_the_questions_own_figures_and_years_are_not_answers() -> None:
    question = "Hvor mange døde i de fire kommuner?"
    assert not gives_answer("number", "De fire kommuner mistede mange.", question, ANALYZER)
    assert not gives_answer("number", "I 2020 døde mange i kommunerne.", question, ANALYZER)
    assert gives_answer("time", "I 2020 åbnede plejehjemmene igen.", "Hvornår åbnede plejehjemmene?", ANALYZER)


def unanswered(question: str, passage_texts: list[str]) -> AnswerType | None:
    """The answer type the question asks for when none of the passages gives one (as the checks read it)."""
    kind = expected_answer(question)
    if kind is None or any(gives_answer(kind, text, question, ANALYZER) for text in passage_texts):
        return None
    return kind


def test_a_question_that_asks_for_nothing_particular_is_never_unanswered() -> None:
    assert unanswered("Hvordan samarbejdede man med regionen?", []) is None
    assert unanswered("Hvornår åbnede skolerne?", ["Skolerne åbnede i april."]) is None
    assert unanswered("Hvornår åbnede skolerne?", ["Skolerne åbnede hurtigt."]) == "time"


@given(st.text(max_size=200), st.text(max_size=200))
def test_a_missing_answer_is_the_kind_asked_for_and_more_passages_never_lose_one(question: str, passage: str) -> None:
    kind = expected_answer(question)
    missing = unanswered(question, [passage])
    assert missing in (None, kind)
    # More passages can only supply the answer, never take it away.
    if missing is None:
        assert unanswered(question, [passage, "Ingen tal her."]) is None


@given(st.text(max_size=200))
def test_a_passage_repeating_the_question_gives_nothing_new(question: str) -> None:
    # Every figure and word of the question itself is discounted: an echo is no answer.
    for kind in ("money", "number", "time"):
        assert not gives_answer(kind, question, question, ANALYZER)


def test_a_speaker_the_articles_never_name_is_found(seed_searcher: index.Searcher) -> None:
    def unnamed_speaker(question: str) -> str | None:
        asked = seed_searcher.read(question).speaker
        return asked.who if asked is not None and not asked.first.found else None

    assert unnamed_speaker("Hvad sagde borgmesteren om lederskab?")
    # Roles the articles quote, also misspelt, and questions that name nobody.
    for question in (
        "Hvad sagde en kommunaldirektør om KL's mails?",
        "hvad sagde kommunaldirketøren om pengene",
        "Hvad sagde to af direktørerne om kriser?",
        "Hvad sagde de om værnemidler?",
        "Hvordan gik det med testene?",
    ):
        assert unnamed_speaker(question) is None, question


def test_the_searcher_abstains_when_no_best_passage_gives_the_figure(seed_searcher: index.Searcher) -> None:
    answer = seed_searcher.search("Hvor mange beboere døde af covid-19 på plejehjemmene i Sorø Kommune?", k=5)
    assert answer.abstained and answer.missing == "number"
    # The nearest passages are still shown: they speak of the topic.
    assert len(answer.results) == 5
    found = seed_searcher.search("Hvor mange kriseledere blev interviewet?", k=5)
    assert not found.abstained and found.missing is None
    assert "10 kommunale kriseledere" in found.results[0].text


def test_a_compound_meets_its_head_not_its_first_part() -> None:
    # Danish compounds are head-final: plejehjemsbeboere are beboere; a kommunalvalg is no kommune.
    assert gives_answer("number", "I alt 12 beboere blev smittet.", "Hvor mange plejehjemsbeboere døde?", ANALYZER)
    assert not gives_answer("time", "Kommunerne mødtes i juni.", "Hvornår er der kommunalvalg?", ANALYZER)


def test_a_relative_time_framing_the_sentence_answers_when() -> None:
    # Interviews tell time as "i krisens første uger", often a clause away from the topic word.
    passage = "Dog har der i krisens første uger også på sundhedsområdet udspillet sig en kamp om værnemidler."
    question = "hvornår fik man styr på værnemidlerne"
    assert gives_answer("time", passage, question, ANALYZER)
    assert not gives_answer("time", "Der var en kamp om værnemidler.", question, ANALYZER)
