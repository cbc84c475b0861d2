"""No misquote: a quote is shown only while its file still holds its words at its offsets.

The index remembers where each passage stood when it was built. An article file edited by hand
afterwards (or replaced outside the library) would otherwise be quoted from the old offsets and
shown as the file's words. `QuoteCheck` reads the file as ingest read it and compares the text at
the quote's offsets; the file's text is kept while its size and modification time stay the same,
so a check on every page render costs one `stat` per quoted file.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

from pydantic import BaseModel, Field

from index import Answer, Result
from ingest.read import UnreadableFileError, decode_bytes

# Texts of recently quoted files, newest last; bounded so a large library cannot fill memory.
_MAX_FILES = 32
_MAX_CHARS = 64_000_000
_texts: OrderedDict[str, tuple[int, int, str]] = OrderedDict()
_texts_lock = threading.Lock()


class LeftOut(BaseModel):
    """A quote that was not shown because its file has changed since it was indexed."""

    file: str
    title: str
    passage_id: str
    message: str = Field(description="Danish, for the reader.")


class CheckedAnswer(BaseModel):
    """An answer with only the quotes that are still their files' words, and what was left out."""

    answer: Answer
    left_out: list[LeftOut] = Field(default_factory=list)

    @property
    def notice(self) -> str | None:
        """One Danish line naming the changed files, or None when nothing was left out."""
        if not self.left_out:
            return None
        files = ", ".join(dict.fromkeys(f"»{x.title}« ({x.file})" for x in self.left_out))
        return (f"{len(self.left_out)} citat(er) er udeladt, fordi artiklen er ændret, siden den blev indekseret: "
                f"{files}. De vises igen, når biblioteket er indekseret på ny (»python -m ingest«).")


def _current_text(path: Path) -> str | None:
    """The file's text as ingest decodes it, read again only when its size or time changed."""
    try:
        info = path.stat()
    except OSError:
        return None
    key = str(path)
    with _texts_lock:
        known = _texts.get(key)
        if known is not None and known[:2] == (info.st_size, info.st_mtime_ns):
            _texts.move_to_end(key)
            return known[2]
    try:
        text = decode_bytes(path.read_bytes(), path.name).text
    except (OSError, UnreadableFileError):
        return None
    with _texts_lock:
        _texts[key] = (info.st_size, info.st_mtime_ns, text)
        while len(_texts) > _MAX_FILES or (len(_texts) > 1 and sum(len(t[2]) for t in _texts.values()) > _MAX_CHARS):
            _texts.popitem(last=False)
    return text


class QuoteCheck:
    """Tells whether quotes are still their files' words (thread-safe; shared by every session).

    Args:
        corpus_dir: The corpus folder the index's article files are in.
    """

    def __init__(self, corpus_dir: Path | str) -> None:
        self.corpus_dir = Path(corpus_dir)

    def holds(self, result: Result) -> bool:
        """Whether the result's file still holds its text at its offsets."""
        path = self.corpus_dir / result.article.file
        if os.sep in result.article.file or result.article.file.startswith("."):
            return False
        text = _current_text(path)
        return text is not None and text[result.char_start : result.char_end] == result.text

    def message(self, result: Result) -> str:
        """The Danish line shown in place of a quote whose file has changed."""
        return (f"Et citat fra »{result.article.title}« ({result.article.original or result.article.file}) er "
                "udeladt: filen er ændret, siden den blev indekseret, så citatet kan ikke vises ordret. Det vises "
                "igen, når biblioteket er indekseret på ny (»python -m ingest«, eller genstart appen).")

    def check(self, answer: Answer) -> CheckedAnswer:
        """The answer without the quotes whose files have changed (the rest ranked 1, 2, ... again)."""
        kept: list[Result] = []
        left_out: list[LeftOut] = []
        for result in answer.results:
            if self.holds(result):
                kept.append(result.model_copy(update={"rank": len(kept) + 1}))
            else:
                left_out.append(LeftOut(file=result.article.original or result.article.file,
                                        title=result.article.title, passage_id=result.passage_id,
                                        message=self.message(result)))
        return CheckedAnswer(answer=answer.model_copy(update={"results": kept}), left_out=left_out)
