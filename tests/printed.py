"""Test files in the forms leaders bring: a PDF printed by Chromium from HTML, and a scan of it made
by rendering its pages to images (pypdfium2) and saving them as a PDF (Pillow), as a scanner does."""

from __future__ import annotations

import io
import re
import subprocess
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium

CHROMIUM = Path("/usr/bin/chromium")
_WORD = re.compile(r"\w+(?:[-.,]\w+)*")


def print_pdf(html_text: str, folder: Path, name: str, header_footer: bool = True) -> bytes:
    """Print an HTML page to PDF with Chromium (with its date/title/file/page header and footer by default)."""
    source = folder / f"{name}.html"
    source.write_text(html_text, encoding="utf-8")
    target = folder / f"{name}.pdf"
    args = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--print-to-pdf={target}", source.as_uri()]
    if not header_footer:
        args.insert(4, "--no-pdf-header-footer")
    subprocess.run(args, check=True, capture_output=True, timeout=180)
    return target.read_bytes()


def scan(pdf: bytes, dpi: int = 200, pages: list[int] | None = None) -> bytes:
    """A scanned copy: each page rendered to a grayscale image at `dpi`, saved as an image-only PDF."""
    document = pdfium.PdfDocument(pdf)
    chosen = range(len(document)) if pages is None else pages
    images = [document[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in chosen]
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


def mixed(text_pdf: bytes, scanned_pdf: bytes, text_pages: list[int], scanned_pages: list[int]) -> bytes:
    """A PDF of some printed pages and some scanned ones, in page order (a report with a signed scan)."""
    text, scanned = pdfium.PdfDocument(text_pdf), pdfium.PdfDocument(scanned_pdf)
    out = pdfium.PdfDocument.new()
    for page in sorted(text_pages + scanned_pages):
        out.import_pages(text if page in text_pages else scanned, [page])
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def words(text: str) -> Counter[str]:
    """The words of a text, case-folded, counted (a printer's line-end hyphen joined)."""
    text = text.replace("\u2010\r\n", "").replace("\u2010\n", "").replace("\u00ad", "")
    return Counter(w.casefold() for w in _WORD.findall(text))


def words_right(reference: str, recognised: str) -> float:
    """The share of the reference's words that the recognised text has (each as often)."""
    ref, got = words(reference), words(recognised)
    return sum((ref & got).values()) / max(1, sum(ref.values()))
