"""The 41-page evaluation report of the development library (eval/library/115, printed by Chromium
from tests/long_report.py): every page's text comes out with its page, contents and running heads
stay out, tables are rows with named columns, footnotes notes of their page, sections paths."""

from __future__ import annotations

import shutil

import pytest

from ingest import load_corpus
from ingest.models import Passage
from tests.long_report import AREAS, LIBRARY, LONG_NAME, RECOMMENDATIONS, long_report_html


@pytest.fixture(scope="module")
def passages(tmp_path_factory: pytest.TempPathFactory) -> list[Passage]:
    corpus = tmp_path_factory.mktemp("long")
    shutil.copy(LIBRARY / f"{LONG_NAME}.pdf", corpus / "rapport.pdf")
    reading = load_corpus(corpus)
    assert [r.status for r in reading.report] == ["indexed"]
    return reading.passages


def test_the_source_is_the_committed_html() -> None:
    assert (LIBRARY / "sources" / f"{LONG_NAME}.html").read_text(encoding="utf-8") == long_report_html()


def test_every_page_of_the_long_report_is_read_with_its_page(passages: list[Passage]) -> None:
    pages = {p.page for p in passages}
    assert max(p for p in pages if p) == 41 and len(pages) >= 35
    texts = "\n".join(p.text for p in passages)
    assert "Side 12 af 41" not in texts and "Horsens Kommune\n" not in texts
    assert not any(p.text.startswith("5. Plejecenter Bakkehuset") for p in passages)  # the contents entry


def test_tables_footnotes_lists_and_sections_of_the_long_report(passages: list[Passage]) -> None:
    texts = [p.text for p in passages]
    assert ("Tidspunkt: Mandag kl. 11.00; Hændelse: Horsens Vand advarer mod badning i Horsens Fjord efter overløb "
            "fra renseanlægget.") in texts
    assert sum(t.startswith("Fodnote ") for t in texts) == 1 + len(AREAS)
    assert f"{len(RECOMMENDATIONS)}. {RECOMMENDATIONS[-1]}" in texts
    row = next(p for p in passages if p.text.startswith("Opgørelse: Berørte beboere i alt; Antal: 18"))
    assert row.section == "9. Botilbuddet Åparken › 9.1 Tal fra Botilbuddet Åparken"
    quote = next(p for p in passages if "flere hænder end opgaver" in p.text)
    assert quote.speaker == "frivillighedskoordinator Sara Mikkelsen"
