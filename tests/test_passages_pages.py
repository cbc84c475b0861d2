"""A passage never spans two PDF pages (pages are joined with form feeds in the stored text)."""

from __future__ import annotations

from ingest.models import Article
from ingest.passages import split_article


def _article(text: str) -> Article:
    return Article(id="x", file="x.pdf.txt", encoding="utf-8", sha256="0", n_chars=len(text), title="x",
                   title_is_derived=True)


def test_an_introducing_line_does_not_join_the_next_page() -> None:
    text = "Krisestaben\n\nSom en chef formulerer det:\f\nVi lærte meget. Det var hårdt.\n"
    passages = split_article(text, _article(text))
    assert all("\f" not in p.text for p in passages)
    assert [p.text for p in passages] == ["Som en chef formulerer det:", "Vi lærte meget. Det var hårdt."]


def test_on_one_page_the_introducing_line_joins_its_paragraph() -> None:
    text = "Krisestaben\n\nSom en chef formulerer det:\n\nVi lærte meget. Det var hårdt.\n"
    passages = split_article(text, _article(text))
    assert len(passages) == 1 and passages[0].text.startswith("Som en chef formulerer det:")
