"""A report printed by Chromium as municipalities publish them (issue 30): its contents page, footnote
markers and running heads left out of passages, footnotes kept as notes of their page, a table as
rows with named columns (a wrapped cell in its row), a box's drawn bullets kept, a numbered list
with its numbers, headings with their levels as the section path."""

from __future__ import annotations

import pytest

from ingest import load_corpus
from ingest.models import Passage
from tests.printed import print_pdf

REPORT = """<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Evaluering af evakueringen</title>
<style>@page { size: A4; margin: 20mm 18mm; } body { font-family: "Liberation Serif", serif; font-size: 11pt;
line-height: 1.4; }
h1 { font-size: 22pt; } h2 { font-size: 15pt; } h3 { font-size: 12.5pt; }
.toc p { margin: 2pt 0; display: flex; } .toc .dots { flex: 1; border-bottom: 1px dotted #000; margin: 0 4pt
4pt 4pt; }
.newpage { break-before: page; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #333; padding: 3pt 5pt;
text-align: left; vertical-align: top; }
th { width: 25%; } td:first-child { width: 60%; }
.box { border: 1.5pt solid #1d4f7a; background: #eef3f8; padding: 6pt 10pt; margin: 10pt 0; }
.notes { font-size: 8.5pt; border-top: 0.5pt solid #000; margin-top: 30pt; padding-top: 3pt; }
sup { font-size: 7pt; }
</style></head><body>
<h1>Evaluering af evakueringen af Plejecenter Lunden</h1>
<div class="toc"><h2>Indhold</h2>
<p><span>1. Indledning og formål</span><span class="dots"></span><span>2</span></p>
<p><span>2. Hvad skete der?</span><span class="dots"></span><span>2</span></p>
<p><span>2.1 Hjemmeplejen og sygeplejen</span><span class="dots"></span><span>3</span></p>
<p><span>3. Anbefalinger</span><span class="dots"></span><span>3</span></p>
</div>
<h2 class="newpage">1. Indledning og formål</h2>
<p>Natten til den 14. marts blev 40 beboere evakueret fra Plejecenter Lunden, da et vandrør sprang i
kælderen.<sup>1</sup> Evalueringen skal samle kommunens læring.</p>
<h2>2. Hvad skete der?</h2>
<p>Beboerne blev fordelt på tre modtagesteder i løbet af natten.<sup>2</sup></p>
<table><tr><th>Modtagested</th><th>Antal beboere</th></tr>
<tr><td>Midlertidige pladser, Sundhedshuset i Tofte, afdeling for korttidsophold og
genoptræning</td><td>6</td></tr>
<tr><td>Plejecenter Solgården</td><td>22</td></tr>
<tr><td>Pårørende</td><td>12</td></tr></table>
<div class="box"><p><b>Det lærte vi</b></p><ul><li>Listen over beboernes medicin lå kun på papir i
kælderen.</li><li>Taxaerne kom før ambulancerne.</li></ul></div>
<div class="notes"><p><sup>1</sup> Kilde: Driftslogbogen for Plejecenter Lunden, 14. marts.</p><p><sup>2</sup>
Opgjort af visitationen dagen efter.</p></div>
<h3>2.1 Hjemmeplejen og sygeplejen</h3>
<p>Hjemmeplejen tog imod de første beboere klokken to om natten og gav dem deres medicin.</p>
<h2>3. Anbefalinger</h2>
<ol><li>Medicinlisten skal ligge digitalt.</li><li>Taxaer bestilles først, når ambulancerne er
fremme.</li></ol>
</body></html>
"""


@pytest.fixture(scope="module")
def passages(tmp_path_factory: pytest.TempPathFactory) -> list[Passage]:
    folder = tmp_path_factory.mktemp("forms")
    corpus = folder / "corpus"
    corpus.mkdir()
    (corpus / "evaluering.pdf").write_bytes(print_pdf(REPORT, folder, "evaluering"))
    reading = load_corpus(corpus)
    stored = (corpus / "evaluering.pdf.txt").read_text(encoding="utf-8")
    for p in reading.passages:
        assert stored[p.char_start : p.char_end] == p.text
    return reading.passages


def _with(passages: list[Passage], words: str) -> Passage:
    return next(p for p in passages if words in p.text)


def test_contents_page_numbers_running_heads_and_footnote_markers_stay_out(passages: list[Passage]) -> None:
    texts = [p.text for p in passages]
    assert not any("Indledning og formål" in t for t in texts)  # the contents entry (the heading is a section)
    assert not any("file://" in t or "1/3" in t for t in texts)
    first = _with(passages, "vandrør sprang").text
    assert first.endswith("sprang i kælderen. Evalueringen skal samle kommunens læring.")


def test_footnotes_are_notes_of_their_page(passages: list[Passage]) -> None:
    note = _with(passages, "Driftslogbogen")
    assert note.text == "Fodnote 1: Kilde: Driftslogbogen for Plejecenter Lunden, 14. marts." and note.page == 2


def test_a_pdf_table_is_rows_with_named_columns_its_header_no_heading(passages: list[Passage]) -> None:
    row = _with(passages, "Sundhedshuset i Tofte")
    assert row.text == ("Modtagested: Midlertidige pladser, Sundhedshuset i Tofte, afdeling for korttidsophold og "
                        "genoptræning; Antal beboere: 6")
    assert _with(passages, "Pårørende").text == "Modtagested: Pårørende; Antal beboere: 12"
    assert not any(p.section and "Modtagested" in p.section for p in passages)


def test_a_box_keeps_its_bullets_and_a_numbered_list_its_numbers(passages: list[Passage]) -> None:
    assert _with(passages, "Taxaerne kom").text == "Taxaerne kom før ambulancerne."
    assert _with(passages, "Taxaerne kom").kind == "bullet"
    assert _with(passages, "Medicinlisten").text == "1. Medicinlisten skal ligge digitalt."


def test_headings_keep_their_levels(passages: list[Passage]) -> None:
    assert _with(passages, "klokken to om natten").section == "2. Hvad skete der? › 2.1 Hjemmeplejen og sygeplejen"
    assert _with(passages, "vandrør sprang").section == "1. Indledning og formål"
