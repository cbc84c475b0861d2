"""The text of a Word file (.docx): headings from paragraph styles, list items as bullets, tables by row."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from ingest.formats.base import CELL_SEPARATOR, BlockKind, ExtractedText, ExtractionError, render_blocks

# Word stores built-in style names in English whatever the user's language; custom ones may be Danish.
_HEADING_STYLE = re.compile(r"^(?:heading|overskrift)\s*\d|^(?:title|titel)$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"\blist|\bliste|opstilling|punkt", re.IGNORECASE)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A 100-page report's document.xml is 1-3 MB; its images are not read. Above these a file is a
# zip bomb or a dump, and lxml would need several times the XML's size in memory to parse it.
MAX_PART_BYTES = 32 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


def _outline_level(paragraph: Any) -> int | None:
    """The paragraph's outline level (set directly or by its style chain); body text has none."""
    elements = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        elements.append(style.element.pPr)
        style = style.base_style
    for ppr in elements:
        level = ppr.find(f"{_W}outlineLvl") if ppr is not None else None
        if level is not None:
            value = int(level.get(f"{_W}val", "9"))
            return value if value < 9 else None
    return None


def _is_list_item(paragraph: Any) -> bool:
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.find(f"{_W}numPr") is not None:
        return True
    name = paragraph.style.name if paragraph.style is not None else ""
    return bool(_LIST_STYLE.search(name or ""))


def _paragraph_block(paragraph: Any) -> tuple[BlockKind, str]:
    name = paragraph.style.name if paragraph.style is not None else ""
    if _HEADING_STYLE.match(name or "") or _outline_level(paragraph) is not None:
        return "heading", paragraph.text
    if _is_list_item(paragraph):
        return "bullet", paragraph.text
    return "para", paragraph.text


def _row_cells(row: Any) -> list[str]:
    """The texts of a table row's cells, each once (a merged cell is returned once per grid column)."""
    texts: list[str] = []
    seen: list[Any] = []  # the cell elements themselves: an id() could be reused once a proxy is freed
    for cell in row.cells:
        if any(cell._tc is other for other in seen):
            continue
        seen.append(cell._tc)
        text = " ".join(" ".join(paragraph.text.split()) for paragraph in cell.paragraphs).strip()
        if text:
            texts.append(text)
    return texts


def _blocks(document: Any) -> Iterator[tuple[BlockKind, str]]:
    from docx.table import Table

    for item in document.iter_inner_content():
        if isinstance(item, Table):
            # A row is one line, its cells side by side (" | "), as PDF tables are read: a timeline's
            # time stays with its event.
            for row in item.rows:
                cells = _row_cells(row)
                if len(cells) > 1:
                    yield "bullet", CELL_SEPARATOR.join(cells)
                elif cells:
                    yield "para", cells[0]
        else:
            yield _paragraph_block(item)


def _check_unpacked_size(data: bytes, name: str) -> None:
    """Refuse a Word file that would unpack to more than a report ever holds, before it is unpacked.

    A .docx is a zip: 0.7 MB of it can unpack to 290 MB of XML, and parsing that takes minutes and
    gigabytes. zipfile reads a member only up to the size its header states, so the stated sizes
    bound what python-docx can read.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a zip at all: python-docx says so in its own words below
    largest = max(members, key=lambda m: m.file_size, default=None)
    total = sum(m.file_size for m in members)
    if largest is not None and (largest.file_size > MAX_PART_BYTES or total > MAX_UNPACKED_BYTES):
        raise ExtractionError(
            f"Word-dokumentet {name} fylder {total / 1024 / 1024:.0f} MB udpakket (delen {largest.filename} alene "
            f"{largest.file_size / 1024 / 1024:.0f} MB); højst {MAX_UNPACKED_BYTES // 1024 // 1024} MB kan læses. "
            "Gem dokumentet uden indlejrede filer, eller del det op, og tilføj det igen."
        )


def extract_docx(data: bytes, name: str) -> ExtractedText:
    """Extract the text of a Word document.

    Args:
        data: The .docx file's bytes.
        name: The file name, used in error messages.

    Returns:
        The text (headings "# " from heading styles or outline levels, list items "• ") and the
        title set in the document's properties.

    Raises:
        ExtractionError: The file is not a readable .docx (e.g. an old .doc) or holds no text.
    """
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    _check_unpacked_size(data, name)
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ExtractionError(
            f"Filen {name} kan ikke læses som Word-dokument (.docx). Åbn den i Word, og gem den som "
            "»Word-dokument (.docx)« (ikke det gamle .doc-format), og tilføj den igen."
        ) from exc
    text = render_blocks(_blocks(document))
    if not text.strip():
        raise ExtractionError(
            f"Word-dokumentet {name} indeholder ingen tekst. Tjek at det er den rigtige fil; "
            "tekst i billeder eller tekstbokse kan ikke læses."
        )
    title = " ".join((document.core_properties.title or "").split()) or None
    return ExtractedText(text=text, title=title)
