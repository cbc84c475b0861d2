"""Check an article a user brings before anything is written: its name, size, type, text and metadata.

Nothing here writes to the corpus or touches the index; `library.add` stages what passed.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from pydantic import BaseModel, ValidationError, field_validator

from ingest.corpus import ARTICLE_SUFFIXES
from ingest.formats import ORIGINAL_SUFFIXES, ExtractedText, ExtractionError, extract_bytes
from ingest.metadata import ArticleMeta
from ingest.models import Article
from ingest.passages import split_article
from ingest.read import UnreadableFileError, decode_bytes

MAX_BYTES = 25 * 1024 * 1024
ALLOWED_SUFFIXES: frozenset[str] = frozenset(ARTICLE_SUFFIXES | ORIGINAL_SUFFIXES)
_MAGIC = {".pdf": b"%PDF-", ".docx": b"PK\x03\x04"}
_DANISH_ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_MAX_STEM = 80
_DATE_FORMATS = (
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    re.compile(r"(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{4})"),
)

class AddError(Exception):
    """An article that cannot be added; the message is Danish, names the file or field, says what to do."""

    def __init__(self, reason: str, field: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field


def parse_published(value: str) -> date:
    """Read a publication date as a leader types it.

    Args:
        value: '2021-03-04', '4-3-2021' or '4.3.2021'.

    Returns:
        The date.

    Raises:
        AddError: The value is not one of these forms or not a real date (field 'published').
    """
    text = value.strip()
    for pattern in _DATE_FORMATS:
        match = pattern.fullmatch(text)
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                break
    raise AddError(
        f"Udgivelsesdatoen »{value}« kan ikke læses. Skriv den som ÅÅÅÅ-MM-DD, fx 2021-03-04, "
        "eller lad feltet stå tomt.",
        field="published",
    )


class NewArticle(BaseModel):
    """What the user tells about an article being added; every field may stay empty."""

    title: str | None = None
    url: str | None = None
    published: date | None = None
    publisher: str | None = None

    @field_validator("title", "url", "publisher", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = " ".join(value.split())
            return value or None
        return value

    @field_validator("published", mode="before")
    @classmethod
    def _typed_date(cls, value: Any) -> Any:
        if isinstance(value, str):
            return parse_published(value) if value.strip() else None
        return value

    @field_validator("url")
    @classmethod
    def _web_link(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parsed = urlparse(value)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in value:
            raise ValueError(
                f"Linket »{value}« er ikke en webadresse. Skriv hele adressen med https://, eller lad feltet stå tomt."
            )
        return value


def new_article(
    title: str | None = None, url: str | None = None, published: str | date | None = None, publisher: str | None = None
) -> NewArticle:
    """Check the metadata a user typed.

    Args:
        title: The published title, or empty.
        url: A web link to the article, or empty.
        published: The publication date ('2021-03-04', '4.3.2021') or empty.
        publisher: Who published it, or empty.

    Returns:
        The metadata, blanks as None.

    Raises:
        AddError: A field is not usable; `field` names it ('url', 'published').
    """
    try:
        return NewArticle(title=title, url=url, published=published, publisher=publisher)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or None
        message = str(error["msg"]).removeprefix("Value error, ")
        raise AddError(message, field=field) from exc


def sanitize_name(name: str) -> str:
    """A safe corpus file name: ASCII letters, digits, '-' and '_', no folders, no leading dot.

    Args:
        name: The name the user's file had (may hold folders, spaces, æøå, dots).

    Returns:
        E.g. 'Rapport om ældre (endelig).PDF' → 'Rapport_om_aeldre_endelig.pdf'. The suffix is
        lower-cased; an empty stem becomes 'artikel'; a README name gets an 'artikel-' prefix,
        because READMEs in the corpus folder are not read as articles.
    """
    base = re.split(r"[/\\]", name)[-1].strip()
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    ascii_stem = unicodedata.normalize("NFKD", stem.translate(_DANISH_ASCII)).encode("ascii", "ignore").decode()
    # Dots inside the stem would make 'x.pdf.txt' look like text extracted from 'x.pdf'.
    safe = _UNSAFE.sub("_", ascii_stem.replace(".", "_")).strip("_-")[:_MAX_STEM].strip("_-") or "artikel"
    if safe.upper().startswith("README"):
        safe = f"artikel-{safe}"
    clean_suffix = re.sub(r"[^a-z0-9]", "", suffix.lower())
    return f"{safe}.{clean_suffix}" if clean_suffix else safe


def check_upload(name: str, size: int) -> str:
    """Check an upload's type and size before anything is read or written.

    Args:
        name: The file's name as given.
        size: Its size in bytes.

    Returns:
        The lower-cased suffix.

    Raises:
        AddError: Unsupported type, empty file or larger than 25 MB (field 'file').
    """
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        allowed = ", ".join(sorted(ALLOWED_SUFFIXES))
        raise AddError(
            f"Filen {name} har typen {suffix or '(ingen)'}, som ikke kan tilføjes. Brug en af {allowed} "
            "(gem fx artiklen som PDF eller Word-dokument).",
            field="file",
        )
    if size <= 0:
        raise AddError(f"Filen {name} er tom. Vælg den fil, der indeholder artiklen.", field="file")
    if size > MAX_BYTES:
        raise AddError(
            f"Filen {name} fylder {size / 1024 / 1024:.1f} MB; grænsen er {MAX_BYTES // 1024 // 1024} MB. "
            "Gem artiklen uden billeder (fx som .docx eller .txt), og prøv igen.",
            field="file",
        )
    return suffix


def checked_content(name: str, suffix: str, data: bytes) -> tuple[str, ExtractedText | None]:
    """The article text of an upload (extracted for originals), checked to give passages."""
    magic = _MAGIC.get(suffix)
    if magic is not None and not data.startswith(magic):
        kind = "PDF" if suffix == ".pdf" else "Word-dokument"
        raise AddError(
            f"Filen {name} hedder {suffix}, men er ikke et {kind}. Åbn den i det program, den er lavet i, "
            f"og gem den som {kind} ({suffix}).",
            field="file",
        )
    extracted: ExtractedText | None = None
    try:
        if suffix in ORIGINAL_SUFFIXES:
            extracted = extract_bytes(data, name)
            text = extracted.text
        else:
            text = decode_bytes(data, name).text
    except (ExtractionError, UnreadableFileError) as exc:
        raise AddError(exc.reason, field="file") from exc
    probe = Article(
        id="probe", file=name, encoding="utf-8", sha256="", n_chars=len(text), title="", title_is_derived=True
    )
    if not split_article(text, probe):
        raise AddError(
            f"Filen {name} indeholder ingen artikeltekst efter rensning (kun navigation, sidefod o.l.). "
            "Tjek at det er den rigtige fil med hele artiklens tekst.",
            field="file",
        )
    return text, extracted


def duplicate_of(corpus_dir: Path, data: bytes, text: str | None) -> str | None:
    """A corpus file with the same bytes (or the same extracted text) as the upload."""
    digests = {hashlib.sha256(data).hexdigest()}
    if text is not None:
        digests.add(hashlib.sha256(text.encode("utf-8")).hexdigest())
    candidates = [
        p for p in sorted(corpus_dir.iterdir())
        if p.is_file() and p.suffix.lower() in ALLOWED_SUFFIXES and not p.name.startswith(".")
    ]
    return next((p.name for p in candidates if hashlib.sha256(p.read_bytes()).hexdigest() in digests), None)


def metadata_entry(file: str, meta: NewArticle, extracted: ExtractedText | None) -> ArticleMeta:
    """The metadata entry: what the user typed, else what the file itself declares; never guessed."""
    declared = extracted or ExtractedText(text="")
    title = meta.title or declared.title
    return ArticleMeta(
        file=file,
        title=title,
        title_is_derived=None if title is None else False,
        url=meta.url or declared.url,
        publisher=meta.publisher or declared.publisher,
        published=meta.published or declared.published,
    )

