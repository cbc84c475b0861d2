"""Reports and articles as municipalities publish them (issue 30): Word and HTML tables row by row
with their columns named, numbered lists with their numbers, headings with their levels as a
section path, a news page's headline, lead, byline, date and <br>, and every quote form with its
speaker. Files are made here with python-docx and as saved pages; passages are checked verbatim."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import docx

from ingest import load_corpus
from ingest.formats import extract_bytes
from ingest.models import CorpusReading, Passage

SECTION_PATH = "2. Hvad skete der? › 2.1 Hjemmeplejen og sygeplejen"


def _read(folder: Path, name: str, data: bytes) -> CorpusReading:
    (folder / name).write_bytes(data)
    reading = load_corpus(folder)
    assert [r.status for r in reading.report] == ["indexed"], reading.report
    for p in reading.passages:
        stored = (folder / p.article.file).read_bytes().decode(p.article.encoding)
        assert stored[p.char_start : p.char_end] == p.text
    return reading


def _with(passages: list[Passage], words: str) -> Passage:
    return next(p for p in passages if words in p.text)


def evaluation_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Evaluering af modtagelsen af evakuerede borgere", 0)
    document.add_heading("1. Indledning", 1)
    document.add_paragraph("Evalueringen beskriver, hvordan kommunen tog imod 40 evakuerede borgere fra plejecentret.")
    document.add_heading("2. Hvad skete der?", 1)
    document.add_paragraph("Plejecentret blev evakueret natten til lørdag, da vandet steg i kælderen.")
    document.add_heading("2.1 Hjemmeplejen og sygeplejen", 2)
    document.add_paragraph("Hjemmeplejen tog imod de første borgere klokken to om natten og gav dem medicin.")
    document.add_paragraph("Borgerne blev fordelt således:")
    table = document.add_table(rows=3, cols=2)
    rows = [("Modtagested", "Antal beboere"), ("Midlertidige pladser, Sundhedshuset i Tofte", "6"),
            ("Plejecenter Lunden", "12")]
    for r, (place, count) in enumerate(rows):
        table.cell(r, 0).text, table.cell(r, 1).text = place, count
    document.add_heading("3. Anbefalinger", 1)
    document.add_paragraph("Evalueringen giver tre anbefalinger:")
    for item in ("Opdatér listen over sårbare borgere hvert kvartal.", "Øv evakueringen af plejecentret hvert år.",
                 "Køb en generator til Sundhedshuset i Tofte."):
        document.add_paragraph(item, style="List Number")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_table_is_rows_with_named_columns_its_header_no_bullet(tmp_path: Path) -> None:
    passages = _read(tmp_path, "evaluering.docx", evaluation_docx()).passages
    row = _with(passages, "Sundhedshuset i Tofte; Antal")
    assert row.text == "Modtagested: Midlertidige pladser, Sundhedshuset i Tofte; Antal beboere: 6"
    assert row.kind == "bullet" and row.lead_in == "Borgerne blev fordelt således:"
    assert not any(p.text.strip() == "Modtagested | Antal beboere" for p in passages)


def test_word_numbered_lists_keep_their_numbers_and_headings_their_levels(tmp_path: Path) -> None:
    passages = _read(tmp_path, "evaluering.docx", evaluation_docx()).passages
    assert _with(passages, "Øv evakueringen").text == "2. Øv evakueringen af plejecentret hvert år."
    assert _with(passages, "Hjemmeplejen tog imod").section == SECTION_PATH
    assert _with(passages, "Plejecentret blev evakueret").section == "2. Hvad skete der?"
    assert _with(passages, "Evalueringen beskriver").section == "1. Indledning"  # the title is no part of it


NEWS_PAGE = """<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Beredskabet lærte af stormen</title>
</head><body><header class="site-header"><nav><a href="/">Forside</a><a href="/nyheder">Nyheder</a></nav></header>
<main><article><header class="article-header"><span class="kicker">BEREDSKAB</span>
<h1>Beredskabet lærte af stormen: Sandsækkene skal stå klar før varslet</h1>
<p class="article-lead">Efter stormfloden i januar har beredskabet flyttet 4.000 sandsække ud til havnene, så de står
klar, før vandet kommer.</p>
<div class="byline">Af <a href="/a/signe">Signe Bæk Thomsen</a> og <a href="/a/ole">Ole Krag</a>, journalister</div>
<time class="date" datetime="2025-02-03T07:00:00+01:00">3. februar 2025</time>
<div class="share"><a>Del på Facebook</a><a>Kopiér link</a></div></header>
<div class="article-body">
<p>Natten til den 11. januar stod vandet en meter over dagligt niveau i Hvide Sande, og flere veje var oversvømmede.</p>
<p>”Vi kom en time for sent til havnen, og det kostede to butikker deres varelager,” fortæller beredskabsdirektør
Lone Vinther, der har ledet beredskabet i syv år.</p>
<h2>Sådan fordeles sandsækkene</h2>
<table><tr><th>Havn</th><th>Sandsække</th></tr><tr><td>Hvide Sande</td><td>2.500</td></tr>
<tr><td>Ringkøbing</td><td>1.500</td></tr></table>
<ol><li>Sandsækkene køres ud i oktober.</li><li>Havnefogeden tjekker dem hver måned.</li></ol>
<p>Med venlig hilsen<br>Jørgen Vestergaard<br>Borgmester</p>
</div></article></main><aside class="related"><h3>Læs også</h3><a>Stormen kostede millioner</a></aside>
<footer><p>Lokalavisen · Kontakt</p><p>Cookiepolitik</p></footer></body></html>"""


def test_a_news_page_keeps_headline_lead_byline_date_and_line_breaks() -> None:
    extracted = extract_bytes(NEWS_PAGE.encode("utf-8"), "storm.html")
    assert extracted.text.startswith("# Beredskabet lærte af stormen: Sandsækkene skal stå klar før varslet\n\n"
                                     "Efter stormfloden i januar har beredskabet flyttet 4.000 sandsække")
    assert extracted.authors == ["Signe Bæk Thomsen", "Ole Krag"]
    assert extracted.published == date(2025, 2, 3)
    assert "Jørgen Vestergaard\nBorgmester" in extracted.text and "VestergaardBorgmester" not in extracted.text
    for clutter in ("Forside", "Del på Facebook", "Stormen kostede millioner", "Cookiepolitik", "BEREDSKAB"):
        assert clutter not in extracted.text


def test_a_news_page_lead_is_the_first_passage_and_its_table_and_list_are_rows(tmp_path: Path) -> None:
    passages = _read(tmp_path, "storm.html", NEWS_PAGE.encode("utf-8")).passages
    assert passages[0].text.startswith("Efter stormfloden i januar")
    assert passages[0].article.title == "Beredskabet lærte af stormen: Sandsækkene skal stå klar før varslet"
    assert _with(passages, "Ringkøbing").text == "Havn: Ringkøbing; Sandsække: 1.500"
    assert _with(passages, "Havnefogeden").text == "2. Havnefogeden tjekker dem hver måned."
    assert _with(passages, "en time for sent").speaker == "beredskabsdirektør Lone Vinther"
    assert not any(p.section == "Jørgen Vestergaard" for p in passages)


QUOTES = """Evaluering af stormen

