"""Briefing exports: each quote whole and verbatim with the question it answered and its source, a
list of sources, a Markdown file that reads clean as plain text, and documents that never break on
a control character."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import index
from index.models import Result
from ingest.models import Article, ArticleSource, Passage
from ui.basket import BasketItem
from ui.export import docx_bytes, markdown, markdown_text, plain_text, writable
from ui.wholequote import whole_quote

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
DAY = date(2026, 11, 23)
SNIPPETS = {
    "004_62e79214372f38a9.txt": "”Der hvor det udfordrer os – det er når folk bliver pressede. "
    "Det er sådan en lavpraktisk kamp om ressourcer og værnemidler. "
    "Der går samme effekt i gang i forhold til at hamstre toiletpapir.”",
    "000_971d94d165ba8b46.txt": "”Formålet er så tydeligt og meningsfyldt for alle. Så vi har ikke brugt tid på at "
    "skrive kerneopgaven ned.”",
}
POISON = "[her](https://evil.example) ![](http://host/track.png) <img src=x onerror=alert(1)> *fed*"


def seed_items(title: str = "Artikel {n} om krisen (2021): status") -> list[BasketItem]:
    """Two basket items cut from the real seed files; one with a link and a date, one known only by file."""
    items = []
    for n, (file, snippet) in enumerate(SNIPPETS.items()):
        text = (CORPUS / file).read_text(encoding="utf-8")
        start = text.index(snippet)
        source = ArticleSource(
            id=file[:-4], title=title.format(n=n), title_is_derived=n == 0, file=file, encoding="utf-8",
            url="https://example.dk/a" if n == 1 else None, publisher="NB-Nyt",
        )
        passage = Passage(id=f"{file}:{start}", article=source, ordinal=n,
                          section="2. Hvad skete der? › 2.1 Hjemmeplejen", speaker="en kommunaldirektør",
                          char_start=start, char_end=start + len(snippet), text=snippet)
        assert text[passage.char_start : passage.char_end] == passage.text
        record = Article(id=source.id, file=file, encoding="utf-8", sha256="0" * 64, n_chars=len(text),
                         title=source.title, title_is_derived=source.title_is_derived, published=date(2021, 3, 4))
        items.append(BasketItem(result=Result.from_passage(passage, rank=1, score=0.5),
                                question=f"Hvad sagde de om værnemidler? ({n})", article=record if n == 1 else None,
                                context="Hvad lærte de?" if n == 1 else None))
    return items


def test_word_gives_each_quote_with_its_question_and_source_then_a_list_of_sources() -> None:
    items = seed_items()
    document = Document(io.BytesIO(docx_bytes(items, DAY)))
    paragraphs = document.paragraphs
    texts = [p.text for p in paragraphs]
    assert paragraphs[0].style.name == "Heading 1"
    assert [p.text for p in paragraphs if p.style.name == "Quote"] == [i.result.text for i in items]
    for item in items:
        at = texts.index(item.result.text)
        assert texts[at - 1].startswith(f"Spørgsmål: {item.question}")
        citation = texts[at + 1]
        assert "En kommunaldirektør" in citation and item.result.article.title in citation
        assert "afsnit »2. Hvad skete der? › 2.1 Hjemmeplejen«" in citation and "NB-Nyt" in citation
    assert texts[texts.index(items[1].result.text) - 1].endswith("(opfølgning på: Hvad lærte de?)")
    assert "4. marts 2021" in texts[texts.index(items[1].result.text) + 1]
    assert "https://example.dk/a" in texts[texts.index(items[1].result.text) + 1]
    heading = texts.index("Kilder")
    assert paragraphs[heading].style.name == "Heading 2"
    listed = texts[heading + 1 :]
    assert len(listed) == 2 and all(p.style.name == "List Bullet" for p in paragraphs[heading + 1 :])
    assert "Fil: 004_62e79214372f38a9.txt" in listed[0] and "(titel udledt af teksten)" in listed[0]
    assert "https://example.dk/a" in listed[1] and "4. marts 2021" in listed[1]


def test_a_quote_cut_across_passages_is_exported_whole(seed_searcher: index.Searcher) -> None:
    cut = next(p for p in seed_searcher.passages if p.text.startswith("En direktør udtaler: ”Den åbne"))
    whole = whole_quote(cut, seed_searcher.neighbours)
    assert whole.after and not whole.cut_close
    item = BasketItem(result=Result.from_passage(cut, rank=1, score=1.0), question="q", whole=whole)
    closing = whole.after[-1].text
    for exported in (plain_text([item], DAY), markdown([item], DAY)):
        assert cut.text[:40] in exported and closing[-30:] in exported
    document = Document(io.BytesIO(docx_bytes([item], DAY)))
    quote = next(p.text for p in document.paragraphs if p.style.name == "Quote")
    assert quote.startswith(cut.text) and quote.endswith(closing)
    assert quote.count("”") % 2 == 0  # opened and closed


def test_markdown_reads_clean_as_plain_text() -> None:
    md = markdown(seed_items(), DAY)
    assert md.startswith("# Briefing fra Erfaringsbanken")
    assert "\\" not in md  # no backslash in ordinary Danish text: '.', ':', '(', '–' stay as they are
    assert "Artikel 0 om krisen (2021): status" in md and "23. november 2026" in md


def test_markdown_never_makes_a_link_an_image_or_html_from_a_quote_or_title() -> None:
    items = seed_items(title="Notat " + POISON)
    poisoned = items[0].result.model_copy(update={"passage": items[0].result.passage.model_copy(
        update={"text": "1. " + POISON + "\n# overskrift\n- punkt"})})
    items[0] = items[0].model_copy(update={"result": poisoned})
    rendered = MarkdownIt("commonmark").enable("linkify").render(markdown(items, DAY))
    assert "evil.example\"" not in rendered and "<img" not in rendered and "<em>" not in rendered
    assert "<h1>overskrift" not in rendered and "<li>punkt" not in rendered
    assert "[her](https://evil.example)" in rendered.replace("&quot;", '"')  # shown as the characters


def test_control_characters_never_break_a_document() -> None:
    # A latin-1 file read with its C1 bytes, and stray C0 characters: python-docx refused the whole
    # briefing ("All strings must be XML compatible") on every page load.
    dirty = "Vi sagde\x85 til\x00 hinanden\x0b: \x1b[31m”nu”\x7f\x9f\ud800 \r\nslut"
    items = seed_items(title="Titel\x0c med\x01 styretegn")
    result = items[0].result
    items[0] = items[0].model_copy(update={
        "question": "spørgsmål\x07?",
        "result": result.model_copy(update={"passage": result.passage.model_copy(update={"text": dirty})}),
    })
    document = Document(io.BytesIO(docx_bytes(items, DAY)))
    quote = next(p.text for p in document.paragraphs if p.style.name == "Quote")
    assert quote == "Vi sagde til hinanden: [31m”nu” \nslut"
    for text in (markdown(items, DAY), plain_text(items, DAY)):
        assert writable(text) == text and "\x00" not in text and "\x85" not in text


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"])
                    | st.sampled_from("\x00\x85\ud800"), max_size=80))
def test_any_quote_makes_a_word_file_and_a_markdown_file(text: str) -> None:
    items = seed_items()
    result = items[0].result
    items[0] = items[0].model_copy(update={
        "question": text,
        "result": result.model_copy(update={"passage": result.passage.model_copy(update={"text": text})}),
    })
    assert Document(io.BytesIO(docx_bytes(items, DAY))).paragraphs
    rendered = MarkdownIt("commonmark").render(markdown(items, DAY))
    quoted = rendered.split("<blockquote>", 1)[1].split("</blockquote>")[0]
    assert not re.search(r"<(a|img|script|h[1-6]|em|strong)\b", quoted)


def test_markdown_text_escapes_only_markup() -> None:
    assert markdown_text("kl. 14.00 (mandag): se www.kl.dk – 3 < 4.") == "kl. 14.00 (mandag): se www.kl.dk – 3 < 4."
    assert markdown_text("1. punkt") == "1\\. punkt" and markdown_text("# nej") == "\\# nej"
    assert markdown_text("snake_case og _kursiv_") == "snake_case og \\_kursiv\\_"
    assert markdown_text("[x](y)") == "\\[x](y)" and markdown_text("ord […] mere") == "ord […] mere"


def test_plain_text_copy_block_holds_questions_quotes_and_sources_in_order() -> None:
    items = seed_items()
    text = plain_text(items, DAY)
    first, second = (text.index(i.result.text) for i in items)
    assert first < second and text.index(items[0].question) < first
    assert "Kilder" in text and text.count("Hentet fra Erfaringsbanken 23. november 2026") == 1


def test_empty_basket_still_exports_a_valid_document() -> None:
    document = Document(io.BytesIO(docx_bytes([], DAY)))
    assert document.paragraphs[0].text == "Briefing fra Erfaringsbanken"
