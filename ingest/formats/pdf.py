"""The text of a PDF as it was written, page by page: reading order, paragraphs, headings, tables.

PDFium (pypdfium2) reads each page's characters in reading order (column by column in a printed
two-column report), with the soft hyphens of the source dropped inside a line and the printer's
hyphen at a line end marked as U+2010. Each printed line keeps its position and font, so
`ingest.formats.pdf_layout` can rebuild paragraphs, headings and table rows. Running headers
and footers (lines repeated at the top or bottom of the pages, page counters, the date, title
and file address a browser prints) are left out. Pages are joined with a form feed, so a
passage's page is 1 + the number of form feeds before it.

A page with no text of its own but an image (a scan; a mixed PDF has both kinds of page) is
rendered and read with Danish text recognition (`ingest.formats.ocr`), page by page, its lines
laid out like printed ones. The work is bounded: at most `MAX_OCR_PAGES` scanned pages a file
(refused before any is read), `ocr.PAGE_SECONDS` and `ocr.PAGE_MEMORY_BYTES` a page, and
`OCR_FILE_SECONDS` for the file, enforced while it is read.

Measured on the library's Chromium-printed reports (eval/library/108-110): pypdf split words at
soft hyphens ("forbere delserne") and gave no positions; pypdfium2 gives both, and is Apache-2.0
/ BSD licensed (PyMuPDF is AGPL).
"""

from __future__ import annotations

import ctypes
import io
import re
import statistics
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator
from typing import NamedTuple

from ingest.formats.base import PAGE_BREAK, ExtractedText, ExtractionError, PageProgress, render_blocks
from ingest.formats.ocr import PAGE_SECONDS, OcrError, OcrLine, missing_message, read_page, tesseract_missing
from ingest.formats.pdf_layout import Line, body_size, layout_pages
from ingest.formats.pdf_marks import (
    bulleted,
    column_starts,
    contents_lines,
    discs,
    is_contents_title,
    lone_markers,
    without_markers,
)

# A report of 40 pages is common, 1,000 rare; a 10,000-page file is refused before it is read.
MAX_PAGES = 2_000
# The whole text must fit the article limit (ingest.read.MAX_ARTICLE_BYTES); reading stops there.
MAX_TEXT_CHARS = 5 * 1024 * 1024
# Text recognition reads a scanned page in about 5 s here: 100 pages is about 8 minutes, and a
# 300-page scan is refused at once instead of taking half an hour. The file's time is bounded too.
MAX_OCR_PAGES = 100
OCR_FILE_SECONDS = 15 * 60
# Pages rendered for recognition at 300 dpi (Tesseract reads small print better than at 200), but
# never larger than this many pixels (a poster-sized page), and a page whose images hold more
# pixels than a 600-dpi A3 scan is refused before it is rendered.
OCR_DPI = 300
MAX_RENDER_PIXELS = 30_000_000
MAX_IMAGE_PIXELS = 80_000_000
# A page with fewer printed characters than this and an image is a scan (a stamp or a page number
# may be text).
_SCAN_MAX_CHARS = 20
_EDGE_SHARE = 0.1
# Words of one line stand a space apart; table cells printed on one baseline stand farther.
_CELL_GAP = 0.5
_CELL_GAP_RATIO = 1.8
_COLUMN_ALIGN = 1.5
_BOLD_WEIGHT = 600
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_PAGE_COUNTER = re.compile(
    r"^(?:(?:side|page|s\.)\s*)?\d{1,4}(?:\s*(?:/|af|of|ud af)\s*\d{1,4})?$", re.IGNORECASE
)
_TRAILING_COUNTER = re.compile(r"\s+(?:(?:side|page)\s+)?\d{1,4}\s*(?:/|af|of)\s*\d{1,4}$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_LETTERS_ONLY = re.compile(r"[^\w#]|_")
_FILE_NAME_TITLE = re.compile(r"^microsoft \w+ - |\.(?:docx?|pdf|txt|odt|pptx?|indd|html?)$", re.IGNORECASE)
# Ligatures some fonts print ("ﬁ"): the words are searched and quoted with plain letters.
_LIGATURES = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)}
_LIGATURE_TABLE = str.maketrans(_LIGATURES)
# PDFium reports a printed "-" where a line may break after it ("it-" + "nedbruddet") as U+0002
# (U+FFFE in its text ranges): it is the author's hyphen.
_PDFIUM_HYPHENS = {"\x02": "-", "\ufffe": "-"}


