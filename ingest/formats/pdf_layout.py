"""A PDF page's printed lines back into headings, paragraphs, list items and table rows.

Pure geometry over the lines PDFium reads (`ingest.formats.pdf`), in the order it reads them,
which for printed reports is column by column. A paragraph goes on while the next line follows
close below in the same column, or starts the next column or page mid-sentence; a larger font
makes a heading; cells printed side by side, starting at the same height, make one table row.
A word hyphenated at a line end is joined again (PDFium marks the printer's hyphen as U+2010,
an author's hyphen stays "-").
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from ingest.formats.base import MAX_LEVEL, BlockKind, looks_like_header_row, table_rows

# The hyphen a printer (Chromium, Word) puts where it breaks a word at a line end.
PRINTER_HYPHEN = "\u2010"
_BULLET = re.compile(r"^(?:[•▪◦‣●■□➢►\-–*]|\d{1,2}[.)])\s+")
_BULLET_MARK = re.compile(r"^[•▪◦‣●■□➢►\-–*]\s+")
_NUMBERED = re.compile(r"^\d{1,2}[.)]\s+\S")
# A footnote at the foot of its page: printed smaller than the body, opening with its number.
_FOOTNOTE = re.compile(r"^(\d{1,2}|[*†‡])\s+(?=\S)")
_FOOTNOTE_SIZE = 0.9
# Lines of one paragraph are printed in one size; a change of this share starts another block.
_SIZE_CHANGE = 0.12
_SAME_LEVEL = 0.08
_SENTENCE_END = ".!?:;”\"»«)…"
# After "sundheds-" at a line end, "og ældreområdet" means the hyphen is a real one (a shared compound).
_KEEP_HYPHEN_BEFORE = re.compile(r"(?:og|eller|samt|til|and|or)\b")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*-?")
_HEADING_SIZE = 1.15
_BOLD_HEADING_SIZE = 1.05
# A paragraph goes on in the next column only from the bottom of the one before: a jump up of
# more lines than a table cell holds.
_COLUMN_JUMP_LINES = 6
_MAX_HEADING_CHARS = 160
_MAX_CELL_LINES = 4
# Lines this much farther apart (in font sizes) than the body's usual spacing start a new paragraph.
_PARAGRAPH_GAP = 0.45
_ROW_TOLERANCE = 0.6


@dataclass
class Line:
    """One printed line: its text and where and how it is printed (PDF points, y grows upwards)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool = False
    page: int = 0

    @property
    def height(self) -> float:
        return max(self.top - self.bottom, 1e-6)


@dataclass
class _Cell:
    """Consecutive lines stacked in one column: a paragraph, a heading, or one cell of a table."""

    lines: list[Line] = field(default_factory=list)

    @property
    def first(self) -> Line:
        return self.lines[0]

    @property
    def last(self) -> Line:
        return self.lines[-1]


def body_size(lines: Iterable[Line]) -> float:
    """The font size most of the text is printed in (weighted by characters)."""
    weights: dict[float, int] = {}
    for line in lines:
        key = round(line.size * 2) / 2
        weights[key] = weights.get(key, 0) + len(line.text)
    return max(weights, key=lambda size: weights[size]) if weights else 0.0


def _usual_spacing(lines: list[Line]) -> float:
    """The usual gap between one body line's bottom and the top of the line below it, in points."""
    gaps = [
        above.bottom - below.top
        for above, below in pairwise(lines)
        if above.page == below.page and abs(above.x0 - below.x0) < above.size and below.top < above.bottom
    ]
    return statistics.median(gaps) if gaps else 0.0


def _is_heading(line: Line, size: float) -> bool:
    """Printed larger than the body, or bold and a little larger (a report's sub-headings)."""
    larger = line.size >= _HEADING_SIZE * size or (line.bold and line.size >= _BOLD_HEADING_SIZE * size)
    return larger and len(line.text) <= _MAX_HEADING_CHARS


def _starts_bullet(line: Line) -> bool:
    return bool(_BULLET_MARK.match(line.text))


def _ends_sentence(text: str) -> bool:
    return text.rstrip()[-1:] in _SENTENCE_END


def _column_rights(lines: list[Line]) -> dict[tuple[int, int], float]:
    """The right edge of each column (the lines of a page that begin at the same x), by (page, x)."""
    rights: dict[tuple[int, int], float] = {}
    for line in lines:
        key = (line.page, round(line.x0))
        rights[key] = max(rights.get(key, line.x1), line.x1)
    return rights