Som beredskabschefen udtaler: ”Vi var ikke klar til så meget vand på én gang.”

Som direktøren for Børn og Unge siger: ”Skolerne åbnede igen efter to dage.”

”Vi kom en time for sent til havnen,” fortæller beredskabsdirektør Lone Vinther, der har ledet beredskabet i syv år.

– Vi manglede pumper, siger driftslederen.

– Men vi lånte dem af nabokommunen.

”Næste gang kører vi sandsækkene ud, før varslet kommer. Det har vi lovet borgerne på havnen.

”Og vi øver det hvert efterår sammen med Hjemmeværnet,” siger kommunaldirektør Hanne Lund.

Høringen

Beredskabsdirektør Lone Vinther: Vi havde ingen plan for så mange evakuerede på én gang.
"""

INTERVIEW = """Fem spørgsmål til beredskabschefen

Vi har talt med beredskabschef Lone Vinther om stormen, og om hvad kommunen lærte af den.

Hvad var det sværeste?

Det var at nå ud til de ældre i tide. Vi havde ikke deres telefonnumre samlet ét sted.

Hvad gør I nu?

Vi har lavet en liste over alle sårbare borgere, og den opdateres hver måned.
"""


def test_every_quote_form_has_its_speaker(tmp_path: Path) -> None:
    passages = _read(tmp_path, "citater.txt", QUOTES.encode("utf-8")).passages
    assert _with(passages, "så meget vand").speaker == "beredskabschefen"
    assert _with(passages, "Skolerne åbnede").speaker == "direktøren for Børn og Unge"
    assert _with(passages, "en time for sent").speaker == "beredskabsdirektør Lone Vinther"
    assert _with(passages, "manglede pumper").speaker == "driftslederen"
    assert _with(passages, "lånte dem af nabokommunen").speaker == "driftslederen"
    whole = _with(passages, "Næste gang kører vi")
    assert "Og vi øver det hvert efterår" in whole.text and whole.speaker == "kommunaldirektør Hanne Lund"
    assert _with(passages, "ingen plan for så mange").speaker == "Beredskabsdirektør Lone Vinther"


def test_an_interviews_answers_belong_to_the_interviewee_named_in_its_introduction(tmp_path: Path) -> None:
    passages = _read(tmp_path, "interview.txt", INTERVIEW.encode("utf-8")).passages
    assert _with(passages, "nå ud til de ældre").speaker == "beredskabschef Lone Vinther"
    assert _with(passages, "liste over alle sårbare").speaker == "beredskabschef Lone Vinther"
    assert _with(passages, "Hvad var det sværeste?").speaker is None