def _is_bold_font(raw: object, index: int, name: ctypes.Array[ctypes.c_char], flags: ctypes.c_int) -> bool:
    """Bold by the font's weight or its name ("LiberationSans-Bold": Chromium's fonts report weight 380)."""
    import pypdfium2.raw as pdfium_c

    if pdfium_c.FPDFText_GetFontWeight(raw, index) >= _BOLD_WEIGHT:
        return True
    pdfium_c.FPDFText_GetFontInfo(raw, index, name, len(name), ctypes.byref(flags))
    return bool(_BOLD_NAME.search(name.value.decode("latin-1")))


def _lines_of_page(textpage: object, page_no: int, page: object | None = None) -> Iterator[Line]:
    """The printed lines of one page, from PDFium's characters (generated line breaks end a line),
    without footnote markers or a contents page's entries, a drawn bullet put back as "• "."""
    import pypdfium2.raw as pdfium_c

    raw = textpage.raw  # type: ignore[attr-defined]
    name, flags = ctypes.create_string_buffer(128), ctypes.c_int()
    read: list[list[_Char]] = [[]]
    for index in range(pdfium_c.FPDFText_CountChars(raw)):
        code = chr(pdfium_c.FPDFText_GetUnicode(raw, index))
        char = _PDFIUM_HYPHENS.get(code, code)
        if char == "\n":
            read.append([])
        elif char not in "\r\x00\u00ad":
            if char.strip() and not pdfium_c.FPDFText_IsGenerated(raw, index):
                box = textpage.get_charbox(index)  # type: ignore[attr-defined]
                size = pdfium_c.FPDFText_GetFontSize(raw, index)
                read[-1].append(_Char(char, box, size, _is_bold_font(raw, index, name, flags)))
            else:
                read[-1].append(_Char(" ", None, 0.0, False))
    read = [[chars[i] for i in without_markers(chars)] for chars in read]
    left_out = contents_lines(read) | lone_markers(read)
    read = [chars for i, chars in enumerate(read) if i not in left_out]
    # Where the page's lines begin, and where gaps line up on several lines: a table's columns,
    # which a cell that PDFium joined to the one before it also begins at.
    starts = column_starts(read)
    marks = discs(page) if page is not None else []
    height = float(page.get_height()) if page is not None else None  # type: ignore[attr-defined]
    for chars in read:
        # A running head is never cut into cells (its parts would no longer match the other pages').
        boxes = [c.box for c in chars if c.box is not None]
        in_margin = height is not None and bool(boxes) and (
            min(b[1] for b in boxes) > (1 - _EDGE_SHARE) * height or max(b[3] for b in boxes) < _EDGE_SHARE * height
        )
        for line in _segments(chars, page_no, [] if in_margin else starts):
            if marks and bulleted(line.x0, line.bottom, line.top, line.size, marks):
                line.text = "• " + line.text
            yield line


class _Char(NamedTuple):
    text: str
    box: tuple[float, float, float, float] | None  # left, bottom, right, top; None for a space
    size: float
    bold: bool


def _segments(chars: list[_Char], page_no: int, starts: list[float]) -> Iterator[Line]:
    """One PDFium line as printed lines: table cells that PDFium read as one line ("5. marts" and
    the event beside it) stand farther apart than the line's words, and the second begins where
    other lines of the page begin (its column). A justified line stretches all its gaps alike, so
    a gap counts only when it is well above the line's usual one."""
    gaps = _word_gaps(chars)
    # One gap says nothing of the line's usual space ("Pårørende   12" is a row of two cells): a
    # space is then taken to be a quarter of the font size.
    sizes = [c.size for c in chars if c.box is not None]
    usual = statistics.median(gaps) if len(gaps) > 1 else 0.25 * (statistics.median(sizes) if sizes else 0.0)
    segment: list[_Char] = []
    right: float | None = None
    for char in chars:
        if char.box is not None:
            gap = char.box[0] - right if right is not None else 0.0
            if (
                right is not None
                and gap > _CELL_GAP * char.size
                and gap > _CELL_GAP_RATIO * usual
                and any(abs(char.box[0] - start) < _COLUMN_ALIGN for start in starts)
            ):
                line = _line(segment, page_no)
                if line is not None:
                    yield line
                segment = []
            right = char.box[2]
        segment.append(char)
    line = _line(segment, page_no)
    if line is not None:
        yield line


