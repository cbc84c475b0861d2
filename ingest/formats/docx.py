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
