"""What extracting an original (HTML, PDF, Word) gives, and how its text is laid out.

The extracted text is what the corpus stores and what passage offsets refer to, so its layout
follows the conventions `ingest.structure` reads: one paragraph per line, headings as "# " lines,
bullet items and table rows as "• " lines (cells joined by " | "), PDF pages separated by a form
feed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

BlockKind = Literal["heading", "para", "bullet"]
# A heading's level is written as that many "#"s (1-6), so a passage's section can say where it sits.
MAX_LEVEL = 6
PAGE_BREAK = "\f"
# Between the cells of a table row, which is laid out as one bullet line (PDF and Word alike).
CELL_SEPARATOR = " | "
_SPACE = re.compile(r"\s+")
# Told (pages done, pages in all) as a long file is read page by page (a scan takes seconds a page).
PageProgress = Callable[[int, int], None]


class ExtractionError(Exception):
    """An original whose text cannot be extracted; the message is Danish and says what to do."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ExtractedText(BaseModel):
    """The main text of an original, and the facts the file itself states about it."""

    text: str = Field(description="The extracted text, stored as '<original>.txt' (utf-8).")
    title: str | None = Field(default=None, description="Title the file declares (HTML <title>, PDF/Word property).")
    published: date | None = None
    publisher: str | None = None
    url: str | None = None
    pages: int | None = Field(default=None, description="Number of pages, for a PDF.")
    authors: list[str] = Field(default_factory=list, description="The people the page's byline names (HTML).")
    ocr_pages: int = Field(default=0, description="Pages read by text recognition (OCR): a scan's pages.")


# Between the cells of a row that names its columns: "Modtagested: Sundhedshuset i Tofte; Antal beboere: 6".
NAMED_CELL_SEPARATOR = "; "
_DIGIT = re.compile(r"\d")
_MAX_HEADER_WORDS = 6


def looks_like_header_row(rows: list[list[str]]) -> bool:
    """Whether a table's first row names its columns when nothing marks it (no <th>, no bold):
    short labels with no figures, above at least one row of data."""
    if len(rows) < 2 or len(rows[0]) < 2:
        return False
    return all(
        cell and len(cell.split()) <= _MAX_HEADER_WORDS and not _DIGIT.search(cell) and not cell.endswith(".")
        for cell in rows[0]
    )


def table_rows(rows: list[list[str]], header: list[str] | None) -> list[str]:
    """A table as lines a reader can quote: one line a row, its cells together, each named by its
    column's header where the header gives one ("Modtagested: Sundhedshuset i Tofte; Antal beboere: 6").

    Args:
        rows: The data rows' cell texts (the header row not among them).
        header: The column names, or None when the table has no header row.

    Returns:
        One text a row (cells " | "-joined when there is no header); empty rows left out.
    """
    lines = []
    for row in rows:
        cells = [one_line(cell) for cell in row]
        if header is None or len(header) != len(cells):
            line = CELL_SEPARATOR.join(c for c in cells if c)
        else:
            names = [one_line(name) for name in header]
            line = NAMED_CELL_SEPARATOR.join(
                f"{name}: {cell}" if name else cell for name, cell in zip(names, cells, strict=True) if cell
            )
        if line:
            lines.append(line)
    return lines


def one_line(text: str) -> str:
    """Collapse all whitespace (line breaks included) to single spaces and trim.

    Args:
        text: Any text.

    Returns:
        The text on one line.
    """
    return _SPACE.sub(" ", text).strip()


def render_blocks(blocks: Iterable[tuple[BlockKind, str]]) -> str:
    """Lay out blocks the way `ingest.structure` reads them: headings "# ", bullets "• ".

    A heading's level is given by "#"s at the start of its text ("## 2.1 Hjemmeplejen" is level 2;
    none: level 1). A line break the source makes inside a paragraph (an HTML <br>) is kept as one.

    Args:
        blocks: (kind, text) in reading order; empty texts are dropped.

    Returns:
        The blocks separated by blank lines (items of one list by single line breaks), ending with
        a newline ('' when nothing is left).
    """
    prefix = {"heading": "# ", "para": "", "bullet": "• "}
    out: list[str] = []
    previous: BlockKind | None = None
    for kind, text in blocks:
        marks = ""
        if kind == "heading":
            stripped = text.lstrip()
            level = len(stripped) - len(stripped.lstrip("#"))
            if 1 <= level <= MAX_LEVEL and stripped[level : level + 1] == " ":
                marks, text = "#" * level + " ", stripped[level:]
        parts = text.split("\n") if kind == "para" else [text]  # a paragraph keeps its <br>s
        line = "\n".join(filter(None, (one_line(part) for part in parts)))
        if not line:
            continue
        if previous is not None:
            out.append("\n" if kind == previous == "bullet" else "\n\n")  # a list stays together
        out.append((marks or prefix[kind]) + line)
        previous = kind
    return "".join(out) + "\n" if out else ""
