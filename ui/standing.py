"""Where a quote shown earlier stands now: still its article's words, or its article removed or
replaced since, or its file changed by hand.

A chat keeps its answers while editors change the library. A quote whose article was removed or
replaced through the library was its file's words when it was answered (the old file is kept in
corpus/.removed/), so the card stays, marked, with its context and its place in the briefing. A
file changed any other way is left out with the library's message: no quote is shown from offsets
that no longer hold its words (`library.QuoteCheck`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from index.models import Result
from library import CatalogEntry, QuoteCheck
from ui import labels

Kind = Literal["current", "removed", "replaced", "changed"]


class Standing(BaseModel):
    """A shown quote's standing, and the line that says so (None when current)."""

    kind: Kind
    note: str | None = None

    @property
    def shown(self) -> bool:
        return self.kind != "changed"


def standing_of(result: Result, quotes: QuoteCheck, removed: Callable[[], list[CatalogEntry]]) -> Standing:
    """Decide how a quote answered earlier is shown now.

    Args:
        result: the quote.
        quotes: the check of quotes against their files.
        removed: the library's removed articles, newest first (`Library.removed`; read only when needed).

    Returns:
        current (shown as is), removed or replaced (shown, marked), or changed (left out with a message).
    """
    if quotes.holds(result):
        return Standing(kind="current")
    name = result.article.original or result.article.file
    entry = next((e for e in removed() if e.file == name), None)
    if entry is None:
        return Standing(kind="changed", note=quotes.message(result))
    when = entry.removed_when or "for nylig"
    if (Path(quotes.corpus_dir) / result.article.file).is_file():
        return Standing(kind="replaced", note=labels.REPLACED_SINCE.format(when=when))
    return Standing(kind="removed", note=labels.REMOVED_SINCE.format(when=when))
