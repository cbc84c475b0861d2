"""Quote cards: verbatim, escaped, with a readable source line and no raw score."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from index import Searcher
from index.models import Result
from ingest.models import Article, ArticleSource, Passage
from ui import labels
from ui.cards import card_html, context_html, notice_html, user_html
from ui.escaping import escape
from ui.highlight import strip_marks
from ui.wholequote import WholeQuote, whole_quote

SEED = Path(__file__).resolve().parent.parent / "corpus" / "004_62e79214372f38a9.txt"
QUOTE = "Det er sådan en lavpraktisk kamp om ressourcer og værnemidler."


def seed_passage(snippet: str, ordinal: int = 3, **article: object) -> Passage:
    """A passage cut from the real seed file at the snippet's real offsets."""
    text = SEED.read_text(encoding="utf-8")
    start = text.index(snippet)
    fields: dict[str, object] = {
        "id": "004_62e79214372f38a9", "title": "Samarbejdet i sundhedsvæsenet", "title_is_derived": True,
        "url": None, "file": SEED.name, "encoding": "utf-8", "publisher": "NB-Nyt",
    }
    fields.update(article)
    return Passage(
        id=f"004:{start}", article=ArticleSource(**fields), ordinal=ordinal,
        section="Styrket internt på tværs af kommunen",
        speaker="en kommunaldirektør", kind="quote", char_start=start, char_end=start + len(snippet), text=snippet,
    )


def seed_result(snippet: str = QUOTE, strength: str = "strong", **article: object) -> Result:
    return Result.from_passage(seed_passage(snippet, **article), rank=1, score=0.8731, strength=strength)


def quote_text(card: str) -> str:
    inner = re.search(r'<span class="eb-text">(.*?)</span>(?:<span class="eb-qm">| <span class="eb-more">)', card, re.S)
    assert inner is not None
    return strip_marks(inner.group(1))


def reader_line(card: str) -> str:
    """What a reader reads under the quote (the "Kilde" details apart)."""
    found = re.search(r'<div class="eb-source">(.*?)</div>', card, re.S)
    assert found is not None
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1)))


def check_details(card: str) -> str:
    found = re.search(r'<details class="eb-check"><summary>Kilde</summary>(.*?)</details>', card, re.S)
    assert found is not None
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1)))


def test_card_holds_the_passage_verbatim_in_quotation_marks_with_highlights() -> None:
    result = seed_result()
    card = card_html(result, "Hvad sagde de om værnemidler?")
    assert quote_text(card) == result.text
    assert '<mark class="eb-hit">værnemidler</mark>' in card
    assert "»" in card and "«" in card


def test_the_reader_reads_speaker_title_section_publisher_and_date_and_the_checker_finds_file_and_offsets() -> None:
    result = seed_result()
    record = Article(id=result.article.id, file=result.article.file, encoding="utf-8", sha256="0" * 64, n_chars=1,
                     title=result.article.title, title_is_derived=True, published=date(2020, 6, 2))
    card = card_html(result, "værnemidler", article=record)
    line = reader_line(card)
    assert line == ("En kommunaldirektør · »Samarbejdet i sundhedsvæsenet« · afsnit »Styrket internt på tværs af "
                    "kommunen« · NB-Nyt · 2. juni 2020")
    for clutter in ("004_62e79214372f38a9.txt", "titel udledt", "intet link", "Artiklens egen tekst", "tegn "):
        assert clutter not in line
    details = check_details(card)
    assert "004_62e79214372f38a9.txt" in details and "udledt af teksten" in details and "intet link kendt" in details
    assert f"tegn {result.char_start}–{result.char_end}" in details
    assert "Stærkt match" in html.unescape(card)


