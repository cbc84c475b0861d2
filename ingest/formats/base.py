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
    ocr_pages: int = Field(default=0, description="Pages read by text recognition (OCR): a scan's pages.")


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
        line = one_line(text)
        if not line:
            continue
        if previous is not None:
            out.append("\n" if kind == previous == "bullet" else "\n\n")  # a list stays together
        out.append(prefix[kind] + line)
        previous = kind
    return "".join(out) + "\n" if out else ""
