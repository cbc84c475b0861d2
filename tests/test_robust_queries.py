"""Hostile and odd questions: a clean answer or a clean Danish refusal, never a traceback, never raw markup."""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import index
from index import MAX_QUESTION_CHARS
from tests.robust_helpers import ROOT, article, run_module
from ui.settings import CORPUS_DIR_ENV, INDEX_DIR_ENV

MARKUP = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[klik](javascript:alert(1))"]
ODD = {
    "empty": "",
    "whitespace": " \t\n\u00a0 ",
    "control": "værnemidler\x00\x07\x1b[31m\x08 lægerne",
    "emoji": "😷🦠 værnemidler 🙏🏽",
    "english": "What did the municipal leaders say about protective equipment?",
    "bidi": "\u202e\u200bværnemidler\u2066",
    "surrogate": "værnemidler \ud800",
    "script": MARKUP[0],
    "img": MARKUP[1],
    "markdown link": MARKUP[2],
    "at the limit": ("værnemidler " * 200)[:MAX_QUESTION_CHARS],
}
TOO_LONG = "Hvad sagde de om værnemidler? " * 334  # 10,000+ characters
DANGEROUS = ("<script", "<img", "<b>fed", "<b>nb", "javascript:", "](")  # as raw tags or live Markdown


def _valid(answer: index.Answer, corpus: Path) -> None:
    for result in answer.results:
        decoded = (corpus / result.article.file).read_bytes().decode(result.article.encoding)
        assert decoded[result.char_start : result.char_end] == result.text


@pytest.mark.parametrize("name", list(ODD))
def test_the_library_answers_or_abstains_cleanly(seed_searcher: index.Searcher, corpus_dir: Path, name: str) -> None:
    answer = seed_searcher.search(ODD[name], k=5)
    assert answer.question == ODD[name]
    if not ODD[name].strip():
        assert answer.abstained and answer.results == []
    else:
        assert len(answer.results) == 5
    _valid(answer, corpus_dir)


# Questions that tied up the server (issue 29): the ae/oe/aa respelling tried every reading
# recursively, 21.6 s for the 44 "aa", 55 s for a 52-letter word, RecursionError at 999 letters.
PATHOLOGICAL = {
    "44 aa": "Hvad sagde " + 44 * "aa" + " om krisen?",
    "52 letters": "Hvad sagde de om " + 26 * "ae" + "?",
    "999 letters": "værnemidler " + "".join("aeoeaax"[i % 7] for i in range(999))[: MAX_QUESTION_CHARS - 12],
    "words of pairs": " ".join(["aaaeoeaa" * 3, "oeaeaaoe" * 3] * 4),
}
# An ordinary question takes ~30 ms here; this bound only says "not seconds", whatever the machine's load.
ORDINARY_BOUND_S = 2.0


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_words_are_answered_in_the_time_of_an_ordinary_question(
    seed_searcher: index.Searcher, corpus_dir: Path, name: str
) -> None:
    started = time.perf_counter()
    answer = seed_searcher.search(PATHOLOGICAL[name], k=5)
    assert time.perf_counter() - started < ORDINARY_BOUND_S
    _valid(answer, corpus_dir)


def test_a_search_past_its_budget_stops_with_a_danish_error(seed_searcher: index.Searcher) -> None:
    budget = index.Budget(30)
    budget.cancel()  # as the app will when a session goes
    with pytest.raises(index.SearchTimeoutError, match="Søgningen blev afbrudt"):
        seed_searcher.search("Hvad sagde de om værnemidler?", budget=budget)
    spent = index.Budget(1e-9)
    with pytest.raises(index.SearchTimeoutError, match=r"stoppet efter .* sekunder, mens den læste spørgsmålet"):
        seed_searcher.search("Hvad sagde de om værnemidler?", budget=spent)


def test_a_10000_character_question_is_refused_in_danish(seed_searcher: index.Searcher) -> None:
    assert len(TOO_LONG) >= 10_000
    with pytest.raises(ValueError, match=r"for langt.*Skriv det kortere"):
        seed_searcher.search(TOO_LONG)


def test_the_cli_answers_every_odd_line_and_refuses_the_long_one(seed_index_dir: Path) -> None:
    lines = [q.replace("\n", " ") for q in ODD.values() if q.strip()] + [TOO_LONG, "Hvad sagde de om værnemidler?"]
    stdin = "\n".join(lines).replace("\ud800", "\ufffd") + "\n"
    done = run_module("index", ["--json", "--k", "2", "--index-dir", str(seed_index_dir)], stdin=stdin)
    assert "Traceback" not in done.stderr
    assert done.returncode == 1  # one question refused, the others answered
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(answers) == len(lines)
    refused = [a for a in answers if "error" in a]
    assert len(refused) == 1 and "for langt" in refused[0]["error"] and "for langt" in done.stderr
    assert answers[-1]["results"] and not answers[-1]["abstained"]
    raw = run_module("index", ["værnemidler \udcff", "--index-dir", str(seed_index_dir)])  # undecodable argv byte
    assert raw.returncode == 0 and "Traceback" not in raw.stderr and raw.stdout.startswith("Spørgsmål:")


