"""The text of a PDF, page by page: running headers, footers and page numbers left out, lines reflowed.

pypdf gives one string per visual line. A sentence wrapped over two lines must become one line
again, or it would be cut in two; a line that fills most of the width continues in the next one,
a short line ends its paragraph. Pages are joined with a form feed, so a passage's page is
1 + the number of form feeds before it.
"""

from __future__ import annotations

import io
import re
from collections import Counter

from ingest.formats.base import PAGE_BREAK, BlockKind, ExtractedText, ExtractionError, render_blocks

_BULLET = re.compile(r"^[•▪◦‣●\-–*]\s+")
_PAGE_NUMBER = re.compile(r"^(?:side\s+|page\s+)?\d{1,4}(?:\s*(?:/|af|of)\s*\d{1,4})?$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_FILE_NAME_TITLE = re.compile(r"^microsoft \w+ - |\.(?:docx?|pdf|txt|odt|pptx?|indd)$", re.IGNORECASE)
_FULL_LINE_SHARE = 0.75
_EDGE_LINES = 1
# After "sundheds-" at a line end, "og ældreområdet" means the hyphen is a real one (a shared compound).
_KEEP_HYPHEN_BEFORE = re.compile(r"(?:og|eller|samt|til|and|or)\b")


def _page_lines(raw: str) -> list[str]:
    return [" ".join(line.split()) for line in raw.splitlines() if line.strip()]


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Header and footer lines repeated at the top or bottom of most pages (digits ignored, so page numbers match)."""
    if len(pages) < 2:
        return set()
    seen: Counter[str] = Counter()
    for lines in pages:
        edges = set(lines[:_EDGE_LINES] + lines[-_EDGE_LINES:])
        seen.update({_DIGITS.sub("#", line) for line in edges})
    return {key for key, count in seen.items() if count >= max(2, 0.6 * len(pages))}


def _join(left: str, right: str) -> str:
    """Glue a wrapped line to the next, undoing a hyphenation break where it is one."""
    if left.endswith("-") and len(left) > 1 and left[-2].isalpha():
        if left[-2].islower() and right[:1].islower() and not _KEEP_HYPHEN_BEFORE.match(right):
            return left[:-1] + right  # "kommu-" + "nen"
        if right[:1].isupper() or not _KEEP_HYPHEN_BEFORE.match(right):
            return left + right  # "MED-" + "udvalget"
    return f"{left} {right}"


def _paragraphs(lines: list[str]) -> list[tuple[BlockKind, str]]:
    """Reflow a page's lines into paragraphs and bullet items."""
    width = max((len(line) for line in lines), default=0)
    blocks: list[tuple[BlockKind, str]] = []
    current: list[str] = []
    kind: BlockKind = "para"
    for line in lines:
        bullet = _BULLET.match(line)
        if bullet and current:
            blocks.append((kind, " ".join(current)))
            current = []
        if bullet:
            kind, line = "bullet", line[bullet.end() :]
        elif not current:
            kind = "para"
        current = [_join(current[-1], line)] if current else [line]
        if len(line) < _FULL_LINE_SHARE * width:  # a short line ends its paragraph
            blocks.append((kind, current[0]))
            current = []
    if current:
        blocks.append((kind, current[0]))
    return blocks


def _declared_title(value: object) -> str | None:
    """The PDF's title property, unless it is a converter's file name ("Microsoft Word - x.docx")."""
    title = " ".join(str(value or "").split())
    if not title or _FILE_NAME_TITLE.search(title):
        return None
    return title


def extract_pdf(data: bytes, name: str) -> ExtractedText:
    """Extract the text of a PDF, keeping its pages.

    Args:
        data: The PDF's bytes.
        name: The file name, used in error messages.

    Returns:
        The text, pages separated by a form feed, the number of pages and the title the PDF
        declares (unless it is only a file name).

    Raises:
        ExtractionError: The file is not a readable PDF, is encrypted, or holds no text (a scan).
    """
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ExtractionError(
                f"PDF-filen {name} er beskyttet med adgangskode. Gem en udgave uden adgangskode, og tilføj den igen."
            )
        raw_pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ExtractionError(
            f"Filen {name} kan ikke læses som PDF ({exc}). Tjek at det er en rigtig PDF-fil, "
            "eller gem artiklen som .docx eller .txt."
        ) from exc
    pages = [_page_lines(raw) for raw in raw_pages]
    running = _running_lines(pages)
    texts = []
    for lines in pages:
        kept = [ln for ln in lines if _DIGITS.sub("#", ln) not in running and not _PAGE_NUMBER.match(ln)]
        texts.append(render_blocks(_paragraphs(kept)).strip("\n"))
    if not any(texts):
        raise ExtractionError(
            f"PDF-filen {name} indeholder ingen tekst, kun billeder (den er måske scannet). "
            "Kør tekstgenkendelse (OCR) på den, eller gem artiklen som .docx eller .txt."
        )
    # The creation date is when the file was made, not when the article was published: not used.
    title = _declared_title(info.title) if info is not None else None
    return ExtractedText(text=f"\n{PAGE_BREAK}\n".join(texts) + "\n", title=title, pages=len(texts))
