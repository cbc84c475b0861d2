"""The "Tilføj artikel" page: upload logic on real files, the page in AppTest, the chat finding the new article,
and page numbers in source lines and exports."""

from __future__ import annotations

import html
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import index
from index.dense.embed import Embedder
from ingest import load_corpus
from tests.test_formats import DOCX_QUOTE, DOCX_SECTION, docx_bytes, pdf_bytes
from ui import upload
from ui.basket import BasketItem
from ui.cards import card_html
from ui.citation import citation_for, citation_text
from ui.editors import EDITORS_ENV
from ui.export import plain_text
from ui.highlight import strip_marks
from ui.resources import searcher_slot
from ui.settings import CORPUS_DIR_ENV, INDEX_DIR_ENV, Settings

ROOT = Path(__file__).resolve().parent.parent
PAGE = "pages/2_Tilføj_artikel.py"
APP = str(ROOT / "app.py")


@pytest.fixture
def settings(tmp_path: Path, corpus_dir: Path, seed_index_dir: Path) -> Settings:
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index_dir, index_dir, symlinks=True)
    return Settings(corpus_dir=corpus, index_dir=index_dir)


@pytest.fixture
def fresh_slot() -> Iterator[None]:
    """The searcher cache is process-wide; start and leave it empty so other tests load their own index."""
    searcher_slot.clear()
    yield
    searcher_slot.clear()


def test_uploading_a_word_file_reports_progress_and_success(settings: Settings, e5_embedder: Embedder) -> None:
    stages: list[tuple[str, float]] = []
    form = upload.UploadForm(title="", url="", published="2021-05-01", publisher="Eksempel Kommune")
    outcome = upload.add_upload("../Hjemmepleje notat.docx", docx_bytes(), form, settings, embedder=e5_embedder,
                                on_progress=lambda stage, fraction: stages.append((stage, fraction)))
    assert outcome.ok and outcome.result is not None
    assert outcome.result.original == "Hjemmepleje_notat.docx"
    assert "er tilføjet" in outcome.message and "kan søges nu" in outcome.message
    fractions = [f for _, f in stages]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0 and fractions == sorted(fractions)
    assert (settings.corpus_dir / "Hjemmepleje_notat.docx.txt").is_file()


def test_a_bad_form_field_is_named_in_danish_and_nothing_is_written(settings: Settings) -> None:
    before = sorted(p.name for p in settings.corpus_dir.iterdir())
    form = upload.UploadForm(url="www uden skema")
    outcome = upload.add_upload("notat.docx", docx_bytes(), form, settings)
    assert not outcome.ok and outcome.field == "url"
    assert outcome.message.startswith("Feltet »Link«:") and "https://" in outcome.message
    outcome = upload.add_upload("billede.png", b"\x89PNG", upload.UploadForm(), settings)
    assert not outcome.ok and "billede.png" in outcome.message and ".docx" in outcome.message
    assert sorted(p.name for p in settings.corpus_dir.iterdir()) == before


def test_the_page_renders_its_form_and_asks_for_a_file(
    settings: Settings, fresh_slot: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(INDEX_DIR_ENV, str(settings.index_dir))
    monkeypatch.setenv(CORPUS_DIR_ENV, str(settings.corpus_dir))
    monkeypatch.setenv(EDITORS_ENV, "anyone")  # who may edit is configured (issue 28), here: anyone
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert at.title[0].value == upload.PAGE_TITLE
    assert [t.label for t in at.text_input] == [
        upload.TITLE_LABEL, upload.URL_LABEL, upload.PUBLISHED_LABEL, upload.PUBLISHER_LABEL
    ]
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert [w.value for w in at.warning] == [upload.NO_FILE]


def test_after_an_upload_the_chat_answers_from_the_new_article(
    settings: Settings, fresh_slot: None, e5_embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(INDEX_DIR_ENV, str(settings.index_dir))
    monkeypatch.setenv(CORPUS_DIR_ENV, str(settings.corpus_dir))
    at = AppTest.from_file(APP, default_timeout=120).run()  # the chat is open with the old index
    assert not at.exception, at.exception
    outcome = upload.add_upload("notat.docx", docx_bytes(), upload.UploadForm(title="Hjemmeplejens notat"), settings,
                                embedder=e5_embedder)
    assert outcome.ok
    searcher_slot.clear()  # what the page does after a successful upload
    at.chat_input[0].set_value("Hvordan skaffede hjemmeplejen sygeplejersker?").run()
    assert not at.exception, at.exception
    cards = [strip_marks(html.unescape(h.value)) for h in at.html if 'class="eb-card"' in h.value]
    assert cards and DOCX_QUOTE in cards[0]
    assert "Hjemmeplejens notat" in cards[0] and f"afsnit »{DOCX_SECTION}«" in cards[0]
    assert "<dt>Fil</dt><dd>notat.docx.txt</dd><dt>Udtrukket af</dt><dd>notat.docx</dd>" in cards[0]


def test_pdf_passages_show_their_page_on_cards_and_in_exports(tmp_path: Path) -> None:
    (tmp_path / "rapport.pdf").write_bytes(pdf_bytes())
    reading = load_corpus(tmp_path)
    passage = next(p for p in reading.passages if "besøgsforbuddet" in p.text)
    result = index.Result.from_passage(passage, rank=1, score=1.0)
    assert result.page == 2
    assert " · side 2" in card_html(result, "besøgsforbud")
    line = citation_text(citation_for(result))
    assert ", side 2" in line and "Fil: rapport.pdf, teksten i rapport.pdf.txt." in line
    exported = plain_text([BasketItem(result=result, question="besøg")], date(2024, 1, 2))
    assert ", side 2" in exported
    seed_like = index.Result.from_passage(passage.model_copy(update={"page": None}), rank=1, score=1.0)
    assert "side " not in card_html(seed_like, "besøg").split("eb-source")[1].split("</div>")[0]
    assert ", side " not in citation_text(citation_for(seed_like))
