"""What a printed page says besides its words, read from its characters and drawings: footnote
markers (small raised figures glued to a word), a contents page (titles with page numbers far to
the right), list bullets drawn as small discs (Chromium draws a <ul>'s marker, it prints no "•"),
and where a table's columns begin (gaps that line up on several lines of the page).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from typing import NamedTuple, Protocol

# A footnote marker is printed at most this share of its line's size ("beredskabet¹": 7 pt in 11 pt).
_MARKER_SIZE = 0.8
_CONTENTS_TITLE = re.compile(r"^(?:indhold|indholdsfortegnelse|contents)$", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
_LEADER = re.compile(r"[.·…_ ]{3,}$")
_MIN_CONTENTS_LINES = 3
# A gap before a contents entry's page number: this many font sizes (or dot leaders).
_CONTENTS_GAP = 3.0
_DISC_MIN, _DISC_MAX = 1.5, 8.0
_COLUMN_ALIGN = 1.5


class Char(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def box(self) -> tuple[float, float, float, float] | None: ...
    @property
    def size(self) -> float: ...


class Disc(NamedTuple):
    """A small filled shape: a bullet's marker, by its right edge and its height's middle."""

    right: float
    middle: float


def lone_markers(lines: Sequence[Sequence[Char]]) -> set[int]:
    """Lines that are only a footnote marker: a small figure raised beside the end of a word that
    PDFium read as a line of its own (a note's own number at the margin has no word before it)."""
    sizes = [c.size for chars in lines for c in chars if c.box is not None]
    if not sizes:
        return set()
    usual = statistics.median(sizes)
    found = set()
    for i, chars in enumerate(lines):
        printed = [c for c in chars if c.box is not None]
        small = all(c.text.isdigit() and c.size < _MARKER_SIZE * usual for c in printed)
        if not printed or len(printed) > 3 or not small:
            continue
        box = printed[0].box
        assert box is not None
        beside = any(
            o.box is not None and 0 <= box[0] - o.box[2] < 0.3 * o.size and o.box[1] <= box[1] <= o.box[3]
            for j, other in enumerate(lines) if j != i for o in other
        )
        if beside:
            found.add(i)
    return found


def without_markers(chars: Sequence[Char]) -> list[int]:
    """The indices of a line's characters that are not footnote markers (small figures glued to
    the word or mark before them)."""
    sizes = [c.size for c in chars if c.box is not None]
    if not sizes:
        return list(range(len(chars)))
    usual = statistics.median(sizes)
    kept = []
    for i, char in enumerate(chars):
        before = chars[i - 1] if i > 0 else None
        small_figure = char.box is not None and char.text.isdigit() and char.size < _MARKER_SIZE * usual
        glued = before is not None and before.box is not None and not before.text.isdigit()
        run = before is not None and i - 1 not in kept and before.text.isdigit()  # "¹²": one marker
        if small_figure and (glued or run):
            continue
        kept.append(i)
    return kept


def is_contents_entry(chars: Sequence[Char]) -> bool:
    """A line of a contents page: a title, then dot leaders or a wide gap, then a page number."""
    printed = [c for c in chars if c.box is not None]
    if len(printed) < 3:
        return False
    text = "".join(c.text for c in chars).rstrip()
    number = text.split()[-1] if text.split() else ""
    if not _PAGE_NUMBER.match(number) or len(text.split()) < 2:
        return False
    head = text[: len(text) - len(number)]
    if _LEADER.search(head.rstrip(" ") + " ") and head.rstrip().endswith((".", "…", "·", "_")):
        return True
    digits = printed[-len(number) :]
    before = printed[-len(number) - 1]
    assert digits[0].box is not None and before.box is not None
    return digits[0].box[0] - before.box[2] > _CONTENTS_GAP * max(before.size, 1.0)


def is_contents_title(text: str) -> bool:
    return bool(_CONTENTS_TITLE.match(text.strip()))


def _right(chars: Sequence[Char]) -> float:
    return max((c.box[2] for c in chars if c.box is not None), default=0.0)


def _bottom(chars: Sequence[Char]) -> float | None:
    return min((c.box[1] for c in chars if c.box is not None), default=None)


def _same_height(lines: Sequence[Sequence[Char]]) -> list[list[int]]:
    """Lines printed on one baseline (PDFium reads a title and its page number as two lines)."""
    rows: list[list[int]] = []
    for i, chars in enumerate(lines):
        bottom = _bottom(chars)
        if bottom is None:
            continue
        row = next((r for r in rows if abs((_bottom(lines[r[0]]) or 0.0) - bottom) < 1.0), None)
        if row is None:
            rows.append([i])
        else:
            row.append(i)
    return rows


def contents_lines(lines: Sequence[Sequence[Char]]) -> set[int]:
    """The lines of a page that make its contents, with its "Indhold" heading: entries whose page
    numbers stand at the right edge of the text, at least three under such a heading or five
    making half the page (a table's column of figures stands inside the text, not at its edge)."""
    candidates: list[tuple[float, list[int]]] = []
    for row in _same_height(lines):
        parts = sorted((lines[i] for i in row), key=lambda chars: min(c.box[0] for c in chars if c.box is not None))
        joined = [c for chars in parts for c in chars]
        if is_contents_entry(joined):
            candidates.append((_right(joined), row))
    # The page numbers of a contents page end at one right edge.
    entries: set[int] = set()
    for right, _ in candidates:
        aligned = [row for other, row in candidates if abs(other - right) < 2.0]
        if len(aligned) > len(entries):
            entries = {i for row in aligned for i in row}
    titles = {i for i, chars in enumerate(lines) if is_contents_title("".join(c.text for c in chars))}
    printed = sum(1 for chars in lines if any(c.box is not None for c in chars))
    n_entries = len(_same_height([lines[i] for i in sorted(entries)]))
    if (titles and n_entries >= _MIN_CONTENTS_LINES) or (n_entries >= 5 and n_entries >= 0.5 * printed):
        return entries | titles
    return set()


def discs(page: object) -> list[Disc]:
    """The small round or square shapes a page draws: bullet markers."""
    import pypdfium2.raw as pdfium_c

    found = []
    for shape in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=4):  # type: ignore[attr-defined]
        left, bottom, right, top = shape.get_bounds()
        width, height = right - left, top - bottom
        if _DISC_MIN <= width <= _DISC_MAX and abs(width - height) < 1.0:
            found.append(Disc(right, (top + bottom) / 2))
    return found


