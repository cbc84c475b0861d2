"""HTML, PDF and Word articles made here in tmp_path: extracted beside the original, boilerplate out,
headings and pages kept, and every passage a verbatim slice of the stored text."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import load_corpus
from ingest.boilerplate import find_boilerplate
from ingest.formats import PAGE_BREAK, ExtractionError, extract_bytes, render_blocks
from ingest.models import CorpusReading
from ingest.structure import parse_structure

NAV_WORDS = ("Forside", "Nyheder", "Abonnement", "Cookiepolitik", "Kontakt redaktionen", "Eksempelvej")

HTML_PAGE = """<!doctype html><html lang="da"><head><meta charset="utf-8">
<title>Ældreplejen under krisen | Kommunenyt</title>
<meta property="og:title" content="Ældreplejen under krisen">
<meta property="og:site_name" content="Kommunenyt">
<meta property="article:published_time" content="2021-03-04T08:00:00+01:00">
</head><body>
<header><nav><ul><li><a href="/">Forside</a></li><li><a href="/nyheder">Nyheder</a></li>
<li><a href="/abonnement">Abonnement</a></li></ul></nav></header>
<main><article>
<h1>Ældreplejen under krisen</h1>
<p>Kommunaldirektøren fortæller, at krisestaben mødtes hver morgen klokken otte i rådhusets kælder.
Det gav ro i organisationen, og medarbejderne vidste, hvor de skulle hente svar.</p>
<h2>Tæt kontakt til plejehjemmene</h2>
<p>»Vi ringede til alle plejehjem hver eneste dag,« siger en ældrechef. Hun mener, at den daglige kontakt
var afgørende for at skaffe værnemidler i tide.</p>
<p>Erfaringerne skal nu skrives ind i kommunens nye beredskabsplan, som byrådet behandler til efteråret.</p>
<ul><li>Daglige møder i krisestaben</li><li>Fælles indkøb af værnemidler på tværs af forvaltninger</li></ul>
</article></main>
<aside><h3>Læs også</h3><p><a href="/x">Sådan klarede skolerne nedlukningen</a></p></aside>
<footer><p>Kommunenyt · Eksempelvej 1 · Kontakt redaktionen</p><p>Cookiepolitik</p></footer>
</body></html>"""

PDF_PAGES = [
    (
        "Krisestaben samles",
        "Beredskabschefen forklarer, at kommunen oprettede en krisestab allerede i den første uge af marts. "
        "Staben bestod af direktionen, en jurist og en kommunikationsmedarbejder, som sammen traf beslutningerne "
        "om lukning af skoler, dagtilbud og biblioteker i hele kommunen.",
    ),
    (
        "Plejehjemmene lukkes for besøg",
        "Plejecentrenes ledere fik daglige opkald fra forvaltningen om værnemidler og smittetal. "
        "En centerleder siger, at besøgsforbuddet var den sværeste beslutning i hele hendes karriere.",
    ),
]
PDF_HEADER = "Beredskabsrapport 2021, Eksempel Kommune"

DOCX_TITLE = "Erfaringer fra hjemmeplejen under epidemien"
DOCX_SECTION = "Vagtplaner og rekruttering"
DOCX_QUOTE = (
    "»Vi lånte sygeplejersker fra skolesundhedsplejen, da halvdelen af vores vikarer forsvandt,« siger en "
    "hjemmeplejeleder."
)


def pdf_bytes(pages: list[tuple[str, str]] = PDF_PAGES, header: str = PDF_HEADER) -> bytes:
    """A real PDF: one heading and a wrapped paragraph per page, a running header and page numbers."""

    class Report(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=9)
            self.cell(0, 5, header, new_x="LMARGIN", new_y="NEXT")

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(0, 5, f"Side {self.page_no()} af {len(pages)}")

    pdf = Report()
    for heading, body in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 16)
        pdf.cell(0, 10, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=12)
        pdf.multi_cell(0, 6, body)
    return bytes(pdf.output())


def docx_bytes() -> bytes:
    """A real Word file: heading styles, body paragraphs, a quote and a bulleted list."""
    document = docx.Document()
    document.add_heading(DOCX_TITLE, 1)
    document.add_paragraph(
        "Hjemmeplejen i kommunen indførte faste teams, så den samme medarbejder kom hos den samme borger hver dag. "
        "Det mindskede smitterisikoen og gav borgerne tryghed."
    )
    document.add_heading(DOCX_SECTION, 2)
    document.add_paragraph(DOCX_QUOTE + " Hun fortæller, at vagtplanen blev lagt om hver uge i de første to måneder.")
    document.add_paragraph("Planen for de næste måneder indeholdt to faste greb:")
    document.add_paragraph("Faste teams omkring hver borger", style="List Bullet")
    document.add_paragraph("Ugentlig revision af vagtplanen", style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def read_folder(folder: Path) -> CorpusReading:
    reading = load_corpus(folder)
    assert reading.passages
    for passage in reading.passages:
        stored = (folder / passage.article.file).read_text(encoding=passage.article.encoding)
        assert stored[passage.char_start : passage.char_end] == passage.text
    return reading


def test_html_page_keeps_the_article_and_leaves_navigation_and_footer_out(tmp_path: Path) -> None:
    (tmp_path / "side.html").write_bytes(HTML_PAGE.encode("utf-8"))
    reading = read_folder(tmp_path)
    stored = (tmp_path / "side.html.txt").read_text(encoding="utf-8")
    for word in NAV_WORDS:
        assert word not in stored
    assert "# Tæt kontakt til plejehjemmene" in stored and "• Daglige møder i krisestaben" in stored
    (article,) = reading.articles
    assert article.file == "side.html.txt" and article.original == "side.html"
    assert article.title == "Ældreplejen under krisen"
    quote = next(p for p in reading.passages if "ringede til alle plejehjem" in p.text)
    assert quote.section == "Tæt kontakt til plejehjemmene"
    assert all(p.page is None for p in reading.passages)
    assert {r.file for r in reading.report} == {"side.html.txt"}


def test_html_metadata_is_what_the_page_declares() -> None:
    extracted = extract_bytes(HTML_PAGE.encode("utf-8"), "side.html")
    assert extracted.title == "Ældreplejen under krisen"
    assert extracted.publisher == "Kommunenyt"
    assert extracted.published is not None and extracted.published.isoformat() == "2021-03-04"


def test_two_page_pdf_gives_page_numbers_and_drops_running_header_and_page_numbers(tmp_path: Path) -> None:
    (tmp_path / "rapport.pdf").write_bytes(pdf_bytes())
    reading = read_folder(tmp_path)
    stored = (tmp_path / "rapport.pdf.txt").read_text(encoding="utf-8")
    assert stored.count(PAGE_BREAK) == 1
    assert PDF_HEADER not in stored and "Side 1 af 2" not in stored
    pages = {p.page for p in reading.passages}
    assert pages == {1, 2}
    for passage in reading.passages:
        assert PAGE_BREAK not in passage.text
        assert passage.page == 1 + stored.count(PAGE_BREAK, 0, passage.char_start)
    # The wrapped lines are one paragraph again: a sentence over a line break is one sentence.
    staff = next(p for p in reading.passages if "Staben bestod af direktionen" in p.text)
    assert "forvaltningen" not in staff.text and "biblioteker i hele kommunen." in staff.text
    assert staff.page == 1 and staff.section == "Krisestaben samles"
    visit = next(p for p in reading.passages if "besøgsforbuddet" in p.text)
    assert visit.page == 2 and visit.section == "Plejehjemmene lukkes for besøg"


def test_word_headings_come_from_paragraph_styles(tmp_path: Path) -> None:
    (tmp_path / "notat.docx").write_bytes(docx_bytes())
    reading = read_folder(tmp_path)
    stored = (tmp_path / "notat.docx.txt").read_text(encoding="utf-8")
    assert stored.startswith(f"# {DOCX_TITLE}\n") and f"# {DOCX_SECTION}\n" in stored
    (article,) = reading.articles
    assert article.title == DOCX_TITLE and article.original == "notat.docx"
    quote = next(p for p in reading.passages if DOCX_QUOTE in p.text)
    assert quote.section == DOCX_SECTION
    bullets = [p for p in reading.passages if p.kind == "bullet"]
    assert [b.text for b in bullets] == ["Faste teams omkring hver borger", "Ugentlig revision af vagtplanen"]
    assert all(b.lead_in and b.lead_in.startswith("Planen for de næste måneder") for b in bullets)


def test_an_original_with_its_text_is_read_once_and_not_extracted_again(tmp_path: Path) -> None:
    (tmp_path / "notat.docx").write_bytes(docx_bytes())
    load_corpus(tmp_path)
    text_file = tmp_path / "notat.docx.txt"
    edited = text_file.read_text(encoding="utf-8").replace("faste teams", "faste små teams")
    text_file.write_text(edited, encoding="utf-8")
    reading = load_corpus(tmp_path)
    assert text_file.read_text(encoding="utf-8") == edited  # the stored text is what counts
    assert [r.file for r in reading.report] == ["notat.docx.txt"]
    assert any("faste små teams" in p.text for p in reading.passages)


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("ødelagt.pdf", b"%PDF-1.4 this is not really a pdf", ("ødelagt.pdf", "PDF")),
        ("gammel.docx", b"\xd0\xcf\x11\xe0 an old .doc renamed", ("gammel.docx", ".docx")),
        ("tom.html", b"<html><body><nav><a href='/'>Forside</a></nav></body></html>", ("tom.html",)),
    ],
)
def test_an_unreadable_original_is_named_and_the_rest_is_read(
    tmp_path: Path, name: str, data: bytes, words: tuple[str, ...]
) -> None:
    (tmp_path / name).write_bytes(data)
    (tmp_path / "notat.docx").write_bytes(docx_bytes())
    with pytest.raises(ExtractionError) as caught:
        extract_bytes(data, name)
    reading = load_corpus(tmp_path)
    report = {r.file: r for r in reading.report}
    assert report[name].status == "skipped" and report[name].reason == caught.value.reason
    for word in words:
        assert word in caught.value.reason
    assert report["notat.docx.txt"].status == "indexed"
    assert not (tmp_path / f"{name}.txt").exists()


def test_scanned_pdf_without_text_says_to_run_ocr() -> None:
    pdf = FPDF()
    pdf.add_page()
    with pytest.raises(ExtractionError, match="OCR"):
        extract_bytes(bytes(pdf.output()), "scannet.pdf")


_WORD = st.text(alphabet="abcdefghijklmnoprstuvyæøå", min_size=2, max_size=9)
_HEADING = st.lists(_WORD, min_size=1, max_size=5).map(lambda ws: " ".join(ws).capitalize())
_SENTENCE = st.lists(_WORD, min_size=3, max_size=10).map(lambda ws: " ".join(ws).capitalize() + ".")
_PARAGRAPH = st.lists(_SENTENCE, min_size=1, max_size=4).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_HEADING, st.lists(_PARAGRAPH, min_size=1, max_size=3)), min_size=1, max_size=4))
def test_marked_headings_are_sections_without_their_hashes(sections: list[tuple[str, list[str]]]) -> None:
    blocks = [b for heading, paras in sections for b in [("heading", heading), *(("para", p) for p in paras)]]
    text = render_blocks(blocks)  # type: ignore[arg-type]
    parsed = parse_structure(text, find_boilerplate(text))
    headings = [text[b.start : b.end] for b in parsed if b.kind == "heading"]
    assert headings == [heading for heading, _ in sections]
    for block in parsed:
        if block.kind == "para":
            assert block.section is not None and "#" not in block.section
