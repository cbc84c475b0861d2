"""The no-answer case, settings, article overview and the loading slot, without Streamlit."""

from __future__ import annotations

import html
from pathlib import Path

import index
from index.models import Answer, Result
from ingest.models import Article, ArticleSource, Passage
from library.paths import DEFAULT_LIBRARY
from ui.answers import answer_view, topic_suggestions
from ui.articles import article_html, overviews
from ui.chat import ask
from ui.settings import load_settings

SOURCE = ArticleSource(id="a", title="<Titel>", title_is_derived=True, file="a.txt", encoding="utf-8")


def passage(n: int, section: str | None) -> Passage:
    return Passage(id=f"a:{n}", article=SOURCE, ordinal=n, section=section, char_start=n * 5, char_end=n * 5 + 3,
                   text="abc")


def test_abstained_answer_says_so_marks_matches_weak_and_offers_topics() -> None:
    results = [Result.from_passage(passage(1, "S"), rank=1, score=0.2, strength="possible")]
    view = answer_view(Answer(question="sne?", abstained=True, results=results), ["Ugentlige møder", "KL", " "])
    assert view.notice is not None and "taler ikke om" in view.notice
    assert view.weak_heading is not None and "svage" in view.weak_heading
    assert [r.strength for r in view.results] == ["weak"]
    assert view.topics == ["Ugentlige møder", "KL"]


def test_abstained_without_results_has_no_weak_heading() -> None:
    view = answer_view(Answer(question="sne?", abstained=True, results=[]), [])
    assert view.notice is not None and view.weak_heading is None and view.results == []


def test_answered_question_shows_plain_results() -> None:
    results = [Result.from_passage(passage(1, "S"), rank=1, score=0.9, strength="strong")]
    view = answer_view(Answer(question="q", abstained=False, results=results), ["S"])
    assert view.notice is None and view.topics == [] and view.results == results


def test_words_nowhere_in_the_articles_are_named_whether_answered_or_not() -> None:
    results = [Result.from_passage(passage(1, "S"), rank=1, score=0.9, strength="possible")]
    answered = answer_view(Answer(question="q", abstained=False, results=results, absent_words=["hedebølgen"]), ["S"])
    assert answered.absent_note is not None and "Ordet »hedebølgen« står ikke i artiklerne" in answered.absent_note
    declined = answer_view(Answer(question="q", abstained=True, results=[], absent_words=["sne", "vinteren"]), [])
    assert declined.absent_note is not None and "Ordene »sne« og »vinteren«" in declined.absent_note
    every_word_there = Answer(question="q", abstained=False, results=results)
    assert answer_view(every_word_there.model_copy(update={"absent_words": []}), ["S"]).absent_note is None
    assert answer_view(every_word_there, ["S"]).absent_note is None


def test_topic_suggestions_are_distinct_and_limited() -> None:
    assert topic_suggestions(["a", "a", "b", "c"], limit=2) == ["a", "b"]


def test_headings_about_the_article_itself_are_not_topics() -> None:
    sections = ["Baggrund for artiklen", "Om artiklens tilblivelse", "Stor tak til de 10 bidragsydere, som:",
                "Praktiserende læger mere opsøgende"]
    assert topic_suggestions(sections) == ["Praktiserende læger mere opsøgende"]


def test_settings_default_and_from_environment() -> None:
    # The library's data folder (issue 28): data/ in the checkout, or ERFARINGSBANKEN_LIBRARY.
    assert load_settings({}).index_dir == DEFAULT_LIBRARY / "index"
    assert load_settings({}).corpus_dir == DEFAULT_LIBRARY / "articles"
    assert load_settings({"ERFARINGSBANKEN_LIBRARY": "/srv/eb"}).corpus_dir == Path("/srv/eb/articles")
    custom = load_settings({"ERFARINGSBANKEN_INDEX_DIR": "/tmp/x", "ERFARINGSBANKEN_CORPUS_DIR": "/tmp/c"})
    assert custom.index_dir == Path("/tmp/x") and custom.corpus_dir == Path("/tmp/c")


def test_article_overview_counts_passages_and_sections_and_escapes() -> None:
    article = Article(id="a", file="a.txt", encoding="utf-8", sha256="0", n_chars=20, title="<Titel>",
                      title_is_derived=True, url="javascript:alert(1)", links=["https://resonans.dk"])
    found = overviews([article], [passage(2, "Anden"), passage(0, None), passage(1, "Første")])
    assert found[0].n_passages == 3 and found[0].sections == ["Første", "Anden"]
    page = article_html(found[0])
    assert "&lt;Titel&gt;" in page and "<Titel>" not in page
    shown = html.unescape(page)
    assert "(titel udledt af teksten)" in shown and "3 tekststykker" in shown
    assert "javascript" not in shown and 'href="https://resonans.dk"' in shown
    assert "ukendt" in page  # unknown metadata is said to be unknown, not guessed


def test_an_answer_missing_a_figure_says_what_is_missing() -> None:
    results = [Result.from_passage(passage(1, "S"), rank=1, score=0.2, strength="possible")]
    view = answer_view(Answer(question="Hvor mange?", abstained=True, results=results, missing="number"), ["KL"])
    assert view.notice is not None and "ikke et tal" in view.notice and "handler om emnet" in view.notice
    # The passages are on topic: no other topics are offered.
    assert view.topics == [] and [r.strength for r in view.results] == ["weak"]
    alone = answer_view(Answer(question="Hvornår?", abstained=True, results=[], missing="time"), [])
    assert alone.notice is not None and "hvornår" in alone.notice and "nedenfor" not in alone.notice


def test_an_answer_about_an_uncovered_crisis_says_so_and_offers_the_topics() -> None:
    results = [Result.from_passage(passage(1, "S"), rank=1, score=0.2, strength="possible")]
    question = "Hvordan kommunikerede kommunen under skovbranden?"
    view = answer_view(Answer(question=question, abstained=True, results=results, missing="crisis"), ["Kriseledelse"])
    assert view.notice is not None and "den slags krise" in view.notice
    # The nearest passages are about another crisis: they are not said to be on its topic.
    assert "handler om emnet" not in view.notice
    assert view.topics == ["Kriseledelse"] and [r.strength for r in view.results] == ["weak"]


def test_a_chat_turn_asks_the_searcher_one_search(seed_searcher: index.Searcher) -> None:
    asked: list[str] = []

    class Watched:
        """The real searcher, noting what a chat turn asks of it."""

        def __getattr__(self, name: str) -> object:
            asked.append(name)
            return getattr(seed_searcher, name)

    turn = ask(Watched(), "Hvad sagde de om værnemidler?", None)  # type: ignore[arg-type]
    # One search; then only stored columns: the passages a cut quote runs over, the articles' records.
    assert asked[0] == "search" and set(asked[1:]) <= {"neighbours", "articles"}
    assert turn.view is not None and turn.view.index_stems
    asked.clear()
    declined = ask(Watched(), "Hvordan rydder kommunen sne om vinteren?", None)  # type: ignore[arg-type]
    # A declined answer offers the articles' headings as topics: one list, read once per index.
    assert asked[:2] == ["search", "sections"] and set(asked[2:]) <= {"neighbours", "articles"}
    assert declined.view is not None and declined.view.topics
