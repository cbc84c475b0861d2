"""The chat a director shows to staff, in AppTest against the real seed library: a first screen that
says what the library holds, a turn that renders after its article is removed or replaced, any error
a Danish line with the chat going on, limits that count what the leader typed."""

from __future__ import annotations

import html
import io
import shutil
import tomllib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from streamlit.testing.v1 import AppTest

from index import Embedder
from library import Library
from tests.robust_helpers import article
from ui import export, labels, session
from ui.answers import AnswerView
from ui.editors import EDITORS_ENV, EditorAccess
from ui.navigation import pages_for
from ui.ratelimit import MAX_PER_MINUTE, QuestionRate
from ui.resources import searcher_slot
from ui.settings import CORPUS_DIR_ENV, INDEX_DIR_ENV
from ui.upload import MAX_UPLOAD_MB

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
QUESTION = "Hvad sagde de om værnemidler?"


@pytest.fixture
def shelf(tmp_path: Path, corpus_dir: Path, seed_index_dir: Path, e5_embedder: Embedder,
          monkeypatch: pytest.MonkeyPatch) -> Iterator[Library]:
    """A copy of the seed library the test may change, and the app pointed at it."""
    shutil.copytree(corpus_dir, tmp_path / "corpus")
    shutil.copytree(seed_index_dir, tmp_path / "index", symlinks=True)
    monkeypatch.setenv(CORPUS_DIR_ENV, str(tmp_path / "corpus"))
    monkeypatch.setenv(INDEX_DIR_ENV, str(tmp_path / "index"))
    searcher_slot.clear()
    yield Library(tmp_path / "corpus", tmp_path / "index", e5_embedder)
    searcher_slot.clear()


