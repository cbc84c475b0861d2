"""Scanned PDFs read with Danish OCR (issue 30): a scan of a Chromium-printed report comes back with
its words and pages, mixed PDFs are read page by page, the text is saved beside the original, every
page is reported as it is read, and the work is bounded per page and per file with Danish refusals
while the rest of the build goes on. Tesseract is installed by `make install` (scripts/ensure-ocr.sh);
these tests are never skipped."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from PIL import Image

import ingest.formats.ocr as ocr
import ingest.formats.pdf as pdf
from ingest import load_corpus
from ingest.formats import ExtractionError, extract_bytes
from tests.printed import mixed, print_pdf, scan, words_right

REPORT = """<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Evaluering af vandskaden</title>
<style>@page { size: A4; margin: 20mm 18mm; } body { font-family: serif; font-size: 11pt; line-height: 1.4; }
h1 { font-size: 20pt; } h2 { font-size: 14pt; break-before: page; } td, th { border: 1px solid #444; padding: 3pt 6pt; }
table { border-collapse: collapse; }</style></head><body>
<h1>Evaluering af vandskaden på rådhuset</h1>
<p>Natten til den 14. august sprang et vandrør i rådhusets kælder. Vandet løb ind i serverrummet, og kommunens
telefoner og journalsystemer var nede i tre døgn. Krisestaben blev samlet klokken seks om morgenen.</p>
<p>Borgerservice flyttede til biblioteket i Søndergade, og hjemmeplejen arbejdede ud fra papirlister, som
teamlederne havde printet den foregående fredag. Ingen borgere gik glip af et planlagt besøg.</p>
<table><tr><th>Tidspunkt</th><th>Hændelse</th></tr>
<tr><td>Kl. 02.40</td><td>Vagten opdager vand på gulvet i kælderen</td></tr>
<tr><td>Kl. 06.00</td><td>Krisestaben samles på brandstationen</td></tr>
<tr><td>Kl. 09.15</td><td>Borgerservice åbner på biblioteket</td></tr></table>
<h2>Læring og anbefalinger</h2>
<p>Evalueringen viser, at papirlisterne reddede hjemmeplejen den første dag. Lederne anbefaler, at listerne
printes hver fredag, og at en kopi opbevares på brandstationen sammen med krisestabens telefonliste.</p>
<p>Serverrummet flyttes til første sal i løbet af næste år. Indtil da skal vagten tjekke kælderen to gange
hver nat, og der monteres en vandalarm, som sender en sms til driftslederen.</p>
</body></html>"""
SECOND_PAGE = "Serverrummet flyttes til første sal i løbet af næste år."


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return print_pdf(REPORT, tmp_path_factory.mktemp("printed"), "vandskade")


@pytest.fixture(scope="module")
def scanned(printed: bytes) -> bytes:
    return scan(printed, dpi=200)


def test_a_scanned_report_is_read_with_danish_ocr_its_pages_kept_and_its_text_saved(
    tmp_path: Path, printed: bytes, scanned: bytes
) -> None:
    (tmp_path / "vandskade.pdf").write_bytes(scanned)
    reading = load_corpus(tmp_path)
    assert [(r.file, r.status) for r in reading.report] == [("vandskade.pdf.txt", "indexed")]
    saved = (tmp_path / "vandskade.pdf.txt").read_text(encoding="utf-8")
    reference = extract_bytes(printed, "vandskade.pdf").text
    assert words_right(reference, saved) >= 0.95
    for word in ("vandrør", "Søndergade", "brandstationen", "anbefaler"):
        assert word in saved
    assert all(p.page is not None for p in reading.passages)
    assert not any("file://" in p.text or "/2" in p.text for p in reading.passages)  # Chromium's running lines
    assert next(p for p in reading.passages if "Serverrummet flyttes" in p.text).page == 2
    assert next(p for p in reading.passages if "sprang et vandrør" in p.text).page == 1
    for p in reading.passages:
        assert saved[p.char_start : p.char_end] == p.text


def test_a_mixed_pdf_is_read_page_by_page(printed: bytes, scanned: bytes) -> None:
    both = mixed(printed, scanned, text_pages=[0], scanned_pages=[1])
    extracted = extract_bytes(both, "blandet.pdf")
    assert extracted.pages == 2 and extracted.ocr_pages == 1
    first, second = extracted.text.split("\f")
    assert "sprang et vandrør" in first  # the printed page's own text
    assert "Serverrummet flyttes" in second  # the scanned page, recognised


def test_each_page_is_reported_as_it_is_read(
    tmp_path: Path, scanned: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[tuple[int, int]] = []
    extract_bytes(scanned, "vandskade.pdf", on_page=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (2, 2) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    (tmp_path / "vandskade.pdf").write_bytes(scanned)
    load_corpus(tmp_path, progress=True)
    assert "Læser vandskade.pdf" in capsys.readouterr().err


def _blank_scan(n_pages: int) -> bytes:
    page = Image.new("L", (170, 240), 255)
    out = io.BytesIO()
    page.save(out, format="PDF", save_all=True, append_images=[page] * (n_pages - 1), resolution=20)
    return out.getvalue()


def test_a_300_page_scan_is_refused_at_once_in_danish_and_the_rest_of_the_build_goes_on(tmp_path: Path) -> None:
    (tmp_path / "arkiv.pdf").write_bytes(_blank_scan(300))
    note = "Krisestaben\n\nKrisestaben mødtes hver morgen klokken otte.\n"
    (tmp_path / "notat.txt").write_text(note, encoding="utf-8")
    started = time.perf_counter()
    reading = load_corpus(tmp_path)
    assert time.perf_counter() - started < 30  # refused before any page is recognised (5 s a page)
    report = {r.file: r for r in reading.report}
    assert report["notat.txt"].status == "indexed"
    reason = report["arkiv.pdf"].reason or ""
    assert report["arkiv.pdf"].status == "skipped"
    assert "arkiv.pdf" in reason and "300 scannede sider" in reason and f"højst {pdf.MAX_OCR_PAGES}" in reason


def test_a_page_beyond_its_time_is_stopped_with_a_danish_reason(
    monkeypatch: pytest.MonkeyPatch, scanned: bytes
) -> None:
    monkeypatch.setattr(pdf, "PAGE_SECONDS", 0.3)
    started = time.perf_counter()
    with pytest.raises(ExtractionError) as caught:
        extract_bytes(scanned, "vandskade.pdf")
    assert time.perf_counter() - started < 10
    assert "Side 1 i vandskade.pdf" in caught.value.reason and "stoppet" in caught.value.reason


def test_a_file_beyond_its_time_is_stopped_while_it_is_read(monkeypatch: pytest.MonkeyPatch, scanned: bytes) -> None:
    monkeypatch.setattr(pdf, "OCR_FILE_SECONDS", 1)
    with pytest.raises(ExtractionError) as caught:
        extract_bytes(scanned, "vandskade.pdf")
    assert "Tekstgenkendelsen (OCR) af vandskade.pdf tog mere end" in caught.value.reason


def test_a_page_beyond_its_memory_is_refused_with_a_danish_reason(
    monkeypatch: pytest.MonkeyPatch, scanned: bytes
) -> None:
    monkeypatch.setattr(ocr, "PAGE_MEMORY_BYTES", 40 * 1024 * 1024)
    with pytest.raises(ExtractionError) as caught:
        extract_bytes(scanned, "vandskade.pdf")
    assert "Side 1 i vandskade.pdf" in caught.value.reason and "40 MB hukommelse" in caught.value.reason


def test_a_blank_scan_says_no_text_was_found_even_by_ocr() -> None:
    with pytest.raises(ExtractionError, match="ingen tekst, heller ikke ved tekstgenkendelse"):
        extract_bytes(_blank_scan(1), "blank.pdf")