def _word_gaps(chars: list[_Char]) -> list[float]:
    """The widths of the spaces between the printed words of a line."""
    gaps: list[float] = []
    right: float | None = None
    spaced = False
    for char in chars:
        if char.box is None:
            spaced = True
            continue
        if right is not None and spaced:
            gaps.append(char.box[0] - right)
        right, spaced = char.box[2], False
    return gaps


def _line(chars: list[_Char], page_no: int) -> Line | None:
    text = " ".join("".join(c.text for c in chars).translate(_LIGATURE_TABLE).split())
    printed = [c for c in chars if c.box is not None]
    if not text or not printed:
        return None
    boxes = [c.box for c in printed if c.box is not None]
    sizes = sorted(c.size for c in printed)
    return Line(
        text=text,
        x0=min(b[0] for b in boxes),
        x1=max(b[2] for b in boxes),
        top=max(b[3] for b in boxes),
        bottom=min(b[1] for b in boxes),
        size=sizes[len(sizes) // 2],
        bold=sum(c.bold for c in printed) > len(printed) / 2,
        page=page_no,
    )


def _image_pixels(page: object) -> int | None:
    """The pixels of the page's images (None: the page has no image, so it is no scan)."""
    import pypdfium2.raw as pdfium_c

    images = list(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=4))  # type: ignore[attr-defined]
    if not images:
        return None
    total = 0
    for image in images:
        width, height = image.get_px_size()
        total += int(width) * int(height)
    return total


def _is_scanned(textpage: object, n_chars: int) -> bool:
    """Too little printed text to be a page of text (the image check follows)."""
    if n_chars == 0:
        return True
    text = textpage.get_text_range()  # type: ignore[attr-defined]
    return sum(1 for ch in text if not ch.isspace()) < _SCAN_MAX_CHARS


def _render(page: object) -> tuple[bytes, float]:
    """The page as a grayscale PNG for recognition, and its scale (pixels per PDF point)."""
    width, height = page.get_size()  # type: ignore[attr-defined]
    scale = min(OCR_DPI / 72, (MAX_RENDER_PIXELS / max(1.0, width * height)) ** 0.5)
    image = page.render(scale=scale, grayscale=True).to_pil()  # type: ignore[attr-defined]
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue(), scale


def _ocr_lines(lines: list[OcrLine], page_no: int, scale: float, height: float) -> Iterator[Line]:
    """Recognised lines as printed lines in PDF points (y upwards), table cells apart as on a printed page."""
    read: list[list[_Char]] = []
    for line in lines:
        chars: list[_Char] = []
        for word in line.words:
            left, top, right, bottom = word.box
            box = (left / scale, height - bottom / scale, right / scale, height - top / scale)
            if chars:
                chars.append(_Char(" ", None, 0.0, False))
            chars.append(_Char(word.text, box, line.size / scale, False))
        read.append(chars)
    starts = column_starts(read)  # line starts, and gaps that line up: a scanned table's columns
    for chars in read:
        yield from _segments(chars, page_no, starts)


def _edge_key(line: Line) -> str:
    """A margin line's letters only: page numbers and dates differ from page to page, and text
    recognition reads a dash or a space differently on each scanned page."""
    return _LETTERS_ONLY.sub("", _DIGITS.sub("#", line.text.casefold()))


def _in_margin(line: Line, height: float) -> bool:
    return line.bottom > (1 - _EDGE_SHARE) * height or line.top < _EDGE_SHARE * height


def _is_running(line: Line, height: float, repeated: set[str]) -> bool:
    """A line in the top or bottom margin that repeats on most pages, counts pages, or is a file address."""
    if not _in_margin(line, height):
        return False
    text = line.text
    return (
        _edge_key(line) in repeated
        or _holds_running(_edge_key(line), repeated)
        or bool(_PAGE_COUNTER.match(text))
        or text.startswith(("file://", "http://", "https://"))
        or bool(_TRAILING_COUNTER.search(text) and ("://" in text or len(text) < 120))
    )


