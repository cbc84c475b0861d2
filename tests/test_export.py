"""Briefing exports: each quote verbatim with its full citation, in Word, Markdown and plain text."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from docx import Document

from index.models import Result
from ingest.models import ArticleSource, Passage
from ui.basket import BasketItem
from ui.export import docx_bytes, escape_markdown, markdown, plain_text

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
DAY = date(2026, 11, 23)
SNIPPETS = {
    "004_62e79214372f38a9.txt": "”Der hvor det udfordrer os – det er når folk bliver pressede. "
    "Det er sådan en lavpraktisk kamp om ressourcer og værnemidler. "
    "Der går samme effekt i gang i forhold til at hamstre toiletpapir.”",
    "000_971d94d165ba8b46.txt": "”Formålet er så tydeligt og meningsfyldt for alle. Så vi har ikke brugt tid på at "
    "skrive kerneopgaven ned.”",
}


def seed_items() -> list[BasketItem]:
    """Two basket items cut from the real seed files; one with a link, one known only by file."""
    items = []
    for n, (file, snippet) in enumerate(SNIPPETS.items()):
        text = (CORPUS / file).read_text(encoding="utf-8")
        start = text.index(snippet)
        source = ArticleSource(
            id=file[:-4], title=f"Artikel {n} om *krisen*", title_is_derived=n == 0, file=file, encoding="utf-8",
            url="https://example.dk/a" if n == 1 else None, publisher="NB-Nyt",
        )
        passage = Passage(id=f"{file}:{start}", article=source, ordinal=n, section="Afsnit [1]",
                          speaker="en kommunaldirektør", char_start=start, char_end=start + len(snippet), text=snippet)
        assert text[passage.char_start : passage.char_end] == passage.text
        items.append(BasketItem(result=Result.from_passage(passage, rank=1, score=0.5), question="q"))
    return items


def test_docx_opens_and_holds_each_quote_verbatim_then_its_citation() -> None:
    items = seed_items()
    document = Document(io.BytesIO(docx_bytes(items, DAY)))
    paragraphs = document.paragraphs
    assert paragraphs[0].style.name == "Heading 1"
    quotes = [p for p in paragraphs if p.style.name == "Quote"]
    assert [q.text for q in quotes] == [i.result.text for i in items]
    texts = [p.text for p in paragraphs]
    for item in items:
        citation = texts[texts.index(item.result.text) + 1]
        assert "En kommunaldirektør" in citation
        assert item.result.article.title in citation
        assert "afsnit »Afsnit [1]«" in citation and "NB-Nyt" in citation
        assert "23. november 2026" in citation
    assert "(titel udledt af teksten)" in texts[texts.index(items[0].result.text) + 1]
    assert "Fil: 004_62e79214372f38a9.txt" in texts[texts.index(items[0].result.text) + 1]
    assert "Link: https://example.dk/a" in texts[texts.index(items[1].result.text) + 1]


def test_markdown_quotes_render_back_to_the_exact_words() -> None:
    items = seed_items()
    md = markdown(items, DAY)
    assert md.startswith("# Briefing fra Erfaringsbanken")
    for item in items:
        assert f"> {escape_markdown(item.result.text)}" in md
    assert "Artikel 0 om \\*krisen\\*" in md
    assert "23. november 2026" in md


def test_plain_text_copy_block_holds_quotes_and_citations_in_order() -> None:
    items = seed_items()
    text = plain_text(items, DAY)
    first, second = (text.index(i.result.text) for i in items)
    assert first < second
    assert text.count("Hentet fra Erfaringsbanken 23. november 2026") == 2


def test_empty_basket_still_exports_a_valid_document() -> None:
    document = Document(io.BytesIO(docx_bytes([], DAY)))
    assert document.paragraphs[0].text == "Briefing fra Erfaringsbanken"
