"""A question about a kind of crisis no article speaks of is declined; one the articles cover is not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import index
import ingest
from eval.dataset import DEFAULT_QUESTIONS, TUNING_QUESTIONS, load_questions
from index.decline.hazards import HAZARD_WORDS, MIN_PART_STEM, covered_hazards, named_hazards, uncovered_hazard
from index.dense.embed import Embedder
from index.text.analyzer import DanishAnalyzer

ANALYZER = DanishAnalyzer()
EVERY_KIND = frozenset(HAZARD_WORDS)
FOREST_FIRE = "Hvordan kommunikerede kommunen med borgerne under skovbranden?"

FIRE_ARTICLE = """Skovbranden i plantagen: sådan holdt kommunen borgerne orienteret

Da skovbranden bredte sig mod sommerhusene, samlede kommunen krisestaben på rådhuset.

"Vi sendte sms til alle borgere i området hver anden time, også når der ikke var nyt," siger en beredskabschef.

Evakueringen af sommerhusområdet tog fire timer, og ingen kom til skade.
"""


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        (FOREST_FIRE, "naturbrand"),
        ("maeslinger daginstitution smitteopsporing", "mæslinger"),
        ("Hvad gjorde kommunen under lærerlockouten?", "arbejdskonflikt"),
        ("Hvordan håndterede kommunen tørken?", "tørke"),
        ("Hvordan var krisestaben organiseret efter cyberangrebet?", "cyberangreb"),
        ("Hvordan håndterede kommunerne covid-19?", "epidemi"),
        ("Hvordan blev rådhuset evakueret ved bombetruslen?", "bombe"),  # "trussel" drops its e
        ("Hvordan fordelte kommunen vandet under vandmanglen?", "tørke"),
    ],
)
def test_a_question_names_its_kind_of_crisis_in_any_form(question: str, kind: str) -> None:
    named = named_hazards(question, ANALYZER)
    assert any(kind in kinds for kinds in named.values())


@pytest.mark.parametrize(
    "question",
    [
        "Hvorfor stormede borgerne apotekerne?",  # a verb, not the weather
        "Hvad blev besluttet på stormødet?",  # a big meeting
        "Hvor fremskreden var smitten?",
        "Hvordan fik kommunerne styr på værnemidlerne?",
        "Hvad sagde de om branden på plejecentret?",  # a fire in a building is no kind of its own
    ],
)
def test_words_that_only_contain_a_short_kind_name_nothing(question: str) -> None:
    assert named_hazards(question, ANALYZER) == {}


def test_the_seeds_speak_of_the_epidemic_and_not_of_a_forest_fire(seed_searcher: index.Searcher) -> None:
    covered = seed_searcher.covered_hazards
    assert "epidemi" in covered and "naturbrand" not in covered
    assert uncovered_hazard("Hvordan håndterede kommunerne pandemien?", ANALYZER, covered) is None
    assert uncovered_hazard(FOREST_FIRE, ANALYZER, covered) == "skovbranden"


def test_a_question_about_an_uncovered_crisis_is_declined_and_says_why(seed_searcher: index.Searcher) -> None:
    answer = seed_searcher.search(FOREST_FIRE)
    assert answer.abstained and answer.missing == "crisis"
    assert all(r.strength == "weak" for r in answer.results)


def test_no_answerable_seed_question_is_declined_for_its_crisis(seed_searcher: index.Searcher) -> None:
    questions = [q for path in (DEFAULT_QUESTIONS, TUNING_QUESTIONS) for q in load_questions(path) if q.in_scope]
    assert len(questions) > 100
    flagged = [q.question for q in questions if uncovered_hazard(q.question, ANALYZER, seed_searcher.covered_hazards)]
    assert flagged == []


def test_an_article_about_the_crisis_makes_the_question_answerable(
    tmp_path: Path, corpus_dir: Path, seed_index_dir: Path, e5_embedder: Embedder
) -> None:
    library = tmp_path / "corpus"
    shutil.copytree(corpus_dir, library)
    (library / "200_skovbrand.txt").write_text(FIRE_ARTICLE, encoding="utf-8")
    reading = ingest.load_corpus(library)
    grown = index.build(reading.passages, articles=reading.articles, embedder=e5_embedder, reuse_from=seed_index_dir)
    assert "naturbrand" in grown.covered_hazards
    answer = grown.search(FOREST_FIRE)
    assert answer.missing != "crisis"
    assert not answer.abstained and answer.results[0].article.file == "200_skovbrand.txt"


_KIND_WORDS = sorted((kind, word) for kind, words in HAZARD_WORDS.items() for word in words)
_LETTERS = st.text(alphabet="abcdefghijklmnoprstuvyæøå", min_size=0, max_size=6)


@given(st.sampled_from(_KIND_WORDS), st.sampled_from(["", "en", "et", "ene", "erne"]),
       st.sampled_from(["Hvad gjorde kommunen under {}?", "{} erfaringer", "Hvordan ramte {} hjemmeplejen?"]))
def test_every_kind_word_names_its_kind_and_is_declined_only_when_no_kind_is_covered(
    kind_word: tuple[str, str], ending: str, template: str
) -> None:
    kind, word = kind_word
    question = template.format(word + ending)
    named = named_hazards(question, ANALYZER)
    if len(ANALYZER.stem(word)) >= MIN_PART_STEM or ANALYZER.stem(word + ending) == ANALYZER.stem(word):
        assert any(kind in kinds for kinds in named.values())
    # Covered when any kind it names is: never declined by a library that speaks of every kind.
    assert uncovered_hazard(question, ANALYZER, EVERY_KIND) is None
    found = uncovered_hazard(question, ANALYZER, frozenset())
    assert (found is None) == (not named)
    assert found is None or found in ANALYZER.content_words(question)


@given(st.lists(st.sampled_from([w for _, w in _KIND_WORDS]), max_size=4), _LETTERS)
def test_a_vocabulary_covers_the_kinds_whose_words_its_terms_contain(words: list[str], affix: str) -> None:
    vocabulary = [f"{affix}{ANALYZER.stem(w)}{affix}" for w in words] + ["kommun", "borg", "krisestab"]
    covered = covered_hazards(vocabulary, ANALYZER)
    expected = {kind for kind, kind_words in HAZARD_WORDS.items() if set(kind_words) & set(words)}
    assert expected <= covered