def _holds_running(key: str, repeated: set[str]) -> bool:
    """A margin line that holds a running head (or is part of one): a scanned page's left and right
    heads may be read as one line on one page and as two on the next."""
    return any(len(r) >= 10 and len(key) >= 10 and (r in key or key in r) for r in repeated)


def _running_keys(pages: list[list[Line]], heights: list[float]) -> set[str]:
    """Margin lines (digits ignored, so page numbers and dates match) found on most pages."""
    if len(pages) < 2:
        return set()
    seen: Counter[str] = Counter()
    for lines, height in zip(pages, heights, strict=True):
        seen.update({_edge_key(line) for line in lines if _in_margin(line, height)})
    return {key for key, count in seen.items() if count >= max(2, 0.5 * len(pages))}


def _declared_title(value: object) -> str | None:
    """The PDF's title property, unless it is a converter's file name ("Microsoft Word - x.docx")."""
    title = " ".join(str(value or "").split())
    if not title or _FILE_NAME_TITLE.search(title):
        return None
    return title


def _unreadable(name: str, detail: object) -> ExtractionError:
    return ExtractionError(
        f"Filen {name} kan ikke læses som PDF ({detail}). Tjek at det er en rigtig PDF-fil, "
        "eller gem artiklen som .docx eller .txt."
    )


def extract_pdf(data: bytes, name: str, on_page: PageProgress | None = None) -> ExtractedText:
    """Extract the text of a PDF, keeping its pages; scanned pages are read with Danish OCR.

    Args:
        data: The PDF's bytes.
        name: The file name, used in error messages.
        on_page: Told (pages done, pages in all) as the pages are read.

    Returns:
        The text (headings "# ", list items and table rows "• ", pages separated by a form
        feed), the number of pages and the title the PDF declares (unless it is only a file name).

    Raises:
        ExtractionError: Not a readable PDF, encrypted, more than `MAX_PAGES` pages, more text
            than an article may hold, more than `MAX_OCR_PAGES` scanned pages, a scanned page or
            file beyond its time or memory bound, or no text at all; the message is Danish.
    """
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ExtractionError(
                f"PDF-filen {name} er beskyttet med adgangskode. Gem en udgave uden adgangskode, og tilføj den igen."
            ) from exc
        raise _unreadable(name, exc) from exc
    try:
        n_pages = len(document)
        if n_pages > MAX_PAGES:
            raise ExtractionError(
                f"PDF-filen {name} har {n_pages:,} sider; højst {MAX_PAGES:,} kan læses. ".replace(",", ".")
                + "Del dokumentet op, eller tilføj kun de kapitler, der skal kunne søges i."
            )
        pages: list[list[Line]] = []
        heights: list[float] = []
        scanned: list[int] = []
        chars = 0
        for page_no in range(n_pages):
            page = document[page_no]
            heights.append(float(page.get_height()))
            textpage = page.get_textpage()
            # Counted before the page is read: one page of millions of characters is refused unread.
            n_chars = textpage.count_chars()
            chars += n_chars
            if chars > MAX_TEXT_CHARS:
                raise ExtractionError(
                    f"PDF-filen {name} indeholder mere tekst, end en artikel kan rumme (læsningen stoppede på side "
                    f"{page_no + 1}). Del dokumentet op i mindre dele, og tilføj dem hver for sig."
                )
            if _is_scanned(textpage, n_chars) and _image_pixels(page) is not None:
                scanned.append(page_no)
                pages.append([])  # read by text recognition below
            else:
                pages.append(list(_lines_of_page(textpage, page_no, page)))
            if on_page is not None:
                on_page(page_no + 1 - len(scanned), n_pages)
        if scanned:
            _recognise(document, scanned, pages, heights, name, on_page)
            _match_printed_sizes(pages, scanned)
        title = _declared_title(document.get_metadata_value("Title"))
    except pdfium.PdfiumError as exc:
        raise _unreadable(name, exc) from exc
    finally:
        document.close()
    running = _running_keys(pages, heights)
    kept = [
        line for lines, height in zip(pages, heights, strict=True) for line in lines
        if not _is_running(line, height, running)
    ]
    texts = [render_blocks(blocks).strip("\n") for blocks in layout_pages(kept, n_pages)]
    if not any(texts):
        raise ExtractionError(
            f"PDF-filen {name} indeholder ingen tekst, heller ikke ved tekstgenkendelse (OCR) af dens billeder. "
            "Tjek at det er den rigtige fil (en tom eller meget uskarp scanning kan ikke læses), "
            "eller gem artiklen som .docx eller .txt."
        )
    return ExtractedText(
        text=f"\n{PAGE_BREAK}\n".join(texts) + "\n", title=title, pages=len(texts), ocr_pages=len(scanned)
    )


