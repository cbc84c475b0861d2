"""Quote cards: verbatim, escaped, with a readable source line and no raw score."""

from __future__ import annotations

import html
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from index.models import Result
from ingest.models import ArticleSource, Passage
from ui.cards import card_html, context_html, notice_html, user_html
from ui.escaping import escape
from ui.highlight import strip_marks

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
    inner = re.search(r'<span class="eb-text">(.*?)</span><span class="eb-qm">', card, re.S)
    assert inner is not None
    return strip_marks(inner.group(1))


def test_card_holds_the_passage_verbatim_in_quotation_marks_with_highlights() -> None:
    result = seed_result()
    card = card_html(result, "Hvad sagde de om værnemidler?")
    assert quote_text(card) == result.text
    assert '<mark class="eb-hit">værnemidler</mark>' in card
    assert "»" in card and "«" in card


def test_source_line_names_speaker_title_section_publisher_and_file() -> None:
    card = card_html(seed_result(), "værnemidler")
    for expected in ("En kommunaldirektør", "Samarbejdet i sundhedsvæsenet", "(titel udledt af teksten)",
                     "Styrket internt på tværs af kommunen", "NB-Nyt", "004_62e79214372f38a9.txt", "Stærkt match"):
        assert expected in html.unescape(card)


def test_published_title_is_not_marked_derived_and_link_replaces_file() -> None:
    card = card_html(seed_result(title_is_derived=False, url="https://example.dk/artikel?a=1&b=2"), "x")
    assert "titel udledt" not in card
    assert 'href="https://example.dk/artikel?a=1&b=2"' in html.unescape(card)
    assert "Fil:" not in card


def test_unsafe_link_is_not_a_link() -> None:
    card = card_html(seed_result(url="javascript:alert(1)"), "x")
    assert "href" not in card and "javascript" not in card


def test_no_raw_score_and_danish_strength_words() -> None:
    for strength, word in (("strong", "Stærkt match"), ("possible", "Muligt match"), ("weak", "Svagt match")):
        card = card_html(seed_result(strength=strength), "værnemidler")
        assert word in card
        assert "0.87" not in card and "score" not in card.lower()


def test_followup_card_names_the_question_it_answered() -> None:
    card = card_html(seed_result(), "værnemidler lægerne", answered="og lægerne? (opfølgning på: værnemidler)")
    assert "Svar på: »og lægerne? (opfølgning på: værnemidler)«" in html.unescape(card)


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
        card_html(seed_result(title=title, publisher=title), question, answered=question),
        user_html(question),
        notice_html(question),
    ]
    for piece in pieces:
        assert "<script" not in piece and "<img" not in piece and "<b>x" not in piece
        assert "javascript:" not in piece and "<a " not in piece and "[klik]" not in piece