# --- the page: AppTest on the seed index, and on a corpus that itself holds markup -------------------

def _rendered(at: AppTest) -> list[str]:
    return (
        [m.value for m in at.markdown] + [h.value for h in at.html] + [c.value for c in at.caption]
        + [e.value for e in at.error] + [h.value for h in at.sidebar.subheader]
    )


def _assert_nothing_raw(at: AppTest) -> None:
    for value in _rendered(at):
        lowered = value.lower()
        assert not any(bad in lowered for bad in DANGEROUS), value[:300]


@pytest.fixture()
def seed_app(seed_index_dir: Path, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv(INDEX_DIR_ENV, str(seed_index_dir))
    monkeypatch.setenv(CORPUS_DIR_ENV, str(corpus_dir))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    yield at


def test_every_odd_question_in_the_app_gives_a_clean_page(seed_app: AppTest) -> None:
    for name, question in [*ODD.items(), ("too long", TOO_LONG)]:
        if not question.strip() or "\ud800" in question:
            continue  # the chat box never sends these
        seed_app.chat_input[0].set_value(question).run()
        assert not seed_app.exception, (name, seed_app.exception)
        _assert_nothing_raw(seed_app)
    # A 10,000-character paste arrives whole (the chat box cut it at MAX_QUESTION_CHARS without a word,
    # issue 27) and is refused in Danish with its length, as a line of the chat, not an error.
    assert [e.value for e in seed_app.error] == []
    assert seed_app.chat_input[0].proto.max_chars == 0
    notices = [html.unescape(h.proto.body) for h in seed_app.get("html") if 'class="eb-notice"' in h.proto.body]
    assert f"Dit spørgsmål er {len(TOO_LONG.strip()):,} tegn langt".replace(",", ".") in notices[-1]
    last_question = [h.proto.body for h in seed_app.get("html") if 'class="eb-user"' in h.proto.body][-1]
    shown = html.unescape(re.sub(r"<[^>]+>", "", last_question))
    assert 0 < len(shown.strip()) <= MAX_QUESTION_CHARS
    page = " ".join(html.unescape(v) for v in _rendered(seed_app))
    for markup in MARKUP:
        assert markup in page  # shown as the text it is


HOSTILE_ARTICLE = (
    "Beredskab <script>alert('titel')</script> i kommunen\n\n"
    "Kriseledelse og [klik her](javascript:alert(1))\n\n"
    "Kommunen delte værnemidler ud <img src=x onerror=alert(1)> fra et fælles lager. "
    "Lageret lå ved rådhuset, og **hjemmeplejen** fik først.\n\n"
    "Som en direktør udtaler: ”Vi skrev <b>fed</b> tekst og :red[farve] i vores $x$ mails. Det hjalp ikke.”\n"
)


@pytest.fixture()
def hostile_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, e5_embedder: index.Embedder) -> Iterator[AppTest]:
    from ui.resources import searcher_slot

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "<img src=x onerror=alert(2)>.txt").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    (corpus / "rolig.txt").write_text(article("Sorø"), encoding="utf-8")
    (corpus / "articles.toml").write_text(
        '[[article]]\nfile = "rolig.txt"\ntitle = "<script>alert(3)</script> [x](javascript:alert(4))"\n'
        'url = "javascript:alert(5)"\npublisher = "<b>NB</b>"\n',
        encoding="utf-8",
    )
    done = run_module("ingest", ["--corpus", str(corpus), "--index-dir", str(tmp_path / "index"), "--quiet"])
    assert done.returncode == 0, done.stderr
    monkeypatch.setenv(INDEX_DIR_ENV, str(tmp_path / "index"))
    monkeypatch.setenv(CORPUS_DIR_ENV, str(corpus))
    searcher_slot.clear()
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
        assert not at.exception, at.exception
        yield at
    finally:
        searcher_slot.clear()


def test_markup_inside_corpus_files_and_metadata_is_shown_as_text(hostile_app: AppTest) -> None:
    hostile_app.sidebar.slider[0].set_value(10).run()
    for question in ("Hvem fik værnemidler fra lageret?", "Hvad skrev direktøren i mails?", "telefonnummer ældre"):
        hostile_app.chat_input[0].set_value(question).run()
        assert not hostile_app.exception, hostile_app.exception
    cards = [h.value for h in hostile_app.html if 'class="eb-card"' in h.value]
    assert cards
    _assert_nothing_raw(hostile_app)
    page = " ".join(html.unescape(v) for v in _rendered(hostile_app))
    assert "<img src=x onerror=alert(1)>" in page and "<b>fed</b>" in page  # the quote, verbatim, as text
    assert "Læs artiklen" not in page  # a javascript: link is never made a link
    hostile_app.switch_page("pages/1_Artikler.py").run()
    assert not hostile_app.exception, hostile_app.exception
    _assert_nothing_raw(hostile_app)
    listing = " ".join(html.unescape(v) for v in _rendered(hostile_app))
    assert "<script>alert(3)</script>" in listing  # the title, as text