def _recognise(
    document: object,
    scanned: list[int],
    pages: list[list[Line]],
    heights: list[float],
    name: str,
    on_page: PageProgress | None,
) -> None:
    """Read the scanned pages with Danish OCR into `pages`, within the file's bounds."""
    if len(scanned) > MAX_OCR_PAGES:
        minutes = round(len(scanned) * 5 / 60)
        raise ExtractionError(
            f"PDF-filen {name} har {len(scanned)} scannede sider; tekstgenkendelse (OCR) læser højst {MAX_OCR_PAGES} "
            f"sider pr. fil (ca. 5 sekunder pr. side, her ca. {minutes} minutter). Del filen op i dele på højst "
            f"{MAX_OCR_PAGES} sider, og tilføj dem hver for sig."
        )
    missing = tesseract_missing()
    if missing is not None:
        raise ExtractionError(missing_message(f"PDF-filen {name}", missing))
    deadline = time.monotonic() + OCR_FILE_SECONDS
    n_pages = len(pages)
    for done, page_no in enumerate(scanned, start=1):
        left = deadline - time.monotonic()
        if left <= 0:
            raise _over_budget(name, page_no, n_pages)
        page = document[page_no]  # type: ignore[index]
        pixels = _image_pixels(page) or 0
        if pixels > MAX_IMAGE_PIXELS:
            raise ExtractionError(
                f"Side {page_no + 1} i {name} er et billede på {pixels // 1_000_000} millioner punkter; højst "
                f"{MAX_IMAGE_PIXELS // 1_000_000} millioner kan læses med tekstgenkendelse. Scan siden igen i "
                "200-300 dpi, og tilføj filen igen."
            )
        png, scale = _render(page)
        try:
            found = read_page(png, page_no + 1, name, min(PAGE_SECONDS, left))
        except OcrError as exc:
            if left < PAGE_SECONDS and exc.timed_out:
                raise _over_budget(name, page_no, n_pages) from exc
            raise ExtractionError(exc.reason) from exc
        pages[page_no] = _without_contents(list(_ocr_lines(found, page_no, scale, heights[page_no])))
        if on_page is not None:
            on_page(n_pages - len(scanned) + done, n_pages)


_ENDS_IN_PAGE_NUMBER = re.compile(r"\s\d{1,3}$")


def _without_contents(lines: list[Line]) -> list[Line]:
    """A scanned contents page without its entries (dot leaders are read as letters there, so an
    entry is a line that ends in a page number: three under an "Indhold" heading, or five)."""
    titled = any(is_contents_title(line.text) for line in lines)
    entries = [line for line in lines if _ENDS_IN_PAGE_NUMBER.search(line.text)]
    if len(entries) < (3 if titled else 5):
        return lines
    return [line for line in lines if line not in entries and not is_contents_title(line.text)]


def _match_printed_sizes(pages: list[list[Line]], scanned: list[int]) -> None:
    """Scale a mixed PDF's recognised text sizes so that its body text is the size of the printed
    pages' (Tesseract measures a line's height, not its font size): headings stay headings."""
    printed = [line for page_no, lines in enumerate(pages) if page_no not in scanned for line in lines]
    if not printed:
        return
    target = body_size(printed)
    for page_no in scanned:
        found = body_size(pages[page_no])
        if found > 0:
            for line in pages[page_no]:
                line.size *= target / found


def _over_budget(name: str, page_no: int, n_pages: int) -> ExtractionError:
    return ExtractionError(
        f"Tekstgenkendelsen (OCR) af {name} tog mere end {OCR_FILE_SECONDS // 60} minutter og blev stoppet ved "
        f"side {page_no + 1} af {n_pages}. Del filen op i mindre dele, og tilføj dem hver for sig."
    )
