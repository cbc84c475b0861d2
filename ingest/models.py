"""The records ingest produces and every other part of Erfaringsbanken reads.

A `Passage` is always a slice of its article's decoded file: `text ==
decoded[char_start:char_end]`. That invariant is what lets a leader trust a quote, so it is
checked when a passage is made, not only in tests.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

import ingest.codec  # noqa: F401 - registers the codec an article's `encoding` may name

PassageKind = Literal["body", "quote", "bullet", "contributors", "about"]
FileStatus = Literal["indexed", "skipped", "duplicate"]


class ArticleSource(BaseModel):
    """What a result needs to say where a passage comes from (the JSON `article` object)."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    title_is_derived: bool
    url: str | None = None
    file: str
    encoding: str
    publisher: str | None = None
    original: str | None = Field(
        default=None, description="The file the text was extracted from (e.g. 'rapport.pdf'); None for a text file."
    )


class Article(BaseModel):
    """One article file in the corpus and what is known about it.

    Fields the text does not give stay empty (None or []), never guessed.
    """

    id: str = Field(description="The file name without its extension, e.g. '004_62e79214372f38a9'.")
    file: str = Field(description="File name relative to the corpus folder.")
    encoding: str = Field(
        description="Codec the file was decoded with, e.g. 'utf-8', 'utf-8-sig', 'cp1252', 'cp1252-c1' (ingest.codec)."
    )
    sha256: str = Field(description="Hash of the file's bytes.")
    n_chars: int
    title: str
    title_is_derived: bool = Field(description="True when the title was taken from the text, not published.")
    url: str | None = None
    publisher: str | None = None
    sponsor: str | None = None
    series: str | None = None
    authors: list[str] = Field(default_factory=list)
    links: list[str] = Field(default_factory=list, description="Links the text itself names.")
    published: date | None = None
    notes: str | None = None
    original: str | None = Field(
        default=None, description="The file `file` was extracted from (e.g. 'rapport.pdf'); None for a text file."
    )

    def source(self) -> ArticleSource:
        return ArticleSource(
            id=self.id,
            title=self.title,
            title_is_derived=self.title_is_derived,
            url=self.url,
            file=self.file,
            encoding=self.encoding,
            publisher=self.publisher,
            original=self.original,
        )


class Passage(BaseModel):
    """A verbatim piece of an article: the unit that is indexed, searched and shown."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="Stable id: '<article id>:<hash of text>' (plus '~n' if the text repeats).")
    article: ArticleSource
    ordinal: int = Field(ge=0, description="Position of the passage in its article, from 0.")
    section: str | None = Field(default=None, description="The heading the passage stands under.")
    speaker: str | None = Field(default=None, description="Role of the person quoted, e.g. 'en kommunaldirektør'.")
    kind: PassageKind = "body"
    char_start: int = Field(ge=0)
    char_end: int = Field(ge=0)
    text: str
    sentence_spans: list[tuple[int, int]] = Field(
        default_factory=list, description="Absolute offsets of the passage's sentences in the file."
    )
    lead_in: str | None = Field(
        default=None, description="For a bullet: the line introducing its list (searched, never shown as the quote).",
    )
    page: int | None = Field(
        default=None, ge=1, description="Page of a paged text (a PDF): 1 + the form feeds before char_start."
    )

    @property
    def article_id(self) -> str:
        return self.article.id

    @model_validator(mode="after")
    def _offsets_match_text(self) -> Passage:
        if self.char_end - self.char_start != len(self.text):
            raise ValueError(
                f"passage {self.id}: char_end - char_start = {self.char_end - self.char_start} "
                f"but the text has {len(self.text)} characters"
            )
        for start, end in self.sentence_spans:
            if not (self.char_start <= start < end <= self.char_end):
                raise ValueError(f"passage {self.id}: sentence span {start}-{end} lies outside the passage")
        return self


class FileReport(BaseModel):
    """What happened to one file of the corpus folder, for the per-file report."""

    file: str
    status: FileStatus
    reason: str | None = Field(default=None, description="Danish: why it was skipped and what to do.")
    encoding: str | None = None
    n_passages: int = 0
    duplicate_of: str | None = None


class CorpusReading(BaseModel):
    """Everything `ingest.load_corpus` found: articles, their passages, and the per-file report."""

    articles: list[Article]
    passages: list[Passage]
    report: list[FileReport]
    warnings: list[str] = Field(default_factory=list, description="Danish: problems not tied to one file (metadata).")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
