"""The Streamlit chat, driven by Streamlit's AppTest against the real seed index and model."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from streamlit.testing.v1 import AppTest

import index
import library
from ui import export, session
from ui.highlight import strip_marks
from ui.settings import CORPUS_DIR_ENV, INDEX_DIR_ENV

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
QUESTION = "Hvad sagde de om værnemidler?"
OUT_OF_SCOPE = "Hvordan rydder kommunen sne om vinteren?"
HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[klik](javascript:alert(1))"]


@pytest.fixture
def app(seed_index_dir: Path, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv(INDEX_DIR_ENV, str(seed_index_dir))
    monkeypatch.setenv(CORPUS_DIR_ENV, str(corpus_dir))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    yield at


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return at


def cards(at: AppTest) -> list[str]:
    return [h.value for h in at.html if 'class="eb-card"' in h.value]


def last_turn(at: AppTest) -> session.Turn:
    turn = session.turns(at.session_state)[-1]
    assert turn.role == "assistant" and turn.view is not None
    return turn


def corpus_slice(corpus_dir: Path, result: index.Result) -> str:
    return (corpus_dir / result.article.file).read_text(encoding=result.article.encoding)[
        result.char_start : result.char_end
    ]


def test_a_question_gives_verbatim_cards_with_source_lines(app: AppTest, corpus_dir: Path) -> None:
    ask(app, QUESTION)
    shown = cards(app)
    results = last_turn(app).view.results  # type: ignore[union-attr]
    assert shown and len(shown) == len(results)
    for card, result in zip(shown, results, strict=True):
        quote = re.search(r'<span class="eb-text">(.*?)</span>(?:<span class="eb-qm">| <span class="eb-more">)',
                          card, re.S)
        assert quote is not None and strip_marks(quote.group(1)) == result.text == corpus_slice(corpus_dir, result)
        source = html.unescape(re.search(r'<div class="eb-source">(.*?)</div>', card, re.S).group(1))  # type: ignore[union-attr]
        assert result.article.title in source and (result.article.publisher or "") in source
        assert result.article.file not in source and "titel udledt" not in source  # for those who check: "Kilde"
        assert "<summary>Kilde</summary>" in card and result.article.file in html.unescape(card)
        assert re.search(r"(Stærkt|Muligt|Svagt) match", html.unescape(card))
        assert f"{result.score}" not in card
    assert any("værnemidler" in strip_marks(c) for c in shown)
    assert '<mark class="eb-hit">værnemidler</mark>' in "".join(shown)


def test_a_mistyped_word_is_marked_where_the_article_spells_it_right(app: AppTest) -> None:
    ask(app, "samarbjede med laegerne")
    marked = re.findall(r'<mark class="eb-hit">(.*?)</mark>', "".join(cards(app)))
    assert "samarbejde" in {m.lower() for m in marked}


def test_out_of_scope_question_says_the_articles_do_not_cover_it(app: AppTest) -> None:
    ask(app, OUT_OF_SCOPE)
    turn = last_turn(app)
    assert turn.answer is not None and turn.answer.abstained
    page = " ".join(html.unescape(h.value) for h in app.html) + " ".join(m.value for m in app.markdown)
    assert "Artiklerne taler ikke om det, du spørger om" in page
    if turn.view.results:  # type: ignore[union-attr]
        assert "Nærmeste svage match" in page
        assert all("Svagt match" in html.unescape(c) for c in cards(app))
        assert "Stærkt match" not in page


def test_a_word_the_articles_never_use_is_named_only_when_it_changes_what_to_conclude(app: AppTest) -> None:
    ask(app, "Hvordan håndterede kommunerne hedebølgen på plejehjemmene?")
    absent = [html.unescape(h.value) for h in app.html if 'class="eb-absent"' in h.value]
    assert len(absent) == 1 and "»hedebølgen«" in absent[0] and "»kommunerne«" not in absent[0]
    ask(app, QUESTION)
    assert sum('class="eb-absent"' in h.value for h in app.html) == 1  # only the first answer has one
    # "syntes" is nowhere in the articles, but above good quotes about what they thought that is noise.
    # ("lærte" was the word here until hunspell-da's lemma "lære" made it a word the articles use.)
    ask(app, "Hvad syntes kommunerne om samarbejdet med de praktiserende læger?")
    assert last_turn(app).answer.absent_words == ["syntes"]  # type: ignore[union-attr]
    assert sum('class="eb-absent"' in h.value for h in app.html) == 1


def test_a_followup_moves_on_and_no_card_repeats_the_question(app: AppTest) -> None:
    ask(app, "Hvad lærte kommunerne om samarbejdet med de praktiserende læger?")
    first = last_turn(app)
    ask(app, "og med regionerne?")
    turn = last_turn(app)
    assert turn.query.searched == "og med regionerne? Hvad lærte kommunerne om samarbejdet?"
    newest = cards(app)[-len(turn.view.results):]  # type: ignore[union-attr]
    assert "region" in strip_marks(newest[0]).lower() and '<mark class="eb-hit">region' in newest[0]
    assert newest[0].split('data-passage="')[1] not in "".join(cards(app)[: len(first.view.results)][:1])  # type: ignore[union-attr]
    assert not any("Svar på" in c or "opfølgning" in html.unescape(c) for c in cards(app))
    lines = [html.unescape(h.value) for h in app.html if 'class="eb-followup"' in h.value]
    assert lines == ["<div class=\"eb-followup\">Opfølgning: søgt på »og med regionerne?« med det forrige spørgsmål, "
                     "»Hvad lærte kommunerne om samarbejdet med de praktiserende læger?«, som sammenhæng.</div>"]


def test_two_quotes_in_the_basket_export_to_word_with_citations(app: AppTest, corpus_dir: Path) -> None:
    ask(app, QUESTION)
    add_buttons = [b for b in app.button if b.key and b.key.startswith("add-")]
    assert len(add_buttons) >= 2
    add_buttons[0].click().run()
    next(b for b in app.button if b.key == add_buttons[1].key).click().run()
    assert not app.exception
    items = session.items(app.session_state)
    assert len(items) == 2
    assert "Briefing (2)" in [h.value for h in app.sidebar.subheader]
    copy_block = app.sidebar.code[0].value
    document = Document(io.BytesIO(export.docx_bytes(items, date.today())))
    texts = [p.text for p in document.paragraphs]
    for item in items:
        assert item.result.text == corpus_slice(corpus_dir, item.result)
        assert item.result.text in copy_block and item.question == QUESTION
        at = next(n for n, text in enumerate(texts) if text.startswith(item.result.text))
        assert document.paragraphs[at].style.name == "Quote"
        assert texts[at - 1] == f"Spørgsmål: {QUESTION}" and item.result.article.title in texts[at + 1]
    assert "Kilder" in texts
    # Reorder and remove through the sidebar buttons.
    second = items[1].key
    next(b for b in app.sidebar.button if b.key == f"up-{second}").click().run()
    assert session.items(app.session_state)[0].key == second
    next(b for b in app.sidebar.button if b.key == f"rm-{second}").click().run()
    assert [i.key for i in session.items(app.session_state)] == [items[0].key]


def test_article_filter_narrows_the_results(app: AppTest, seed_searcher: index.Searcher) -> None:
    app.sidebar.slider[0].set_value(10).run()
    ask(app, "samarbejde i krisen")
    unfiltered = {r.article.id for r in last_turn(app).view.results}  # type: ignore[union-attr]
    assert len(unfiltered) == 2
    chosen = seed_searcher.articles[0].id
    app.sidebar.multiselect[0].set_value([chosen]).run()
    ask(app, "samarbejde i krisen")
    filtered = {r.article.id for r in last_turn(app).view.results}  # type: ignore[union-attr]
    assert filtered == {chosen}


@pytest.mark.parametrize("markup", HOSTILE)
def test_markup_typed_as_a_question_never_reaches_the_page_unescaped(app: AppTest, markup: str) -> None:
    ask(app, markup)
    ask(app, "og " + markup)
    rendered = [m.value for m in app.markdown] + [h.value for h in app.html] + [c.value for c in app.caption]
    assert any(markup in html.unescape(r) for r in rendered)  # it is shown, as text
    for value in rendered:
        assert markup not in value
        assert "<script" not in value and "<img" not in value and "javascript:" not in value


def test_articles_page_lists_articles_with_counts(seed_index_dir: Path, corpus_dir: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   seed_searcher: index.Searcher) -> None:
    monkeypatch.setenv(INDEX_DIR_ENV, str(seed_index_dir))
    monkeypatch.setenv(CORPUS_DIR_ENV, str(corpus_dir))
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("pages/1_Artikler.py").run()
    assert not at.exception, at.exception
    pages = [html.unescape(h.value) for h in at.html if h.value.startswith('<div class="eb-article"')]
    assert len(pages) == len(seed_searcher.articles)
    for article in seed_searcher.articles:
        count = sum(1 for p in seed_searcher.passages if p.article.id == article.id)
        assert any(article.file in p and f"{count} tekststykke" in p for p in pages)


def test_first_start_builds_the_index_with_progress_then_answers(
    tmp_path: Path, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.resources import searcher_slot

    searcher_slot.clear()  # a fresh server process: nothing loaded yet
    try:
        monkeypatch.setenv(INDEX_DIR_ENV, str(tmp_path / "new-index"))
        monkeypatch.setenv(CORPUS_DIR_ENV, str(corpus_dir))
        at = AppTest.from_file(APP, default_timeout=300).run()
        assert not at.exception, at.exception
        bars = at.get("progress")
        assert len(bars) == 1 and bars[0].value == 100
        assert "Søgeindekset er bygget" in bars[0].proto.text
        assert library.stale_reason(corpus_dir, tmp_path / "new-index") is None
        ask(at, QUESTION)
        assert cards(at)
    finally:
        searcher_slot.clear()  # the other tests load the prebuilt seed index again


def test_speaker_filter_keeps_only_that_role(app: AppTest, seed_searcher: index.Searcher) -> None:
    speakers = seed_searcher.speakers()
    if not speakers:
        pytest.skip("Seed-læsningen har ingen talerroller; taler-filteret kan ikke prøves.")
    role = "en kommunaldirektør" if "en kommunaldirektør" in speakers else speakers[0]
    app.sidebar.multiselect[1].set_value([role]).run()
    ask(app, "samarbejde i krisen")
    results = last_turn(app).view.results  # type: ignore[union-attr]
    assert results and {r.speaker for r in results} == {role}


def test_a_keyword_search_after_a_declined_question_is_searched_alone(app: AppTest) -> None:
    ask(app, "Hvordan foregik snerydningen om vinteren?")
    assert last_turn(app).answer is not None and last_turn(app).answer.abstained  # type: ignore[union-attr]
    ask(app, "samarbjede med regionen")
    turn = last_turn(app)
    assert turn.query.searched == "samarbjede med regionen" and turn.query.follows is None
    newest = cards(app)[-len(turn.view.results):]  # type: ignore[union-attr]
    assert not any("opfølgning" in html.unescape(c) for c in newest)
    assert "snerydningen" not in (turn.view.absent_note or "")  # type: ignore[union-attr]


def test_a_followup_answer_offers_to_search_its_own_words_alone(app: AppTest) -> None:
    ask(app, QUESTION)
    ask(app, "og hvad med lægerne?")
    alone = next(b for b in app.button if b.label == "Søg kun på de nye ord")
    alone.click().run()
    assert not app.exception
    turn = last_turn(app)
    assert turn.query.searched == "og hvad med lægerne?" and turn.query.follows is None
    assert [t.query.typed for t in session.turns(app.session_state) if t.role == "user"][-1] == "og hvad med lægerne?"