@pytest.fixture
def app(seed_index_dir: Path, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The chat as `make run` serves it on one's own machine: anyone may add (EDITORS=anyone)."""
    monkeypatch.setenv(INDEX_DIR_ENV, str(seed_index_dir))
    monkeypatch.setenv(CORPUS_DIR_ENV, str(corpus_dir))
    monkeypatch.setenv(EDITORS_ENV, "anyone")
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, at.exception
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    return " ".join(html.unescape(h.value) for h in at.html) + " ".join(str(c.value) for c in at.caption)


def test_the_first_screen_says_what_the_library_holds_and_its_examples_are_answered(app: AppTest) -> None:
    shown = texts(app)
    assert "Biblioteket rummer 2 artikler (68 tekststykker)." in shown
    assert "Kriser: epidemi (2)." in shown and "Udgivet af: NB-Nyt." in shown
    assert "Du kan selv lægge artikler i biblioteket" in shown  # EDITORS=anyone: the visitor may add
    examples = [b for b in app.button if b.key and b.key.startswith("example-")]
    assert examples and all(b.label.startswith("Hvad skriver artiklerne om »") for b in examples)
    assert any(e.label == labels.STRENGTH_HEADING for e in app.expander)
    question = examples[0].label
    examples[0].click().run()
    assert not app.exception, app.exception
    turn = session.turns(app.session_state)[-1]
    assert turn.query.typed == question and turn.answer is not None and not turn.answer.abstained
    assert not [b for b in app.button if b.key and b.key.startswith("example-")]  # the first screen has gone


def test_cards_of_a_removed_article_stay_marked_with_context_and_basket_working(shelf: Library) -> None:
    at = AppTest.from_file(APP, default_timeout=120).run()
    ask(at, QUESTION)
    turn = session.turns(at.session_state)[-1]
    assert turn.view is not None
    gone = turn.view.results[0].article
    next(b for b in at.button if b.key and b.key.startswith("add-")).click().run()
    assert len(session.items(at.session_state)) == 1
    shelf.remove(gone.file, who="redaktøren")  # an editor, in another session, meanwhile
    at.run()
    assert not at.exception, at.exception
    marked = [html.unescape(h.value) for h in at.html if 'class="eb-card"' in h.value and gone.title in
              html.unescape(h.value)]
    assert marked and all("Artiklen er fjernet fra biblioteket" in card for card in marked)
    assert any(gone.title in card and "udeladt" not in card for card in marked)
    assert at.expander and [e for e in at.expander if e.label == labels.SHOW_CONTEXT]
    assert any("Før citatet" in html.unescape(h.value) or "Efter citatet" in html.unescape(h.value) or
               "står alene" in h.value for h in at.html)
    items = session.items(at.session_state)
    document = Document(io.BytesIO(export.docx_bytes(items, date.today())))
    assert any(p.text.startswith(items[0].result.text) for p in document.paragraphs)
    ask(at, "og hvad med lægerne?")  # the chat goes on, on the library as it is now
    newest = session.turns(at.session_state)[-1]
    assert newest.view is not None and all(r.article.id != gone.id for r in newest.view.results)


def test_a_replaced_article_s_cards_say_so(shelf: Library) -> None:
    at = AppTest.from_file(APP, default_timeout=120).run()
    ask(at, QUESTION)
    gone = session.turns(at.session_state)[-1].view.results[0].article  # type: ignore[union-attr]
    shelf.replace(gone.file, gone.file, article("Skanderborg").encode("utf-8"), who="redaktøren")
    at.run()
    assert not at.exception, at.exception
    assert "Artiklen er erstattet af en ny udgave" in texts(at)


def test_an_error_in_one_turn_is_a_danish_line_and_the_chat_goes_on(app: AppTest) -> None:
    ask(app, QUESTION)
    broken = session.Turn.model_construct(
        role="assistant", query=session.turns(app.session_state)[-1].query, answer=None,
        view=AnswerView.model_construct(notice=None, summary="x", weak_heading=None, results=[None], topics=[],
                                        index_stems=[], absent_note=None, left_out=None),
        wholes={}, articles={})
    session.turns(app.session_state).append(broken)
    app.run()
    assert not app.exception, app.exception
    assert labels.TURN_ERROR in texts(app)
    ask(app, "Hvordan samarbejdede kommunerne med regionen?")
    assert session.turns(app.session_state)[-1].view.results  # type: ignore[union-attr]
    assert "Traceback" not in texts(app) and "/work/" not in texts(app)


def test_a_paste_over_the_limit_is_told_so(app: AppTest) -> None:
    ask(app, "Hvad sagde de om værnemidler? " * 60)
    assert "1.799 tegn langt; højst 1.000 tegn" in texts(app)


def test_too_many_questions_are_told_to_wait(app: AppTest) -> None:
    import time

    app.session_state[session.RATE] = QuestionRate(asked=[time.monotonic()] * MAX_PER_MINUTE)
    ask(app, QUESTION)
    assert f"Du har stillet {MAX_PER_MINUTE} spørgsmål inden for et minut" in texts(app)
    assert not [h for h in app.html if 'class="eb-card"' in h.value]


def test_streamlit_shows_visitors_no_error_details_and_one_upload_limit() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB == 25


def test_the_add_page_is_offered_only_to_those_who_can_use_it() -> None:
    def labels_for(access: EditorAccess) -> list[str]:
        return [label for _, label, _ in pages_for(access)]

    assert labels_for(EditorAccess(allowed=True, mode="anyone")) == ["Spørg artiklerne", "Artiklerne", "Tilføj artikel"]
    assert labels_for(EditorAccess(allowed=False, mode="off")) == ["Spørg artiklerne", "Artiklerne"]
    assert labels_for(EditorAccess(allowed=False, mode="password"))[-1] == "Log ind som redaktør"


def test_no_title_publisher_or_typed_text_goes_through_markdown_in_the_chat(shelf: Library) -> None:
    from library import MetadataChange
    from tests.test_editor_markup import POISON, assert_library_text_never_goes_through_markdown

    for entry in shelf.catalog():
        shelf.edit(entry.file, MetadataChange(title=f"Titel {POISON}", publisher=f"Udgiver {POISON}"))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert_library_text_never_goes_through_markdown(at)  # the first screen
    ask(at, QUESTION)
    next(b for b in at.button if b.key and b.key.startswith("add-")).click().run()
    ask(at, f"og {POISON}?")  # a follow-up: its words are on the page, and it offers to search them alone
    assert session.turns(at.session_state)[-1].query.follows == QUESTION
    assert_library_text_never_goes_through_markdown(at)
    shown = texts(at)
    assert f"Titel {POISON}" in shown and f"og {POISON}?" in shown  # there, as its characters
    assert all(POISON not in str(o) or o == f"Titel {POISON}" for m in at.sidebar.multiselect for o in m.options)
