"""Add an article to the corpus and update the index at once: the CLI's `add` and the app's upload.

Everything is checked before anything is written (`library.intake`); the files are then staged
under hidden temporary names and renamed into place, and if anything fails after that (the index
build included) the corpus is put back exactly as it was.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from index import Embedder, get_embedder
from ingest.corpus import load_corpus
from ingest.formats import ExtractedText, extracted_name, write_text_atomically
from ingest.metadata import METADATA_FILE, ArticleMeta, with_entry
from library.build import rebuild
from library.intake import (
    AddError,
    NewArticle,
    check_upload,
    checked_content,
    duplicate_of,
    metadata_entry,
    sanitize_name,
    unique_name,
)

# One add at a time per process: two app sessions uploading at once must not race on articles.toml.
_LOCK = threading.Lock()

ProgressCallback = Callable[[str, float], None]


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


def _cached_keys(index_dir: Path | None, embedder: Embedder) -> set[str]:
    """Content hashes of the texts an index holds vectors for (empty when there is no usable index)."""
    from index import store  # FAISS: only once the file has passed every check

    return set(store.read_cache(index_dir, embedder.name, embedder.dim))


def add_article(
    corpus_dir: str | Path,
    index_dir: str | Path,
    name: str,
    data: bytes,
    meta: NewArticle | None = None,
    embedder: Embedder | None = None,
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
    text, extracted = checked_content(name, suffix, data)
    with _LOCK:
        duplicate = duplicate_of(corpus_dir, data, text)
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
            staging.write_metadata(metadata_entry(stored, meta, extracted))
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
    embedder: Embedder | None,
    report: ProgressCallback,
) -> AddResult:
    report("Læser artiklerne", 0.2)
    reading = load_corpus(corpus_dir)
    row = next((r for r in reading.report if r.file == text_file), None)
    if row is None or row.status != "indexed":
        why = row.reason if row is not None and row.reason else "den gav ingen passager"
        raise AddError(f"Artiklen {stored} kunne ikke indekseres: {why}", field="file")
    article = next(a for a in reading.articles if a.file == text_file)
    embedder = embedder or get_embedder()
    before = _cached_keys(index_dir if index_dir.exists() else None, embedder)
    rebuild(
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
    embedder: Embedder | None = None,
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
