"""A quote split across passages, shown whole: the passages it runs over, or its cut marked.

The index cuts articles into passages by paragraph; a speaker's quote of three paragraphs is three
passages, the first opening with ” and never closing. A card or a briefing showing only that
passage would quote half a sentence of speech as if it were all. Here the passages the quote runs
over (up to `MAX_RUN` after or before, in the same article and section) are joined to it; where
the quote goes on past them, the card says so with "[…]" and the closing mark, in our own marks.
Quotation marks are paired by ingest's own reading (`ingest.quotes.find_quotes`).
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel

from ingest.models import Passage
from ingest.quotes import find_quotes

MAX_RUN = 3
_CLOSING = {"»": "«", "“": "”", "„": "”", "”": "”", '"': '"'}
CUT = " […]"

Neighbours = Callable[[str, int, int], list[Passage]]


class WholeQuote(BaseModel):
    """The passages one quote runs over, in reading order, the found passage among them."""

    before: list[Passage] = []
    after: list[Passage] = []
    # The closing mark a quote still open after `after` would need (shown after "[…]"), else None.
    cut_close: str | None = None

    def text_of(self, main: str) -> str:
        """The whole quote as plain text: the passages joined by a space, the cut marked."""
        parts = [p.text for p in self.before] + [main] + [p.text for p in self.after]
        return " ".join(parts) + (CUT + self.cut_close if self.cut_close else "")

    @property
    def passages(self) -> list[Passage]:
        return [*self.before, *self.after]


def open_mark(text: str) -> str | None:
    """The opening mark of a quote that `text` opens and does not close, else None."""
    quotes, _ = find_quotes(text, 0, len(text))
    if not quotes or quotes[-1].end != len(text):
        return None
    last = quotes[-1]
    if text[-1] in "”\"«" and last.start != len(text) - 1:
        return None  # closed by its last character
    return text[last.start]


def closes_open_quote(text: str) -> bool:
    """Whether `text` closes a quote opened before it (a closing mark with no opening one)."""
    _, orphan = find_quotes(text, 0, len(text))
    return orphan is not None


def has_marks(text: str) -> bool:
    quotes, orphan = find_quotes(text, 0, len(text))
    return bool(quotes) or orphan is not None


def whole_quote(passage: Passage, neighbours: Neighbours) -> WholeQuote:
    """Find the passages the quote of `passage` runs over.

    Args:
        passage: the passage a search found.
        neighbours: `Searcher.neighbours` (passage id, before, after -> passages in reading order,
            the passage itself included).

    Returns:
        The passages to join before and after it; an empty `WholeQuote` when it holds no cut quote.
    """
    whole = WholeQuote()
    mark = open_mark(passage.text)
    if mark is not None:
        following = [p for p in neighbours(passage.id, 0, MAX_RUN) if p.ordinal > passage.ordinal]
        closed = False
        for p in following:
            if p.section != passage.section:
                break
            if closes_open_quote(p.text):
                whole.after.append(p)
                closed = True
                break
            if has_marks(p.text):
                break
            whole.after.append(p)
        if not closed:
            whole.after = []
            whole.cut_close = _CLOSING.get(mark, "”")
    elif closes_open_quote(passage.text):
        preceding = [p for p in neighbours(passage.id, MAX_RUN, 0) if p.ordinal < passage.ordinal]
        run: list[Passage] = []
        for p in reversed(preceding):
            if p.section != passage.section:
                break
            if open_mark(p.text) is not None:
                whole.before = [p, *run]
                break
            if has_marks(p.text):
                break
            run.insert(0, p)
    return whole