def _continues(cell: _Cell, line: Line, size: float, spacing: float, rights: dict[tuple[int, int], float]) -> bool:
    """Whether `line` goes on with `cell` (the same paragraph or heading)."""
    last = cell.last
    if _starts_bullet(line) or _is_heading(line, size) != _is_heading(last, size) or line.bold != last.bold:
        return False
    if abs(line.size - last.size) > _SIZE_CHANGE * max(line.size, last.size):
        return False  # a footnote under the body, a caption under a table
    if _NUMBERED.match(line.text) and (_ends_sentence(last.text) or _NUMBERED.match(cell.first.text)):
        return False  # the next item of a numbered list
    if line.size < _FOOTNOTE_SIZE * size and _FOOTNOTE.match(line.text):
        return False  # the next footnote
    if _is_heading(line, size):
        # A heading wraps onto a second line of the same size close below.
        return line.page == last.page and abs(line.size - last.size) < 0.5 and last.bottom - line.top < last.height
    same_column = line.page == last.page and abs(line.x0 - last.x0) < 2 * last.size and line.top <= last.bottom
    if same_column:
        return last.bottom - line.top <= spacing + _PARAGRAPH_GAP * last.size
    # The next column or page: the paragraph goes on when the one before stopped mid-sentence
    # ("... et ekstra møde kl." | "12.10 om ..."): its last line fills the column, or the next
    # line goes on in lower case.
    next_column = line.top - last.top > _COLUMN_JUMP_LINES * last.height and line.x0 > last.x1 - last.size
    if not (line.page > last.page or next_column) or _is_heading(last, size):
        return False
    full = last.x1 >= rights.get((last.page, round(last.x0)), last.x1) - 1.5 * last.size
    goes_on = line.text[:1].islower() or line.text[:1].isdigit()
    return not _ends_sentence(last.text) or (full and goes_on)


def _cells(lines: list[Line], size: float) -> list[_Cell]:
    spacing = _usual_spacing([ln for ln in lines if not _is_heading(ln, size)])
    rights = _column_rights(lines)
    cells: list[_Cell] = []
    for line in lines:
        if cells and _continues(cells[-1], line, size, spacing, rights):
            cells[-1].lines.append(line)
        else:
            cells.append(_Cell([line]))
    return cells


def _beside(left: _Cell, right: _Cell) -> bool:
    """`right` starts at the height `left` starts at, to its right, on the same page: the next cell of a row."""
    a, b = left.first, right.first
    return (
        a.page == b.page
        and b.x0 > a.x0 + a.size
        and abs(a.top - b.top) < _ROW_TOLERANCE * a.height
        and len(left.lines) <= _MAX_CELL_LINES
        and len(right.lines) <= _MAX_CELL_LINES
    )


def _rows(cells: list[_Cell]) -> Iterator[list[_Cell]]:
    """Cells grouped into table rows (a cell on its own is a row of one)."""
    row: list[_Cell] = []
    for cell in cells:
        if row and _beside(row[-1], cell):
            row.append(cell)
            continue
        if row:
            yield row
        row = [cell]
    if row:
        yield row


def join_lines(left: str, right: str, hyphens: HyphenRule | None = None) -> str:
    """Glue a wrapped line to the next, undoing a hyphenation break where it is one.

    Args:
        left: The text so far (ends with the end of a printed line).
        right: The next printed line.
        hyphens: What the document says about its line-end hyphens; None: nothing is known.

    Returns:
        The two as one text: a printer's hyphen (U+2010) is dropped; "sundheds-" + "og" keeps
        hyphen and space; "MED-" + "udvalget" keeps the hyphen; "it-" + "nedbruddet" keeps it
        when the printer marks its own breaks (then a "-" is the author's) or the document
        writes the word with it, and "kommu-" + "nen" becomes "kommunen" otherwise.
    """
    left = left.rstrip()
    right = right.lstrip()
    if left.endswith(PRINTER_HYPHEN) and len(left) > 1 and left[-2].isalpha():
        return left[:-1] + right
    if left.endswith("-") and len(left) > 1 and left[-2].isalpha():
        if _KEEP_HYPHEN_BEFORE.match(right):
            return f"{left} {right}"
        if left[-2].islower() and right[:1].islower() and not (hyphens and hyphens.keeps(left, right)):
            return left[:-1] + right
        return left + right  # "MED-" + "udvalget", "it-" + "nedbruddet"
    return f"{left} {right}" if left else right


@dataclass(frozen=True)
class HyphenRule:
    """Whether a "-" at a line end is the author's: the printer marks its own breaks (U+2010), or
    the document writes the word with a hyphen elsewhere and never without."""

    printer_marks_breaks: bool
    words: frozenset[str]

    @classmethod
    def of(cls, lines: Iterable[Line]) -> HyphenRule:
        texts = [line.text for line in lines]
        marks = any(text.rstrip().endswith(PRINTER_HYPHEN) for text in texts)
        return cls(marks, frozenset(w.casefold() for text in texts for w in _WORD.findall(text)))

    def keeps(self, left: str, right: str) -> bool:
        head = _WORD.findall(left)[-1] if _WORD.findall(left) else ""
        tail = _WORD.findall(right)[0] if _WORD.findall(right) else ""
        hyphenated, joined = f"{head}{tail}".casefold(), f"{head[:-1]}{tail}".casefold()
        if joined in self.words:
            return False
        return self.printer_marks_breaks or hyphenated in self.words


def _text(cell: _Cell, hyphens: HyphenRule) -> str:
    text = ""
    for line in cell.lines:
        text = join_lines(text, line.text, hyphens) if text else line.text.strip()
    return text