def bulleted(x0: float, bottom: float, top: float, size: float, marks: Sequence[Disc]) -> bool:
    """Whether a line starts right after a drawn bullet on its own height."""
    return any(0 < x0 - d.right <= 2.5 * size and bottom <= d.middle <= top for d in marks)


def column_starts(lines: Sequence[Sequence[Char]]) -> list[float]:
    """Where the page's table columns begin: line starts, and the starts of words after a wide gap
    that other lines of the page also have a wide gap before (a column of one-line cells)."""
    starts: list[float] = []
    after_gaps: list[float] = []
    for chars in lines:
        printed = [c for c in chars if c.box is not None]
        if not printed:
            continue
        assert printed[0].box is not None
        starts.append(printed[0].box[0])
        gaps = []
        right = None
        for char in printed:
            assert char.box is not None
            if right is not None:
                gaps.append((char.box[0] - right, char.box[0], char.size))
            right = char.box[2]
        spaces = [g for g, _, _ in gaps if g > 0.15 * printed[0].size]
        usual = statistics.median(spaces) if spaces else 0.0
        after_gaps += [x for g, x, size in gaps if g > 0.5 * size and g > 1.8 * max(usual, 0.1 * size)]
    aligned = [x for x in after_gaps if sum(abs(x - other) < _COLUMN_ALIGN for other in after_gaps) >= 2]
    return starts + aligned
