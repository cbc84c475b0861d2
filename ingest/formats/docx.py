"""The text of a Word file (.docx): headings with their levels from paragraph styles, list items as
bullets (a numbered list keeps its numbers, as Word's numbering part counts them), tables by row
with each cell named by its column's header, and the contents (TOC fields) left out."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from ingest.formats.base import (
    MAX_LEVEL,
    BlockKind,
    ExtractedText,
    ExtractionError,
    looks_like_header_row,
    render_blocks,
    table_rows,
)

# Word stores built-in style names in English whatever the user's language; custom ones may be Danish.
_HEADING_STYLE = re.compile(r"^(?:heading|overskrift)\s*\d|^(?:title|titel)$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"\blist|\bliste|opstilling|punkt", re.IGNORECASE)
_NUMBERED_STYLE = re.compile(r"list number|nummereret|talopstilling", re.IGNORECASE)
_HEADING_LEVEL = re.compile(r"(\d)")
# Word's contents ("TOC 1", "indholdsfortegnelse 2"): titles with page numbers, no text of their own.
_TOC_STYLE = re.compile(r"^(?:toc|indholdsfortegnelse|indhold)\s*\d|^toc heading$", re.IGNORECASE)
# Numbering formats that count (Word's numFmt values); "bullet" and "none" do not.
_COUNTING = {"decimal", "decimalZero", "lowerLetter", "upperLetter", "lowerRoman", "upperRoman"}
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


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    return f"{n:02d}" if fmt == "decimalZero" else str(n)


class _Numbering:
    """Word's list numbering: which lists count, and the number each item gets ("2.", "b)")."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (numId, ilvl) -> (numFmt, lvlText, start)
        self.counters: dict[tuple[str, int], int] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in root.findall(f"{_W}abstractNum"):
            levels = {}
            for lvl in node.findall(f"{_W}lvl"):
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                    fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{_W}val", "") if text is not None else "",
                    int(start.get(f"{_W}val", "1")) if start is not None else 1,
                )
            abstract[node.get(f"{_W}abstractNumId", "")] = levels
        for num in root.findall(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None:
                for ilvl, level in abstract.get(ref.get(f"{_W}val", ""), {}).items():
                    self.levels[(num.get(f"{_W}numId", ""), ilvl)] = level

    def label(self, paragraph: Any) -> str | None:
        """The item's number as Word prints it ("3.", "b)"), or None for a bullet or no list."""
        ppr = paragraph._p.pPr
        num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
        if num_pr is None:
            num_pr = _style_num_pr(paragraph)
        if num_pr is None:
            return None
        num_id = num_pr.find(f"{_W}numId")
        ilvl = num_pr.find(f"{_W}ilvl")
        list_id = num_id.get(f"{_W}val", "") if num_id is not None else ""
        key = (list_id, int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else 0)
        level = self.levels.get(key)
        if level is None or level[0] not in _COUNTING:
            return None
        for deeper in [k for k in self.counters if k[0] == key[0] and k[1] > key[1]]:
            del self.counters[deeper]  # a sub-list starts again under its next parent item
        self.counters[key] = self.counters.get(key, level[2] - 1) + 1
        text = level[1] or f"%{key[1] + 1}."
        for n in range(1, 10):
            if f"%{n}" in text:
                own = (key[0], n - 1)
                fmt = self.levels.get(own, level)[0]
                text = text.replace(f"%{n}", _format_number(self.counters.get(own, 1), fmt))
        return text


def _style_num_pr(paragraph: Any) -> Any:
    style = paragraph.style
    while style is not None:
        ppr = style.element.pPr
        if ppr is not None and ppr.find(f"{_W}numPr") is not None:
            return ppr.find(f"{_W}numPr")
        style = style.base_style
    return None


def _heading_level(name: str, paragraph: Any) -> int:
    level = _outline_level(paragraph)
    if level is not None:
        return min(level + 1, MAX_LEVEL)
    digit = _HEADING_LEVEL.search(name)
    return min(int(digit.group(1)), MAX_LEVEL) if digit else 1


def _paragraph_block(paragraph: Any, numbering: _Numbering) -> tuple[BlockKind, str] | None:
    name = paragraph.style.name if paragraph.style is not None else ""
    if _TOC_STYLE.match(name or ""):
        return None
    if _HEADING_STYLE.match(name or "") or _outline_level(paragraph) is not None:
        return "heading", "#" * _heading_level(name or "", paragraph) + " " + paragraph.text
    label = numbering.label(paragraph) if _is_list_item(paragraph) or _NUMBERED_STYLE.search(name or "") else None
    if label:
        return "bullet", f"{label} {paragraph.text}"
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
        texts.append(" ".join(" ".join(paragraph.text.split()) for paragraph in cell.paragraphs).strip())
    return texts


def _marked_header(row: Any) -> bool:
    """Word marks a header row as one that repeats on each page, or the author made it bold."""
    tr_pr = row._tr.trPr
    if tr_pr is not None and tr_pr.find(f"{_W}tblHeader") is not None:
        return True
    runs = [run for cell in row.cells for paragraph in cell.paragraphs for run in paragraph.runs if run.text.strip()]
    return bool(runs) and all(run.bold for run in runs)


def _table_blocks(table: Any) -> Iterator[tuple[BlockKind, str]]:
    """A row is one line, its cells side by side; with a header row each cell is named by its column."""
    rows = [cells for cells in (_row_cells(row) for row in table.rows) if any(cells)]
    if not rows:
        return
    header = None
    if len(rows) > 1 and len(rows[0]) > 1 and (_marked_header(table.rows[0]) or looks_like_header_row(rows)):
        header, rows = rows[0], rows[1:]
    for cells, line in zip(rows, table_rows(rows, header), strict=False):
        yield ("bullet", line) if sum(1 for c in cells if c) > 1 else ("para", line)


def _blocks(document: Any) -> Iterator[tuple[BlockKind, str]]:
    from docx.table import Table

    numbering = _Numbering(document)
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            yield from _table_blocks(item)
        else:
            block = _paragraph_block(item, numbering)
            if block is not None:
                yield block


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