def _is_bold_title(cell: _Cell) -> bool:
    """A bold line of its own at body size that ends in no punctuation: a run-in heading."""
    line = cell.first
    return len(cell.lines) == 1 and line.bold and len(line.text) <= 100 and not _ends_sentence(line.text)


def _heading_levels(cells: list[_Cell], size: float) -> dict[float, int]:
    """Heading sizes, largest first, as levels 1, 2, …; a bold heading at body size is the lowest."""
    sizes = sorted({round(c.first.size * 2) / 2 for c in cells if _is_heading(c.first, size)}, reverse=True)
    levels: dict[float, int] = {}
    top: float | None = None
    for found in sizes:
        # Sizes within a few per cent are one level (text recognition measures each line a little differently).
        if top is None or found < (1 - _SAME_LEVEL) * top:
            top = found
            levels[found] = min(len(set(levels.values())) + 1, MAX_LEVEL)
        else:
            levels[found] = levels[top]
    return levels


def _table(rows: list[list[_Cell]], hyphens: HyphenRule) -> list[tuple[BlockKind, str]]:
    """Rows of cells side by side as lines; a first row of bold cells (or of labels) names the columns."""
    texts = [[_text(cell, hyphens) for cell in row] for row in rows]
    header = None
    if len(texts) > 1 and (all(cell.first.bold for cell in rows[0]) or looks_like_header_row(texts)):
        header, texts = _split_labels(texts[0], max(len(r) for r in texts[1:])), texts[1:]
    return [("bullet", line) for line in table_rows(texts, header)]


def _split_labels(header: list[str], n_columns: int) -> list[str]:
    """Header labels printed so close that they read as one cell ("Enig Uenig" over two columns of
    figures): split from the right, a word a column, until there is a label for each column."""
    labels = list(header)
    while len(labels) < n_columns:
        multi = [i for i, label in enumerate(labels) if len(label.split()) > 1]
        if not multi:
            break
        i = multi[-1]
        head, last = labels[i].rsplit(" ", 1)
        labels[i : i + 1] = [head, last]
    return labels


def _numbered_items(blocks: list[tuple[BlockKind, str]]) -> list[tuple[BlockKind, str]]:
    """Paragraphs numbered "1.", "2." one after another are a numbered list: bullets that keep their numbers."""
    out = list(blocks)
    for i, (kind, text) in enumerate(blocks):
        if kind != "para" or not _NUMBERED.match(text):
            continue
        neighbours = [blocks[j] for j in (i - 1, i + 1) if 0 <= j < len(blocks)]
        if any(_NUMBERED.match(t) and k in ("para", "bullet") for k, t in neighbours):
            out[i] = ("bullet", text)
    return out


def layout_pages(lines: list[Line], n_pages: int, size: float | None = None) -> list[list[tuple[BlockKind, str]]]:
    """The headings, paragraphs, list items, table rows and footnotes the printed lines make, page by page.

    A paragraph that runs on from one page (or column) to the next stays whole, on the page it
    starts on. Headings carry their level as "#"s (by size, largest first); a table is one line a
    row, its cells named by a header row's; a footnote is "Fodnote 3: …" on its own page.

    Args:
        lines: Every kept line of the document (running headers and footers removed), in the
            order PDFium reads them, `page` set.
        n_pages: The number of pages (pages with no block of their own stay empty).
        size: The body font size; None works it out from the lines.

    Returns:
        For each page, its (kind, text) blocks in reading order.
    """
    size = size if size is not None else body_size(lines)
    hyphens = HyphenRule.of(lines)
    cells = _cells(lines, size)
    levels = _heading_levels(cells, size)
    lowest = min(max(levels.values(), default=0) + 1, MAX_LEVEL)
    pages: list[list[tuple[BlockKind, str]]] = [[] for _ in range(n_pages)]
    rows = list(_rows(cells))
    i = 0
    while i < len(rows):
        row = rows[i]
        page = pages[row[0].first.page]
        if len(row) > 1:
            j = i
            while j < len(rows) and len(rows[j]) > 1 and rows[j][0].first.page == row[0].first.page:
                j += 1
            page.extend(_table(rows[i:j], hyphens))
            i = j
            continue
        i += 1
        cell = row[0]
        text = _text(cell, hyphens)
        footnote = _FOOTNOTE.match(text)
        if _is_heading(cell.first, size):
            page.append(("heading", "#" * levels.get(round(cell.first.size * 2) / 2, 1) + " " + text))
        elif _is_bold_title(cell):
            page.append(("heading", "#" * lowest + " " + text))
        elif _BULLET_MARK.match(text):
            page.append(("bullet", _BULLET_MARK.sub("", text, count=1)))
        elif footnote and cell.first.size < _FOOTNOTE_SIZE * size:
            page.append(("para", f"Fodnote {footnote.group(1)}: {text[footnote.end():]}"))
        else:
            page.append(("para", text))
    return [_numbered_items(blocks) for blocks in pages]