def test_the_article_s_own_text_names_no_speaker_and_unknown_facts_are_left_out() -> None:
    result = seed_result(publisher=None)
    narrator = result.model_copy(update={"passage": result.passage.model_copy(update={"speaker": None})})
    line = reader_line(card_html(narrator, "x"))
    assert line.startswith("»Samarbejdet i sundhedsvæsenet«") and "NB-Nyt" not in line and "ikke oplyst" not in line
    assert "Udgiver  ikke oplyst" in check_details(card_html(narrator, "x"))


def test_published_title_and_link_are_read_as_such() -> None:
    card = card_html(seed_result(title_is_derived=False, url="https://example.dk/artikel?a=1&b=2"), "x")
    assert "titel udledt" not in card and "artiklens udgivne titel" in check_details(card)
    assert 'href="https://example.dk/artikel?a=1&b=2"' in html.unescape(card) and "Læs artiklen" in reader_line(card)


def test_each_label_says_what_it_means() -> None:
    for strength in ("strong", "possible", "weak"):
        card = card_html(seed_result(strength=strength), "x")
        assert f'title="{escape(labels.STRENGTH_EXPLANATION[strength])}"' in card


def test_a_quote_cut_across_passages_is_shown_whole_and_one_cut_short_says_so(seed_searcher: Searcher) -> None:
    cut = next(p for p in seed_searcher.passages if p.text.startswith("En direktør udtaler: ”Den åbne"))
    whole = whole_quote(cut, seed_searcher.neighbours)
    card = card_html(Result.from_passage(cut, rank=1, score=1.0), "åbne", whole=whole)
    assert quote_text(card) == cut.text  # the found passage is the one marked
    shown = strip_marks(re.sub(r"<span[^>]*>|</span>", "", card.split('<blockquote class="eb-quote">')[1]
                                .split("</blockquote>")[0]))
    assert shown == "»" + whole.text_of(cut.text) + "«" and shown.endswith("senere”.«")
    short = WholeQuote(cut_close="”")
    shown_short = html.unescape(re.sub(r"<[^>]+>", "", card_html(Result.from_passage(cut, rank=1, score=1.0), "x",
                                                                 whole=short)))
    assert shown_short.count(cut.text + " […]”«") == 1


def test_a_card_says_when_its_article_was_removed_since() -> None:
    card = card_html(seed_result(), "x", note="Artiklen er fjernet fra biblioteket (2026-12-03), efter du spurgte.")
    assert 'class="eb-standing"' in card and "fjernet fra biblioteket" in html.unescape(card)


def test_unsafe_link_is_not_a_link() -> None:
    card = card_html(seed_result(url="javascript:alert(1)"), "x")
    assert "href" not in card and "javascript" not in card


def test_no_raw_score_and_danish_strength_words() -> None:
    for strength, word in (("strong", "Stærkt match"), ("possible", "Muligt match"), ("weak", "Svagt match")):
        card = card_html(seed_result(strength=strength), "værnemidler")
        assert word in card
        assert "0.87" not in card and "score" not in card.lower()


def test_context_is_verbatim_and_escaped() -> None:
    before = seed_passage("Styrket internt på tværs af kommunen", ordinal=2)
    after = seed_passage("Der går samme effekt i gang i forhold til at hamstre toiletpapir.", ordinal=4)
    block = context_html([before], [after])
    assert escape(before.text) in block and escape(after.text) in block
    assert "Før citatet" in block and "Efter citatet" in block
    assert "intet før eller efter" in context_html([], [])


HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[klik](javascript:alert(1))", '"><b>x']


@settings(max_examples=60, deadline=None)
@given(question=st.one_of(st.sampled_from(HOSTILE), st.text(max_size=60)), title=st.sampled_from(HOSTILE))
def test_nothing_typed_or_read_reaches_the_page_unescaped(question: str, title: str) -> None:
    pieces = [
        card_html(seed_result(title=title, publisher=title, url=title), question, note=question),
        user_html(question),
        notice_html(question),
    ]
    for piece in pieces:
        assert "<script" not in piece and "<img" not in piece and "<b>x" not in piece
        assert "javascript:" not in piece and "<a " not in piece and "[klik]" not in piece
