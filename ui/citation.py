"""Where a quote comes from, said once and the same way on cards and in exports."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlparse

from pydantic import BaseModel

from index.models import Result
from ui import labels


class Citation(BaseModel):
    """The parts of a source line, already in the words a leader reads."""

    speaker: str
    title: str
    title_is_derived: bool
    section: str | None
    publisher: str | None
    url: str | None
    file: str
    original: str | None = None
    page: int | None = None

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


def speaker_label(speaker: str | None) -> str:
    """Return the speaker's role with a capital first letter, or the narrator label.

    Args:
        speaker: the role from the passage, e.g. 'en kommunaldirektør'.

    Returns:
        E.g. 'En kommunaldirektør' or 'Artiklens egen tekst'.
    """
    if not speaker or not speaker.strip():
        return labels.NO_SPEAKER
    role = speaker.strip()
    return role[0].upper() + role[1:]


def citation_for(result: Result) -> Citation:
    """Collect the citation of one search result.

    Args:
        result: a search result.

    Returns:
        Its `Citation`.
    """
    return Citation(
        speaker=speaker_label(result.speaker),
        title=result.article.title,
        title_is_derived=result.article.title_is_derived,
        section=result.section,
        publisher=result.article.publisher,
        url=safe_url(result.article.url),
        file=result.article.file,
        original=result.article.original,
        page=result.page,
    )


def citation_text(citation: Citation, exported: date | None = None) -> str:
    """Write a citation as one plain-text line (for Word, Markdown and the copy block).

    Args:
        citation: the citation.
        exported: the export date, added as 'hentet ...' when given.

    Returns:
        E.g. 'En chef, i »Titel« (titel udledt af teksten), afsnit »X«, side 3, NB-Nyt. Link: https://…'
        (the page only for a passage of a PDF).
    """
    parts = [f"{citation.speaker}, i »{citation.title}«"]
    if citation.title_is_derived:
        parts[0] += f" {labels.DERIVED_TITLE}"
    parts.append(f"afsnit »{citation.section}«" if citation.section else f"afsnit: {labels.NO_SECTION}")
    if citation.page_text:
        parts.append(citation.page_text)
    parts.append(citation.publisher or labels.UNKNOWN_PUBLISHER)
    line = ", ".join(parts) + "."
    line += f" Link: {citation.url}" if citation.url else f" Fil: {citation.file_text} (intet link kendt)"
    if exported is not None:
        line += f". Hentet fra Erfaringsbanken {labels.danish_date(exported)}."
    return line
