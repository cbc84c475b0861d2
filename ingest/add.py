"""Add one article to the corpus and update the index at once: the CLI's `add` and the app's upload.

Everything is checked before anything is written (name, size, type, extractable text, passages);
the files are then staged under hidden temporary names and renamed into place, and if anything
fails after that (the index build included) the corpus is put back exactly as it was.
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from pydantic import BaseModel, Field, ValidationError, field_validator

from ingest.corpus import ARTICLE_SUFFIXES, load_corpus
from ingest.formats import (
    ORIGINAL_SUFFIXES,
    ExtractedText,
    ExtractionError,
    extract_bytes,
    extracted_name,
    write_text_atomically,
)
from ingest.metadata import METADATA_FILE, ArticleMeta, with_entry
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
# One add at a time per process: two app sessions uploading at once must not race on articles.toml.
_LOCK = threading.Lock()

ProgressCallback = Callable[[str, float], None]


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


class AddResult(BaseModel):
    """What was added and how the index was updated."""

    original: str | None = Field(description="The original's name in the corpus (None for a .txt/.md article).")
    text_file: str = Field(description="The text file the passages' offsets refer to.")
    article_id: str
    title: str
    n_passages: int
    pages: int | None = None
    embedded: int = Field(description="Texts embedded now (the new article's).")
    reused: int = Field(description="Texts whose vectors were taken from the previous index.")
    index_dir: str


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
    clean_suffix = _UNSAFE.sub("", suffix).lower()
    return f"{safe}.{clean_suffix}" if clean_suffix else safe


def _taken(corpus_dir: Path, name: str) -> bool:
    return (corpus_dir / name).exists() or (corpus_dir / extracted_name(name)).exists()


def unique_name(corpus_dir: Path, name: str) -> str:
    """A name not used in the corpus folder yet (neither itself nor its extracted text).

    Args:
        corpus_dir: The corpus folder.
        name: A sanitised name.

    Returns:
        `name`, or 'stem-2.ext', 'stem-3.ext', … when it is taken.
    """
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    candidate, n = name, 1
    while _taken(corpus_dir, candidate):
        n += 1
        candidate = f"{stem}-{n}.{suffix}" if suffix else f"{stem}-{n}"
    return candidate


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


def _content(name: str, suffix: str, data: bytes) -> tuple[str, ExtractedText | None]:
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


def _duplicate_of(corpus_dir: Path, data: bytes, text: str | None) -> str | None:
    """A corpus file with the same bytes (or the same extracted text) as the upload."""
    digests = {hashlib.sha256(data).hexdigest()}
    if text is not None:
        digests.add(hashlib.sha256(text.encode("utf-8")).hexdigest())
    candidates = [
        p for p in sorted(corpus_dir.iterdir())
        if p.is_file() and p.suffix.lower() in ALLOWED_SUFFIXES and not p.name.startswith(".")
    ]
    return next((p.name for p in candidates if hashlib.sha256(p.read_bytes()).hexdigest() in digests), None)


def _entry(file: str, meta: NewArticle, extracted: ExtractedText | None) -> ArticleMeta:
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


class _Staging:
    """Files written under hidden temporary names, renamed into place together, undone on failure."""

    def __init__(self, corpus_dir: Path) -> None:
        self.corpus_dir = corpus_dir
        self.placed: list[Path] = []
        self.metadata_before: str | None = None
        self.metadata_touched = False

    def place(self, name: str, data: bytes) -> None:
        target = self.corpus_dir / name
        tmp = self.corpus_dir / f".tmp-{name}.part"
        try:
            tmp.write_bytes(data)
            if target.exists():  # unique_name ran under the lock; this guards against outside writers
                raise FileExistsError(target)
            tmp.replace(target)
        finally:
            tmp.unlink(missing_ok=True)
        self.placed.append(target)

    def write_metadata(self, entry: ArticleMeta) -> None:
        path = self.corpus_dir / METADATA_FILE
        self.metadata_before = path.read_text(encoding="utf-8") if path.exists() else None
        self.metadata_touched = True
        write_text_atomically(path, with_entry(self.metadata_before or "", entry))

    def undo(self) -> None:
        for path in reversed(self.placed):
            path.unlink(missing_ok=True)
        if self.metadata_touched:
            path = self.corpus_dir / METADATA_FILE
            if self.metadata_before is None:
                path.unlink(missing_ok=True)
            else:
                write_text_atomically(path, self.metadata_before)


def _cached_keys(index_dir: Path | None, embedder: Any) -> set[str]:
    """Content hashes of the texts an index holds vectors for (empty when there is no usable index)."""
    from index import store

    return set(store.read_cache(index_dir, embedder.name, embedder.dim))


def add_article(
    corpus_dir: str | Path,
    index_dir: str | Path,
    name: str,
    data: bytes,
    meta: NewArticle | None = None,
    embedder: Any | None = None,
    on_progress: ProgressCallback | None = None,
) -> AddResult:
    """Add an article (text, Markdown, HTML, PDF or Word) to the corpus and update the index.

    Args:
        corpus_dir: The corpus folder.
        index_dir: The index folder; its vectors are reused, so only the new article is embedded.
        name: The file's name as the user had it (it is sanitised and made unique).
        data: The file's bytes.
        meta: Title, link, publication date and publisher; empty fields stay unknown.
        embedder: The embedder; None means the configured default.
        on_progress: Called with (Danish stage, fraction 0..1) as the work advances.

    Returns:
        What was stored and how many texts were embedded vs reused.

    Raises:
        AddError: The file or a field is not usable, or the index could not be updated; the
            corpus folder is then exactly as before.
    """
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    meta = meta or NewArticle()

    def report(stage: str, fraction: float) -> None:
        if on_progress is not None:
            on_progress(stage, fraction)

    report("Tjekker filen", 0.0)
    suffix = check_upload(name, len(data))
    if not corpus_dir.is_dir():
        raise AddError(f"Korpus-mappen {corpus_dir} findes ikke. Angiv den rigtige mappe (fx corpus/).", field="corpus")
    report("Udtrækker teksten", 0.05)
    text, extracted = _content(name, suffix, data)
    with _LOCK:
        duplicate = _duplicate_of(corpus_dir, data, text)
        if duplicate is not None:
            raise AddError(
                f"Artiklen i {name} findes allerede i korpus som {duplicate}. Den er ikke tilføjet igen.", field="file"
            )
        stored = unique_name(corpus_dir, sanitize_name(name))
        text_file = extracted_name(stored) if extracted is not None else stored
        staging = _Staging(corpus_dir)
        try:
            report("Gemmer artiklen", 0.15)
            staging.place(stored, data)
            if extracted is not None:
                staging.place(text_file, text.encode("utf-8"))
            staging.write_metadata(_entry(stored, meta, extracted))
            return _reindex(corpus_dir, index_dir, stored, text_file, extracted, embedder, report)
        except AddError:
            staging.undo()
            raise
        except Exception as exc:
            staging.undo()
            raise AddError(
                f"Artiklen {name} kunne ikke tilføjes ({exc}). Korpus er uændret; prøv igen, eller byg indekset "
                "med »python -m ingest«."
            ) from exc


def _reindex(
    corpus_dir: Path,
    index_dir: Path,
    stored: str,
    text_file: str,
    extracted: ExtractedText | None,
    embedder: Any | None,
    report: ProgressCallback,
) -> AddResult:
    import index  # FAISS and the model: only once the file has passed every check

    report("Læser artiklerne", 0.2)
    reading = load_corpus(corpus_dir)
    row = next((r for r in reading.report if r.file == text_file), None)
    if row is None or row.status != "indexed":
        why = row.reason if row is not None and row.reason else "den gav ingen passager"
        raise AddError(f"Artiklen {stored} kunne ikke indekseres: {why}", field="file")
    article = next(a for a in reading.articles if a.file == text_file)
    embedder = embedder or index.get_embedder()
    before = _cached_keys(index_dir if index_dir.exists() else None, embedder)
    index.rebuild(
        reading, corpus_dir, index_dir, embedder, lambda stage, fraction: report(stage, 0.25 + 0.7 * fraction)
    )
    # Counted from the saved vector caches, so the count holds whatever texts the index embeds.
    after = _cached_keys(index_dir, embedder)
    embedded, reused = len(after - before), len(after & before)
    report("Indekset er opdateret", 1.0)
    return AddResult(
        original=stored if extracted is not None else None,
        text_file=text_file,
        article_id=article.id,
        title=article.title,
        n_passages=row.n_passages,
        pages=extracted.pages if extracted is not None else None,
        embedded=embedded,
        reused=reused,
        index_dir=str(index_dir),
    )


def add_file(
    path: str | Path,
    corpus_dir: str | Path,
    index_dir: str | Path,
    meta: NewArticle | None = None,
    embedder: Any | None = None,
    on_progress: ProgressCallback | None = None,
) -> AddResult:
    """Add an article file from disk (the size is checked before the file is read).

    Args:
        path: The file to add (it is copied; the file itself is left alone).
        corpus_dir: The corpus folder.
        index_dir: The index folder.
        meta: Title, link, publication date and publisher.
        embedder: The embedder; None means the configured default.
        on_progress: Called with (Danish stage, fraction 0..1).

    Returns:
        As `add_article`.

    Raises:
        AddError: As `add_article`, or the file cannot be opened.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        check_upload(path.name, size)
        data = path.read_bytes()
    except OSError as exc:
        raise AddError(
            f"Filen {path} kunne ikke åbnes ({exc.strerror}). Tjek stien, og at filen må læses.", field="file"
        ) from exc
    return add_article(corpus_dir, index_dir, path.name, data, meta, embedder=embedder, on_progress=on_progress)
