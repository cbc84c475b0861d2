"""Where a quote comes from, said once and the same way on cards and in exports.

A reader reads who said it, the article, the section, the publisher, the date and a link; the file,
whether the title was taken from the text, and the quote's offsets are for the one who checks, in
the card's "Kilde" details (`check_lines`).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlparse

from pydantic import BaseModel

from index.models import Result
from ingest.models import Article
from ui import labels


class Citation(BaseModel):
    """The parts of a source line, already in the words a leader reads."""

    speaker: str | None
    title: str
    title_is_derived: bool
    section: str | None
    publisher: str | None
    published: date | None = None
    url: str | None
    file: str
    original: str | None = None
    page: int | None = None
    char_start: int = 0
    char_end: int = 0
    encoding: str = "utf-8"

    @property
    def file_text(self) -> str:
        """The file a leader can open: the original (with the text file quotes are checked against), or the text."""
        return f"{self.original}, teksten i {self.file}" if self.original else self.file

    @property
    def page_text(self) -> str | None:
        """'side 3' for a passage of a PDF, else None."""
        return f"side {self.page}" if self.page is not None else None


def safe_url(url: str | None) -> str | None:
    """Keep only web links; anything else (javascript:, file:, junk) is not a link.

    Args:
        url: a link from article metadata, or None.

    Returns:
        The link when it is http(s) with a host, else None.
    """
    if not url:
        return None
    parsed = urlparse(url.strip())
    if parsed.scheme in ("http", "https") and parsed.netloc:
        return url.strip()
    return None


def speaker_label(speaker: str | None) -> str | None:
    """Return the speaker's role with a capital first letter, or None for the article's own text.

    Args:
        speaker: the role from the passage, e.g. 'en kommunaldirektør'.

    Returns:
        E.g. 'En kommunaldirektør'; None when nobody is quoted (the card then names no speaker).
    """
    if not speaker or not speaker.strip():
        return None
    role = speaker.strip()
    return role[0].upper() + role[1:]


def citation_for(result: Result, article: Article | None = None) -> Citation:
    """Collect the citation of one search result.

    Args:
        result: a search result.
        article: the article's full record when known (its date); the result alone names the rest.

    Returns:
        Its `Citation`.
    """
    source = result.article
    return Citation(
        speaker=speaker_label(result.speaker),
        title=source.title,
        title_is_derived=source.title_is_derived,
        section=result.section,
        publisher=source.publisher,
        published=article.published if article is not None else None,
        url=safe_url(source.url),
        file=source.file,
        original=source.original,
        page=result.page,
        char_start=result.char_start,
        char_end=result.char_end,
        encoding=source.encoding,
    )


def reader_parts(citation: Citation) -> list[str]:
    """What a reader reads of a source, in order, unknown parts left out (the link apart).

    Args:
        citation: the citation.

    Returns:
        E.g. ['En kommunaldirektør', '»Titel«', 'afsnit »2. Hvad skete der? › 2.1 Hjemmeplejen«', 'side 3',
        'NB-Nyt', '4. marts 2021'].
    """
    parts = [citation.speaker] if citation.speaker else []
    parts.append(f"»{citation.title}«")
    section = section_under(citation.section, citation.title)
    if section:
        parts.append(f"afsnit »{section}«")
    if citation.page_text:
        parts.append(citation.page_text)
    if citation.publisher:
        parts.append(citation.publisher)
    if citation.published:
        parts.append(labels.danish_date(citation.published))
    return parts


def section_under(section: str | None, title: str) -> str | None:
    """The section path without a first part that is the article's title again (a report's cover heading).

    Args:
        section: the heading path ("Titel › 4. Regionens rolle"), or None.
        title: the article's title.

    Returns:
        E.g. '4. Regionens rolle'; the path as it is when its first part is not the title.
    """
    if not section:
        return None
    parts = section.split(" › ")
    folded = " ".join(title.casefold().split())
    if len(parts) > 1 and " ".join(parts[0].casefold().split()) in folded:
        parts = parts[1:]
    return " › ".join(parts)


def check_lines(citation: Citation) -> list[tuple[str, str]]:
    """What one who checks a quote needs: the file, the offsets, how the title and link are known.

    Args:
        citation: the citation.

    Returns:
        (label, value) pairs for the card's "Kilde" details.
    """
    lines = [("Fil", citation.file)]
    if citation.original:
        lines.append(("Udtrukket af", citation.original))
    lines.append(("Placering", f"tegn {citation.char_start}–{citation.char_end} i filen (kodning {citation.encoding})"))
    lines.append(("Titel", labels.DERIVED_TITLE_LONG if citation.title_is_derived else labels.PUBLISHED_TITLE))
    lines.append(("Link", citation.url or labels.NO_LINK))
    if not citation.publisher:
        lines.append(("Udgiver", labels.NOT_STATED))
    if not citation.published:
        lines.append(("Udgivet", labels.NOT_STATED))
    return lines


def citation_text(citation: Citation, exported: date | None = None) -> str:
    """Write a citation as one plain-text line (for Word, Markdown and the copy block).

    Args:
        citation: the citation.
        exported: the export date, added as 'hentet ...' when given.

    Returns:
        E.g. 'En chef, »Titel«, afsnit »X«, side 3, NB-Nyt. https://…' (the page only for a passage of
        a PDF; the file when no link is known).
    """
    line = ", ".join(reader_parts(citation)) + "."
    line += f" {citation.url}" if citation.url else f" Fil: {citation.file_text}."
    if exported is not None:
        line += f" Hentet fra Erfaringsbanken {labels.danish_date(exported)}."
    return line
